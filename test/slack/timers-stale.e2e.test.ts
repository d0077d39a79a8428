/**
 * The timer sweep acting on a run it read a moment earlier (helper-172's review): what a timer sends must
 * follow what is stored when it fires, not what the sweep read before taking the timer's lease; and the watch
 * list must not lose a run that owes an update again. End to end through the reach feature (reach-bot.ts);
 * the store is wrapped only to make a change land at the moment a second process would make it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Checklist, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { runTimers } from '../../src/slack/timers';
import { executeCommand } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { TEST_CHANNEL, TEST_TEAM } from '../helpers/slack-payloads';
import { hasElement, type ReachBot, startReachBot } from './reach-bot';

const GATE = 'gate-dev-sit-promotion';
const STARTER = 'U0STARTER';

let rb: ReachBot | undefined;
let base: TestStore | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
  await base?.store.close();
  base = undefined;
});

/**
 * A store whose method `name`, the first time `when` says so, runs `hook` before its work (or, with
 * `after`, once its work is done): a change another process makes at that moment.
 */
function hooked<K extends keyof Store>(
  store: Store,
  name: K,
  when: (...args: Parameters<Store[K]>) => boolean,
  hook: () => Promise<void>,
  after = false,
): Store & { fired: () => boolean } {
  let fired = false;
  const original = store[name] as (...args: unknown[]) => Promise<unknown>;
  return {
    ...store,
    [name]: async (...args: unknown[]) => {
      const now = !fired && when(...(args as Parameters<Store[K]>));
      if (now) fired = true;
      if (now && !after) await hook();
      const result = await original(...args);
      if (now && after) await hook();
      return result;
    },
    fired: () => fired,
  };
}

const ctxOf = (user: string, roles: string[], key: string, at: string) => ({
  user,
  roles,
  at,
  key,
  team: TEST_TEAM,
  enterprise: null,
  channel: TEST_CHANNEL,
});

describe('a reminder fired by a sweep that read the run before the gate was signed', () => {
  it('is not sent: the gate passed a moment after the sweep read it', async () => {
    base = await startTestStore();
    let runId = '';
    let signAt = '';
    // Both approvers sign (in the channel, another Lambda container) just as the sweep takes the reminder's
    // lease: after the sweep read the run, before it fires.
    const store = hooked(
      base.store,
      'acquireLease',
      (key) => String(key).startsWith('timer:remind:'),
      async () => {
        for (const [user, role] of [
          ['U0DEVOPS', 'devops'],
          ['U0ARCH', 'architecture'],
        ] as const) {
          const result = await executeCommand(
            base!.store,
            runId,
            { type: 'approve', gateId: GATE },
            ctxOf(user, [role], `sign-${user}`, signAt),
          );
          expect(result.kind).toBe('applied');
        }
      },
    );
    rb = await startReachBot({ store: { ...base, store } });
    await rb.command('promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    runId = rb.runId();
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    signAt = new Date(opened + 30 * 60_000 - 1000).toISOString();

    await rb.sweepAt(new Date(opened + 30 * 60_000).toISOString());
    expect(store.fired()).toBe(true);
    expect((await rb.state()).gates[GATE]?.approvals.map((a) => a.user).sort()).toEqual([
      'U0ARCH',
      'U0DEVOPS',
    ]);

    // The gate is signed: nobody is reminded to sign it, in the thread or by DM, and the timeline says nothing.
    const reminders = rb.bot.fake.messages.filter((m) => (m.text ?? '').includes(':alarm_clock:'));
    expect(reminders.map((m) => m.text)).toEqual([]);
    const notes = (await base.store.listEvents(runId)).filter((e) =>
      (e.text ?? '').includes(':alarm_clock:'),
    );
    expect(notes).toEqual([]);
  });
});

describe('a sweep that found an ended run owing nothing', () => {
  const STAKE = 'C0STAKE';
  const IC = 'U0IC';
  const NOW = new Date();
  const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 9, 0);
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const step = (n: number, id: string, directives: Record<string, string> = {}): StepItem => ({
    type: 'step',
    id,
    n,
    title: id.replace(/-/g, ' '),
    markdown: `${id}.`,
    text: `${id}.`,
    sectionId: 'DR_FAILOVER.md#failover-procedure',
    phase: null,
    directives,
  });
  /** DR_FAILOVER.md's notice template (`update=30m`) on a two-step checklist. */
  const INCIDENT: Checklist = {
    id: 'failover',
    title: 'DR failover to eu-west-1',
    commands: ['failover'],
    sectionId: 'DR_FAILOVER.md#failover-procedure',
    records: null,
    directives: { checklist: 'failover' },
    items: [step(1, 'notify-stakeholders', { notify: 'failover-notice' }), step(2, 'hand-over')],
  };

  it('does not drop it from the watch list after it promised another update', async () => {
    base = await startTestStore();
    let runId = '';
    /** What postUpdate records once an update is posted (features/reach/stakeholders.ts). */
    const recordUpdate = async (when: string, nextDueAt?: string) => {
      const result = await executeCommand(
        base!.store,
        runId,
        {
          type: 'record_comms',
          post: {
            kind: 'update',
            template: 'failover-update',
            channels: [STAKE],
            ...(nextDueAt ? { nextDueAt } : {}),
          },
        },
        ctxOf(IC, [], `update-${when}`, when),
      );
      expect(result.kind).toBe('applied');
    };
    // The sweep lists the run (it owes the update due at 31); then the IC's "No further updates planned" is
    // recorded (another container); the sweep reads the run (owes nothing) and, just before it unwatches it,
    // the IC's next update "in 30 minutes" is recorded (it puts the run back on the list, then writes).
    let store = hooked(
      base.store,
      'listWatchedRuns',
      () => runId !== '',
      () => recordUpdate(at(20)),
      true,
    );
    store = hooked(
      store,
      'unwatchRun',
      (id) => id === runId,
      () => recordUpdate(at(21), at(51)),
    );
    rb = await startReachBot({
      artifact: { ...(await loadTestArtifact()), checklists: [INCIDENT] },
      store: { ...base, store },
      env: { STAKEHOLDER_CHANNELS: STAKE },
      now: new Date(T0),
    });
    await rb.command('failover', IC);
    rb.clock.now = new Date(at(1));
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'notify-stakeholders');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'hand-over');
    expect((await rb.state()).status).toBe('completed');
    runId = rb.runId();

    await rb.sweepAt(at(21));
    expect(store.fired()).toBe(true);
    expect((await rb.state()).comms?.posts.at(-1)).toMatchObject({ kind: 'update', nextDueAt: at(51) });

    // The run owes the update due at 51: it is watched, and reminded when it is due.
    expect((await base.store.listWatchedRuns()).map((e) => e.runId)).toContain(runId);
    await rb.sweepAt(at(52));
    expect(rb.thread().filter((m) => hasElement(m, ActionIds.reachPostUpdate))).toHaveLength(1);
  });
});

describe('an update reminder fired by a sweep that read the run before the update was posted', () => {
  it('is not sent: the update was just posted and the next is due later', async () => {
    base = await startTestStore();
    const STAKE = 'C0STAKE';
    const IC = 'U0IC';
    const NOW = new Date();
    const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 9, 0);
    const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
    const step = (n: number, id: string, directives: Record<string, string> = {}): StepItem => ({
      type: 'step',
      id,
      n,
      title: id.replace(/-/g, ' '),
      markdown: `${id}.`,
      text: `${id}.`,
      sectionId: 'DR_FAILOVER.md#failover-procedure',
      phase: null,
      directives,
    });
    const INCIDENT: Checklist = {
      id: 'failover',
      title: 'DR failover to eu-west-1',
      commands: ['failover'],
      sectionId: 'DR_FAILOVER.md#failover-procedure',
      records: null,
      directives: { checklist: 'failover' },
      items: [step(1, 'notify-stakeholders', { notify: 'failover-notice' }), step(2, 'hand-over')],
    };
    let runId = '';
    // The IC posts the update (from the notice's Post update… in another container) just as the sweep takes
    // the update timer's lease: what postUpdate records once it has posted.
    const store = hooked(
      base.store,
      'acquireLease',
      (key) => String(key).startsWith('timer:update:'),
      async () => {
        const result = await executeCommand(
          base!.store,
          runId,
          {
            type: 'record_comms',
            post: { kind: 'update', template: 'failover-update', channels: [STAKE], nextDueAt: at(61) },
          },
          ctxOf(IC, [], 'update-early', at(31)),
        );
        expect(result.kind).toBe('applied');
      },
    );
    rb = await startReachBot({
      artifact: { ...(await loadTestArtifact()), checklists: [INCIDENT] },
      store: { ...base, store },
      env: { STAKEHOLDER_CHANNELS: STAKE },
      now: new Date(T0),
    });
    await rb.command('failover', IC);
    rb.clock.now = new Date(at(1));
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    runId = rb.runId();

    await rb.sweepAt(at(31));
    expect(store.fired()).toBe(true);
    expect((await rb.state()).comms?.posts.at(-1)).toMatchObject({ kind: 'update', nextDueAt: at(61) });
    // The update due at 31 was posted: nobody is told it is due.
    expect(rb.thread().filter((m) => hasElement(m, ActionIds.reachPostUpdate))).toHaveLength(0);
  });
});

describe('a sweep that lists a run being started', () => {
  it('does not drop it from the watch list: its gate is reminded when due', async () => {
    base = await startTestStore();
    // The start has indexed its run (indexRun) and is about to write it (createRun) when the sweep (the
    // schedule, another container) lists the watched runs and reads that run: not there yet.
    const store = hooked(
      base.store,
      'createRun',
      (record) => record.state.checklistId === 'promote-dev-sit',
      async () => {
        await runTimers(rb!.bot.deps);
      },
    );
    rb = await startReachBot({ store: { ...base, store } });
    await rb.command('promote dev sit', STARTER);
    expect(store.fired()).toBe(true);
    const runId = rb.runId();
    expect((await rb.state()).status).toBe('active');
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');

    // The run is active: the timers watch it, and its gate's reminder comes after its 30 minutes.
    expect((await base.store.listWatchedRuns()).map((e) => e.runId)).toContain(runId);
    await rb.sweepAt(new Date(opened + 31 * 60_000).toISOString());
    expect(rb.thread().filter((m) => (m.text ?? '').includes(':alarm_clock:'))).toHaveLength(1);
  });
});

describe('two changes of an ended run in two containers at once', () => {
  it('leave a run that owes an update on the watch list, whichever unwatches last', async () => {
    base = await startTestStore();
    const NOW = new Date();
    const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 9, 0);
    const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
    const IC = 'U0IC';
    const checklist = (await loadTestArtifact()).checklists[0]!;
    const { startRun } = await import('../../src/store/runs.js');
    const started = await startRun(
      base.store,
      { checklist, drill: false, channel: TEST_CHANNEL, team: TEST_TEAM, enterprise: null },
      ctxOf(IC, [], 'start', at(0)),
    );
    const runId = started.state.runId;
    // An ended run (cancelled) that posted a notice promising an update at 30: watched.
    const record = (await base.store.getRun(runId))!;
    await base.store.putRun(
      {
        ...record,
        state: {
          ...record.state,
          version: record.state.version + 1,
          status: 'cancelled',
          endedAt: at(5),
          comms: {
            posts: [
              {
                kind: 'notice',
                template: 'failover-notice',
                at: at(1),
                by: IC,
                channels: ['C0STAKE'],
                nextDueAt: at(31),
              },
            ],
          },
        },
      },
      record.state.version,
    );
    const update = (s: Store, when: string, nextDueAt?: string) =>
      executeCommand(
        s,
        runId,
        {
          type: 'record_comms',
          post: {
            kind: 'update',
            template: 'failover-update',
            channels: ['C0STAKE'],
            ...(nextDueAt ? { nextDueAt } : {}),
          },
        },
        ctxOf(IC, [], `update-${when}`, when),
      );
    // Container A records "No further updates planned" (the run owes nothing: A unwatches it after its write);
    // container B, between A's write and A's unwatch, records an update promising the next at 51.
    const second = base.connect();
    const first = hooked(
      base.connect(),
      'unwatchRun',
      (id) => id === runId,
      async () => {
        expect((await update(second, at(21), at(51))).kind).toBe('applied');
      },
    );
    try {
      expect((await update(first, at(20))).kind).toBe('applied');
      expect(first.fired()).toBe(true);
      expect((await base.store.getRun(runId))!.state.comms?.posts.at(-1)?.nextDueAt).toBe(at(51));
      expect((await base.store.listWatchedRuns()).map((e) => e.runId)).toContain(runId);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('a drill that posted its notice and then ended', () => {
  const IC = 'U0IC';
  const NOW = new Date();
  const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 9, 0);
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  const step = (n: number, id: string, directives: Record<string, string> = {}): StepItem => ({
    type: 'step',
    id,
    n,
    title: id.replace(/-/g, ' '),
    markdown: `${id}.`,
    text: `${id}.`,
    sectionId: 'DR_FAILOVER.md#failover-procedure',
    phase: null,
    directives,
  });
  const INCIDENT: Checklist = {
    id: 'failover',
    title: 'DR failover to eu-west-1',
    commands: ['failover'],
    sectionId: 'DR_FAILOVER.md#failover-procedure',
    records: null,
    directives: { checklist: 'failover' },
    items: [step(1, 'notify-stakeholders', { notify: 'failover-notice' }), step(2, 'hand-over')],
  };

  it('is not watched (swept every minute) for ever once its reminder has fired', async () => {
    rb = await startReachBot({
      artifact: { ...(await loadTestArtifact()), checklists: [INCIDENT] },
      env: { STAKEHOLDER_CHANNELS: 'C0STAKE' },
      now: new Date(T0),
    });
    await rb.command('drill failover', IC);
    expect((await rb.state()).drill).toBe(true);
    rb.clock.now = new Date(at(1));
    // The drill's notice (in its own thread), promising an update in 30 minutes; then the drill is cancelled.
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    expect((await rb.state()).comms?.posts.at(-1)?.nextDueAt).toBeDefined();
    rb.clock.now = new Date(at(2));
    await rb.click(rb.latestRun(), ActionIds.checklistCancel, IC, '');
    await rb.submitModal(IC, {
      [ActionIds.checklistReasonBlock]: {
        [ActionIds.checklistReasonInput]: { type: 'plain_text_input', value: 'drill over' },
      },
    });
    const runId = rb.runId();
    expect((await rb.state()).status).toBe('cancelled');

    await rb.sweepAt(at(31));
    await rb.sweepAt(at(3 * 24 * 60));
    // Nothing is ever due from it again: the sweep no longer reads it every minute.
    expect((await rb.store.store.listWatchedRuns()).map((e) => e.runId)).not.toContain(runId);
  });
});
