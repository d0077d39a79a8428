/**
 * Work under a lease in the store (`Store.acquireLease`): how a deferred task, a timer, a message or a
 * warm-up runs once, or one at a time. The store's conditional write decides who holds a lease; what the
 * lease becomes when the work fails or is done is the caller's decision, stated where it calls:
 *
 * - failed → `release`: the next attempt (Lambda's retry, the next sweep) may take it at once;
 * - failed → `keep`: held until it runs out, so nothing is attempted again within its length;
 * - done → `complete`: never taken again, so a redelivery, a replay or a second click does nothing;
 * - done → `release`: one at a time, not once (the warm-up may be applied again later).
 */
import type { Store } from './store';

export type OnFailure = 'release' | 'keep';

/** A lease this process holds. */
export interface HeldLease {
  readonly key: string;
  /** Run `work`; when it throws, release the lease or keep it as `onFailure` says, and rethrow. */
  run<T>(work: () => Promise<T>, onFailure: OnFailure): Promise<T>;
  /** The work is done: the lease is never taken again. Throws what the store throws. */
  complete(): Promise<void>;
  /**
   * Give the lease up. Never throws: it follows a failure whose error matters more, and a release that did
   * not happen only delays the next holder until the lease runs out.
   */
  release(): Promise<void>;
}

/**
 * Take the lease `key` for `ms` from `now`, unless another holder has it or it was completed: then null.
 * The holder is `holder` (this process, the task, the click) and a random part: two attempts, two holders.
 */
export async function takeLease(
  store: Store,
  key: string,
  ms: number,
  now: Date,
  holder = String(process.pid),
): Promise<HeldLease | null> {
  const id = `${holder}:${Math.random().toString(36).slice(2, 10)}`;
  const nowMs = now.getTime();
  if (!(await store.acquireLease(key, id, nowMs + ms, nowMs))) return null;
  const lease: HeldLease = {
    key,
    async run(work, onFailure) {
      try {
        return await work();
      } catch (error) {
        if (onFailure === 'release') await lease.release();
        throw error;
      }
    },
    complete: () => store.completeLease(key, id),
    release: () => store.releaseLease(key, id).catch(() => undefined),
  };
  return lease;
}

export interface LeasePolicy {
  ms: number;
  now: Date;
  onFailure: OnFailure;
  /** Default `complete`: once. `release`: one at a time. */
  onSuccess?: 'complete' | 'release';
  holder?: string;
}

/** `takeLease`, `run`, then complete or release: `{ value }`, or null when the lease was not free. */
export async function withLease<T>(
  store: Store,
  key: string,
  policy: LeasePolicy,
  work: () => Promise<T>,
): Promise<{ value: T } | null> {
  const lease = await takeLease(store, key, policy.ms, policy.now, policy.holder);
  if (!lease) return null;
  const value = await lease.run(work, policy.onFailure);
  await (policy.onSuccess === 'release' ? lease.release() : lease.complete());
  return { value };
}
