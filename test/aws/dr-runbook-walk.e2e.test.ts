/**
 * Found in a review (helper-199): the real runbooks/DR_FAILOVER.md failover and failback (the compiled
 * artifact, not a synthetic checklist: its parallel steps, gates, roles and tables), walked end to end through
 * the whole app with the simulated AWS scenarios, as an on-call engineer runs them at 3 a.m.
 *
 * - "Update Route 53" (and "DNS cutback") can be marked done, without a reason, while the switch never
 *   turned: Route 53 answering eu-west-1 on its own (af-south-1's check failing) is an automatic move the
 *   runbook says is not a completed failover, it is not held; likewise a failback whose name servers answer
 *   af-south-1 only because eu-west-1's check fails (both-unhealthy rule) with the switch still Off.
 * - The all-clear of a failback started in another channel than its failover leaves the failover's updates
 *   due: the incident commander is reminded to post updates after stakeholders were told it is over (the
 *   alarm's Start failover starts the failover in the alarm's channel).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { declaredFailover, declaredRecords } from '../../src/aws/records';
import {
  createSimulatedGateway,
  loadScenario,
  type Scenario,
  type SimulatedGateway,
} from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeItemValue } from '../../src/slack/render/checklist';
import { runTimers } from '../../src/slack/timers';
import { loadTestArtifact } from '../helpers/artifact';
import { findElement, writeApprovers } from '../workflows/checklist-bot';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE'; // incident commander
const DAVE = 'U0DAVE'; // incident commander
const DEVOPS = 'U0DEVOPS';
const FRANK = 'U0FRANK'; // devops
const OTHER_CHANNEL = 'C0WARROOM';

const APPROVERS = `
roles:
  devops: [U0DEVOPS, U0FRANK]
  incident-commander: [U0ALICE, U0DAVE]
`;

const SWITCH = 's3://sitecraft-prod-dr-switch-eu-west-1/failover/api-primary.json';

let sb: StepsBot | undefined;
let gateway: SimulatedGateway;
let scenario: Scenario;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(name: string): Promise<StepsBot> {
  const artifact = await loadTestArtifact();
  const bot = await startStepsBot({
    artifact,
    env: {
      DEFERRED_RETRY_DELAY_MS: '5',
      APPROVERS_FILE: writeApprovers(APPROVERS),
      STAKEHOLDER_CHANNELS: 'C0STAKE',
    },
    gateway: (clock) => {
      scenario = structuredClone(loadScenario(name));
      gateway = createSimulatedGateway(scenario, {
        records: declaredRecords(artifact),
        failover: declaredFailover(artifact),
        now: () => clock.now,
      });
      return gateway;
    },
  });
  // People click seconds apart.
  const click = bot.click.bind(bot);
  bot.click = (...args) => {
    bot.clock.now = new Date(bot.clock.now.getTime() + 1000);
    return click(...args);
  };
  sb = bot;
  return bot;
}

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');

/** Waits until `itemId` offers `action` on the run message (the message is re-rendered after each click). */
const offered = (s: StepsBot, itemId: string, action: string = ActionIds.checklistDone) =>
  s.waitFor(`${action} on ${itemId}`, () => {
    try {
      return findElement(s.run(), action, itemId);
    } catch {
      return undefined;
    }
  });

const stepDone = async (s: StepsBot, id: string) =>
  (await s.events()).find((e) => e.type === 'step_done' && e.stepId === id);

async function done(s: StepsBot, id: string, user: string) {
  await offered(s, id);
  await s.click(s.run(), ActionIds.checklistDone, user, id);
  await s.settle();
  await s.eventually(`${id} done`, async () => (await stepDone(s, id)) !== undefined);
}

async function sign(s: StepsBot, gateId: string, signers: string[]) {
  for (const signer of signers) {
    await offered(s, gateId, ActionIds.checklistApprove);
    await s.click(s.run(), ActionIds.checklistApprove, signer, gateId);
    await s.settle();
  }
}

/** `requester` asks for the step's switch change, `approver` approves it; waits for the verdict. */
async function execute(s: StepsBot, stepId: string, requester: string, approver: string, verdict: string) {
  await offered(s, stepId, ActionIds.awsRoute53Execute);
  const before = s.thread().length;
  await s.click(s.run(), ActionIds.awsRoute53Execute, requester, stepId);
  await s.settle();
  const request = structuredClone(
    await s.waitFor('approval request', () =>
      s
        .thread()
        .slice(before)
        .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
  await s.click(request, ActionIds.awsRoute53Approve, approver);
  await s.settle();
  await s.waitFor('verdict', () => threadText(s).includes(verdict));
}

/** "Notify stakeholders": the notice posted, then the step done. */
async function notify(s: StepsBot, user: string) {
  await offered(s, 'notify-stakeholders', ActionIds.awsNotifyPost);
  const before = s.bot.fake.messages.filter((m) => m.channel === 'C0STAKE').length;
  await s.click(s.run(), ActionIds.awsNotifyPost, user, 'notify-stakeholders');
  await s.settle();
  await s.waitFor('notice', () => s.bot.fake.messages.filter((m) => m.channel === 'C0STAKE').length > before);
  await done(s, 'notify-stakeholders', user);
}

/** The failover up to "Update Route 53": evidence read and done, eu-west-1 warmed up, the gate signed. */
async function toUpdateRoute53(s: StepsBot) {
  await s.command('failover', ALICE);
  await offered(s, 'confirm-primary-failure', ActionIds.awsEvidenceCheck);
  await s.click(s.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
  await s.settle();
  await s.waitFor('evidence', () => threadText(s).includes('checked the primary'));
  await done(s, 'confirm-primary-failure', ALICE);
  await offered(s, 'warm-up-eu-west-1', ActionIds.awsWarmupApply);
  await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'warm-up-eu-west-1');
  await s.settle();
  await s.waitFor('warm', () => threadText(s).includes('All 4 functions at their failover concurrency'));
  await done(s, 'warm-up-eu-west-1', ALICE);
  await sign(s, 'gate-incident-commander-sign-off-for-dr-failover', [DAVE, FRANK]);
}

describe('the real DR_FAILOVER.md checklist: Done on the switch step needs the switch turned', () => {
  it('primary down: "Check again" before the switch turned does not let "Update Route 53" be done without a reason', async () => {
    const s = await start('primary-down');
    await toUpdateRoute53(s);
    // Route 53 already answers eu-west-1 on its own (af-south-1's check fails): an automatic move, not held.
    await offered(s, 'update-route-53', ActionIds.awsStepCheck);
    await s.click(s.run(), ActionIds.awsStepCheck, ALICE, 'update-route-53');
    await s.settle();
    await s.waitFor('verdict', () => threadText(s).includes('checked the failover'));
    expect(threadText(s)).toContain('Switch `dr-s3`: *ON*');

    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await s.settle();
    await s.eventually(
      'Done handled',
      async () =>
        s.bot.fake.callsTo('views.open').length > opened ||
        (await stepDone(s, 'update-route-53')) !== undefined,
    );
    // Nothing turned the switch: the step must not be done on the strength of the automatic move alone.
    expect(gateway.writes.filter((w) => w.action === 'PutObject')).toEqual([]);
    const marked = await stepDone(s, 'update-route-53');
    expect(marked && !marked.override ? 'done without a reason' : 'refused, or done with a reason').toBe(
      'refused, or done with a reason',
    );
    // And the verdict must not call a failover whose switch is still On done.
    expect(threadText(s)).not.toContain('the failover is done on DNS');
  });

  it('failback while eu-west-1 fails its check: "DNS cutback" is not done while the switch is still Off', async () => {
    const s = await start('primary-down');
    await toUpdateRoute53(s);
    await execute(s, 'update-route-53', DEVOPS, FRANK, 'the failover is done on DNS');
    await done(s, 'update-route-53', ALICE);
    await done(s, 'verify-failover-site', ALICE);
    await notify(s, ALICE);

    // Hours later af-south-1 is back, and eu-west-1's endpoint check fails: Route 53 answers PRIMARY
    // (both unhealthy) although the switch is still Off.
    s.clock.now = new Date(s.clock.now.getTime() + 3 * 3600_000);
    scenario.health = { 'af-south-1': 'healthy', 'eu-west-1': 'unhealthy' };
    scenario.alarms = {};
    await s.command('failback', DAVE);
    await done(s, 'confirm-the-primary-region-is-healthy', DAVE);
    await done(s, 'synchronise-data', DAVE);
    await sign(s, 'gate-failback-dns-cutback', [ALICE, DEVOPS]);
    await offered(s, 'dns-cutback', ActionIds.awsStepCheck);
    await s.click(s.run(), ActionIds.awsStepCheck, DAVE, 'dns-cutback');
    await s.settle();
    await s.waitFor('verdict', () => threadText(s).includes('checked the failback'));
    expect(threadText(s)).toContain('Switch `dr-s3`: *OFF*');

    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, DAVE, 'dns-cutback');
    await s.settle();
    await s.eventually(
      'Done handled',
      async () =>
        s.bot.fake.callsTo('views.open').length > opened || (await stepDone(s, 'dns-cutback')) !== undefined,
    );
    // Once eu-west-1 passes again, Route 53 answers eu-west-1 (the switch is Off), whose capacity the next
    // step returns to standby: the cutback is not done.
    expect(gateway.writes.filter((w) => w.action === 'PutObject').map((w) => w.target)).toEqual([SWITCH]);
    const marked = await stepDone(s, 'dns-cutback');
    expect(marked && !marked.override ? 'done without a reason' : 'refused, or done with a reason').toBe(
      'refused, or done with a reason',
    );
    expect(threadText(s)).not.toContain('the failback is done on DNS');
  });
});

describe('the real DR_FAILOVER.md checklist: the all-clear ends the updates', () => {
  it('a failback started in another channel than its failover: after the all-clear no update is due', async () => {
    const s = await start('primary-down');
    await toUpdateRoute53(s);
    await execute(s, 'update-route-53', DEVOPS, FRANK, 'the failover is done on DNS');
    await done(s, 'update-route-53', ALICE);
    await done(s, 'verify-failover-site', ALICE);
    await notify(s, ALICE);
    const failoverRun = s.runId();

    // The failback, typed in the war room an hour later.
    s.clock.now = new Date(s.clock.now.getTime() + 3600_000);
    scenario.health = { 'af-south-1': 'healthy', 'eu-west-1': 'healthy' };
    scenario.alarms = {};
    const started = s.bot.logs.filter((e) => e.what === 'start').length;
    const res = await s.bot.command('failback', {
      user: DAVE,
      channel: OTHER_CHANNEL,
      timestamp: Math.floor(s.clock.now.getTime() / 1000),
    });
    expect(res.status).toBe(200);
    await s.waitFor('failback started', () => s.bot.logs.filter((e) => e.what === 'start').length > started);
    const failback = () =>
      s.bot.fake.messages.filter(
        (m) =>
          m.channel === OTHER_CHANNEL &&
          !m.thread_ts &&
          JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport),
      )[0]!;
    const fb = await s.waitFor('failback run', () => failback());
    expect(textOf(fb)).toContain('Failback to af-south-1');
    // The rest of the failback is driven on its message, in the war room.
    const fbRun = decodeItemValue(findElement(fb, ActionIds.checklistExport).value)!.runId;
    s.run = s.latestRun = failback;
    s.runId = () => fbRun;
    s.events = () => s.store.store.listEvents(fbRun);
    s.thread = () => s.bot.fake.messages.filter((m) => m.channel === OTHER_CHANNEL && m.thread_ts === fb.ts);
    await done(s, 'confirm-the-primary-region-is-healthy', DAVE);
    await done(s, 'synchronise-data', DAVE);
    await sign(s, 'gate-failback-dns-cutback', [ALICE, DEVOPS]);
    await execute(s, 'dns-cutback', FRANK, DAVE, 'the failback is done on DNS');
    await done(s, 'dns-cutback', DAVE);
    await done(s, 'verify-primary-site', DAVE);
    await offered(s, 'return-eu-west-1-to-standby-capacity', ActionIds.awsWarmupApply);
    await s.click(s.run(), ActionIds.awsWarmupApply, DAVE, 'return-eu-west-1-to-standby-capacity');
    await s.settle();
    await s.waitFor('standby', () => threadText(s).includes('All 4 functions back at standby'));
    await done(s, 'return-eu-west-1-to-standby-capacity', DAVE);
    await notify(s, DAVE);
    const offer = await s.waitFor('all-clear offer', () =>
      s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.reachPostAllClear)),
    );
    await s.click(offer, ActionIds.reachPostAllClear, DAVE);
    await s.settle();
    await s.waitFor('all-clear posted', () =>
      s.bot.fake.messages.some((m) => m.channel === 'C0STAKE' && textOf(m).includes('SiteCraft all clear')),
    );

    // Stakeholders were told "This is the last update for this incident": the failover owes no more.
    const failoverState = (await s.store.store.getRun(failoverRun))!.state;
    const due = failoverState.comms?.closed ? null : failoverState.comms?.posts.at(-1)?.nextDueAt;
    expect(due ?? null).toBeNull();
    const reminders = () =>
      s.bot.fake.messages.filter((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.reachPostUpdate))
        .length;
    const before = reminders();
    s.clock.now = new Date(s.clock.now.getTime() + 2 * 3600_000);
    await runTimers(s.bot.deps);
    await s.settle();
    expect(reminders()).toBe(before);
  });
});
