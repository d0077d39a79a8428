/** What the app needs of the reach feature (approval DMs, App Home, timers, stakeholder updates) before it loads. */
import { ActionIds } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';

export const reachManifest: LazyFeatureManifest = {
  id: 'reach',
  listeners: {
    action: [ActionIds.reachOpenRun, ActionIds.reachPostUpdate, ActionIds.reachPostAllClear],
    view: [ActionIds.reachUpdateView],
    event: ['app_home_opened'],
  },
  // The timer sweep (EventBridge on AWS, an interval locally), Home tabs, updates and the all-clear.
  deferredKinds: ['reach.sweep', 'reach.home', 'reach.update', 'reach.all_clear'],
  load: async () => (await import('./reach.js')).reachFeature,
};
