/** What the app needs of the AWS step extensions before they are loaded (src/slack/lazy-feature.ts). */
import { ActionIds } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';

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
      ActionIds.awsFailoverFallback,
      ActionIds.awsWarmupApply,
      ActionIds.awsStepCheck,
    ],
  },
  deferredKinds: [
    'aws.evidence',
    'aws.notify',
    'aws.monitor',
    'aws.route53.preview',
    'aws.route53.request',
    'aws.route53.execute',
    'aws.request.decide',
    'aws.request.retry',
    'aws.fallback.request',
    'aws.warmup.apply',
    'aws.step.check',
  ],
  // A request's approval DMs follow its changes (features/reach), also in a container that starts here.
  loadWith: ['reach'],
  load: async () => (await import('./aws-steps.js')).awsStepsFeature,
};
