/**
 * The AWS step extensions, plugged into checklists by directive key (see ../checklists/extensions.ts):
 * `evidence=primary-health`, `action=route53-failover|route53-failback`, `notify=<template>`,
 * `monitor=canary period=30m`. Every button acknowledges first and hands the AWS work to `deps.defer`.
 */
import { ActionIds } from '../../action-ids';
import type { Feature } from '../../feature';
import { registerStepExtension } from '../checklists/extensions';
import { EVIDENCE_TASK, evidenceExtension } from './evidence';
import { MONITOR_TASK, monitorExtension } from './monitor';
import { NOTIFY_TASK, notifyExtension } from './notify';
import { registerRoute53Actions, route53Extension } from './route53';
import { onStepButton } from './shared';

export const awsStepsFeature: Feature = {
  id: 'aws-steps',
  register(app, deps) {
    registerStepExtension('evidence', evidenceExtension);
    registerStepExtension('action', route53Extension);
    registerStepExtension('notify', notifyExtension);
    registerStepExtension('monitor', monitorExtension);
    onStepButton(app, deps, ActionIds.awsEvidenceCheck, EVIDENCE_TASK);
    onStepButton(app, deps, ActionIds.awsNotifyPost, NOTIFY_TASK);
    onStepButton(app, deps, ActionIds.awsMonitorCheck, MONITOR_TASK);
    registerRoute53Actions(app, deps);
  },
};
