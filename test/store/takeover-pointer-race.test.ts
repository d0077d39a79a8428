/**
 * Review 177: the take-over resume (53a35fc) when its first delivery stopped before the channel pointer.
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

describe('review 177: a take-over delivered again after it created its run but not the pointer', () => {
  it('does not leave two active runs when someone started the checklist in between', async () => {
    const channel = 'C177PTR';
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
      startKey: 'view-V177-takeover',
    };
    // The take-over cancels the old run and creates its own, then stops before pointing the channel at it.
    armed = true;
    await expect(takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V177'))).rejects.toThrow();
    expect((await flaky.getRun(first.state.runId))?.state.status).toBe('cancelled');

    // The channel's run is the cancelled one: U0B starts the checklist (nothing active there, as far as the
    // channel's pointer says) and works in it.
    const second = await startRun(flaky, input, c('U0B', channel));
    expect(second).toMatchObject({ blocked: false, repeated: false });

    // The take-over's task is delivered again: takeover.ts posts whatever run it answers 'taken_over' with.
    const again = await takeOverRun(flaky, takeOver, c('U0A', channel, 'takeover-V177'));

    // One active run of the checklist in the channel, and it is the channel's run.
    const statuses = [
      (await flaky.getRun(second.state.runId))?.state.status,
      again.kind === 'taken_over' ? (await flaky.getRun(again.state.runId))?.state.status : 'not started',
    ];
    expect(statuses.filter((s) => s === 'active')).toHaveLength(1);
    expect(again.kind).not.toBe('taken_over');
  });
});

describe('review 177: a live start over a drill, delivered again after it stopped half-way', () => {
  it('replaces the drill on redelivery instead of cancelling the live run as blocked by the drill', async () => {
    const channel = 'C177DRILL';
    // A store whose putRun fails while `armed` (the drill's take-over write throttled, each attempt: a run
    // write that fails is read again and tried a few times before the failure stands).
    let armed = false;
    const flaky: Store = {
      ...testStore.store,
      async putRun(record, expected) {
        if (armed) throw new Error('ProvisionedThroughputExceededException');
        return testStore.store.putRun(record, expected);
      },
    };
    const base = { checklist: promotion, channel, team: 'T1', enterprise: null };
    const drill = await startRun(flaky, { ...base, drill: true }, c('U0A', channel));
    expect(drill.state.status).toBe('active');

    // A real incident: the live start stores its run, then the write that supersedes the drill fails.
    const live = { ...base, drill: false, startKey: 'T1:trigger-177' };
    armed = true;
    await expect(startRun(flaky, live, c('U0B', channel))).rejects.toThrow();
    armed = false;

    // The start task is delivered again (same start key).
    const again = await startRun(flaky, live, c('U0B', channel));

    // A live run replaces a drill: the redelivery finishes that, it is not refused because of the drill.
    expect(again.blocked).toBe(false);
    expect(again.state.drill).toBe(false);
    expect((await flaky.getRun(again.state.runId))?.state.status).toBe('active');
    expect(await flaky.getLatestRun(channel, promotion.id)).toBe(again.state.runId);
  });
});
