/**
 * Reaching approvers and stakeholders where they are (issue 19): approval DMs kept in step with the run
 * (./invites.ts), the App Home tab (./home.ts), reminders and escalation on the runbook's timers
 * (./timers.ts), stakeholder updates and the all-clear (./stakeholders.ts).
 *
 * It follows every run change through the checklist runtime's `observe` (after the run's message is
 * redrawn from the store), so a DM or a Home tab is a view of the store like the message. Its Approve and
 * Reject buttons are the checklist's and the request's own: a click in a DM or the Home tab takes exactly
 * the path of a click in the channel, and authorize() accepts it only from a DM the bot recorded on the run
 * for that person (src/workflows/authorize.ts `clickedInRunChannel`).
 */
import type { BlockAction, BlockElementAction, ViewSubmitAction } from '@slack/bolt';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import type { AppDeps } from '../../deps';
import type { Feature } from '../../feature';
import { asClick, clickFrom, deferClick, replyTargetOf } from '../../interaction';
import { replyTo } from '../../reply';
import { type ChecklistRuntime, runtimeFor } from '../checklists/runtime';
import { asHomeTask, HOME_TASK, publishHome, refreshHomes } from './home';
import { syncRun } from './invites';
import {
  ALL_CLEAR_TASK,
  offerAllClear,
  onUpdateSubmitted,
  openUpdateModal,
  postAllClear,
  postUpdate,
  UPDATE_TASK,
  type UpdateSubmission,
} from './stakeholders';
import { SWEEP_TASK, sweep } from './timers';

const observed = new WeakSet<ChecklistRuntime>();
/** Per runtime: the status each run had when last synced here, so its starter's Home follows a start or an end. */
const lastStatus = new WeakMap<ChecklistRuntime, Map<string, string>>();

/** After any change of a run: DMs, then the Home tabs of the people it concerns, then the all-clear offer. */
async function onRunChanged(rt: ChecklistRuntime, runId: string, changed?: Set<string>): Promise<void> {
  try {
    const people = changed ?? (await syncRun(rt, runId)).changed;
    const state = (await (await rt.deps.getStore()).getRun(runId))?.state;
    if (!state) return;
    let seen = lastStatus.get(rt);
    if (!seen) {
      seen = new Map();
      lastStatus.set(rt, seen);
    }
    if (seen.get(runId) !== state.status) {
      seen.set(runId, state.status);
      people.add(state.startedBy);
    }
    await refreshHomes(rt, people, state.team ?? null);
    await offerAllClear(rt, state);
  } catch (error) {
    rt.deps.logger.warn('approval DMs or Home tabs not brought up to date', { runId, error });
  }
}

export const reachFeature: Feature = {
  id: 'reach',
  register(app, deps) {
    const rt = runtimeFor(deps);
    if (!observed.has(rt)) {
      observed.add(rt);
      rt.observe((runId) => onRunChanged(rt, runId));
    }
    // Link buttons still send block_actions: acknowledge and ignore.
    app.action(ActionIds.reachOpenRun, async ({ ack }) => {
      await ack();
    });
    app.action<BlockAction<BlockElementAction>>(ActionIds.reachPostUpdate, async ({ ack, body, action }) => {
      await ack();
      const click = clickFrom(body, action as Parameters<typeof clickFrom>[1]);
      await openUpdateModal(rt, click, body.trigger_id).catch(async (error: unknown) => {
        rt.deps.logger.warn('update modal not opened', { error });
        await replyTo(deps, replyTargetOf(click), {
          text: ':warning: The update form could not be opened. Try again.',
        });
      });
    });
    app.view<ViewSubmitAction>(ActionIds.reachUpdateView, (args) => onUpdateSubmitted(rt, args));
    app.action<BlockAction<BlockElementAction>>(
      ActionIds.reachPostAllClear,
      async ({ ack, body, action }) => {
        await ack();
        await deferClick(deps, ALL_CLEAR_TASK, clickFrom(body, action as Parameters<typeof clickFrom>[1]));
      },
    );
    app.event('app_home_opened', async ({ event, body }) => {
      if (event.tab !== 'home') return;
      const envelope = body as { team_id?: string; event_id?: string };
      const task = asHomeTask({ user: event.user, team: envelope.team_id });
      if (!task) return;
      // Keyed by the event: Slack's retries (x-slack-retry-num) of the same event publish once.
      await deps
        .defer({
          kind: HOME_TASK,
          payload: task,
          key: `home:${envelope.event_id ?? `${task.user}:${event.event_ts}`}`,
        })
        .catch((error: unknown) => deps.logger.warn('home tab not queued', { error }));
    });
  },
};

registerDeferred(
  SWEEP_TASK,
  async (_payload, deps: AppDeps) => {
    const rt = runtimeFor(deps);
    await sweep(rt, (runId, changed) => onRunChanged(rt, runId, changed));
  },
  // Each timer and each DM takes its own lease; the sweep itself may run twice at once harmlessly.
  { once: false },
);

registerDeferred(HOME_TASK, async (payload, deps) => {
  const task = asHomeTask(payload);
  if (task) await publishHome(runtimeFor(deps), task.user, task.team);
});

registerDeferred(UPDATE_TASK, async (payload, deps) => {
  await postUpdate(runtimeFor(deps), payload as UpdateSubmission);
});

// A click: the all-clear takes its own lease on the run, so two people pressing at once post it once.
registerDeferred(
  ALL_CLEAR_TASK,
  async (payload, deps) => {
    const click = asClick(payload);
    if (click) await postAllClear(runtimeFor(deps), click);
  },
  { once: false },
);
