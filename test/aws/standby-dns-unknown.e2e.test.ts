/**
 * Review 177: the return-to-standby DNS check (e4fa199) when the dns= answer cannot be read.
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
const _blocksOf = (s: StepsBot) => JSON.stringify(s.run().blocks ?? []);

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

describe('review 177: return to standby while the name servers cannot be read', () => {
  it('does not remove eu-west-1’s capacity while where traffic goes is unknown (and it is eu-west-1)', async () => {
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

    // The name servers time out now (a resolver outage, a firewall): where traffic goes is unknown.
    scenario.failures = { ...scenario.failures, Query: 'timeout' };
    await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'return-to-standby');
    await s.settle();

    const pcWrites = gateway.writes
      .slice(before)
      .filter((w) => /ProvisionedConcurrency/.test(w.action))
      .map((w) => `${w.action} ${w.target}`);
    expect(pcWrites).toEqual([]);
  });
});
