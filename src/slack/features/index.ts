/**
 * Every feature of the `/runbook` command, in one list. Owners append their feature here (one import, one
 * entry). `help` is added by createApp and lists every feature's subcommands.
 */
import type { Feature } from '../feature';
import { alarmsFeature } from './alarms';
import { awsStepsFeature } from './aws-steps';
import { checklistsFeature } from './checklists';
import { contactsFeature } from './contacts';
import { diagnoseFeature } from './diagnose';
import { searchFeature } from './search';
import { statusFeature } from './status';

export const features: Feature[] = [
  searchFeature,
  contactsFeature,
  statusFeature,
  checklistsFeature,
  awsStepsFeature,
  alarmsFeature,
  diagnoseFeature,
];
