/**
 * Found in a review (helper-194) of the write token (f121557, src/store/dynamo.ts conditionalPut): a failed condition is
 * recognised as this write only while the item still holds this write's token. When DynamoDB applied the run
 * write, its answer was lost, and another change of the same run (anyone's click, a timer) landed before the
 * SDK's own retry, the retry fails its condition against the other write: the token is not ours, putRun
 * throws VersionConflictError, executeCommand reads the run again, finds its own key applied and answers
 * `duplicate` (for begin_execution: the approved failover never executed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { executeCommand, startRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext } from '../../src/workflows/checklist';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import {
  type LostAnswerBetweenProxy,
  startLostAnswerBetweenProxy,
} from '../helpers/lost-answer-between-proxy';
import { isRunReplacement } from '../helpers/lost-answer-proxy';
import { promotion, STARTER } from '../workflows/fixtures';

let ts: TestStore;
let proxy: LostAnswerBetweenProxy;
let store: Store;
beforeAll(async () => {
  ts = await startTestStore();
  proxy = await startLostAnswerBetweenProxy(ts.endpoint);
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

describe('a run write whose answer is lost while another change of the run lands', () => {
  it('is still reported as applied (the only delivery that made it), not as a duplicate', async () => {
    const { state } = await startRun(
      ts.store,
      { checklist: promotion, drill: false, channel: 'C0LOST', team: 'T1', enterprise: null },
      ctx(STARTER, 'start-lost-between', '2024-05-01T10:00:00.000Z'),
    );
    let between = '';
    proxy.arm(isRunReplacement, async () => {
      // Someone else's click on the same run, in another container, between the write and the SDK's retry.
      const other = await executeCommand(
        ts.store,
        state.runId,
        { type: 'done', stepId: 'test' },
        ctx('U0OTHER', 'other-click', '2024-05-01T10:01:01.000Z'),
      );
      between = other.kind;
    });
    const result = await executeCommand(
      store,
      state.runId,
      { type: 'done', stepId: 'build' },
      ctx('U0OPS', 'click-once', '2024-05-01T10:01:00.000Z'),
    );
    expect(between).toBe('applied');
    const stored = await ts.store.getRun(state.runId);
    expect(stored?.state.steps['build']).toMatchObject({ status: 'done', by: 'U0OPS' });
    // This delivery is the only one that made the change: a `duplicate` answer (and no events appended) is
    // read by callers as "another delivery did it" (execute: the approved failover is not executed).
    expect(result.kind).toBe('applied');
    expect((await ts.store.listEvents(state.runId)).map((e) => e.type)).toContain('step_done');
  });
});
