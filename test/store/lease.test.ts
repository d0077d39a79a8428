/**
 * The lease helper (src/store/lease.ts) against dynalite: what each policy leaves behind for the next
 * attempt, and that concurrent attempts from two clients of one table run the work once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeLease, withLease } from '../../src/store/lease';
import type { Store } from '../../src/store/store';
import { startTestStore, type TestStore } from '../helpers/dynalite';

const MS = 60_000;
const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const key = () => `test:${randomUUID()}`;
const boom = () => Promise.reject(new Error('boom'));

let test: TestStore;
let store: Store;
let other: Store;
beforeAll(async () => {
  test = await startTestStore();
  store = test.store;
  other = test.connect();
});
afterAll(async () => {
  await other?.close();
  await store?.close();
});

/** Whether another holder could take `k` at `now` (and, if so, leaves it taken). */
const free = async (k: string, now: Date) => (await takeLease(other, k, MS, now)) !== null;

describe('withLease', () => {
  it('runs the work and completes: never again, not even after the lease would have run out', async () => {
    const k = key();
    let runs = 0;
    const work = async () => ++runs;
    expect(await withLease(store, k, { ms: MS, now: t0, onFailure: 'release' }, work)).toEqual({ value: 1 });
    expect(await withLease(store, k, { ms: MS, now: at(1_000), onFailure: 'release' }, work)).toBeNull();
    expect(await free(k, at(10 * MS))).toBe(false);
    expect(runs).toBe(1);
  });

  it('on failure "release": rethrows, and the next attempt takes the lease at once', async () => {
    const k = key();
    await expect(withLease(store, k, { ms: MS, now: t0, onFailure: 'release' }, boom)).rejects.toThrow(
      'boom',
    );
    const retry = await withLease(store, k, { ms: MS, now: at(1), onFailure: 'release' }, async () => 'sent');
    expect(retry).toEqual({ value: 'sent' });
  });

  it('on failure "keep": rethrows, and nobody takes the lease until it runs out', async () => {
    const k = key();
    await expect(withLease(store, k, { ms: MS, now: t0, onFailure: 'keep' }, boom)).rejects.toThrow('boom');
    expect(await free(k, at(MS - 1))).toBe(false);
    expect(await free(k, at(MS + 1))).toBe(true);
  });

  it('on success "release": one at a time, not once', async () => {
    const k = key();
    const policy = { ms: MS, now: t0, onFailure: 'release', onSuccess: 'release' } as const;
    expect(await withLease(store, k, policy, async () => 'first')).toEqual({ value: 'first' });
    expect(await withLease(store, k, policy, async () => 'second')).toEqual({ value: 'second' });
  });

  it('runs the work once among concurrent attempts from two clients of the table', async () => {
    const k = key();
    let runs = 0;
    const attempt = (s: Store) =>
      withLease(s, k, { ms: MS, now: t0, onFailure: 'release' }, async () => {
        runs++;
        await new Promise((r) => setImmediate(r));
      });
    const results = await Promise.all([store, other, store, other, store, other].map(attempt));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(runs).toBe(1);
  });
});

describe('takeLease', () => {
  it('holds the lease after the work succeeds, until the holder completes or releases it', async () => {
    const [a, b] = [key(), key()];
    const [la, lb] = [await takeLease(store, a, MS, t0), await takeLease(store, b, MS, t0)];
    expect(await la!.run(async () => 'done', 'release')).toBe('done');
    expect(await lb!.run(async () => 'done', 'release')).toBe('done');
    expect(await free(a, at(1))).toBe(false);
    await la!.complete();
    await lb!.release();
    expect(await free(a, at(2 * MS))).toBe(false);
    expect(await free(b, at(1))).toBe(true);
  });

  it('never throws from release, which follows a failure whose error matters more', async () => {
    const failing: Store = {
      ...store,
      acquireLease: store.acquireLease.bind(store),
      releaseLease: () => Promise.reject(new Error('store down')),
    };
    const lease = await takeLease(failing, key(), MS, t0);
    await expect(lease!.release()).resolves.toBeUndefined();
    await expect(lease!.run(boom, 'release')).rejects.toThrow('boom');
  });
});
