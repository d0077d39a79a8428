/**
 * Found in a review (helper-173): the DR data plane through the whole app: a failback turns the switch
 * back On while af-south-1's endpoint check is failing. The switch is what holds traffic in eu-west-1 until
 * a deliberate failback (the runbook: af-south-1 healthy for 2 hours, data synchronised first); once it is
 * On, Route 53 sends traffic back to af-south-1 by itself the moment its check passes, flapping or not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulatedGateway,
  loadScenario,
  type Scenario,
  type SimulatedGateway,
} from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { DNS_CHECK, SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { RECORDS } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
let gateway: SimulatedGateway;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(scenario: Scenario): Promise<StepsBot> {
  const bot = await startStepsBot({
    env: { DEFERRED_RETRY_DELAY_MS: '5' },
    gateway: (clock) => {
      gateway = createSimulatedGateway(scenario, {
        records: [...RECORDS, ...SWITCH_RECORDS],
        failover: SWITCH_DECLARATIONS,
        now: () => clock.now,
      });
      return gateway;
    },
  });
  const click = bot.click.bind(bot);
  bot.click = (...args) => {
    bot.clock.now = new Date(bot.clock.now.getTime() + 1000);
    return click(...args);
  };
  sb = bot;
  return bot;
}

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');
const blocksOf = (s: StepsBot) => JSON.stringify(s.run().blocks ?? []);

describe('failback while af-south-1 is still failing', () => {
  it('does not turn the switch On while the primary endpoint check fails', async () => {
    // af-south-1 still down, the switch Off since the failover: traffic held in eu-west-1.
    const s = await start({ ...loadScenario('primary-down'), switchesOff: ['dr-s3'] });
    await s.command('switch failback', ALICE);
    // "Confirm the primary region is healthy" is a plain checkbox: the bot lets it be ticked while
    // Route 53's checkers see af-south-1 fail.
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    await s.waitFor('Execute offered', () => blocksOf(s).includes(ActionIds.awsRoute53Execute));
    await s.click(s.run(), ActionIds.awsRoute53Execute, ALICE, 'dns-cutback');
    await s.settle();
    const request = s
      .thread()
      .find(
        (m) =>
          textOf(m).includes('Route 53 failback') &&
          JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve),
      );
    if (request) {
      await s.click(structuredClone(request), ActionIds.awsRoute53Approve, DEVOPS);
      await s.settle();
    }

    // The hold is gone while af-south-1 fails: nothing may be written, and the thread must say why.
    expect(gateway.writes.map((w) => `${w.action} ${w.target}`)).toEqual([]);
    expect(threadText(s)).toMatch(/af-south-1.{0,80}(fails|failing|unhealthy)/);
  });
});

async function requestMessage(s: StepsBot, kind: string) {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s
        .thread()
        .filter((m) => textOf(m).includes(kind))
        .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

describe('eu-west-1 down, the switch bucket with it', () => {
  it('does not offer the record swap when eu-west-1’s own check fails: the swap would send traffic to it', async () => {
    // eu-west-1 is down: S3 there (the switch cannot be read or written) and its API endpoint check fails.
    // af-south-1 degraded but serving; someone starts the failover. Unswapped, Route 53 answers PRIMARY
    // (af-south-1) since both records are unhealthy; swapped, PRIMARY is eu-west-1: the dead region.
    const s = await start({
      ...loadScenario('s3-down'),
      health: { 'af-south-1': 'healthy', 'eu-west-1': 'unhealthy' },
    });
    await s.command('switch failover', ALICE);
    await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
    await s.submitModal(ALICE, 'users report errors from af-south-1');
    await s.eventually('step 1 skipped', async () =>
      (await s.events()).some((e) => e.type === 'step_skipped'),
    );
    await s.settle();
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
    await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open').length > opened);
    await s.submitModal(ALICE, 'eu-west-1 Lambda API unreachable');
    await s.eventually('warm-up done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
    );
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
      await s.settle();
    }
    await s.waitFor('Execute offered', () => blocksOf(s).includes(ActionIds.awsRoute53Execute));
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s, 'Route 53 failover'), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('verdict', () => threadText(s).includes('was not turned'));

    const offered = blocksOf(s).includes(ActionIds.awsFailoverFallback);
    if (offered) {
      // What the offered swap does once asked and approved.
      await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
      await s.click(await requestMessage(s, 'record swap'), ActionIds.awsRoute53Approve, OWNER);
      await s.settle();
    }
    expect(gateway.writes.map((w) => w.action)).toEqual([]);
    expect(offered).toBe(false);
  });
});

describe('return to standby while traffic is in eu-west-1', () => {
  it('does not remove eu-west-1’s capacity while the name servers answer eu-west-1', async () => {
    // Failed over earlier: the switch Off, eu-west-1 at its failover concurrency. af-south-1 recovered.
    const scenario: Scenario = { ...loadScenario('primary-healthy'), switchesOff: ['dr-s3'] };
    scenario.health = { ...scenario.health };
    const s = await start(scenario);
    for (const t of [
      { functionName: 'sitecraft-prod-api', concurrency: 20 },
      { functionName: 'sitecraft-prod-generate', concurrency: 10 },
    ])
      await gateway.setProvisionedConcurrency({ ...t, region: 'eu-west-1', qualifier: 'live' });
    const before = gateway.writes.length;

    await s.command('switch failback', ALICE);
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    await s.click(s.run(), ActionIds.awsRoute53Execute, ALICE, 'dns-cutback');
    await s.click(await requestMessage(s, 'Route 53 failback'), ActionIds.awsRoute53Approve, DEVOPS);
    await s.settle();
    await s.waitFor('back', () => threadText(s).includes('the failback is done on DNS'));
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'dns-cutback');
    await s.eventually('cutback done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'dns-cutback'),
    );
    await s.settle();

    // af-south-1 fails again: with the switch On, Route 53 sends traffic back to eu-west-1 by itself.
    scenario.health['af-south-1'] = 'unhealthy';
    s.clock.now = new Date(s.clock.now.getTime() + 10 * 60_000);
    const answers = await gateway.dnsAnswers({
      name: DNS_CHECK.name,
      type: DNS_CHECK.type,
      nameServers: DNS_CHECK.nameServers,
    });
    const eu = await gateway.resolveHost({ name: DNS_CHECK.answers[1]!.match, type: 'A' });
    expect(answers.map((a) => a.values)).toEqual(DNS_CHECK.nameServers.map(() => eu));

    await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'return-to-standby');
    await s.settle();

    const pcWrites = gateway.writes
      .slice(before)
      .filter((w) => /ProvisionedConcurrency/.test(w.action))
      .map((w) => `${w.action} ${w.target}`);
    expect(pcWrites).toEqual([]);
  });
});

describe('warm-up evidence that is hours old', () => {
  it('does not mark Warm up done from a READY read taken hours ago when the capacity is gone now', async () => {
    const s = await start(loadScenario('primary-down'));
    await s.command('switch failover', ALICE);
    // Step 1 resolved first: Warm up is offered on the current step.
    await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
    await s.submitModal(ALICE, 'AWS Health Dashboard: af-south-1 outage');
    await s.eventually('step 1 skipped', async () =>
      (await s.events()).some((e) => e.type === 'step_skipped'),
    );
    await s.settle();

    await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'warm-up');
    await s.settle();
    await s.waitFor('ready', () => threadText(s).includes('All 2 functions at their failover concurrency'));

    // Three hours later (the decision took long); meanwhile someone returned eu-west-1 to standby by hand.
    for (const functionName of ['sitecraft-prod-api', 'sitecraft-prod-generate'])
      await gateway.removeProvisionedConcurrency({ functionName, region: 'eu-west-1', qualifier: 'live' });
    s.clock.now = new Date(s.clock.now.getTime() + 3 * 3_600_000);
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
    // Either the step is recorded done, or the override dialog opens (refused).
    await s.eventually(
      'answered',
      async () =>
        s.bot.fake.callsTo('views.open').length > opened ||
        (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
    );

    const done = (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up');
    expect(done).toBe(false);
  });
});
