/**
 * Take-over and its redeliveries against starts made meanwhile (helper-172's review): a take-over's
 * submission task is delivered again (the deferred runner's retry, Lambda's) after its first delivery stopped
 * half-way; whatever happened in the channel in between, one active run of the checklist is the channel's
 * run, and nobody's run is replaced without a take-over of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun, takeOverRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext } from '../../src/workflows/checklist';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { promotion } from '../workflows/fixtures';

let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
});
afterAll(async () => {
  await testStore.store.close();
});

let seq = 0;
const at = () => new Date(Date.parse('2024-05-01T10:00:00.000Z') + ++seq * 1000).toISOString();
const c = (user: string, channel: string, key = `key-${++seq}`): CommandContext => ({
  user,
  at: at(),
  key,
  roles: [],
  team: 'T1',
  enterprise: null,
  channel,
});

describe('a take-over delivered again after its first delivery stopped half-way', () => {
  it('does not start a second active run over a run someone started in between', async () => {
    const channel = 'CRESUME';
    // A store whose first createRun after `armed` fails (a throttled write past the SDK's retries, a crash).
    let armed = false;
    const flaky: Store = {
      ...testStore.store,
      async createRun(record) {
        if (armed) {
          armed = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return testStore.store.createRun(record);
      },
    };
    const input = { checklist: promotion, drill: false, channel, team: 'T1', enterprise: null };
    const first = await startRun(flaky, input, c('U0A', channel));
    const takeOver = {
      ...input,
      runId: first.state.runId,
      reason: 'U0A handed over to me',
      startKey: 'view-V1-takeover',
    };
    // U0A takes their own run over (its starter may); the delivery cancels the run, then stops.
    armed = true;
    await expect(takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V1'))).rejects.toThrow();
    expect((await flaky.getRun(first.state.runId))?.state.status).toBe('cancelled');

    // Nothing is active in the channel now: U0B starts the checklist and works in it.
    const second = await startRun(flaky, input, c('U0B', channel));
    expect(second).toMatchObject({ blocked: false, repeated: false });
    expect(second.state.status).toBe('active');

    // The take-over's task is delivered again.
    const again = await takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V1'));

    // U0B's run was never taken over: it is still the channel's run, and the only active one.
    expect(await flaky.getLatestRun(channel, promotion.id)).toBe(second.state.runId);
    expect(again.kind).not.toBe('taken_over');
    if (again.kind === 'taken_over') {
      const other = await flaky.getRun(again.state.runId);
      expect([other?.state.status, (await flaky.getRun(second.state.runId))?.state.status]).not.toEqual([
        'active',
        'active',
      ]);
    }
  });

  it('makes the new run the channel’s run when the first delivery stopped before recording that', async () => {
    const channel = 'CPOINTER';
    // A store whose first setLatestRun after `armed` fails (throttled, or the process stops there).
    let armed = false;
    const flaky: Store = {
      ...testStore.store,
      async setLatestRun(ch, checklistId, runId) {
        if (armed) {
          armed = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return testStore.store.setLatestRun(ch, checklistId, runId);
      },
    };
    const input = { checklist: promotion, drill: false, channel, team: 'T1', enterprise: null };
    const first = await startRun(flaky, input, c('U0A', channel));
    const takeOver = {
      ...input,
      runId: first.state.runId,
      reason: 'handing over',
      startKey: 'view-V2-takeover',
    };
    armed = true;
    await expect(takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V2'))).rejects.toThrow();
    // Delivered again: it finds the run its first delivery created.
    const again = await takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V2'));
    if (again.kind !== 'taken_over') throw new Error(again.kind);
    expect(again.state.status).toBe('active');

    // Someone else starts the checklist: the taken-over run is active there, so nothing new starts.
    const other = await startRun(flaky, input, c('U0B', channel));
    expect(other).toMatchObject({ blocked: true, state: { runId: again.state.runId } });
  });
});
