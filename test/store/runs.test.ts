import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/runbooks/model/model';
import { executeCommand, startRun, takeOverRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext } from '../../src/workflows/checklist';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { gate, promotion, STARTER, step } from '../workflows/fixtures';

let testStore: TestStore;
let store: Store;
beforeAll(async () => {
  testStore = await startTestStore();
  store = testStore.store;
});
afterAll(async () => {
  await store.close();
});

let seq = 0;
function at(): string {
  seq++;
  return new Date(Date.parse('2024-05-01T10:00:00.000Z') + seq * 1000).toISOString();
}
/** The channel of the run the test started last: commands are clicks in it (authorize() checks). */
let channel = 'C0';
const c = (user: string, roles: string[] = [], key = `key-${++seq}`): CommandContext => ({
  user,
  at: at(),
  key,
  roles,
  team: 'T1',
  enterprise: null,
  channel,
});

async function start(checklist: Checklist = promotion, where = `C${++seq}`, by = STARTER) {
  channel = where;
  return startRun(store, { checklist, drill: false, channel: where, team: 'T1', enterprise: null }, c(by));
}

describe('startRun', () => {
  it('stores the run and its started event', async () => {
    const { state, events } = await start();
    expect((await store.getRun(state.runId))?.state).toEqual(state);
    expect(await store.listEvents(state.runId)).toEqual(events);
    expect(events[0]).toMatchObject({ type: 'started', user: STARTER });
  });

  it('never replaces an active run silently: a second start is blocked and names it', async () => {
    const first = await start(promotion, 'CSAME');
    // Another person: the same person starting it again within seconds is a double submit (below).
    const second = await start(promotion, 'CSAME', 'U0OTHER');
    expect(second).toMatchObject({ blocked: true, repeated: false });
    expect(second.state.runId).toBe(first.state.runId);
    expect((await store.getRun(first.state.runId))?.state.status).toBe('active');
    expect(await store.getLatestRun('CSAME', promotion.id)).toBe(first.state.runId);
  });

  it('takes a run over only as authorize() allows, with the reason in both timelines', async () => {
    const first = await start({ ...promotion, directives: { takeover: 'incident-commander' } }, 'CTAKE');
    const input = {
      runId: first.state.runId,
      checklist: promotion,
      drill: false,
      channel: 'CTAKE',
      team: 'T1',
      enterprise: null,
      reason: 'handover to the new IC',
    };
    const outsider = await takeOverRun(store, { ...input, startKey: 'k-out' }, c('U0OUT'));
    expect(outsider).toMatchObject({ kind: 'refused', code: 'not_allowed' });
    expect((await store.listEvents(first.state.runId)).at(-1)).toMatchObject({
      type: 'refused',
      action: 'take_over',
      user: 'U0OUT',
    });
    const ic = await takeOverRun(store, { ...input, startKey: 'k-ic' }, c('U0IC', ['incident-commander']));
    if (ic.kind !== 'taken_over') throw new Error(ic.kind);
    expect(ic.replaced).toMatchObject({ status: 'cancelled', supersededBy: ic.state.runId, endedBy: 'U0IC' });
    expect(ic.state).toMatchObject({ status: 'active', startedBy: 'U0IC', replaced: first.state.runId });
    expect((await store.listEvents(first.state.runId)).at(-1)).toMatchObject({
      type: 'taken_over',
      user: 'U0IC',
      reason: 'handover to the new IC',
      runRef: ic.state.runId,
    });
    expect((await store.listEvents(ic.state.runId)).map((e) => [e.type, e.reason, e.runRef])).toEqual([
      ['started', undefined, undefined],
      ['took_over', 'handover to the new IC', first.state.runId],
    ]);
    expect(await store.getLatestRun('CTAKE', promotion.id)).toBe(ic.state.runId);
    // A retry of the same take-over finds the run it started; the replaced run stays as it is.
    const again = await takeOverRun(store, { ...input, startKey: 'k-ic' }, c('U0IC', ['incident-commander']));
    expect(again).toMatchObject({ kind: 'taken_over', state: { runId: ic.state.runId } });
    const stale = await executeCommand(store, first.state.runId, { type: 'done', stepId: 'build' }, c('U1'));
    expect(stale).toMatchObject({ kind: 'refused', code: 'not_active' });
  });

  it('lets a live run replace a drill, saying so in both; never a drill replace a live run', async () => {
    channel = 'CDRILL';
    const drill = await startRun(
      store,
      { checklist: promotion, drill: true, channel: 'CDRILL', team: 'T1', enterprise: null },
      c(STARTER),
    );
    const liveRun = await startRun(
      store,
      { checklist: promotion, drill: false, channel: 'CDRILL', team: 'T1', enterprise: null },
      c('U0OTHER'),
    );
    expect(liveRun).toMatchObject({ blocked: false, superseded: { runId: drill.state.runId } });
    expect((await store.listEvents(drill.state.runId)).at(-1)).toMatchObject({
      type: 'taken_over',
      liveOverDrill: true,
      runRef: liveRun.state.runId,
    });
    expect((await store.listEvents(liveRun.state.runId)).at(-1)).toMatchObject({
      type: 'took_over',
      liveOverDrill: true,
      runRef: drill.state.runId,
    });
    const drillAgain = await startRun(
      store,
      { checklist: promotion, drill: true, channel: 'CDRILL', team: 'T1', enterprise: null },
      c(STARTER),
    );
    expect(drillAgain).toMatchObject({ blocked: true, state: { runId: liveRun.state.runId } });
    const forced = await takeOverRun(
      store,
      {
        runId: liveRun.state.runId,
        checklist: promotion,
        drill: true,
        channel: 'CDRILL',
        team: 'T1',
        enterprise: null,
        reason: 'practice',
        startKey: 'k-drill',
      },
      c('U0OTHER'),
    );
    expect(forced).toMatchObject({ kind: 'refused', code: 'drill' });
    expect((await store.getRun(liveRun.state.runId))?.state.status).toBe('active');
  });

  it('lets concurrent starts of one checklist in one channel take turns: one run, the other blocked', async () => {
    channel = 'CRACE';
    const results = await Promise.all(
      ['U0A', 'U0B', 'U0C', 'U0D'].map((user) =>
        startRun(
          store,
          { checklist: promotion, drill: false, channel: 'CRACE', team: 'T1', enterprise: null },
          c(user),
        ),
      ),
    );
    expect(results.filter((r) => !r.blocked)).toHaveLength(1);
    const winner = results.find((r) => !r.blocked)!.state.runId;
    expect(results.filter((r) => r.blocked).every((r) => r.state.runId === winner)).toBe(true);
  });
});

describe('executeCommand', () => {
  it('applies a command once: a redelivery of the same action is a duplicate with no new event', async () => {
    const { state } = await start();
    const ctx = c('U1');
    const first = await executeCommand(store, state.runId, { type: 'done', stepId: 'build' }, ctx);
    const again = await executeCommand(store, state.runId, { type: 'done', stepId: 'build' }, { ...ctx });
    expect(first.kind).toBe('applied');
    expect(again.kind).toBe('duplicate');
    const events = await store.listEvents(state.runId);
    expect(events.filter((e) => e.type === 'step_done')).toHaveLength(1);
  });

  it('does not re-apply a redelivered Done after the step was undone', async () => {
    const { state } = await start();
    const doneCtx = c('U1');
    await executeCommand(store, state.runId, { type: 'done', stepId: 'build' }, doneCtx);
    await executeCommand(store, state.runId, { type: 'undo', stepId: 'build' }, c('U1'));
    expect((await executeCommand(store, state.runId, { type: 'done', stepId: 'build' }, doneCtx)).kind).toBe(
      'duplicate',
    );
    expect((await store.getRun(state.runId))?.state.steps['build']?.status).toBe('pending');
  });

  it('records a refused approval once, even when Slack redelivers it', async () => {
    const { state } = await start();
    await executeCommand(store, state.runId, { type: 'done', stepId: 'build' }, c('U1'));
    await executeCommand(store, state.runId, { type: 'done', stepId: 'test' }, c('U1'));
    const ctx = c('UOUT', ['devops']);
    const first = await executeCommand(store, state.runId, { type: 'approve', gateId: 'qa' }, ctx);
    const again = await executeCommand(store, state.runId, { type: 'approve', gateId: 'qa' }, { ...ctx });
    expect(first).toMatchObject({ kind: 'refused', code: 'not_approver' });
    // Refused again (never a duplicate, which means applied), with nothing new to post.
    expect(again).toMatchObject({ kind: 'refused', code: 'not_approver', events: [] });
    const refusals = (await store.listEvents(state.runId)).filter((e) => e.type === 'refused');
    expect(refusals).toEqual([
      expect.objectContaining({
        user: 'UOUT',
        role: 'devops',
        action: 'approve_gate',
        code: 'not_approver',
        at: ctx.at,
      }),
    ]);
  });

  it('answers not_found for an unknown run', async () => {
    expect((await executeCommand(store, 'nope', { type: 'done', stepId: 'x' }, c('U1'))).kind).toBe(
      'not_found',
    );
  });

  it('re-appends the events of a change whose writer stopped before appending them', async () => {
    const { state } = await start();
    // A writer that crashed after its conditional write: the record holds the events, the log does not.
    const record = (await store.getRun(state.runId))!;
    const lost = {
      id: `${at()}#lost#0`,
      runId: state.runId,
      type: 'step_done' as const,
      at: at(),
      user: 'U1',
      stepId: 'build',
      version: 2,
    };
    await store.putRun(
      {
        state: {
          ...record.state,
          version: 2,
          steps: { ...record.state.steps, build: { status: 'done', by: 'U1', at: lost.at } },
        },
        appliedKeys: [...record.appliedKeys, 'lost'],
        outbox: [lost],
      },
      1,
    );
    await executeCommand(store, state.runId, { type: 'done', stepId: 'test' }, c('U2'));
    const events = await store.listEvents(state.runId);
    expect(events.map((e) => e.type)).toEqual(['started', 'step_done', 'step_done']);
    expect(events).toContainEqual(lost);
  });
});

describe.each([
  { processes: 1, label: 'one process (commands take turns, no conflicts)' },
  { processes: 50, label: 'fifty processes (every click its own client: conditional writes decide)' },
])('50 concurrent clicks on one run, $label', ({ processes }) => {
  const stepIds = Array.from({ length: 45 }, (_, i) => `s${i + 1}`);
  const roles = ['r1', 'r2', 'r3', 'r4', 'r5'];
  const big: Checklist = {
    ...promotion,
    id: 'big',
    // One parallel group: every step is current at once, so the 45 clicks all race for the same run.
    items: [
      ...stepIds.map((id, i) => ({ ...step(i + 1, id), parallel: 'wave' })),
      gate('sign', roles),
      step(46, 'after'),
    ],
  };

  // A generous time limit: the machine may be busy. The test asserts outcomes, never durations.
  it('ends with every distinct event exactly once (Done wave, then Approve wave)', async () => {
    const clients = processes === 1 ? [store] : Array.from({ length: processes }, () => testStore.connect());
    const via = (i: number) => clients[i % clients.length]!;
    const { state } = await start(big);
    const runId = state.runId;

    // Wave 1: 45 distinct Done clicks plus 5 redeliveries of some of them, all at once.
    const doneCtx = stepIds.map((id) => ({ id, ctx: c(`U${id}`) }));
    const t1 = performance.now();
    const r1 = await Promise.all(
      [...doneCtx, ...doneCtx.slice(0, 5)].map(({ id, ctx }, i) =>
        executeCommand(via(i), runId, { type: 'done', stepId: id }, { ...ctx }),
      ),
    );
    const wave1Ms = performance.now() - t1;
    expect(r1.filter((r) => r.kind === 'applied')).toHaveLength(45);
    expect(r1.filter((r) => r.kind === 'duplicate')).toHaveLength(5);

    // Wave 2: 50 approvers, 10 per role, all clicking Approve at once: one signature per role.
    const approvers = Array.from({ length: 50 }, (_, i) => ({ user: `UA${i}`, role: roles[i % 5]! }));
    const t2 = performance.now();
    const r2 = await Promise.all(
      approvers.map(({ user, role }, i) =>
        executeCommand(via(i), runId, { type: 'approve', gateId: 'sign' }, c(user, [role])),
      ),
    );
    const wave2Ms = performance.now() - t2;
    expect(r2.filter((r) => r.kind === 'applied')).toHaveLength(5);
    expect(r2.filter((r) => r.kind === 'refused')).toHaveLength(45);

    const final = (await store.getRun(runId))!.state;
    expect(final.version).toBe(1 + 45 + 5);
    expect(
      stepIds.every((id) => final.steps[id]?.status === 'done' && final.steps[id]?.by === `U${id}`),
    ).toBe(true);
    expect(final.gates['sign']?.approvals.map((a) => a.role).sort()).toEqual(roles);

    const events = await store.listEvents(runId);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(
      events
        .filter((e) => e.type === 'step_done')
        .map((e) => e.stepId)
        .sort(),
    ).toEqual([...stepIds].sort());
    expect(count('gate_approved')).toBe(5);
    expect(count('gate_passed')).toBe(1);
    expect(count('refused')).toBe(45);
    expect(events).toHaveLength(1 + 45 + 5 + 1 + 45);
    // Each approval event matches a signature in the state, user for user.
    expect(
      events
        .filter((e) => e.type === 'gate_approved')
        .map((e) => `${e.role}:${e.user}`)
        .sort(),
    ).toEqual(final.gates['sign']!.approvals.map((a) => `${a.role}:${a.user}`).sort());

    const attempts = [...r1, ...r2].flatMap((r) => (r.kind === 'applied' ? [r.attempts] : []));
    console.info(
      `50 concurrent clicks via ${processes} client(s): Done wave ${wave1Ms.toFixed(0)} ms, ` +
        `Approve wave ${wave2Ms.toFixed(0)} ms; max attempts ${Math.max(...attempts)}, ` +
        `total attempts ${attempts.reduce((a, b) => a + b, 0)} for ${attempts.length} changes`,
    );
    if (processes === 1) expect(Math.max(...attempts)).toBe(1);
    else expect(Math.max(...attempts)).toBeGreaterThan(1);
    await Promise.all(clients.filter((s) => s !== store).map((s) => s.close()));
  }, 120_000);
});
