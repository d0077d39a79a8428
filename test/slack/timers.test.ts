/**
 * The timer sweep of a long-running process shares the event loop with the acks (src/slack/timers.ts): its
 * code is loaded before the entry serves, and it hands the loop back between runs however fast the store is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config';
import { startHttp } from '../../src/entry/http';
import { FakeSlack } from '../../src/local/slack-web-api';
import { isDeferredLoaded } from '../../src/slack/deferred';
import type { ChecklistRuntime } from '../../src/slack/features/checklists/runtime';
import { sweep } from '../../src/slack/features/reach/timers';
import { createMemoryLogger } from '../../src/slack/logger';
import { SWEEP_KIND } from '../../src/slack/timers';
import type { RunIndexEntry, Store } from '../../src/store/store';
import { loadTestArtifact } from '../helpers/artifact';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake?.close();
});

const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-timers',
    SLACK_SIGNING_SECRET: 'timers-signing-secret-0123456789',
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    ...extra,
  });

describe('the HTTP entry', () => {
  // One process per test file (vitest isolates modules per file): nothing here has loaded the reach feature.
  test('loads the sweep code and opens the store before it serves, not on the first sweep; neither when it never sweeps', async () => {
    let opened = 0;
    const deps = {
      artifact: await loadTestArtifact(),
      logger: createMemoryLogger(),
      getStore: async () => {
        opened++;
        return {} as Store;
      },
    };
    const quiet = await startHttp(env({ TIMER_INTERVAL_MS: '0' }), deps);
    await quiet.close();
    expect([isDeferredLoaded(SWEEP_KIND), opened]).toEqual([false, 0]);

    // The default interval (30 s): no sweep has run when startHttp returns, yet its handler and store are there.
    const running = await startHttp(env(), deps);
    try {
      expect([isDeferredLoaded(SWEEP_KIND), opened]).toEqual([true, 1]);
    } finally {
      await running.close();
    }
  });
});

describe('sweep', () => {
  test('hands the event loop back between runs when the store answers without I/O', async () => {
    const order: string[] = [];
    const runs = ['R1', 'R2', 'R3', 'R4'];
    // A store that answers from memory: every call resolves as a microtask. Runs it cannot find are unwatched.
    const store = {
      listWatchedRuns: async () => runs.map((runId) => ({ runId }) as RunIndexEntry),
      getRun: async () => null,
      unwatchRun: async (runId: string) => {
        order.push(runId);
      },
    };
    const logger = createMemoryLogger();
    const rt = {
      deps: { getStore: async () => store, logger, now: () => new Date() },
    } as unknown as ChecklistRuntime;
    // Work that arrived before the sweep started (an ack's I/O callback stands for it here).
    setImmediate(() => order.push('request'));
    const result = await sweep(rt);
    expect(result).toEqual({ runs: 4, fired: [] });
    expect(logger.entries.filter((l) => l.level === 'warn')).toEqual([]);
    // The request ran after the first run and before the last, not after the whole sweep.
    expect(order).toEqual(['R1', 'request', 'R2', 'R3', 'R4']);
  });
});
