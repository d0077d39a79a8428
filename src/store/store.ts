/**
 * Durable state of checklist runs, as a port: the DynamoDB adapter (src/store/dynamo.ts) and anything
 * else that passes the contract suite (src/store/contract.ts) can back it.
 *
 * The model has no transactions (dynalite has no TransactWriteItems):
 * - a run is one record, replaced only by a conditional write on its version (optimistic concurrency);
 * - the record carries the idempotency keys it has applied and an outbox with the events of its latest
 *   change, so a change and its events are never separated by a crash: the next writer re-appends the
 *   outbox before replacing it, and `appendEvent` is idempotent;
 * - events are append-only items, written only if absent.
 */
import type { FeedbackRecord } from '../workflows/feedback-report';
import type { RunEvent, RunState } from '../workflows/run-state';

export interface RunRecord {
  state: RunState;
  /** Idempotency keys of the actions applied to this run, newest last (bounded; see `APPLIED_KEYS_KEPT`). */
  appliedKeys: string[];
  /** Events of the change that produced this version, until the next change has re-appended them. */
  outbox: RunEvent[];
  /**
   * The token of the write that applied each recent key (newest last, bounded): a call whose write landed
   * but whose answer was lost, with another change written before it read again, still knows the key was
   * applied by itself (`applied`), not by another delivery (`duplicate`).
   */
  writes?: [key: string, token: string][];
}

/** What the run indexes hold of a run: enough to list it; its state is always read from the run itself. */
export interface RunIndexEntry {
  runId: string;
  checklistId: string;
  title: string;
  channel: string;
  team: string | null;
  startedBy: string;
  startedAt: string;
  drill: boolean;
}

export interface Store {
  /** Create a run; throws `RunExistsError` if the id is taken. */
  createRun(record: RunRecord): Promise<void>;
  getRun(runId: string): Promise<RunRecord | null>;
  /**
   * Replace a run if its stored version is still `expectedVersion`; throws `VersionConflictError`
   * otherwise (someone else changed it first: read again, re-apply, retry).
   */
  putRun(record: RunRecord, expectedVersion: number): Promise<void>;
  /** Append an event unless one with the same id exists. True when written, false when already there. */
  appendEvent(event: RunEvent): Promise<boolean>;
  /** Every event of a run, oldest first (by id, which starts with the event's ISO time). */
  listEvents(runId: string): Promise<RunEvent[]>;
  /** The run of `checklistId` most recently started in `channel`, if any (it may have finished since). */
  getLatestRun(channel: string, checklistId: string): Promise<string | null>;
  setLatestRun(channel: string, checklistId: string, runId: string): Promise<void>;
  /** Release connections and, for the embedded store, stop the in-process server. */
  close(): Promise<void>;

  // ---- Once-only keys and leases (issue 15): idempotent starts and deferred tasks ----------------------------

  /**
   * Claim `key` for `value` unless it is claimed already: the first claim wins, and every caller gets the
   * winner's value back (a repeated `/runbook deploy` finds the run the first one started).
   */
  claimKey(key: string, value: string): Promise<string>;
  /**
   * Take the lease `key` for `holder` until `untilMs` when it is free: never taken, or run out (`< nowMs`)
   * and not completed. True when taken; false when someone holds it or it was completed.
   */
  acquireLease(key: string, holder: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** The holder finished: the lease is never taken again, so a replay of its task does nothing. */
  completeLease(key: string, holder: string): Promise<void>;
  /** The holder gives the lease up (its task failed and may be delivered again). */
  releaseLease(key: string, holder: string): Promise<void>;
  // Search feedback (issue 20): what people asked and what answered them, for runbook authors.
  /** Record one piece of feedback; written once per `id` (a Slack retry or double click adds nothing). */
  recordFeedback(record: FeedbackRecord): Promise<void>;
  /** Every feedback record from `since` to `until` (ISO times), oldest first. */
  listFeedback(since: string, until: string): Promise<FeedbackRecord[]>;

  // ---- Run indexes (issue 19): the runs the timers watch, and the recent runs the App Home lists -----------
  // Written before the run itself (src/store/runs.ts `startRun`), so no run is ever missing from them; an
  // entry whose run is gone or ended is skipped (and unwatched) by whoever reads it.

  /** Add the run to the watched runs and to the recent runs. */
  indexRun(entry: RunIndexEntry): Promise<void>;
  /** The run no longer needs its timers (ended, and owes its stakeholders nothing). Idempotent. */
  unwatchRun(runId: string): Promise<void>;
  /** The run needs its timers again (an ended run that promised another update). Idempotent. */
  watchRun(entry: RunIndexEntry): Promise<void>;
  /** Every watched run, oldest first. */
  listWatchedRuns(): Promise<RunIndexEntry[]>;
  /**
   * The `limit` most recently started runs, newest first; with `team`, that workspace's only (runs indexed
   * since runs were listed by workspace too), so other workspaces of an install never crowd them out.
   */
  listRecentRuns(limit: number, team?: string): Promise<RunIndexEntry[]>;
}

/** What the search learns from use (src/workflows/feedback-report.ts). */
export type { FeedbackRecord } from '../workflows/feedback-report';

export class VersionConflictError extends Error {
  constructor(
    readonly runId: string,
    readonly expectedVersion: number,
  ) {
    super(`Run ${runId} changed since version ${expectedVersion}`);
    this.name = 'VersionConflictError';
  }
}

export class RunExistsError extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} already exists`);
    this.name = 'RunExistsError';
  }
}

/** How many applied idempotency keys a run remembers; Slack redelivers within minutes, not hundreds of clicks. */
export const APPLIED_KEYS_KEPT = 500;
/** Write tokens kept (`RunRecord.writes`): a lost answer is recognised within this many later changes. */
export const WRITES_KEPT = 50;
