/**
 * One piece of what a timer sends (its thread post, one reminder DM), sent once: a lease of its own in the
 * store, completed when Slack accepted it. A piece that fails releases its lease and rethrows, so the timer's
 * lease is released too (./timers.ts) and the next sweep sends only what is still missing: a Slack error
 * delays a reminder by a minute instead of losing it, and nobody gets the same reminder twice.
 */
import { withLease } from '../../../store/lease';
import type { ChecklistRuntime } from '../checklists/runtime';

/** Longer than the Slack function may run (serverless.yml `timeout: 330`): no sweep's lease is taken over while it still runs. */
export const TIMER_LEASE_MS = 6 * 60_000;

export async function sendOnce(
  rt: ChecklistRuntime,
  key: string,
  send: () => Promise<unknown>,
): Promise<void> {
  const store = await rt.deps.getStore();
  await withLease(store, key, { ms: TIMER_LEASE_MS, now: rt.deps.now(), onFailure: 'release' }, send);
}

/** Runs every piece (one failing does not stop the others), then rethrows the first failure. */
export async function sendAll(pieces: (() => Promise<void>)[]): Promise<void> {
  let failure: unknown;
  for (const piece of pieces) {
    try {
      await piece();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
