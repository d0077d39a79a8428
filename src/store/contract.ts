/**
 * The Store contract as a vitest suite: every Store implementation must pass it. test/store runs it
 * against dynalite; point `open` at a real table to run it against DynamoDB.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checklist } from '../runbooks/model/model';
import { createRunState, type RunEvent } from '../workflows/run-state';
import {
  type FeedbackRecord,
  RunExistsError,
  type RunIndexEntry,
  type RunRecord,
  type Store,
  VersionConflictError,
} from './store';

const checklist: Checklist = {
  id: 'contract',
  title: 'Contract checklist',
  commands: ['contract'],
  sectionId: 'CONTRACT.md#contract',
  records: null,
  directives: {},
  items: [
    {
      type: 'step',
      id: 'one',
      n: 1,
      title: 'One',
      markdown: '',
      text: '',
      sectionId: 's',
      phase: null,
      directives: {},
    },
  ],
};

function newRecord(runId = `contract-${randomUUID()}`): RunRecord {
  const state = createRunState({
    runId,
    checklist,
    drill: false,
    startedBy: 'U1',
    startedAt: '2024-01-01T00:00:00.000Z',
    channel: 'C1',
  });
  return { state, appliedKeys: ['k0'], outbox: [] };
}

function event(runId: string, id: string): RunEvent {
  return { id, runId, type: 'step_done', at: id.slice(0, 24), user: 'U1', stepId: 'one', version: 2 };
}

export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('returns what it stored, and null for an unknown run', async () => {
      const record = newRecord();
      await store.createRun(record);
      expect(await store.getRun(record.state.runId)).toEqual(record);
      expect(await store.getRun(`missing-${randomUUID()}`)).toBeNull();
    });

    it('refuses to create a run twice', async () => {
      const record = newRecord();
      await store.createRun(record);
      await expect(store.createRun(record)).rejects.toBeInstanceOf(RunExistsError);
    });

    it('replaces a run only at the expected version', async () => {
      const record = newRecord();
      await store.createRun(record);
      const v2: RunRecord = { ...record, state: { ...record.state, version: 2, messageTs: '1.2' } };
      await store.putRun(v2, 1);
      await expect(store.putRun({ ...v2, state: { ...v2.state, version: 3 } }, 1)).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect((await store.getRun(record.state.runId))?.state).toEqual(v2.state);
    });

    it('treats a replacement of a missing run as a conflict', async () => {
      await expect(store.putRun(newRecord(), 1)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('lets exactly one of many concurrent writers at the same version win', async () => {
      const record = newRecord();
      await store.createRun(record);
      const writers = Array.from({ length: 10 }, (_, i) =>
        store.putRun({ ...record, state: { ...record.state, version: 2, messageTs: String(i) } }, 1),
      );
      const outcomes = await Promise.allSettled(writers);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(VersionConflictError);
      }
    });

    it('appends an event once per id and lists a run’s events oldest first', async () => {
      const { state } = newRecord();
      const later = event(state.runId, '2024-01-01T00:00:02.000Z#b#0');
      const earlier = event(state.runId, '2024-01-01T00:00:01.000Z#a#0');
      expect(await store.appendEvent(later)).toBe(true);
      expect(await store.appendEvent(earlier)).toBe(true);
      expect(await store.appendEvent({ ...later, reason: 'changed' })).toBe(false);
      await store.appendEvent(event(`other-${randomUUID()}`, '2024-01-01T00:00:00.000Z#c#0'));
      expect(await store.listEvents(state.runId)).toEqual([earlier, later]);
    });

    it('keeps events apart from the run record', async () => {
      const record = newRecord();
      await store.createRun(record);
      await store.appendEvent(event(record.state.runId, '2024-01-01T00:00:01.000Z#a#0'));
      expect(await store.getRun(record.state.runId)).toEqual(record);
      expect(await store.listEvents(`none-${randomUUID()}`)).toEqual([]);
    });

    it('remembers the latest run per channel and checklist', async () => {
      const channel = `C${randomUUID()}`;
      expect(await store.getLatestRun(channel, 'failover')).toBeNull();
      await store.setLatestRun(channel, 'failover', 'r1');
      await store.setLatestRun(channel, 'failover', 'r2');
      await store.setLatestRun(channel, 'deploy', 'r3');
      expect(await store.getLatestRun(channel, 'failover')).toBe('r2');
      expect(await store.getLatestRun(channel, 'deploy')).toBe('r3');
    });

    it('claims a key once: every later claim gets the first value back', async () => {
      const key = `start:${randomUUID()}`;
      const claims = await Promise.all(['r1', 'r2', 'r3'].map((v) => store.claimKey(key, v)));
      expect(new Set(claims).size).toBe(1);
      expect(await store.claimKey(key, 'r4')).toBe(claims[0]);
    });

    it('gives a lease to one holder at a time, again once it runs out, never once completed', async () => {
      const key = `task:${randomUUID()}`;
      const now = 1_000_000;
      const takers = await Promise.all(
        ['a', 'b', 'c'].map((h) => store.acquireLease(key, h, now + 60_000, now)),
      );
      expect(takers.filter(Boolean)).toHaveLength(1);
      const holder = ['a', 'b', 'c'][takers.indexOf(true)]!;
      expect(await store.acquireLease(key, 'd', now + 60_000, now + 30_000)).toBe(false);
      // Run out: another delivery takes over.
      expect(await store.acquireLease(key, 'd', now + 200_000, now + 61_000)).toBe(true);
      // The old holder cannot complete or release what it no longer holds.
      await store.completeLease(key, holder);
      expect(await store.acquireLease(key, 'e', now + 300_000, now + 250_000)).toBe(true);
      await store.completeLease(key, 'e');
      expect(await store.acquireLease(key, 'f', now + 900_000, now + 800_000)).toBe(false);
    });

    it('indexes runs: watched ones oldest first until unwatched, recent ones newest first', async () => {
      const tag = randomUUID().slice(0, 6);
      const entry = (stamp: string): RunIndexEntry => ({
        runId: `${stamp}-${tag}`,
        checklistId: 'failover',
        title: 'DR failover',
        channel: 'C1',
        team: 'T1',
        startedBy: 'U1',
        startedAt: '2024-01-01T00:00:00.000Z',
        drill: false,
      });
      const [a, b, c] = ['20240101T000001', '20240101T000003', '20240101T000002'].map(entry);
      for (const e of [a!, b!, c!]) await store.indexRun(e);
      await store.indexRun(a!); // idempotent
      const mine = (list: RunIndexEntry[]) => list.filter((e) => e.runId.endsWith(tag)).map((e) => e.runId);
      expect(mine(await store.listWatchedRuns())).toEqual([a!.runId, c!.runId, b!.runId]);
      await store.unwatchRun(c!.runId);
      await store.unwatchRun(c!.runId);
      expect(mine(await store.listWatchedRuns())).toEqual([a!.runId, b!.runId]);
      await store.watchRun(c!);
      await store.watchRun(c!); // idempotent
      expect(mine(await store.listWatchedRuns())).toEqual([a!.runId, c!.runId, b!.runId]);
      await store.unwatchRun(c!.runId);
      expect(await store.listWatchedRuns()).toContainEqual(b);
      const recent = await store.listRecentRuns(500);
      expect(mine(recent)).toEqual([b!.runId, c!.runId, a!.runId]);
      expect(await store.listRecentRuns(2)).toHaveLength(2);
      // By workspace: T1's runs only (another workspace's never crowd them out).
      const other = { ...entry(`20240101T000004`), team: 'T2', runId: `20240101T000004-${tag}` };
      await store.indexRun(other);
      expect(mine(await store.listRecentRuns(500, 'T1'))).toEqual([b!.runId, c!.runId, a!.runId]);
      expect(mine(await store.listRecentRuns(500, 'T2'))).toEqual([other.runId]);
    });

    it('lets a released lease be taken at once', async () => {
      const key = `task:${randomUUID()}`;
      expect(await store.acquireLease(key, 'a', 2_000, 1_000)).toBe(true);
      await store.releaseLease(key, 'a');
      expect(await store.acquireLease(key, 'b', 3_000, 1_500)).toBe(true);
    });

    // Search feedback (issue 20).
    it('records feedback once per id and lists it by time range, across days', async () => {
      const user = `U${randomUUID().slice(0, 8).toUpperCase()}`;
      const record = (id: string, at: string, kind: FeedbackRecord['kind']): FeedbackRecord => ({
        id: `${id}-${user}`,
        at,
        kind,
        query: 'token expired',
        sectionId: kind === 'no-match' ? null : 'T.md#token-expired',
        shownId: null,
        user,
      });
      const late = record('b', '2031-03-02T00:00:05.000Z', 'helpful');
      const early = record('a', '2031-03-01T23:59:59.000Z', 'no-match');
      const outside = record('c', '2031-03-04T10:00:00.000Z', 'not-this');
      await store.recordFeedback(late);
      await store.recordFeedback({ ...late, query: 'changed' });
      // The same id written again later (Slack's retry of a command, dated by its write): still one record.
      await store.recordFeedback({ ...late, at: '2031-03-02T00:00:08.000Z' });
      await store.recordFeedback(early);
      await store.recordFeedback(outside);
      const mine = (list: FeedbackRecord[]) => list.filter((r) => r.user === user);
      expect(mine(await store.listFeedback('2031-03-01T00:00:00.000Z', '2031-03-03T00:00:00.000Z'))).toEqual([
        early,
        late,
      ]);
      expect(mine(await store.listFeedback('2031-03-02T00:00:00.000Z', '2031-03-05T00:00:00.000Z'))).toEqual([
        late,
        outside,
      ]);
    });
  });
}
