/**
 * The manifests of the lazily loaded features (src/slack/lazy-feature.ts), listed in ./index.ts. Each
 * feature module builds its subcommands from its manifest's entries, so names, usage and summaries are
 * written once. Only light modules may be imported statically here: the feature modules themselves are
 * reached through `load()` alone, so a cold start answering a search loads none of them.
 */

import { ActionIds, treeWalkPattern } from '../action-ids';
import type { Subcommand } from '../feature';
import type { LazyFeatureManifest } from '../lazy-feature';
import { approversOf } from './approvers-at-start';
import { findChecklistByPhrase } from './checklist-phrase';

/** A subcommand as the manifest declares it; the feature module adds `run`. */
export type SubcommandInfo = Omit<Subcommand, 'run'>;

export const statusSubcommand: SubcommandInfo = {
  names: ['status'],
  usage: 'status',
  summary:
    'Route 53 health checks, the answering failover record, CloudWatch alarms and key metrics per region',
};

export const drillSubcommand: SubcommandInfo = {
  names: ['drill'],
  usage: 'drill <checklist>',
  summary: 'Practise a checklist: the same flow, marked DRILL, never executing live actions.',
};

export const checklistsSubcommand: SubcommandInfo = {
  names: ['checklists'],
  usage: 'checklists',
  summary: 'The guided checklists you can start here (failover, promotions, deploy, rollback…).',
};

export const diagnoseSubcommand: SubcommandInfo = {
  names: ['diagnose', 'diag', 'troubleshoot'],
  usage: 'diagnose [words]',
  summary: 'Walk a troubleshooting decision tree with buttons (e.g. `diagnose login`).',
};

export const statusManifest: LazyFeatureManifest = {
  id: 'status',
  subcommands: [statusSubcommand],
  listeners: { action: [ActionIds.awsStatusRetry] },
  deferredKinds: ['aws.status'],
  load: async () => (await import('./status.js')).statusFeature,
};

export const checklistsManifest: LazyFeatureManifest = {
  id: 'checklists',
  subcommands: [drillSubcommand, checklistsSubcommand],
  claims: (text, deps) => findChecklistByPhrase(deps.artifact.checklists, text) !== undefined,
  // A malformed approvers file stops start-up, naming it (a missing one only leaves gates unsignable; the
  // feature says so when it loads: checklist-runtime.ts, which uses this read).
  validate(deps) {
    approversOf(deps);
  },
  listeners: {
    action: [
      ActionIds.checklistDone,
      ActionIds.checklistUndo,
      ActionIds.checklistApprove,
      ActionIds.checklistSkip,
      ActionIds.checklistReject,
      ActionIds.checklistDetails,
      ActionIds.checklistExport,
      ActionIds.checklistUndoPick,
    ],
    view: [ActionIds.checklistSkipView, ActionIds.checklistRejectView, ActionIds.checklistOverrideView],
  },
  // A run renders its steps through the step extensions the AWS steps register.
  loadWith: ['aws-steps'],
  load: async () => (await import('./checklists.js')).checklistsFeature,
};

export const awsStepsManifest: LazyFeatureManifest = {
  id: 'aws-steps',
  listeners: {
    action: [
      ActionIds.awsEvidenceCheck,
      ActionIds.awsNotifyPost,
      ActionIds.awsMonitorCheck,
      ActionIds.awsRoute53Execute,
      ActionIds.awsRoute53Preview,
      ActionIds.awsRoute53Approve,
      ActionIds.awsRoute53Cancel,
      ActionIds.awsRoute53Retry,
    ],
  },
  deferredKinds: [
    'aws.evidence',
    'aws.notify',
    'aws.monitor',
    'aws.route53.preview',
    'aws.route53.request',
    'aws.route53.execute',
  ],
  load: async () => (await import('./aws-steps.js')).awsStepsFeature,
};

export const alarmsManifest: LazyFeatureManifest = {
  id: 'alarms',
  listeners: { action: [ActionIds.awsAlarmOpenRunbook, ActionIds.awsAlarmStartFailover] },
  // "Start failover" starts a checklist.
  loadWith: ['checklists'],
  load: async () => (await import('./alarms.js')).alarmsFeature,
};

export const diagnoseManifest: LazyFeatureManifest = {
  id: 'diagnose',
  subcommands: [diagnoseSubcommand],
  listeners: {
    action: [ActionIds.treeStart, treeWalkPattern, ActionIds.treeOpenSection, ActionIds.treePostEscalation],
  },
  load: async () => (await import('./diagnose.js')).diagnoseFeature,
};
