/**
 * Every feature of the `/runbook` command, in one list. Owners append their feature here (one import, one
 * entry). `help` is added by createApp and lists every feature's subcommands.
 */
import type { Feature } from '../feature';
import { contactsFeature } from './contacts';
import { searchFeature } from './search';

export const features: Feature[] = [searchFeature, contactsFeature];
