/**
 * Found in a review (helper-204) of 7df4d9d: a canary FAIL in the monitoring period stands (Done refused
 * without a reason), but the step's card shows only the latest verdict: after a later PASS it reads
 * 'Last verdict PASS' with nothing of the FAIL that blocks Done, contradicting the refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario, type Scenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { findElement, writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const RM = 'U0RELMGR'; // release manager, in no role
const SEC = 'U0SEC';
const ARCH = 'U0ARCH';
const OWNER = 'U0OWNER';

const APPROVERS = `
roles:
  devops: [U0DEVOPS]
  security: [U0SEC]
  architecture: [U0ARCH]
  business-owner: [U0OWNER]
  incident-commander: [U0IC]
`;

let sb: StepsBot | undefined;
let scenario: Scenario;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(mutate: (s: Scenario) => void = () => {}): Promise<StepsBot> {
  const artifact = await loadTestArtifact();
  const bot = await startStepsBot({
    artifact,
    env: { DEFERRED_RETRY_DELAY_MS: '5', APPROVERS_FILE: writeApprovers(APPROVERS) },
    gateway: (clock) => {
      scenario = structuredClone(loadScenario('primary-healthy'));
      mutate(scenario);
      return createSimulatedGateway(scenario, { records: RECORDS, now: () => clock.now });
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

// (helpers copied from promotion-runbook-walk.e2e.test.ts)
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

const MONITOR = 'watch-the-canary-for-30-minutes';

async function toMonitoring(s: StepsBot) {
  await s.command('promote sit prod', RM);
  for (const id of [
    'sit-stayed-green-for-24-hours',
    'tag-the-release-on-the-release-candidate-s-commit',
    'produce-and-read-the-prod-terraform-plan',
    'the-standby-region-is-healthy',
  ])
    await done(s, id, RM);
  await sign(s, 'gate-sit-prod-release', [SEC, ARCH, OWNER]);
  for (const id of [
    'apply-the-infrastructure-change',
    'publish-the-canary-without-moving-traffic',
    'send-10-of-af-south-1-traffic-to-the-new-versions',
  ])
    await done(s, id, RM);
  await offered(s, MONITOR, ActionIds.awsMonitorCheck);
}

async function check(s: StepsBot) {
  const before = (await s.events()).length;
  await s.click(s.run(), ActionIds.awsMonitorCheck, RM, MONITOR);
  await s.settle();
  await s.eventually('a verdict', async () => (await s.events()).length > before);
  await s.waitFor('verdict shown', () => textOf(s.run()).includes('Last verdict'));
}

async function tryDone(s: StepsBot, id: string, user: string) {
  const opened = s.bot.fake.callsTo('views.open').length;
  await s.click(s.run(), ActionIds.checklistDone, user, id);
  await s.settle();
  await s.eventually(
    'Done handled',
    async () => s.bot.fake.callsTo('views.open').length > opened || (await stepDone(s, id)) !== undefined,
  );
}

describe('the canary card after a FAIL that stands', () => {
  it('a FAIL at minute 5 then a PASS at minute 31: the card still shows the FAIL that blocks Done', async () => {
    const s = await start();
    await toMonitoring(s);
    s.clock.now = new Date(s.clock.now.getTime() + 5 * 60_000);
    scenario.alarms = {
      'af-south-1': [{ name: 'sitecraft-prod-api-5xx', reason: 'Threshold Crossed' }],
    } as never;
    await check(s);
    expect(textOf(s.run())).toMatch(/Last verdict \*(FAIL|ABORT)/i);
    scenario.alarms = {};
    s.clock.now = new Date(s.clock.now.getTime() + 26 * 60_000);
    await check(s);
    // guardDone refuses Done (the FAIL stands); the card must not read as a clean pass.
    await tryDone(s, MONITOR, RM);
    const marked = await stepDone(s, MONITOR);
    expect(marked).toBeUndefined();
    expect(textOf(s.run())).toMatch(/\*(FAIL|ABORT)\*/i);
  });
});
