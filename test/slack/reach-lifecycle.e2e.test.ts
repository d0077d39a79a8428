/**
 * Around a run's end (found in a review, helper-168): the update-due reminder of a run that once owed
 * nothing and owes again, a gate's wait that a click dated ahead cannot move, the Home tab's recent runs of
 * one workspace among many, and an update whose recording failed after it was posted. End to end through
 * the reach feature (reach-bot.ts), the app's clock in the test's hands.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Artifact, Checklist, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { startRun } from '../../src/store/runs';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startFaultProxy } from '../helpers/fault-proxy';
import { hasElement, type ReachBot, startReachBot } from './reach-bot';

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

async function artifact(): Promise<Artifact> {
  const real = await loadTestArtifact();
  return { ...real, checklists: [INCIDENT] };
}

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

const update = (next: string) => ({
  [ActionIds.reachUpdateStatus]: {
    [ActionIds.reachUpdateStatus]: { type: 'plain_text_input', value: 'Monitoring' },
  },
  [ActionIds.reachUpdateChanges]: {
    [ActionIds.reachUpdateChanges]: { type: 'plain_text_input', value: 'Error rates are back to normal.' },
  },
  [ActionIds.reachUpdateNext]: {
    [ActionIds.reachUpdateNext]: { type: 'static_select', selected_option: { value: next } },
  },
});

describe('an update promised after the run stopped owing any', () => {
  it('is reminded when due, like any other promised update', async () => {
    rb = await startReachBot({
      artifact: await artifact(),
      env: { STAKEHOLDER_CHANNELS: STAKE },
      now: new Date(T0),
    });
    await rb.command('failover', IC);
    rb.clock.now = new Date(at(1));
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'notify-stakeholders');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'hand-over');
    expect((await rb.state()).status).toBe('completed');

    const due = () => rb!.thread().filter((m) => hasElement(m, ActionIds.reachPostUpdate));
    await rb.sweepAt(at(31));
    expect(due()).toHaveLength(1);

    // The IC thinks it is over: "No further updates planned". The run now owes nothing and leaves the watch list.
    rb.clock.now = new Date(at(32));
    await rb.click(due()[0]!, ActionIds.reachPostUpdate, IC);
    await rb.submitModal(IC, update('0'));
    expect((await rb.state()).comms?.posts.at(-1)).toMatchObject({ kind: 'update' });
    expect((await rb.state()).comms?.posts.at(-1)?.nextDueAt).toBeUndefined();

    // It flares up again: the IC posts another update from the same (still working) button, promising the
    // next in 30 minutes. The bot records the promise…
    rb.clock.now = new Date(at(40));
    await rb.click(due()[0]!, ActionIds.reachPostUpdate, IC);
    await rb.submitModal(IC, update('30'));
    expect((await rb.state()).comms?.posts.at(-1)).toMatchObject({ kind: 'update', nextDueAt: at(70) });

    // …and must remind when it is due, as it did for the first.
    await rb.sweepAt(at(71));
    expect(due()).toHaveLength(2);
  });
});

describe('the time a click says it happened (action_ts, in the payload)', () => {
  const STARTER = 'U0STARTER';
  const GATE_STEP = 'produce-the-sit-terraform-plan';

  it('cannot move a gate’s wait into the future and so silence its reminder and escalation', async () => {
    rb = await startReachBot();
    await rb.command('promote dev sit', STARTER);
    await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    // The last step before the DEV → SIT gate (remind=30m escalate=L2), marked done by anyone in the channel
    // with an action_ts they wrote: thirty days from now.
    const now = rb.clock.now.getTime();
    await rb.click(
      rb.latestRun(),
      ActionIds.checklistDone,
      'U0MEMBER',
      GATE_STEP,
      (now + 30 * 86_400_000) / 1000,
    );
    const done = (await rb.state()).steps[GATE_STEP];
    expect(done?.status).toBe('done');
    // The gate opened now: it is reminded about after its 30 minutes and escalated after 60, as the runbook says.
    const marked = (mark: string) => rb!.thread().filter((m) => (m.text ?? '').includes(mark));
    await rb.sweepAt(new Date(now + 31 * 60_000).toISOString());
    expect(marked(':alarm_clock:')).toHaveLength(1);
    await rb.sweepAt(new Date(now + 61 * 60_000).toISOString());
    expect(marked(':rotating_light:')).toHaveLength(1);
    // The run records when the bot handled the click, not a time from the payload (the timeline shows it).
    expect(Date.parse(done?.at ?? '')).toBeLessThanOrEqual(now + 5 * 60_000);
  });
});

describe('the Home tab’s recent runs', () => {
  it('lists this workspace’s runs however many runs another workspace of the install started since', async () => {
    rb = await startReachBot();
    await rb.command('promote dev sit', 'U0STARTER');
    // The app is installed in a second workspace too (an Enterprise Grid org, another team): busy there.
    const checklist = rb.bot.deps.artifact.checklists[0]!;
    const later = rb.clock.now.getTime() + 60_000;
    for (let i = 0; i < 30; i++) {
      const at = new Date(later + i * 1000).toISOString();
      await startRun(
        rb.store.store,
        { checklist, drill: true, channel: `C0ELSE${i}`, team: 'T0ELSEWHERE', enterprise: null },
        {
          user: 'U0ELSE',
          at,
          key: `else-${i}`,
          team: 'T0ELSEWHERE',
          enterprise: null,
          channel: `C0ELSE${i}`,
        },
      );
    }
    // Someone of this workspace who neither started nor signs anything opens their Home tab.
    await rb.openHome('U0SEC', 'Ev-recent');
    const home = JSON.stringify(rb.home('U0SEC')?.view ?? {});
    const recent = home.slice(home.indexOf('Recent runs'), home.indexOf('*Runbooks*'));
    expect(recent).not.toContain('No runs yet.');
    expect(recent).toContain('Promote DEV to SIT');
  });
});

describe('a stakeholder update whose recording fails after it was posted', () => {
  it('is not posted to the stakeholders a second time when the task is delivered again', async () => {
    const base = await startTestStore();
    const proxy = await startFaultProxy(base.endpoint);
    const proxied: TestStore = {
      ...base,
      store: createDynamoStore({
        tableName: base.tableName,
        client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
      }),
    };
    try {
      rb = await startReachBot({
        artifact: await artifact(),
        store: proxied,
        env: { STAKEHOLDER_CHANNELS: STAKE, DEFERRED_MAX_ATTEMPTS: '3', DEFERRED_RETRY_DELAY_MS: '20' },
        now: new Date(T0),
      });
      await rb.command('failover', IC);
      rb.clock.now = new Date(at(1));
      await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
      await rb.sweepAt(at(31));
      const reminder = rb.thread().find((m) => hasElement(m, ActionIds.reachPostUpdate))!;
      const toStakeholders = () => rb!.bot.fake.messages.filter((m) => m.channel === STAKE);
      expect(toStakeholders()).toHaveLength(1); // the notice

      // The update reaches the stakeholders; recording it on the run then fails (500s past the SDK's retries).
      proxy.add({
        operation: 'PutItem',
        kind: 'error500',
        times: 4,
        match: (b) =>
          String((b['Item'] as { data?: { S?: string } })?.data?.S ?? '').includes('"kind":"update"'),
      });
      rb.clock.now = new Date(at(32));
      await rb.click(reminder, ActionIds.reachPostUpdate, IC);
      await rb.submitModal(IC, update('30'));
      expect(proxy.faulted['PutItem']).toBe(4);

      // Stakeholders read the update once, whatever the bot retries.
      expect(toStakeholders()).toHaveLength(2);
    } finally {
      await rb?.close();
      rb = undefined;
      await proxied.store.close();
      await proxy.close();
      await base.store.close();
    }
  });
});
