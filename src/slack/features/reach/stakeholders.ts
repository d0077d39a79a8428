/**
 * Stakeholder updates on the cadence the notice promised, and the all-clear:
 *
 * - the reminder (./timers.ts) offers **Post update…**: the click reads the run and opens a short modal
 *   prefilled from the notice's `update-template=` (status, what changed, next update); the submission is
 *   deferred (leased on the view's id and hash: a redelivery posts once), authorized again (`post_update`),
 *   posted to the channels the notice went to, and recorded on the run with when the next one is due;
 * - a run whose checklist declares `all-clear=<template>` offers **Post all-clear** in its thread when it
 *   completes; posting it records the all-clear and ends the updates owed by earlier runs in its channel.
 *
 * What stakeholders read is filled like the notice (../aws-steps/notify.ts `noticeValues`): names, times in
 * UTC and the template's zone, no run id. What the person typed is escaped.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { describeDuration, parseDuration } from '../../../runbooks/model/durations';
import type { Template } from '../../../runbooks/model/model';
import { recordAfterSideEffect } from '../../../store/after-side-effect';
import { takeLease } from '../../../store/lease';
import { type CheckResult, checkAction, executeCommand } from '../../../store/runs';
import type { CommandContext } from '../../../workflows/checklist';
import { audienceTime, parseLocalZone } from '../../../workflows/notice';
import type { RunState } from '../../../workflows/run-state';
import { allClearPosted, latestPost, noticePosted } from '../../../workflows/stakeholders';
import { ActionIds } from '../../action-ids';
import { type Click, replyTargetOf } from '../../interaction';
import { openModalMetadata, sealModalMetadata } from '../../modal-metadata';
import { notQueuedText } from '../../not-queued';
import { decodeItemValue } from '../../render/checklist';
import { refusalText } from '../../render/checklist-format';
import { escapeMrkdwn, quoteUserText, userTextLines } from '../../render/escape';
import { mentionChannel, mentionUser, mentionUserGroup } from '../../render/mentions';
import {
  allClearOffer,
  CHANGES_MAX,
  STATUS_MAX,
  stakeholderMessage,
  updateDueMessage,
  updateModal,
} from '../../render/stakeholders';
import { type ReplyTarget, replyTo } from '../../reply';
import { fillNotice, noticeValues, stakeholderTargets } from '../aws-steps/notify';
import { type ChecklistRuntime, recordRunNote } from '../checklists/runtime';
import { bookkeeping } from './invites';
import { sendOnce } from './once';

export const UPDATE_TASK = 'reach.update';
export const ALL_CLEAR_TASK = 'reach.all_clear';

const STALE = 'This button belongs to a run I cannot find any more; nothing was posted.';
/** Longer than posting to every stakeholder channel takes. */
const ALL_CLEAR_LEASE_MS = 5 * 60_000;

type Refused = Pick<Extract<CheckResult, { ok: false }>, 'reason' | 'state' | 'events'>;

/** The template of the notice a run posted, and of its updates. */
function templatesOf(rt: ChecklistRuntime, state: RunState): { notice?: Template; update?: Template } {
  const notice = noticePosted(state);
  const noticeTemplate = notice ? rt.deps.artifact.templates[notice.template] : undefined;
  const last = latestPost(state);
  const lastTemplate = last ? rt.deps.artifact.templates[last.template] : undefined;
  const updateId =
    lastTemplate?.directives?.['update-template'] ?? noticeTemplate?.directives?.['update-template'];
  return {
    ...(noticeTemplate ? { notice: noticeTemplate } : {}),
    ...(updateId && rt.deps.artifact.templates[updateId]
      ? { update: rt.deps.artifact.templates[updateId] }
      : {}),
  };
}

/** The cadence the notice (or the last update's template) promised. */
export function cadenceOf(rt: ChecklistRuntime, state: RunState): number | null {
  const last = latestPost(state);
  const t = last ? rt.deps.artifact.templates[last.template] : undefined;
  return parseDuration(t?.directives?.['update']);
}

// ---- The reminder ------------------------------------------------------------------------------------------

export async function remindUpdate(rt: ChecklistRuntime, state: RunState, key: string, dueAt: string) {
  const last = latestPost(state);
  if (!last) return;
  const template = rt.deps.artifact.templates[last.template];
  const owner = template?.directives?.['owner'];
  const group = owner && !state.drill ? rt.groupOf(owner) : undefined;
  const who = group ? mentionUserGroup(group) : mentionUser(last.by);
  const local = parseLocalZone(template?.directives?.['local']);
  const cadence = cadenceOf(rt, state);
  const message = updateDueMessage({
    runId: state.runId,
    who,
    cadence: cadence ? describeDuration(cadence) : 'while the incident lasts',
    lastAt: audienceTime(last.at, local),
    channels: last.channels,
  });
  const store = await rt.deps.getStore();
  // Recorded in the run's history (the exported timeline) once; posted with its button in the thread.
  await store.appendEvent({
    id: `${dueAt}#note:${key}#0`,
    runId: state.runId,
    type: 'note',
    at: dueAt,
    user: null,
    text: message.text,
    version: state.version,
  });
  const ts = state.messageTs;
  if (!ts) return;
  // Once; if Slack fails, the next sweep posts it (./once.ts).
  await sendOnce(rt, `timer:${key}:thread`, () =>
    rt.slack.chat.postMessage({ channel: state.channel, thread_ts: ts, ...message }),
  );
}

// ---- Post update… ------------------------------------------------------------------------------------------

/** A click on **Post update…** or **Post all-clear**, judged from the store (the value only names a run). */
async function checkClick(
  rt: ChecklistRuntime,
  click: Click,
  type: 'post_update' | 'post_all_clear',
): Promise<{ state: RunState; ctx: CommandContext; reply: ReplyTarget } | null> {
  const reply = replyTargetOf(click);
  const target = decodeItemValue(click.value);
  if (!target) {
    await replyTo(rt.deps, reply, { text: STALE });
    return null;
  }
  const ctx = await rt.contextOf(click);
  const checked = await checkAction(await rt.deps.getStore(), target.runId, { type }, ctx);
  if (!checked.ok) {
    await refuse(rt, reply, checked);
    return null;
  }
  return { state: checked.state, ctx, reply };
}

/** Tell the clicker why not; a refusal the store recorded goes to the run's thread too. */
async function refuse(rt: ChecklistRuntime, reply: ReplyTarget, no: Refused): Promise<void> {
  await replyTo(rt.deps, reply, { text: no.state ? `:no_entry_sign: ${refusalText(no.reason)}` : STALE });
  if (no.state) await rt.postThread(no.state, no.events).catch(() => undefined);
}

/** The click on **Post update…**: authorize, then open the modal within the trigger's 3 s. */
export async function openUpdateModal(rt: ChecklistRuntime, click: Click, triggerId: string): Promise<void> {
  const checked = await checkClick(rt, click, 'post_update');
  if (!checked) return;
  const { state, reply } = checked;
  const { update } = templatesOf(rt, state);
  if (!update) {
    await replyTo(rt.deps, reply, {
      text: ':warning: The notice’s template names no update template (`update-template=` in the runbook), so there is nothing to prefill.',
    });
    return;
  }
  const cadence = cadenceOf(rt, state) ?? 30 * 60_000;
  const local = parseLocalZone(update.directives?.['local']);
  const now = rt.deps.now().getTime();
  const option = (ms: number) => ({
    minutes: Math.round(ms / 60_000),
    label: `In ${describeDuration(ms)}, by ${audienceTime(new Date(now + ms).toISOString(), local, { withDate: false })}`,
  });
  const nextOptions = [
    option(cadence),
    option(2 * cadence),
    { minutes: 0, label: 'No further updates planned' },
  ];
  await rt.slack.views.open({
    trigger_id: triggerId,
    view: updateModal({
      metadata: sealModalMetadata(
        {
          runId: state.runId,
          itemId: 'update',
          channel: click.channel,
          user: click.user,
          team: click.team,
          enterprise: click.enterprise,
          choices: nextOptions.map((o) => o.minutes),
        },
        rt.deps.config,
        rt.deps.now(),
      ),
      status: lastStatus(state),
      nextOptions,
      channels: latestPost(state)?.channels ?? [],
      template: update.text,
    }),
  });
}

function lastStatus(state: RunState): string {
  if (state.status === 'completed') return 'Mitigated: running in the recovery region';
  return 'In progress';
}

export interface UpdateSubmission {
  origin: NonNullable<ReturnType<typeof openModalMetadata>>;
  status: string;
  changes: string;
  nextMinutes: number;
  viewId: string;
  viewHash: string;
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export async function onUpdateSubmitted(rt: ChecklistRuntime, args: ViewArgs): Promise<void> {
  const { ack, body, view } = args;
  const value = (id: string) => view.state.values[id]?.[id];
  const status = (value(ActionIds.reachUpdateStatus)?.value ?? '').trim();
  const changes = (value(ActionIds.reachUpdateChanges)?.value ?? '').trim();
  // Submitted values are the client's: only the minutes offered (sealed in the metadata) are accepted. None
  // picked is not 0 ("No further updates planned", an offered choice, as Number('') would make it): NaN.
  const picked: unknown = value(ActionIds.reachUpdateNext)?.selected_option?.value;
  const minutes = typeof picked === 'string' && /^\d+$/.test(picked) ? Number(picked) : Number.NaN;
  const errors: Record<string, string> = {};
  if (!status || status.length > STATUS_MAX)
    errors[ActionIds.reachUpdateStatus] = `Say the status in 1 to ${STATUS_MAX} characters.`;
  if (!changes || changes.length > CHANGES_MAX)
    errors[ActionIds.reachUpdateChanges] = `Say what changed, in 1 to ${CHANGES_MAX} characters.`;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60)
    errors[ActionIds.reachUpdateNext] = 'Pick when the next update is due.';
  const origin = openModalMetadata(view.private_metadata, rt.deps.config, rt.deps.now(), {
    user: body.user.id,
    team: body.team?.id ?? null,
    enterprise: (body as { enterprise?: { id?: string } | null }).enterprise?.id ?? null,
  });
  if (!origin)
    errors[ActionIds.reachUpdateStatus] =
      'This form is stale or was altered. Close it and press Post update again.';
  else if (!origin.choices?.includes(minutes))
    errors[ActionIds.reachUpdateNext] = 'Pick when the next update is due, from the times offered.';
  if (Object.keys(errors).length > 0 || !origin) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  await ack();
  const submission: UpdateSubmission = {
    origin,
    status,
    changes,
    nextMinutes: minutes,
    viewId: view.id,
    viewHash: view.hash,
  };
  await rt.deps
    .defer({
      kind: UPDATE_TASK,
      payload: submission,
      key: `update:${view.id}:${view.hash}`,
      replyTo: { user: origin.user, channel: origin.channel, responseUrl: null },
    })
    .catch(async (error: unknown) => {
      rt.deps.logger.warn('update not queued', { error });
      await replyTo(
        rt.deps,
        { user: origin.user, channel: origin.channel, responseUrl: null },
        {
          text: notQueuedText(error, { thing: 'the update', nothing: 'nothing was posted' }),
        },
      );
    });
}

function submitterContext(rt: ChecklistRuntime, s: UpdateSubmission, roles: string[]): CommandContext {
  return {
    user: s.origin.user,
    at: rt.deps.now().toISOString(),
    key: `update:${s.viewId}:${s.viewHash}`,
    roles,
    team: s.origin.team,
    enterprise: s.origin.enterprise,
    channel: s.origin.channel,
  };
}

/** The deferred half: authorize again, post where the notice went, record when the next one is due. */
export async function postUpdate(rt: ChecklistRuntime, s: UpdateSubmission): Promise<void> {
  const reply = { user: s.origin.user, channel: s.origin.channel, responseUrl: null };
  const ctx = submitterContext(rt, s, await rt.rolesOf(s.origin.user));
  const store = await rt.deps.getStore();
  const checked = await checkAction(store, s.origin.runId, { type: 'post_update' }, ctx);
  if (!checked.ok) {
    await refuse(rt, reply, checked);
    return;
  }
  const state = checked.state;
  const { update } = templatesOf(rt, state);
  const last = latestPost(state);
  if (!update || !last) return;
  const local = parseLocalZone(update.directives?.['local']);
  const nextDueAt =
    s.nextMinutes > 0 ? new Date(Date.parse(ctx.at) + s.nextMinutes * 60_000).toISOString() : undefined;
  const values = await noticeValues({
    deps: rt.deps,
    client: rt.slack,
    run: state,
    user: ctx.user,
    template: update,
    postedAt: ctx.at,
  });
  values['status'] = quoteUserText(s.status, STATUS_MAX);
  values['changes'] = userTextLines(s.changes);
  values['next_update'] = nextDueAt
    ? `by ${audienceTime(nextDueAt, local, { withDate: false })}`
    : 'none planned; the all-clear follows when it is over';
  const filled = fillNotice(update, values);
  // Where the notice went, and every configured stakeholder channel: one that missed the notice (the bot
  // not invited yet) is not dropped from every later update.
  const targets = [...new Set([...last.channels, ...stakeholderTargets(rt.deps, state)])];
  const posted = await postTo(rt, state, targets, stakeholderMessage(filled.text, { drill: state.drill }));
  if (posted.length === 0) {
    await replyTo(rt.deps, reply, {
      text: ':warning: The update could not be posted to any channel (is the bot in them?).',
    });
    return;
  }
  const missed = targets.filter((c) => !posted.includes(c));
  if (missed.length > 0)
    await replyTo(rt.deps, reply, {
      text: `:warning: The update did not reach ${missed.map(mentionChannel).join(', ')} (is the bot in them?); it went to ${posted.map(mentionChannel).join(', ')}.`,
    });
  // Posted: recorded in place (a redelivered task would post the update to stakeholders again).
  const recorded = await recordAfterSideEffect(() =>
    executeCommand(
      store,
      state.runId,
      {
        type: 'record_comms',
        post: { kind: 'update', template: update.id, channels: posted, ...(nextDueAt ? { nextDueAt } : {}) },
      },
      ctx,
    ),
  );
  if (!recorded.ok) {
    rt.deps.logger.error('stakeholder update posted but not recorded', {
      runId: state.runId,
      error: recorded.error,
    });
    return;
  }
  await recordRunNote(rt, rt.slack, state.runId, {
    user: ctx.user,
    text: `:mega: ${mentionUser(ctx.user)} posted a stakeholder update to ${posted.map(mentionChannel).join(', ')}${missed.length ? ` (it did not reach ${missed.map(mentionChannel).join(', ')}: is the bot in them?)` : ''}${nextDueAt ? `; the next is due ${audienceTime(nextDueAt, local, { withDate: false })}` : '; no further update is planned'}.`,
    key: `update:${s.viewId}`,
    at: ctx.at,
  });
}

async function postTo(
  rt: ChecklistRuntime,
  state: RunState,
  channels: readonly string[],
  message: { text: string; blocks: unknown[] },
): Promise<string[]> {
  const posted: string[] = [];
  for (const channel of channels) {
    try {
      const inThread =
        state.drill && channel === state.channel && state.messageTs ? { thread_ts: state.messageTs } : {};
      await rt.slack.chat.postMessage({
        channel,
        ...inThread,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
      });
      posted.push(channel);
    } catch (error) {
      rt.deps.logger.warn('stakeholder message not posted', { channel, error });
    }
  }
  return posted;
}

// ---- The all-clear -----------------------------------------------------------------------------------------

function allClearTemplate(rt: ChecklistRuntime, state: RunState): Template | undefined {
  const id = rt.checklist(state.checklistId)?.directives['all-clear'];
  return id ? rt.deps.artifact.templates[id] : undefined;
}

/** When a run whose checklist declares `all-clear=` has completed: offer it in the thread, once. */
export async function offerAllClear(rt: ChecklistRuntime, state: RunState): Promise<void> {
  if (state.status !== 'completed' || allClearPosted(state) || !state.messageTs) return;
  const template = allClearTemplate(rt, state);
  if (!template) return;
  const store = await rt.deps.getStore();
  const at = state.endedAt ?? state.startedAt;
  const written = await store.appendEvent({
    id: `${at}#note:all-clear-offer#0`,
    runId: state.runId,
    type: 'note',
    at,
    user: null,
    text: 'The all-clear was offered.',
    version: state.version,
  });
  if (!written) return;
  const values = await noticeValues({
    deps: rt.deps,
    client: rt.slack,
    run: state,
    user: state.startedBy,
    template,
  });
  const preview = fillNotice(template, values).text;
  await rt.slack.chat.postMessage({
    channel: state.channel,
    thread_ts: state.messageTs,
    ...allClearOffer({ runId: state.runId, preview, channels: stakeholderTargets(rt.deps, state) }),
  });
}

export async function postAllClear(rt: ChecklistRuntime, click: Click): Promise<void> {
  const checked = await checkClick(rt, click, 'post_all_clear');
  if (!checked) return;
  const { state, ctx, reply } = checked;
  const template = allClearTemplate(rt, state);
  if (!template) {
    const reason = 'This checklist offers no all-clear (`all-clear=` in the runbook).';
    await refuse(rt, reply, { reason, state, events: [] });
    return;
  }
  // One all-clear per run, even for two people pressing at once.
  const store = await rt.deps.getStore();
  const lease = await takeLease(store, `all-clear:${state.runId}`, ALL_CLEAR_LEASE_MS, rt.deps.now());
  if (!lease) {
    await replyTo(rt.deps, reply, {
      text: ':information_source: The all-clear is being posted (or was); nothing more to do.',
    });
    return;
  }
  // When it is posted (the click's own time may be Slack's, a moment earlier).
  const postedAt = rt.deps.now().toISOString();
  // A throw leaves unknown what went out: kept, so nothing is posted twice before the lease runs out.
  const posted = await lease.run(async () => {
    const values = await noticeValues({
      deps: rt.deps,
      client: rt.slack,
      run: state,
      user: ctx.user,
      template,
      postedAt,
    });
    const message = stakeholderMessage(fillNotice(template, values).text, { drill: state.drill });
    return postTo(rt, state, stakeholderTargets(rt.deps, state), message);
  }, 'keep');
  if (posted.length === 0) {
    await lease.release();
    await replyTo(rt.deps, reply, {
      text: ':warning: The all-clear could not be posted to any channel (is the bot in them?).',
    });
    return;
  }
  // Completed before it is recorded: a recording that fails and is retried never posts it again.
  await lease.complete().catch(() => undefined);
  await executeCommand(
    store,
    state.runId,
    { type: 'record_comms', post: { kind: 'all-clear', template: template.id, channels: posted } },
    { ...ctx, at: postedAt, key: `all-clear:${ctx.key}` },
  );
  await recordRunNote(rt, rt.slack, state.runId, {
    user: ctx.user,
    text: `:large_green_circle: ${mentionUser(ctx.user)} posted the all-clear to ${posted.map(mentionChannel).join(', ')}.`,
    key: `all-clear:${ctx.key}`,
    at: postedAt,
  });
  if (!state.drill) await endUpdatesOwedIn(rt, state, ctx.user);
}

/**
 * Earlier runs still owing updates for the same incident owe none now: those in the same channel, and those
 * of the workspace whose checklist moves traffic with the same switch or records (the failover of this
 * failback, started from the alarm channel while the failback was typed in the war room).
 */
async function endUpdatesOwedIn(rt: ChecklistRuntime, allClear: RunState, user: string): Promise<void> {
  const store = await rt.deps.getStore();
  const tables = (checklistId: string) => {
    const c = rt.checklist(checklistId);
    return [c?.directives['switch'], c?.records].filter(
      (t): t is string => typeof t === 'string' && t !== '',
    );
  };
  const ours = tables(allClear.checklistId);
  const sameIncident = (entry: { channel: string; checklistId: string; team: string | null }) =>
    entry.channel === allClear.channel ||
    ((entry.team ?? null) === (allClear.team ?? null) &&
      tables(entry.checklistId).some((t) => ours.includes(t)));
  for (const entry of await store.listWatchedRuns()) {
    if (entry.runId === allClear.runId || entry.drill || !sameIncident(entry)) continue;
    const state = (await store.getRun(entry.runId))?.state;
    if (!state || state.startedAt > allClear.startedAt || !latestPost(state)?.nextDueAt) continue;
    const result = await executeCommand(
      store,
      state.runId,
      { type: 'close_comms', reason: `all-clear posted from ${allClear.title}` },
      bookkeeping(rt, `close-comms:${allClear.runId}`),
    );
    if (result.kind === 'applied')
      await recordRunNote(rt, rt.slack, state.runId, {
        user,
        text: `:large_green_circle: The all-clear was posted (from *${escapeMrkdwn(allClear.title)}*): no more stakeholder updates are due from this run.`,
        key: `all-clear-closed:${allClear.runId}`,
        at: rt.deps.now().toISOString(),
      });
  }
}
