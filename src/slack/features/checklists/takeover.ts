/**
 * No silent takeover (issue 18): starting a checklist where one of the same kind is active in the channel
 * shows the active run (who started it, progress, a link) and offers **Take over…** only to someone
 * authorize() lets take it over (its starter, a requester of its live actions, a member of one of its
 * gates' roles, or of the checklist's `takeover=` roles). The button opens a confirmation with a reason
 * (sealed metadata); the submission replaces the run through `takeOverRun` (src/store/runs.ts), recorded in
 * both runs' timelines. A drill never replaces a live run.
 *
 * Also here: posting a newly started run (shared by a start and a take-over).
 */
import { recordAfterSideEffect } from '../../../store/after-side-effect';
import { takeLease } from '../../../store/lease';
import { executeCommand, type TakeOverResult, takeOverRun } from '../../../store/runs';
import { authorize, takeoverRolesFor } from '../../../workflows/authorize';
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import { progress, type RunEvent, type RunState, roleLabel } from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { actionKey } from '../../interaction';
import type { ModalOrigin } from '../../modal-metadata';
import { actions, type Block, button, context, fallback, type Message, section } from '../../render/blocks';
import { encodeItemValue } from '../../render/checklist';
import { checklistPreamble } from '../../render/checklist-details';
import { mention, refusalText, runTitle, slackDate } from '../../render/checklist-format';
import { escapeMrkdwn } from '../../render/escape';
import { replyTo } from '../../reply';
import type { ChecklistRuntime } from './runtime';

/** `<runId>|live` or `<runId>|drill`: the active run, and what kind of run replaces it. */
export function takeOverValue(activeRunId: string, drill: boolean): string {
  return encodeItemValue(activeRunId, drill ? 'drill' : 'live');
}

export async function permalinkOf(rt: ChecklistRuntime, state: RunState): Promise<string | null> {
  if (!state.messageTs) return null;
  try {
    return (
      (await rt.slack.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs })).permalink ??
      null
    );
  } catch {
    return null;
  }
}

/** One line about a run: what, who started it and when, how far it is, a link. */
export function runSummaryLine(state: RunState, link: string | null): string {
  const p = progress(state);
  const gates = p.gatesTotal > 0 ? `, ${p.gatesPassed} of ${p.gatesTotal} approval gates passed` : '';
  const title = escapeMrkdwn(runTitle(state));
  return (
    `*${link ? `<${link}|${title}>` : title}*, started by ${mention(state.startedBy)} ${slackDate(state.startedAt)}: ` +
    `${p.stepsResolved} of ${p.stepsTotal} steps done${gates}`
  );
}

/**
 * The answer to a start that found an active run: the run, and Take over… when this person may (the same
 * rules the take-over itself is authorized by), else who may.
 */
export async function activeRunAnswer(
  rt: ChecklistRuntime,
  active: RunState,
  request: { user: string; team: string | null; enterprise: string | null; channel: string; drill: boolean },
): Promise<Message> {
  const link = await permalinkOf(rt, active);
  const lines = [
    `:warning: This checklist is already running in this channel: ${runSummaryLine(active, link)}.`,
  ];
  const actor = {
    user: request.user,
    roles: await rt.rolesOf(request.user),
    team: request.team,
    enterprise: request.enterprise,
    channel: request.channel,
  };
  const verdict = authorize(
    active,
    { type: 'take_over', drill: request.drill },
    actor,
    rt.deps.now().toISOString(),
  );
  const blocks: Block[] = [];
  if (verdict.ok) {
    lines.push(
      'Nothing was started. Use that run, or take it over: a new run replaces it (from step 1), with your reason in both runs’ timelines.',
    );
    blocks.push(section(lines.join('\n')));
    blocks.push(
      actions([
        button({
          text: 'Take over…',
          actionId: ActionIds.checklistTakeOver,
          value: takeOverValue(active.runId, request.drill),
          style: 'danger',
        }),
      ]),
    );
  } else {
    lines.push(`Nothing was started. ${refusalText(verdict.reason)}`);
    blocks.push(section(lines.join('\n')));
  }
  const roles = takeoverRolesFor(active).map((r) => roleLabel(r, active.roleNames));
  if (roles.length > 0)
    blocks.push(
      context([`Who may take a run over: its starter, and members of ${escapeMrkdwn(roles.join(', '))}.`]),
    );
  return { text: fallback(lines.join('\n')), blocks };
}

/**
 * Post a run that was just stored (a start or a take-over): the message, its place recorded on the run, the
 * events in its thread; a run it replaced is redrawn and told where the new one is. A run whose message
 * was posted before (a retried take-over) is only redrawn.
 */
export async function publishRun(
  rt: ChecklistRuntime,
  state: RunState,
  events: RunEvent[],
  replaced: { state: RunState; events: RunEvent[] } | null,
  ctx: CommandContext,
): Promise<{ posted: boolean; state: RunState }> {
  const { deps } = rt;
  if (state.messageTs) {
    await rt.refreshMessage(state.runId).catch(() => undefined);
    return { posted: true, state };
  }
  // One message per run, whatever the deliveries: a lease on posting it. Another delivery holding it is
  // posting it now (or finished): nothing to do here. A post that failed gives it up, so a retry may post.
  const lease = await takeLease(
    await deps.getStore(),
    `publish:${state.runId}`,
    PUBLISH_LEASE_MS,
    deps.now(),
  );
  if (!lease) return { posted: true, state };
  const message = await rt.renderRun(state);
  let ts: string | undefined;
  try {
    ts = (await rt.slack.chat.postMessage({ channel: state.channel, ...message })).ts;
  } catch (error) {
    deps.logger.warn('checklist message not posted', { runId: state.runId, channel: state.channel, error });
  }
  if (!ts) {
    await lease.release();
    return { posted: false, state };
  }
  // Posted: never again. Recording where (the message is a view of the run) is retried in place, since a
  // redelivery would find the lease completed and could not learn the message's ts.
  await lease.complete().catch(() => undefined);
  const attached = await attachMessage(rt, state.runId, ts, ctx);
  const live = attached ?? { ...state, messageTs: ts };
  await rt
    .postThread(live, events)
    .catch((error: unknown) => deps.logger.warn('thread not posted', { error }));
  // The checklist's own text (its warnings, the `export` block of the variables its commands use) in the
  // thread: the steps' Details show only their own text. Posted with the message, under its lease: once.
  const preamble = checklistPreamble(
    deps.artifact,
    rt.checklist(state.checklistId)?.sectionId ?? '',
    deps.config.repoUrl,
  );
  const shown = preamble && (state.drill ? `:test_tube: *DRILL* · ${preamble}` : preamble);
  if (shown)
    await rt.slack.chat
      .postMessage({
        channel: state.channel,
        thread_ts: ts,
        text: shown,
        blocks: [section(shown)],
        unfurl_links: false,
      })
      .catch((error: unknown) => deps.logger.warn('checklist preamble not posted', { error }));
  // The run's other views (approval DMs, Home tabs: features/reach) follow from what is stored.
  await rt.refreshViews(state.runId);
  if (replaced) {
    await rt.refreshMessage(replaced.state.runId).catch(() => undefined);
    await rt.refreshViews(replaced.state.runId);
    await rt.postThread(replaced.state, replaced.events).catch(() => undefined);
    if (replaced.state.messageTs) {
      const link = await permalinkOf(rt, live);
      await rt.slack.chat
        .postMessage({
          channel: replaced.state.channel,
          thread_ts: replaced.state.messageTs,
          text: `:arrow_right: The run that replaced this one, started by ${mention(live.startedBy)}${link ? `: <${link}|open it>` : ''}.`,
        })
        .catch((error: unknown) => deps.logger.warn('replacement note not posted', { error }));
    }
  }
  return { posted: true, state: live };
}

/** How long one delivery may take to post a run's message before another may try. */
const PUBLISH_LEASE_MS = 60_000;

/** Record the message's ts on the run, retried in place; null when the store kept refusing (logged). */
async function attachMessage(
  rt: ChecklistRuntime,
  runId: string,
  ts: string,
  ctx: CommandContext,
): Promise<RunState | null> {
  const attached = await recordAfterSideEffect(() =>
    rt.run(runId, { type: 'attach', messageTs: ts }, { ...ctx, key: `attach:${ts}`, system: true }, null),
  );
  if (!attached.ok) {
    rt.deps.logger.error('checklist message posted but not recorded on its run', {
      runId,
      ts,
      error: attached.error,
    });
    return null;
  }
  return attached.value.kind === 'applied' ? attached.value.state : null;
}

/** The deferred half of Take over: the submission's reason, from sealed metadata; authorized from the store. */
export async function takeOver(
  rt: ChecklistRuntime,
  origin: ModalOrigin,
  reason: string,
  submission: { viewId: string; viewHash: string },
): Promise<void> {
  const { deps } = rt;
  const reply: ReplyTarget = { user: origin.user, channel: origin.channel, responseUrl: null };
  const store = await deps.getStore();
  const active = (await store.getRun(origin.runId))?.state;
  const checklist = active ? rt.checklist(active.checklistId) : undefined;
  if (!active || !checklist || !origin.channel) {
    await replyTo(deps, reply, { text: 'That run or its checklist no longer exists; nothing changed.' });
    return;
  }
  const drill = origin.itemId === 'drill';
  const ctx: CommandContext = {
    user: origin.user,
    at: deps.now().toISOString(),
    // One submission of one modal: a redelivered submission has the same view id and hash.
    key: actionKey(['view', submission.viewId, submission.viewHash, origin.user, 'takeover']),
    roles: await rt.rolesOf(origin.user),
    team: origin.team,
    enterprise: origin.enterprise,
    channel: origin.channel,
  };
  const result: TakeOverResult = await takeOverRun(
    store,
    {
      runId: active.runId,
      checklist,
      drill,
      channel: origin.channel,
      team: origin.team,
      enterprise: origin.enterprise,
      reason,
      startKey: `takeover:${ctx.key}`,
    },
    ctx,
  );
  switch (result.kind) {
    case 'refused':
      await replyTo(deps, reply, { text: `:no_entry_sign: ${refusalText(result.reason)}` });
      if (result.state) {
        await rt.postThread(result.state, result.events).catch(() => undefined);
        await rt.refreshMessage(result.state.runId).catch(() => undefined);
      }
      return;
    case 'moved': {
      const current = result.current;
      const link = current ? await permalinkOf(rt, current) : null;
      await replyTo(deps, reply, {
        text: current
          ? `:information_source: Someone was quicker: ${runSummaryLine(current, link)} is the active run now. Nothing changed.`
          : ':information_source: That run is no longer active; nothing changed. Start a new one with the checklist command.',
      });
      return;
    }
    case 'taken_over': {
      const published = await publishRun(
        rt,
        result.state,
        result.events,
        { state: result.replaced, events: result.replacedEvents },
        ctx,
      );
      if (!published.posted) {
        // Nobody can see it, so nobody can act on it: cancelled, as an unposted start is, so the start the
        // person is told to make is not blocked by it.
        const store = await deps.getStore();
        await executeCommand(
          store,
          result.state.runId,
          { type: 'cancel', reason: 'the checklist message could not be posted' },
          { ...ctx, key: `cancel:${result.state.runId}`, system: true },
        );
        await replyTo(deps, reply, {
          text: ':warning: The run was taken over, but I could not post the new checklist in this channel. Invite me (`/invite @runbook`) and start it again.',
        });
      }
      deps.logger.info('checklist run taken over', { from: result.replaced.runId, to: result.state.runId });
    }
  }
}
