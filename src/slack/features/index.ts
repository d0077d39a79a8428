/**
 * Every feature of the `/runbook` command, in one list. Owners append their feature here (one import, one
 * entry). `help` is added by createApp and lists every feature's subcommands.
 *
 * Search and contacts are loaded with the app. The other features are lazy (src/slack/lazy-feature.ts): a
 * manifest here says what routing, help and Bolt need up front, and the module is imported on first use,
 * so a cold start answering a search loads none of them. A manifest must list exactly what its module's
 * feature declares (test/slack/lazy-features.test.ts checks each one against the real feature).
 */
import { ApproversFileMissingError, loadApprovers } from '../../workflows/approvers';
import { ActionIds, treeWalkPattern } from '../action-ids';
import type { Feature } from '../feature';
import { type LazyFeatureManifest, lazyFeature } from '../lazy-feature';
import { findChecklistByPhrase } from './checklist-phrase';
import { contactsFeature } from './contacts';
import { searchFeature } from './search';

export const statusManifest: LazyFeatureManifest = {
  id: 'status',
  subcommands: [
    {
      names: ['status'],
      usage: 'status',
      summary:
        'Route 53 health checks, the answering failover record, CloudWatch alarms and key metrics per region',
    },
  ],
  listeners: { action: [ActionIds.awsStatusRetry] },
  deferredKinds: ['aws.status'],
  load: async () => (await import('./status.js')).statusFeature,
};

export const checklistsManifest: LazyFeatureManifest = {
  id: 'checklists',
  subcommands: [
    {
      names: ['drill'],
      usage: 'drill <checklist>',
      summary: 'Practise a checklist: the same flow, marked DRILL, never executing live actions.',
    },
    {
      names: ['checklists'],
      usage: 'checklists',
      summary: 'The guided checklists you can start here (failover, promotions, deploy, rollback…).',
    },
  ],
  claims: (text, deps) => findChecklistByPhrase(deps.artifact.checklists, text) !== undefined,
  // A malformed approvers file stops start-up, naming it (a missing one only leaves gates unsignable; the
  // feature says so when it loads: checklist-runtime.ts).
  validate(deps) {
    try {
      loadApprovers(deps.config.approversFile);
    } catch (error) {
      if (!(error instanceof ApproversFileMissingError)) throw error;
    }
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
  subcommands: [
    {
      names: ['diagnose', 'diag', 'troubleshoot'],
      usage: 'diagnose [words]',
      summary: 'Walk a troubleshooting decision tree with buttons (e.g. `diagnose login`).',
    },
  ],
  listeners: {
    action: [ActionIds.treeStart, treeWalkPattern, ActionIds.treeOpenSection, ActionIds.treePostEscalation],
  },
  load: async () => (await import('./diagnose.js')).diagnoseFeature,
};

export const lazyManifests: readonly LazyFeatureManifest[] = [
  statusManifest,
  checklistsManifest,
  awsStepsManifest,
  alarmsManifest,
  diagnoseManifest,
];

export const features: Feature[] = [searchFeature, contactsFeature, ...lazyManifests.map(lazyFeature)];
