/**
 * Found in a review (helper-185): the canary monitoring period runs "since the step became current"
 * (docs/runbook-format.md, `monitor=`), and Done needs "a PASS over the whole period". The period's start is
 * taken from the nearest earlier step's time only (src/slack/features/aws-steps/shared.ts `stepStartedAt`),
 * so when the step before it was marked done out of order, long before the step became current, a check
 * two minutes into the real period is recorded as a full PASS and Done goes through without the 30 minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { RECORDS } from './fixtures';
import { PROMOTE, type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

// The real PROMOTION.md has "Publish the canary" (6) and "Send 10%" (7) before "Watch the canary" (8).
const [deployCanary, monitoring] = PROMOTE.items;
PROMOTE.items = [
  { ...deployCanary!, id: 'publish-canary', n: 1, title: 'Publish the canary', directives: {} } as never,
  { ...deployCanary!, n: 2 } as never,
  { ...monitoring!, n: 3 } as never,
];

describe('Monitoring period: counted from when the step became current', () => {
  it('is not a full PASS two minutes after the step became current, however early the step before was done', async () => {
    sb = await startStepsBot({
      gateway: createSimulatedGateway(loadScenario('primary-healthy'), {
        records: RECORDS,
        now: () => new Date('2025-03-01T10:00:00.000Z'),
      }),
    });
    await sb.command('promote sit prod', ALICE);
    // Step 2 done out of order, with a reason (the Done out of order… modal).
    await sb.click(sb.run(), ActionIds.checklistDoneAnyway, ALICE, 'deploy-canary');
    await sb.waitFor('override modal', () => sb!.bot.fake.callsTo('views.open').length > 0);
    await sb.submitModal(ALICE, 'traffic step recorded early (test)');
    await sb.eventually('step 2 done', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done' && e.stepId === 'deploy-canary'),
    );
    await sb.settle();

    // 29 minutes later step 1 is done: only now does the monitoring step become current.
    sb.clock.now = new Date(sb.clock.now.getTime() + 29 * 60_000);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'publish-canary');
    await sb.eventually('step 1 done', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done' && e.stepId === 'publish-canary'),
    );
    await sb.waitFor('the monitoring step is current', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );

    // Two minutes into its period: a check may say "so far", never a full PASS.
    sb.clock.now = new Date(sb.clock.now.getTime() + 2 * 60_000);
    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');
    await sb.waitFor('a verdict', () => textOf(sb!.run()).includes('Last verdict'));
    expect(textOf(sb.run())).not.toContain('Last verdict *PASS*');

    // And Done asks for an override reason rather than going through.
    const opened = sb.bot.fake.callsTo('views.open').length;
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'monitoring-period');
    await sb.waitFor('the override modal', () => sb!.bot.fake.callsTo('views.open').length > opened);
    await sb.settle();
    expect(
      (await sb.events()).filter((e) => e.type === 'step_done' && e.stepId === 'monitoring-period'),
    ).toHaveLength(0);
    expect(sb.bot.fake.callsTo('views.open').length).toBe(opened + 1);
  });
});
