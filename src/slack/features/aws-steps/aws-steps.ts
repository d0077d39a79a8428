/**
 * The AWS step extensions, plugged into checklists by directive key (see ../checklists/extensions.ts):
 * `evidence=primary-health`, `action=route53-failover|route53-failback|warmup|warmup-release` (./route-step.ts
 * picks the switch, the record swap or the warm-up), `notify=<template>`, `monitor=canary period=30m`. Every
 * button acknowledges first and hands the AWS work to `deps.defer`.
 */
import { ActionIds } from '../../action-ids';
import type { Feature } from '../../feature';
import { registerStepExtension } from '../checklists/extensions';
import { EVIDENCE_TASK, evidenceExtension } from './evidence';
import { registerFallback } from './fallback';
import { MONITOR_TASK, monitorExtension } from './monitor';
import { NOTIFY_TASK, notifyExtension } from './notify';
import { actionExtension, CHECK_TASK } from './route-step';
import { registerRoute53Actions } from './route53';
import { onStepButton } from './shared';
import { WARMUP_TASK } from './warmup';

export const awsStepsFeature: Feature = {
  id: 'aws-steps',
  register(app, deps) {
    registerStepExtension('evidence', evidenceExtension);
    registerStepExtension('action', actionExtension);
    registerStepExtension('notify', notifyExtension);
    registerStepExtension('monitor', monitorExtension);
    onStepButton(app, deps, ActionIds.awsEvidenceCheck, EVIDENCE_TASK);
    onStepButton(app, deps, ActionIds.awsNotifyPost, NOTIFY_TASK);
    onStepButton(app, deps, ActionIds.awsMonitorCheck, MONITOR_TASK);
    registerRoute53Actions(app, deps);
    registerFallback(app, deps);
    onStepButton(app, deps, ActionIds.awsWarmupApply, WARMUP_TASK);
    onStepButton(app, deps, ActionIds.awsStepCheck, CHECK_TASK);
  },
};
