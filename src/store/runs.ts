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
import {
  apply,
  type CommandContext,
  eventId,
  type RefusalCode,
  type RunCommand,
} from '../workflows/checklist';
import { createRunState, type RunEvent, type RunState } from '../workflows/run-state';
import { APPLIED_KEYS_KEPT, type RunRecord, type Store, VersionConflictError } from './store';

export type ExecuteResult =
  | { kind: 'applied'; state: RunState; events: RunEvent[]; attempts: number }
  | { kind: 'refused'; state: RunState; code: RefusalCode; reason: string; events: RunEvent[] }
  /** The same action was applied (or its refusal recorded) before: a redelivery or a double submit. */
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
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await backoff(attempt);
    const record = await store.getRun(runId);
    if (!record) return { kind: 'not_found' };
    if (record.appliedKeys.includes(ctx.key)) return { kind: 'duplicate', state: record.state };

    const result = apply(record.state, command, ctx);
    if (!result.ok) {
      // Refusals change nothing; a refused approval or rejection is still recorded, once.
      const written = await Promise.all(result.events.map((e) => append(store, e)));
      if (written.length > 0 && written.every((w) => !w)) return { kind: 'duplicate', state: record.state };
      return {
        kind: 'refused',
        state: record.state,
        code: result.code,
        reason: result.reason,
        events: result.events,
      };
    }

    // The previous change's events must be durable before its outbox is replaced.
    await flushOutbox(store, record);
    const next: RunRecord = {
      state: result.state,
      appliedKeys: [...record.appliedKeys, ctx.key].slice(-APPLIED_KEYS_KEPT),
      outbox: result.events,
    };
    try {
      await store.putRun(next, record.state.version);
    } catch (error) {
      if (error instanceof VersionConflictError) continue;
      throw error;
    }
    await Promise.all(result.events.map((e) => append(store, e)));
    return { kind: 'applied', state: result.state, events: result.events, attempts: attempt };
  }
  throw new RunBusyError(runId, maxAttempts);
}

export interface StartRunInput {
  checklist: Checklist;
  drill: boolean;
  channel: string;
  runId?: string;
}

export interface StartRunResult {
  state: RunState;
  events: RunEvent[];
  /** The earlier active run of the same checklist in the channel, now cancelled as superseded. */
  superseded: RunState | null;
}

/**
 * Start a run. An active run of the same checklist in the same channel is superseded (cancelled, pointing
 * at the new run): its buttons go stale and its history stays exportable.
 */
export async function startRun(
  store: Store,
  input: StartRunInput,
  ctx: CommandContext,
): Promise<StartRunResult> {
  const runId = input.runId ?? newRunId(new Date(ctx.at));
  const state = createRunState({
    runId,
    checklist: input.checklist,
    drill: input.drill,
    startedBy: ctx.user,
    startedAt: ctx.at,
    channel: input.channel,
  });
  const started: RunEvent = {
    id: eventId(ctx, 0),
    runId,
    type: 'started',
    at: ctx.at,
    user: ctx.user,
    version: state.version,
    ...(input.drill ? { reason: 'drill' } : {}),
  };
  await store.createRun({ state, appliedKeys: [ctx.key], outbox: [started] });
  await append(store, started);

  let superseded: RunState | null = null;
  const previousId = await store.getLatestRun(input.channel, input.checklist.id);
  if (previousId && previousId !== runId) {
    const result = await executeCommand(
      store,
      previousId,
      { type: 'cancel', reason: `superseded by run ${runId}`, supersededBy: runId },
      { ...ctx, key: `supersede:${runId}`, system: true },
    );
    if (result.kind === 'applied') superseded = result.state;
  }
  await store.setLatestRun(input.channel, input.checklist.id, runId);
  return { state, events: [started], superseded };
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
