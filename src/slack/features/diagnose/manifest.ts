/** What the app needs of the diagnose feature before it is loaded (src/slack/lazy-feature.ts). */
import { ActionIds, treeWalkPattern } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';
import { diagnoseSubcommand } from './subcommands';

export const diagnoseManifest: LazyFeatureManifest = {
  id: 'diagnose',
  subcommands: [diagnoseSubcommand],
  listeners: {
    action: [ActionIds.treeStart, treeWalkPattern, ActionIds.treeOpenSection, ActionIds.treePostEscalation],
  },
  load: async () => (await import('./diagnose.js')).diagnoseFeature,
};
