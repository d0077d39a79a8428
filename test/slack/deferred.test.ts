/**
 * Deferred tasks (src/slack/deferred-runner.ts, src/aws/deferred-seal.ts): sealed with a MAC derived from the
 * signing secret, opened only when the MAC and the age are right, run once under a lease in the store
 * (a second delivery or a replay does nothing), retried when they throw, and logged without their payload.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDeferredTask, sealDeferredTask } from '../../src/aws/deferred-seal';
import { loadConfig } from '../../src/config';
import { registerDeferred } from '../../src/slack/deferred';
import { createInProcessDefer, deferredKey, runSealedTask } from '../../src/slack/deferred-runner';
import type { AppDeps } from '../../src/slack/deps';
import { createMemoryLogger } from '../../src/slack/logger';
import { startTestStore, type TestStore } from '../helpers/dynalite';

let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
});
afterAll(async () => {
  await testStore.store.close();
});

const runs: unknown[] = [];
let failuresLeft = 0;
registerDeferred('test.once', async (payload) => {
  runs.push(payload);
});
registerDeferred('test.flaky', async (payload) => {
  runs.push(payload);
  if (failuresLeft-- > 0) throw new Error('transient, with a secret-looking payload field');
});

function depsWith(
  secret = 'unit-test-signing-secret-0123',
): AppDeps & { logs: ReturnType<typeof createMemoryLogger> } {
  const logger = createMemoryLogger();
  return {
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-unit-test',
      SLACK_SIGNING_SECRET: secret,
      DEFERRED_RETRY_DELAY_MS: '1',
    }),
    logger,
    logs: logger,
    now: () => new Date(),
    getStore: async () => testStore.store,
  } as unknown as AppDeps & { logs: ReturnType<typeof createMemoryLogger> };
}

describe('the seal', () => {
  const deps = depsWith();
  const key = deferredKey(deps.config);

  test('opens with the same key, unchanged, and not with another', () => {
    const sealed = sealDeferredTask({ kind: 'test.once', payload: { n: 1 } }, key, new Date());
    expect(openDeferredTask(sealed, key, new Date())).toMatchObject({
      ok: true,
      task: { payload: { n: 1 } },
    });
    expect(openDeferredTask(sealed, deferredKey(depsWith('another-secret-xyz').config), new Date())).toEqual({
      ok: false,
      reason: 'bad_mac',
    });
    const edited = { ...sealed, task: sealed.task.replace('"n":1', '"n":2') };
    expect(openDeferredTask(edited, key, new Date())).toEqual({ ok: false, reason: 'bad_mac' });
  });

  test('refuses the unsigned shape of old, and an event too old or from the future', () => {
    const old = { source: 'runbook-bot.deferred', task: { kind: 'test.once', payload: {} } };
    expect(openDeferredTask(old, key, new Date())).toEqual({ ok: false, reason: 'malformed' });
    const sealed = sealDeferredTask(
      { kind: 'test.once', payload: {} },
      key,
      new Date('2025-01-01T10:00:00Z'),
    );
    expect(openDeferredTask(sealed, key, new Date('2025-01-01T10:16:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(openDeferredTask(sealed, key, new Date('2025-01-01T09:58:00Z'))).toEqual({
      ok: false,
      reason: 'future',
    });
    expect(openDeferredTask(sealed, key, new Date('2025-01-01T10:14:00Z')).ok).toBe(true);
  });
});

describe('runSealedTask', () => {
  test('drops what is not ours, without running it and without logging its payload', async () => {
    const deps = depsWith();
    runs.length = 0;
    const forged = {
      source: 'runbook-bot.deferred',
      task: { kind: 'test.once', payload: { secretish: 'p4yl0ad' } },
    };
    expect(await runSealedTask(forged, deps)).toBe('refused');
    expect(runs).toEqual([]);
    expect(deps.logs.entries).toEqual([
      expect.objectContaining({ msg: 'deferred task refused', reason: 'malformed' }),
    ]);
    expect(JSON.stringify(deps.logs.entries)).not.toContain('p4yl0ad');
  });

  test('runs a task once however often it is delivered, at once or replayed later', async () => {
    const deps = depsWith();
    runs.length = 0;
    const sealed = sealDeferredTask(
      { kind: 'test.once', payload: 'x' },
      deferredKey(deps.config),
      new Date(),
    );
    const outcomes = await Promise.all([1, 2, 3].map(() => runSealedTask(structuredClone(sealed), deps)));
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already_handled')).toHaveLength(2);
    expect(await runSealedTask(structuredClone(sealed), deps)).toBe('already_handled');
    expect(runs).toEqual(['x']);
  });

  test('two tasks with the same key are the same task', async () => {
    const deps = depsWith();
    runs.length = 0;
    const key = deferredKey(deps.config);
    const a = sealDeferredTask({ kind: 'test.once', payload: 'a', key: 'click:same' }, key, new Date());
    const b = sealDeferredTask({ kind: 'test.once', payload: 'b', key: 'click:same' }, key, new Date());
    expect(await runSealedTask(a, deps)).toBe('ran');
    expect(await runSealedTask(b, deps)).toBe('already_handled');
    expect(runs).toEqual(['a']);
  });
});

describe('the in-process runner', () => {
  test('runs after the caller returns; a throwing task runs again, up to the configured attempts', async () => {
    const deps = depsWith();
    runs.length = 0;
    failuresLeft = 1;
    const { defer, pending } = createInProcessDefer(() => deps);
    await defer({ kind: 'test.flaky', payload: 'retry me' });
    runs.push('after defer');
    await pending();
    expect(runs).toEqual(['after defer', 'retry me', 'retry me']);
    expect(deps.logs.entries.filter((e) => e.msg === 'deferred task failed; retrying')).toHaveLength(1);

    failuresLeft = 10;
    runs.length = 0;
    await defer({ kind: 'test.flaky', payload: 'never works' });
    await pending();
    expect(runs).toHaveLength(3);
    const final = deps.logs.entries.filter((e) => e.msg === 'deferred task failed');
    expect(final).toEqual([expect.objectContaining({ level: 'error', kind: 'test.flaky', attempt: 3 })]);
    expect(JSON.stringify(final)).not.toContain('never works');
  });
});
