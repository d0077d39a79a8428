/**
 * The timer sweep: every minute on AWS (an EventBridge schedule invokes the function: serverless.yml), every
 * `TIMER_INTERVAL_MS` in a local process (src/slack/timers.ts), and at once when the playground's clock is
 * moved. For each watched run (the store's run index) it
 *
 * - re-syncs the approval DMs (./invites.ts), which repairs what a stopped process left behind;
 * - fires each timer that is due (src/workflows/timers.ts) once: under a lease on the timer's key, completed
 *   when it fired, so a second sweep, a concurrent one, a restart or a new Lambda container never fire it
 *   again; each piece it sends (thread post, DM) is sent once under a lease of its own, and a failed piece
 *   releases the timer's lease so the next sweep sends what is missing (./once.ts);
 * - drops a run that no longer needs watching from the index.
 *
 * Timers are computed from the run (when its gate opened, when the next update is due), so nothing but the
 * run and the lease is stored for them.
 */

import { describeDuration } from '../../../runbooks/model/durations';
import type { Contact } from '../../../runbooks/model/model';
import { takeLease } from '../../../store/lease';
import type { RunIndexEntry, Store } from '../../../store/store';
import { requesterStanding } from '../../../workflows/authorize';
import { eventId } from '../../../workflows/checklist';
import { awaitingSignatures, parseTarget } from '../../../workflows/invites';
import { findRequest } from '../../../workflows/requests';
import { findGate, type RunEvent, type RunState, roleLabel } from '../../../workflows/run-state';
import { isWatched } from '../../../workflows/stakeholders';
import { type DueTimer, dueTimers } from '../../../workflows/timers';
import { gateLabel, runTitle } from '../../render/checklist-format';
import { renderWho } from '../../render/contacts';
import { escapeMrkdwn } from '../../render/escape';
import { inline } from '../../render/markdown';
import { mentionUser, mentionUserGroup } from '../../render/mentions';
import { runbookChangedSince } from '../aws-steps/shared';
import type { ChecklistRuntime } from '../checklists/runtime';
import { permalinkOf, syncRun } from './invites';
import { sendAll, sendOnce, TIMER_LEASE_MS } from './once';
import { remindUpdate } from './stakeholders';

export const SWEEP_TASK = 'reach.sweep';

export interface SweepResult {
  runs: number;
  /** Keys of the timers this sweep fired. */
  fired: string[];
}

export async function sweep(
  rt: ChecklistRuntime,
  onSynced?: (runId: string, changed: Set<string>) => Promise<void>,
): Promise<SweepResult> {
  const store = await rt.deps.getStore();
  const fired: string[] = [];
  const entries = await store.listWatchedRuns();
  for (const [i, entry] of entries.entries()) {
    // The event loop goes back to the requests between runs: however quickly the store answers (in
    // process, from a cache), an ack waits for at most one run's work, never for the whole sweep's.
    if (i > 0) await nextTurn();
    try {
      const changed = await syncRun(rt, entry.runId);
      await onSynced?.(entry.runId, changed.changed);
      const state = (await store.getRun(entry.runId))?.state;
      if (!state || !isWatched(state)) {
        await unwatchIfStillDone(store, entry, rt.deps.now());
        continue;
      }
      for (const timer of dueTimers(state, rt.deps.now())) {
        if (await fireOnce(rt, state, timer)) fired.push(timer.key);
      }
    } catch (error) {
      rt.deps.logger.warn('timer sweep failed for a run', { runId: entry.runId, error });
    }
  }
  return { runs: entries.length, fired };
}

/** A run being started is listed before it is written: its entry is left alone for this long. */
const STARTING_GRACE_MS = 5 * 60_000;

/**
 * Take a run off the watch list, unless it is being started (listed, not written yet) or owes something
 * again by now (an update promised since the sweep read it): read again right after the delete, and put
 * it back when it owes its timers.
 */
async function unwatchIfStillDone(store: Store, entry: RunIndexEntry, now: Date): Promise<void> {
  const stored = await store.getRun(entry.runId);
  if (!stored && now.getTime() - Date.parse(entry.startedAt) < STARTING_GRACE_MS) return;
  if (stored && isWatched(stored.state)) return;
  await store.unwatchRun(entry.runId);
  const after = await store.getRun(entry.runId);
  if (after && isWatched(after.state)) await store.watchRun(entry);
}

/** Resolves after the I/O and timers already queued have run (a macrotask turn, not a microtask). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The timer's lease outlasts the Slack function's timeout (`TIMER_LEASE_MS`, ./once.ts): a sweep still sending
 * a reminder (Slack's 429 backoff can stretch it) never sees it taken over by the next minute's sweep; a sweep
 * that dies holding it delays the timer by that much; one that fails releases it at once.
 */
async function fireOnce(rt: ChecklistRuntime, read: RunState, timer: DueTimer): Promise<boolean> {
  const store = await rt.deps.getStore();
  const lease = await takeLease(store, `timer:${timer.key}`, TIMER_LEASE_MS, rt.deps.now());
  if (!lease) return false;
  // Read again under the lease: the gate may have been signed, or the update posted, since the sweep read
  // the run. A timer no longer due fires nothing (and is left free: it is no longer asked for).
  const state = (await store.getRun(read.runId).catch(() => null))?.state;
  if (
    !state ||
    !dueTimers(state, rt.deps.now()).some((t) => t.key === timer.key) ||
    !(await approvable(rt, state, timer))
  ) {
    await lease.release();
    return false;
  }
  try {
    await lease.run(
      () =>
        timer.kind === 'update'
          ? remindUpdate(rt, state, timer.key, timer.dueAt)
          : remindApprovers(rt, state, timer),
      'release',
    );
  } catch (error) {
    rt.deps.logger.warn('timer not fired; the next sweep tries again', { key: timer.key, error });
    return false;
  }
  await lease.complete();
  rt.deps.logger.info('timer fired', { kind: timer.kind, runId: state.runId });
  return true;
}

/**
 * Whether the request a timer reminds of can be approved at all: an approval of one whose requester lost the
 * role, or on a run whose runbook a deploy changed, is refused whatever the approvers do, so nobody is
 * reminded or paged about it (the refusal says why to whoever clicks). A gate's timer always stands. A
 * role whose group Slack cannot list just now is unknown, not lost: reminded.
 */
async function approvable(rt: ChecklistRuntime, state: RunState, timer: DueTimer): Promise<boolean> {
  const target = timer.target ? parseTarget(timer.target) : null;
  if (target?.kind !== 'request') return true;
  const request = findRequest(state, target.id);
  if (!request) return true;
  if (runbookChangedSince(rt, state)) return false;
  const roles = await rt.rolesOf(request.requestedBy);
  return requesterStanding(state, request, roles, rt.rolesUnknown()).standing !== 'lost';
}

/** Remind (and past twice the wait, escalate) in the run's thread and in each open approval DM. */
async function remindApprovers(rt: ChecklistRuntime, state: RunState, timer: DueTimer): Promise<void> {
  const target = timer.target ? parseTarget(timer.target) : null;
  const awaiting = awaitingSignatures(state).find((a) => a.target === timer.target);
  if (!target || !awaiting) return;
  const gate = target.kind === 'gate' ? findGate(state, target.id)?.gate : undefined;
  const what = gate ? `*${gateLabel(gate)}*` : 'The change request';
  const waited = describeDuration(Date.parse(timer.dueAt) - Date.parse(timer.since));
  const roles = awaiting.roles
    .map((r) => {
      // A drill rehearses without paging whole groups or escalation contacts.
      const group = state.drill ? undefined : rt.groupOf(r);
      return `${roleLabel(r, state.roleNames)}${group ? ` (${mentionUserGroup(group)})` : ''}`;
    })
    .join(', ');
  const invites = (state.invites ?? []).filter((i) => i.target === timer.target && i.status === 'open');
  const dmed = invites.filter((i) => i.channel);
  const contact =
    timer.kind === 'escalate' ? contactFor(rt.deps.artifact.contacts, timer.escalateTo) : undefined;

  let thread: string;
  let dm: string;
  if (timer.kind === 'remind') {
    thread = `:alarm_clock: ${what} has waited ${waited} for ${roles}.${dmed.length ? ` Reminded by DM: ${dmed.map((i) => mentionUser(i.user)).join(', ')}.` : ''}`;
    dm = `:alarm_clock: Reminder: ${what} in *${escapeMrkdwn(runTitle(state))}* has waited ${waited} for your signature. Approve or reject it in the message above.`;
  } else {
    const remind = timer.remindMs ? describeDuration(timer.remindMs) : '';
    const who = contact ? contactLine(contact, !state.drill, rt.deps.config.slack.userGroups) : null;
    thread = who
      ? `:rotating_light: ${what} has waited ${waited}, twice its ${remind}. Escalate to ${who}`
      : `:rotating_light: ${what} has waited ${waited}, twice its ${remind}, and the runbook names no escalation contact for it (\`escalate=\`): see \`${rt.deps.config.slashCommand} contacts\`.`;
    dm = `:rotating_light: ${what} in *${escapeMrkdwn(runTitle(state))}* still waits for your signature after ${waited}.${contact ? ` It has been escalated to ${escapeMrkdwn(contact.level)} — ${escapeMrkdwn(contact.role)}.` : ''}`;
  }
  const link = await permalinkOf(rt, state);
  // In the run's timeline once (a conditional write on its id), whatever happens in Slack.
  const note: RunEvent = {
    id: eventId({ at: timer.dueAt, key: `note:${timer.key}` }, 0),
    runId: state.runId,
    type: 'note',
    at: timer.dueAt,
    user: null,
    text: thread,
    version: state.version,
  };
  await (await rt.deps.getStore()).appendEvent(note);
  // Each piece once; a failed one is sent by the next sweep (./once.ts).
  await sendAll([
    () => sendOnce(rt, `timer:${timer.key}:thread`, () => rt.postThread(state, [note])),
    ...dmed.map(
      (invite) => () =>
        sendOnce(rt, `timer:${timer.key}:dm:${invite.user}`, () =>
          rt.slack.chat.postMessage({
            channel: invite.channel!,
            text: link ? `${dm} <${link}|Open the run>` : dm,
            unfurl_links: false,
          }),
        ),
    ),
  ]);
}

function contactFor(contacts: readonly Contact[], level: string | undefined): Contact | undefined {
  if (!level) return undefined;
  const wanted = level.toLowerCase();
  return (
    contacts.find((c) => c.level.toLowerCase() === wanted) ??
    contacts.find((c) => c.role.toLowerCase() === wanted)
  );
}

/** The escalation contact, paging as the runbook writes it (mentions kept, but in a drill). */
function contactLine(c: Contact, page: boolean, groups?: Readonly<Record<string, string>>): string {
  const phone = c.phone && c.phone !== '-' ? ` · :telephone_receiver: ${escapeMrkdwn(c.phone)}` : '';
  // Paging: a contact's @handle of a configured user group (SLACK_USERGROUPS) is its mention, as in `contacts`.
  const who = renderWho(c.who, { mentions: page, ...(page && groups ? { groups } : {}) });
  return `*${escapeMrkdwn(c.level)} — ${escapeMrkdwn(c.role)}:* ${who}${phone}${c.when ? `\n_When:_ ${inline(c.when)}` : ''}`;
}
