/** What the app needs of the checklists feature before it is loaded (src/slack/lazy-feature.ts). */
import { ActionIds } from '../../action-ids';
import type { LazyFeatureManifest } from '../../lazy-feature';
import { approversOf } from './approvers-at-start';
import { isChecklistPhrase, isNearChecklistPhrase } from './phrase';
import { checklistsSubcommand, drillSubcommand } from './subcommands';

export const checklistsManifest: LazyFeatureManifest = {
  id: 'checklists',
  subcommands: [drillSubcommand, checklistsSubcommand],
  claims: (text, deps) =>
    isChecklistPhrase(deps.artifact, text) || isNearChecklistPhrase(deps.artifact, text),
  // A malformed approvers file stops start-up, naming it (a missing one only leaves gates unsignable; the
  // feature says so when it loads: runtime.ts, which uses this read).
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
      ActionIds.checklistDoneAnyway,
      ActionIds.checklistTakeOver,
      ActionIds.checklistCancel,
      // "Run as checklist" on a search answer: starts a checklist as its command would.
      ActionIds.runChecklist,
    ],
    view: [
      ActionIds.checklistSkipView,
      ActionIds.checklistRejectView,
      ActionIds.checklistOverrideView,
      ActionIds.checklistTakeOverView,
      ActionIds.checklistCancelView,
    ],
  },
  // Clicks, modal submissions and starts do their store and Slack work after the ack (./clicks.ts), and so
  // does filling in a form opened before its run could be read (./actions.ts).
  deferredKinds: ['checklists.click', 'checklists.submission', 'checklists.start', 'checklists.form'],
  // A run renders its steps through the step extensions the AWS steps register; its DMs and Home tabs
  // follow it through the reach feature.
  loadWith: ['aws-steps', 'reach'],
  load: async () => (await import('./checklists.js')).checklistsFeature,
};
