/**
 * The AWS step extensions, plugged into checklists by directive key (see checklist-extensions.ts):
 * `evidence=primary-health`, `action=route53-failover|route53-failback`, `notify=<template>`,
 * `monitor=canary period=30m`. Every button acknowledges first and hands the AWS work to `deps.defer`.
 */
import { ActionIds } from '../action-ids';
import type { Feature } from '../feature';
import { EVIDENCE_TASK, evidenceExtension } from './aws-steps-evidence';
import { MONITOR_TASK, monitorExtension } from './aws-steps-monitor';
import { NOTIFY_TASK, notifyExtension } from './aws-steps-notify';
import { registerRoute53Actions, route53Extension } from './aws-steps-route53';
import { onStepButton } from './aws-steps-shared';
import { registerStepExtension } from './checklist-extensions';

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
