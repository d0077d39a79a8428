/** What the app needs of the alarms feature before it is loaded (src/slack/lazy-feature.ts). */
import { ActionIds } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';

export const alarmsManifest: LazyFeatureManifest = {
  id: 'alarms',
  listeners: { action: [ActionIds.awsAlarmOpenRunbook, ActionIds.awsAlarmStartFailover] },
  // "Start failover" starts a checklist.
  loadWith: ['checklists'],
  load: async () => (await import('./alarms.js')).alarmsFeature,
};
