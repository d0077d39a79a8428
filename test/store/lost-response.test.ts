/**
 * Found in a review (helper-188): DynamoDB applied the run's conditional write, but its answer never reached
 * the bot (a connection reset, a time-out after the write). The AWS SDK retries the PutItem by itself; the
 * retry fails its condition (the version moved: by our own write), executeCommand reads the run again, finds
 * its own key applied and calls the change a `duplicate`, as if another delivery had made it. Callers treat
 * `duplicate` as "someone else did this": the execute task stops without executing the approved failover
 * (test/aws/execute-lost-answer.e2e.test.ts). The same with a refusal's audit event (appendEvent answers
 * false after the SDK's retry): the refusal is returned as `duplicate`, and the person is told nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { executeCommand, startRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext } from '../../src/workflows/checklist';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { isRunReplacement, type LostAnswerProxy, startLostAnswerProxy } from '../helpers/lost-answer-proxy';
import { promotion, STARTER } from '../workflows/fixtures';

let ts: TestStore;
let proxy: LostAnswerProxy;
let store: Store;
beforeAll(async () => {
  ts = await startTestStore();
  proxy = await startLostAnswerProxy(ts.endpoint);
  store = createDynamoStore({
    tableName: ts.tableName,
    client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
  });
});
afterAll(async () => {
  await store.close();
  await proxy.close();
  await ts.store.close();
});

const ctx = (user: string, key: string, at: string): CommandContext => ({
  user,
  at,
  key,
  roles: [],
  team: 'T1',
  enterprise: null,
  channel: 'C0LOST',
});

describe('a run write whose answer is lost (the SDK retries it)', () => {
  it('reports the change it made as applied, not as a duplicate of someone else’s', async () => {
    const { state } = await startRun(
      ts.store,
      { checklist: promotion, drill: false, channel: 'C0LOST', team: 'T1', enterprise: null },
      ctx(STARTER, 'start-lost', '2024-05-01T10:00:00.000Z'),
    );
    const before = proxy.lost();
    proxy.arm('PutItem', isRunReplacement);
    const result = await executeCommand(
      store,
      state.runId,
      { type: 'done', stepId: 'build' },
      ctx('U0OPS', 'click-once', '2024-05-01T10:01:00.000Z'),
    );
    expect(proxy.lost()).toBe(before + 1);
    // The write is stored once…
    const stored = await ts.store.getRun(state.runId);
    expect(stored?.state.steps['build']).toMatchObject({ status: 'done', by: 'U0OPS' });
    // …but this one delivery is the only one that ever made it: it must hear "applied" (and append its
    // events), else the click is answered as a redelivery and the thread never hears of the step.
    expect(result.kind).toBe('applied');
    expect((await ts.store.listEvents(state.runId)).map((e) => e.type)).toContain('step_done');
  });

  it('answers a refusal whose audit event was written but not confirmed as a refusal, not as a duplicate', async () => {
    const { state } = await startRun(
      ts.store,
      { checklist: promotion, drill: false, channel: 'C0LOST', team: 'T1', enterprise: null },
      ctx(STARTER, 'start-lost-2', '2024-05-01T11:00:00.000Z'),
    );
    for (const [n, stepId] of ['build', 'test'].entries())
      await executeCommand(
        ts.store,
        state.runId,
        { type: 'done', stepId },
        ctx('U0OPS', `d${n}`, `2024-05-01T11:0${n + 1}:00.000Z`),
      );
    const before = proxy.lost();
    // The starter tries to sign their own run's gate: refused (rule 5), the attempt recorded once.
    proxy.arm('PutItem', (raw) => raw.includes('"EVT#') && raw.includes('\\"type\\":\\"refused\\"'));
    const result = await executeCommand(
      store,
      state.runId,
      { type: 'approve', gateId: 'qa' },
      { ...ctx(STARTER, 'starter-signs', '2024-05-01T11:05:00.000Z'), roles: ['security'] },
    );
    expect(proxy.lost()).toBe(before + 1);
    // Today: `duplicate`, so the starter is told nothing and the refusal never reaches the thread.
    expect(result.kind).toBe('refused');
  });
});
