/** What the app needs of the status feature before it is loaded (src/slack/lazy-feature.ts). */
import { ActionIds } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';
import { statusSubcommand } from './subcommands';

export const statusManifest: LazyFeatureManifest = {
  id: 'status',
  subcommands: [statusSubcommand],
  listeners: { action: [ActionIds.awsStatusRetry] },
  deferredKinds: ['aws.status'],
  load: async () => (await import('./status.js')).statusFeature,
};
