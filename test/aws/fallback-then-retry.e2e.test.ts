/**
 * Review 177: holes in the live-action fixes (noOtherOpenRequest, request kinds).
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario, type SimulatedGateway } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { RECORDS } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const _route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function requestMessage(s: StepsBot) {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

describe('review 177: the switch retried after its record-swap fallback succeeded', () => {
  it('never lets both the switch and the record swap be written for one failover', async () => {
    // Prepare: the switch's write is refused; the fallback is offered, asked for, approved and executed
    const scenario = structuredClone(loadScenario('switch-refused'));
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const switchRequest = await requestMessage(s);
    await s.click(switchRequest, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () =>
      JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsFailoverFallback),
    );
    const failed = await s.waitFor('Retry offered', () => {
      const now = s.bot.fake.messages.find((m) => m.ts === switchRequest.ts);
      return now && JSON.stringify(now.blocks ?? []).includes(ActionIds.awsRoute53Retry)
        ? structuredClone(now)
        : undefined;
    });
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = await s.waitFor('fallback request', () =>
      structuredClone(
        s
          .thread()
          .filter((m) => textOf(m).includes('record swap'))
          .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );
    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    expect(sim!.writes.map((w) => w.action)).toContain('ChangeResourceRecordSets');

    // Act: the bucket policy is fixed; the Business Owner presses Retry on the old failed switch request
    // (its message still carries the button), and it is executed
    delete scenario.failures?.['PutObject'];
    await s.click(failed, ActionIds.awsRoute53Retry, OWNER);
    await s.settle();

    // Assess: one mechanism moved traffic for one failover
    const written = sim!.writes.map((w) => w.action);
    expect(written.includes('PutObject') && written.includes('ChangeResourceRecordSets')).toBe(false);
  });
});

describe('review 177: record-swap fallback approved after the standby started failing', () => {
  it('does not make a failing eu-west-1 PRIMARY (the offer was checked, the execution is not)', async () => {
    // Prepare: the switch's write is refused; the fallback is offered (eu-west-1 healthy) and asked for
    const scenario = structuredClone(loadScenario('switch-refused'));
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () =>
      JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsFailoverFallback),
    );
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = structuredClone(
      await s.waitFor('fallback request', () =>
        s
          .thread()
          .filter((m) => textOf(m).includes('record swap'))
          .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );

    // Act: eu-west-1's endpoints start failing their health check; then the Business Owner approves
    scenario.health['eu-west-1'] = 'unhealthy';
    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();

    // Assess: with both records unhealthy Route 53 answers the PRIMARY: no swap that makes eu-west-1 PRIMARY
    expect(sim!.writes.map((w) => w.action)).not.toContain('ChangeResourceRecordSets');
  });
});

/** The switch checklist up to "Update Route 53": step 1 skipped, warm-up done with a reason, the gate signed. */
async function toSwitchRouteStep(s: StepsBot): Promise<void> {
  const click = s.click.bind(s);
  s.click = (...args) => {
    s.clock.now = new Date(s.clock.now.getTime() + 1000);
    return click(...args);
  };
  await s.command('switch failover', ALICE);
  await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
  await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
  await s.submitModal(ALICE, 'AWS Health Dashboard: af-south-1 outage');
  await s.eventually('skipped', async () => (await s.events()).some((e) => e.type === 'step_skipped'));
  await s.settle();
  const opened = s.bot.fake.callsTo('views.open').length;
  await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
  await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open').length > opened);
  await s.submitModal(ALICE, 'eu-west-1 already at failover capacity');
  await s.eventually('warm-up done', async () =>
    (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
  );
  await s.settle();
  for (const signer of [DEVOPS, OWNER]) {
    await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
    await s.settle();
  }
  await s.waitFor('Execute offered', () =>
    JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsRoute53Execute),
  );
}
