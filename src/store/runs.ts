/**
 * Runs over a Store: start a run, and execute a command as read → apply → conditional write, retried on
 * version conflicts, exactly once per action key. Knows nothing of Slack or AWS.
 *
 * The write protocol of store.ts (versioned record, applied keys, outbox) as the one way to change a run:
 * it lives with the Store port, above the pure rules it applies (src/workflows/checklist.ts), so the
 * workflows never depend on the store (docs/architecture.md).
 */
import { randomBytes } from 'node:crypto';
import type { Checklist } from '../runbooks/model/model';
import { type Action, authorize, STALE_CODES } from '../workflows/authorize';
import {
  actorOf,
  apply,
  type CommandContext,
  eventId,
  type RefusalCode,
  type RunCommand,
} from '../workflows/checklist';
import { createRunState, type RunEvent, type RunState } from '../workflows/run-state';
import { isWatched } from '../workflows/stakeholders';
import { takeLease } from './lease';
import {
  APPLIED_KEYS_KEPT,
  RunExistsError,
  type RunIndexEntry,
  type RunRecord,
  type Store,
  VersionConflictError,
  WRITES_KEPT,
} from './store';

export type ExecuteResult =
  /**
   * `eventsPending`: the run was written but appending its events failed (a throttled store); the change
   * is recorded and its events sit in the run's outbox, which the next change re-appends. Not an error.
   */
  | { kind: 'applied'; state: RunState; events: RunEvent[]; attempts: number; eventsPending?: unknown }
  /** `events`: what the refusal recorded now (none when this click's refusal was recorded before). */
  | { kind: 'refused'; state: RunState; code: RefusalCode; reason: string; events: RunEvent[] }
  /**
   * The same action was applied before: a redelivery or a double submit. Never a refusal recorded before
   * (that is `refused` again, with no events).
   */
  | { kind: 'duplicate'; state: RunState }
  | { kind: 'not_found' };

export interface RetryOptions {
  /** Attempts before giving up with `RunBusyError` (default 100). */
  maxAttempts?: number;
  /** Wait before attempt `n` (n ≥ 2); default: full jitter, exponential from 20 ms up to 500 ms. */
  backoff?: (attempt: number) => Promise<void>;
}

export class RunBusyError extends Error {
  constructor(
    readonly runId: string,
    readonly attempts: number,
  ) {
    super(`Run ${runId} kept changing; gave up after ${attempts} attempts`);
    this.name = 'RunBusyError';
  }
}

/**
 * Execute one command on a run. Commands on the same run through the same Store take turns in this
 * process (so a busy local server does not race itself); across processes (Lambda containers) the
 * conditional write decides, and the loser reads again and re-applies.
 */
/** Failed run writes (not a version conflict) after which the run is read again rather than failing. */
const UNKNOWN_OUTCOMES_READ = 3;

export function executeCommand(
  store: Store,
  runId: string,
  command: RunCommand,
  ctx: CommandContext,
  options: RetryOptions = {},
): Promise<ExecuteResult> {
  return inTurn(store, runId, () => executeWithRetries(store, runId, command, ctx, options));
}

const turns = new WeakMap<Store, Map<string, Promise<unknown>>>();

function inTurn<T>(store: Store, runId: string, work: () => Promise<T>): Promise<T> {
  let byRun = turns.get(store);
  if (!byRun) {
    byRun = new Map();
    turns.set(store, byRun);
  }
  const previous = byRun.get(runId) ?? Promise.resolve();
  const mine = previous.then(work, work);
  const tail = mine.catch(() => undefined);
  byRun.set(runId, tail);
  void tail.then(() => {
    if (byRun.get(runId) === tail) byRun.delete(runId);
  });
  return mine;
}

async function executeWithRetries(
  store: Store,
  runId: string,
  command: RunCommand,
  ctx: CommandContext,
  options: RetryOptions,
): Promise<ExecuteResult> {
  const maxAttempts = options.maxAttempts ?? 100;
  const backoff = options.backoff ?? jitter;
  // This call's writes, by token: one whose answer was lost may have landed (see `RunRecord.writes`).
  const call = randomBytes(6).toString('hex');
  const mine = new Map<string, RunEvent[]>();
  let unknownOutcomes = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await backoff(attempt);
    const record = await store.getRun(runId);
    if (!record) return { kind: 'not_found' };
    if (record.appliedKeys.includes(ctx.key)) {
      const token = record.writes?.find(([key]) => key === ctx.key)?.[1];
      const events = token === undefined ? undefined : mine.get(token);
      if (!events) return { kind: 'duplicate', state: record.state };
      // Applied by this very call (its answer lost, another change written since): its events, once.
      try {
        await Promise.all(events.map((e) => append(store, e)));
      } catch (error) {
        return { kind: 'applied', state: record.state, events, attempts: attempt, eventsPending: error };
      }
      return { kind: 'applied', state: record.state, events, attempts: attempt };
    }

    const result = apply(record.state, command, ctx);
    if (!result.ok) {
      // Refusals change nothing; a refused approval or rejection is still recorded, once.
      // A refusal must reach the user even when recording it fails (a throttled store). A refusal recorded
      // before (this click delivered again) is refused again, never a `duplicate`: that means an applied
      // change, and a caller may act on it (queue the execution an applied Retry asked for). Its events are
      // only those recorded now: the first delivery posted the others.
      const written = await Promise.all(result.events.map((e) => append(store, e).catch(() => true)));
      return {
        kind: 'refused',
        state: record.state,
        code: result.code,
        reason: result.reason,
        events: result.events.filter((_, i) => written[i]),
      };
    }

    // The previous change's events must be durable before its outbox is replaced.
    await flushOutbox(store, record);
    // Owing its timers again (an update promised after the run stopped owing any): watched before it is
    // written, as a start is, so no run that owes something is missing from the list.
    if (!isWatched(record.state) && isWatched(result.state)) await store.watchRun(indexEntryOf(result.state));
    const token = `${call}:${attempt}`;
    mine.set(token, result.events);
    const next: RunRecord = {
      state: result.state,
      appliedKeys: [...record.appliedKeys, ctx.key].slice(-APPLIED_KEYS_KEPT),
      outbox: result.events,
      writes: [...(record.writes ?? []), [ctx.key, token] as [string, string]].slice(-WRITES_KEPT),
    };
    try {
      await store.putRun(next, record.state.version);
    } catch (error) {
      if (error instanceof VersionConflictError) continue;
      // Any other failure leaves the write's fate unknown (a time-out may come after DynamoDB applied it):
      // read again, where this call's token tells (`writes`); a few times, then the failure stands.
      if (++unknownOutcomes <= UNKNOWN_OUTCOMES_READ) continue;
      throw error;
    }
    // Ended and owing nothing: the timers stop looking at it (a reader skips a stale entry anyway). Read again
    // after the delete: a change written meanwhile by another container may owe an update again.
    if (isWatched(record.state) && !isWatched(result.state)) {
      await store.unwatchRun(runId).catch(() => undefined);
      const after = await store.getRun(runId).catch(() => null);
      if (after && isWatched(after.state))
        await store.watchRun(indexEntryOf(after.state)).catch(() => undefined);
    }
    try {
      await Promise.all(result.events.map((e) => append(store, e)));
    } catch (error) {
      return {
        kind: 'applied',
        state: result.state,
        events: result.events,
        attempts: attempt,
        eventsPending: error,
      };
    }
    return { kind: 'applied', state: result.state, events: result.events, attempts: attempt };
  }
  throw new RunBusyError(runId, maxAttempts);
}

export interface StartRunInput {
  checklist: Checklist;
  drill: boolean;
  channel: string;
  /** The workspace and Enterprise Grid org of the request (its signed envelope): the run is bound to them. */
  team: string | null;
  enterprise: string | null;
  runId?: string;
  /**
   * What identifies the request that starts the run (its `trigger_id`): a redelivery or a retry of the same
   * request finds the run the first delivery started instead of starting another.
   */
  startKey?: string;
}

export interface StartRunResult {
  /** The run started; when `repeated`, the one this request started before; when `blocked`, the active run. */
  state: RunState;
  events: RunEvent[];
  /** A drill of the same checklist this live run replaced (recorded in both runs' timelines). */
  superseded: RunState | null;
  /** True when this request (or a double submit) had started the run already: `state` is that run. */
  repeated: boolean;
  /**
   * Nothing was started: `state` is the active run of the same checklist in the channel. It is replaced only
   * by a take-over (`takeOverRun`), with a reason, by someone allowed to; a drill never replaces a live run.
   */
  blocked: boolean;
}

/** A second start of the same checklist, by the same person, in the same channel, this soon: a double submit. */
export const DOUBLE_SUBMIT_MS = 30_000;

/** How long one start holds its channel and checklist (a crashed start frees it after this). */
export const START_LEASE_MS = 15_000;

export class StartBusyError extends Error {
  override readonly name = 'StartBusyError';
  constructor() {
    super('Another run of this checklist is being started in this channel right now');
  }
}

/**
 * Start a run. A repeat of the same request (same start key), or a double submit (same person, checklist,
 * channel and drill flag within `DOUBLE_SUBMIT_MS` of an active run), gets the run already started. An
 * active run of the same checklist in the channel is never replaced silently: the start is `blocked` and
 * says which run is active (take it over with `takeOverRun`), except that a live run replaces a drill, and
 * says so in both runs' timelines. Starts of one checklist in one channel take turns (a lease), so two
 * people starting at once cannot both pass the check.
 */
export async function startRun(
  store: Store,
  input: StartRunInput,
  ctx: CommandContext,
): Promise<StartRunResult> {
  let runId = input.runId ?? newRunId(new Date(ctx.at));
  if (input.startKey) {
    const winner = await store.claimKey(`start:${input.startKey}`, runId);
    if (winner !== runId) {
      const existing = await store.getRun(winner);
      if (existing && (existing.state.messageTs || existing.state.status !== 'active'))
        return repeatOf(existing.state);
      // The first delivery claimed the key and stopped before creating the run, or created it and stopped
      // before it was shown: this one finishes the start (the channel's pointer, then its message).
      runId = winner;
    }
  }
  return inChannelTurn(store, input, runId, ctx, async () => {
    const previousId = await store.getLatestRun(input.channel, input.checklist.id);
    const previous = previousId && previousId !== runId ? (await store.getRun(previousId))?.state : undefined;
    const stored = input.startKey ? await store.getRun(runId) : null;
    if (stored) {
      // Ours, stored by an earlier delivery of this start: it becomes the channel's run unless another active
      // run took that place meanwhile (it was never shown, so nobody can act on it: it is cancelled). A live
      // run still replaces a drill, as on a first delivery.
      if (previous?.status === 'active' && previous.drill && !stored.state.drill) {
        const result = await executeCommand(
          store,
          previous.runId,
          {
            type: 'take_over',
            by: runId,
            reason: 'a live run of this checklist replaced this drill',
            drill: false,
          },
          { ...ctx, key: `supersede:${runId}`, system: true },
        );
        await store.setLatestRun(input.channel, input.checklist.id, runId);
        return {
          state: stored.state,
          events: [],
          superseded: result.kind === 'applied' ? result.state : null,
          repeated: false,
          blocked: false,
        };
      }
      if (previous?.status === 'active') {
        await executeCommand(
          store,
          runId,
          { type: 'cancel', reason: 'another run was started before this one could be shown' },
          { ...ctx, key: `cancel-unshown:${runId}`, system: true },
        );
        return { ...repeatOf(previous), repeated: false, blocked: true };
      }
      if (previousId !== runId) await store.setLatestRun(input.channel, input.checklist.id, runId);
      return { state: stored.state, events: [], superseded: null, repeated: false, blocked: false };
    }
    if (previous?.status === 'active') {
      if (isDoubleSubmit(previous, input, ctx)) return repeatOf(previous);
      // A real incident does not wait for a drill: a live run replaces it, and both timelines say so.
      if (!(previous.drill && !input.drill)) return { ...repeatOf(previous), repeated: false, blocked: true };
    }
    const replacing = previous?.status === 'active' ? previous : null;
    const { state, events } = await createStarted(store, input, runId, ctx, replacing, null);
    let superseded: RunState | null = null;
    if (replacing) {
      const result = await executeCommand(
        store,
        replacing.runId,
        {
          type: 'take_over',
          by: runId,
          reason: 'a live run of this checklist replaced this drill',
          drill: false,
        },
        { ...ctx, key: `supersede:${runId}`, system: true },
      );
      if (result.kind === 'applied') superseded = result.state;
    }
    await store.setLatestRun(input.channel, input.checklist.id, runId);
    return { state, events, superseded, repeated: false, blocked: false };
  });
}

export interface TakeOverInput extends StartRunInput {
  /** The active run to replace (as the Take over button named it: checked against the store). */
  runId: string;
  reason: string;
  /** Required: a retried take-over must find the run its first attempt started. */
  startKey: string;
}

export type TakeOverResult =
  | {
      kind: 'taken_over';
      state: RunState;
      events: RunEvent[];
      replaced: RunState;
      replacedEvents: RunEvent[];
    }
  /** authorize() refused (recorded once in the active run's audit trail), or the run is no longer active. */
  | {
      kind: 'refused';
      code: RefusalCode | 'not_found';
      reason: string;
      state: RunState | null;
      events: RunEvent[];
    }
  /** Someone else started or took over first: `current` is the run that is active now, if any. */
  | { kind: 'moved'; current: RunState | null };

/**
 * Replace the active run `input.runId` with a new run of the same checklist, for a reason, as `ctx.user`:
 * authorized (`take_over`) against the stored run, recorded in both runs' timelines. The active run is
 * cancelled first, by a conditional write, then the new run is created; a retry of the same take-over
 * (same start key) finishes what the first attempt began.
 */
export async function takeOverRun(
  store: Store,
  input: TakeOverInput,
  ctx: CommandContext,
): Promise<TakeOverResult> {
  const newId = await store.claimKey(`start:${input.startKey}`, newRunId(new Date(ctx.at)));
  const already = await store.getRun(newId);
  if (already) {
    const replaced = (await store.getRun(input.runId))?.state;
    if (replaced) {
      // The first delivery created the new run; it may have stopped before making it the channel's run, and
      // someone may have started the checklist since: theirs stands, and this one (never shown) is cancelled.
      const moved =
        already.state.status !== 'active'
          ? null
          : await inChannelTurn(store, input, newId, ctx, async () => {
              const pointer = await store.getLatestRun(input.channel, input.checklist.id);
              if (pointer === newId) return null;
              const current =
                pointer && pointer !== input.runId ? (await store.getRun(pointer))?.state : null;
              if (current?.status !== 'active') {
                await store.setLatestRun(input.channel, input.checklist.id, newId);
                return null;
              }
              if (!already.state.messageTs)
                await executeCommand(
                  store,
                  newId,
                  { type: 'cancel', reason: 'another run was started before this one could be shown' },
                  { ...ctx, key: `cancel-unshown:${newId}`, system: true },
                );
              return current;
            });
      if (moved) return { kind: 'moved', current: moved };
      // Cancelled since (its message could not be posted, or it was taken over in turn): nothing to post again.
      if (already.state.status !== 'active') {
        const pointer = await store.getLatestRun(input.channel, input.checklist.id);
        const current = pointer ? ((await store.getRun(pointer))?.state ?? null) : null;
        return { kind: 'moved', current: current?.status === 'active' ? current : null };
      }
      return { kind: 'taken_over', state: already.state, events: [], replaced, replacedEvents: [] };
    }
  }
  return inChannelTurn(store, input, newId, ctx, async () => {
    const oldRecord = await store.getRun(input.runId);
    if (!oldRecord)
      return {
        kind: 'refused',
        code: 'not_found',
        reason: 'This run no longer exists.',
        state: null,
        events: [],
      };
    const old = oldRecord.state;
    const resumed = old.status === 'cancelled' && old.supersededBy === newId;
    const pointer = await store.getLatestRun(input.channel, input.checklist.id);
    if (!resumed) {
      if (pointer !== old.runId || old.status !== 'active') {
        const current = pointer ? ((await store.getRun(pointer))?.state ?? null) : null;
        if (old.status === 'active' || current?.status === 'active') return { kind: 'moved', current };
      }
    } else if (pointer && pointer !== old.runId && pointer !== newId) {
      // Resuming a take-over whose first delivery stopped after cancelling the old run: someone started the
      // checklist since. Theirs stands; this one is not started over it.
      const current = (await store.getRun(pointer))?.state ?? null;
      if (current?.status === 'active') return { kind: 'moved', current };
    }
    let replaced = old;
    let replacedEvents: RunEvent[] = [];
    if (!resumed) {
      const result = await executeCommand(
        store,
        old.runId,
        { type: 'take_over', by: newId, reason: input.reason, drill: input.drill },
        { ...ctx, key: `takeover:${newId}` },
      );
      if (result.kind === 'not_found')
        return {
          kind: 'refused',
          code: 'not_found',
          reason: 'This run no longer exists.',
          state: null,
          events: [],
        };
      if (result.kind === 'refused')
        return {
          kind: 'refused',
          code: result.code,
          reason: result.reason,
          state: result.state,
          events: result.events,
        };
      if (result.kind === 'applied') {
        replaced = result.state;
        replacedEvents = result.events;
      }
    }
    const { state, events } = await createStarted(store, input, newId, ctx, replaced, input.reason);
    await store.setLatestRun(input.channel, input.checklist.id, newId);
    return { kind: 'taken_over', state, events, replaced, replacedEvents };
  });
}

/** The new run with its `started` event (and, replacing a run, `took_over`), created once. */
async function createStarted(
  store: Store,
  input: StartRunInput,
  runId: string,
  ctx: CommandContext,
  replacing: RunState | null,
  reason: string | null,
): Promise<{ state: RunState; events: RunEvent[] }> {
  const state = createRunState({
    runId,
    checklist: input.checklist,
    drill: input.drill,
    startedBy: ctx.user,
    startedAt: ctx.at,
    channel: input.channel,
    team: input.team,
    enterprise: input.enterprise,
    ...(replacing ? { replaced: replacing.runId } : {}),
  });
  const event = (type: RunEvent['type'], n: number, extra: Partial<RunEvent>): RunEvent => ({
    id: eventId(ctx, n),
    runId,
    type,
    at: ctx.at,
    user: ctx.user,
    version: state.version,
    ...extra,
  });
  const events = [event('started', 0, input.drill ? { reason: 'drill' } : {})];
  if (replacing) {
    events.push(
      event('took_over', 1, {
        runRef: replacing.runId,
        ...(reason ? { reason } : { liveOverDrill: true }),
      }),
    );
  }
  // Indexed first: a run is never missing from the timers' watch list, even if this process stops here.
  await store.indexRun(indexEntryOf(state));
  try {
    await store.createRun({ state, appliedKeys: [ctx.key], outbox: events });
  } catch (error) {
    const existing = error instanceof RunExistsError ? await store.getRun(runId) : null;
    if (existing) return { state: existing.state, events: [] };
    throw error;
  }
  await Promise.all(events.map((e) => append(store, e).catch(() => undefined))); // else in the outbox
  return { state, events };
}

/**
 * Starts (and take-overs) of one checklist in one channel take turns: a lease in the store, held while the
 * active run is read and the new one written. A crashed holder frees it after `START_LEASE_MS`.
 */
async function inChannelTurn<T>(
  store: Store,
  input: Pick<StartRunInput, 'channel' | 'checklist'>,
  holder: string,
  ctx: CommandContext,
  work: () => Promise<T>,
): Promise<T> {
  const key = `starting:${input.channel}:${input.checklist.id}`;
  const now = () => new Date(Math.max(Date.now(), Date.parse(ctx.at)));
  let lease = await takeLease(store, key, START_LEASE_MS, now(), holder);
  for (let attempt = 1; !lease; attempt++) {
    if (attempt > 40) throw new StartBusyError();
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    lease = await takeLease(store, key, START_LEASE_MS, now(), holder);
  }
  // Turns, not once: released when the start is written or failed.
  const result = await lease.run(work, 'release');
  await lease.release();
  return result;
}

/** A run as the watched and recent runs list it. */
function indexEntryOf(state: RunState): RunIndexEntry {
  return {
    runId: state.runId,
    checklistId: state.checklistId,
    title: state.title,
    channel: state.channel,
    team: state.team ?? null,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    drill: state.drill,
  };
}

function repeatOf(state: RunState): StartRunResult {
  return { state, events: [], superseded: null, repeated: true, blocked: false };
}

function isDoubleSubmit(previous: RunState, input: StartRunInput, ctx: CommandContext): boolean {
  return (
    previous.status === 'active' &&
    previous.startedBy === ctx.user &&
    previous.drill === input.drill &&
    Date.parse(ctx.at) - Date.parse(previous.startedAt) < DOUBLE_SUBMIT_MS
  );
}

export type CheckResult =
  | { ok: true; state: RunState }
  /** `events`: the audit record of the refused attempt, once (empty for a stale click or a redelivery). */
  | {
      ok: false;
      code: RefusalCode | 'not_found';
      reason: string;
      state: RunState | null;
      events: RunEvent[];
    };

/**
 * For actions that change no run state but act for the run (check evidence, post a notice, preview): read
 * the run and authorize. A refusal is recorded once in the run's audit trail, as `apply()` records refused
 * commands.
 */
export async function checkAction(
  store: Store,
  runId: string,
  action: Action,
  ctx: CommandContext,
): Promise<CheckResult> {
  const record = await store.getRun(runId);
  if (!record) {
    return {
      ok: false,
      code: 'not_found',
      reason: 'This checklist run no longer exists.',
      state: null,
      events: [],
    };
  }
  const verdict = authorize(record.state, action, actorOf(ctx), ctx.at);
  if (verdict.ok) return { ok: true, state: record.state };
  const events: RunEvent[] = [];
  if (!STALE_CODES.has(verdict.code)) {
    const target = 'stepId' in action ? { stepId: action.stepId } : {};
    const event: RunEvent = {
      id: eventId(ctx, 0),
      runId,
      type: 'refused',
      at: ctx.at,
      user: ctx.user,
      action: action.type,
      code: verdict.code,
      reason: verdict.reason,
      role: ctx.roles && ctx.roles.length > 0 ? ctx.roles.join(',') : 'none',
      version: record.state.version,
      ...target,
    };
    // Written now (true) or by an earlier delivery of the same click (false: not posted again).
    if (await append(store, event).catch(() => true)) events.push(event);
  }
  return { ok: false, code: verdict.code, reason: verdict.reason, state: record.state, events };
}

/**
 * Ids of events this process has seen stored (written, or found already there), so the outbox flush skips
 * them: in the usual case the previous writer appended its own events and the flush costs nothing.
 * Bounded; forgetting an id only costs one idempotent re-append.
 */
const knownStored = new WeakMap<Store, Set<string>>();
const KNOWN_STORED_KEPT = 5000;

function knownTo(store: Store): Set<string> {
  let known = knownStored.get(store);
  if (!known) {
    known = new Set();
    knownStored.set(store, known);
  }
  return known;
}

async function append(store: Store, event: RunEvent): Promise<boolean> {
  const written = await store.appendEvent(event);
  const known = knownTo(store);
  known.add(`${event.runId}/${event.id}`);
  if (known.size > KNOWN_STORED_KEPT) known.delete(known.values().next().value as string);
  return written;
}

async function flushOutbox(store: Store, record: RunRecord): Promise<void> {
  const known = knownTo(store);
  const unknown = record.outbox.filter((e) => !known.has(`${e.runId}/${e.id}`));
  await Promise.all(unknown.map((e) => append(store, e)));
}

/** Sortable by start time, unguessable enough to not collide: `20240101T120000-a1b2c3`. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(500, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
