/**
 * Found in a review (helper-183): a canary PASS must be about the monitoring period that is running now. A PASS recorded
 * before the canary was redeployed (the deploy step undone and done again: a new period starts) must not
 * let Done through without a fresh check or an override reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { hasElement } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');

describe('Monitoring period: a PASS of an earlier period', () => {
  it('does not allow Done once the canary step was redone (a new period started)', async () => {
    sb = await startStepsBot({
      gateway: createSimulatedGateway(loadScenario('primary-healthy'), {
        records: RECORDS,
        now: () => new Date('2025-03-01T10:00:00.000Z'),
      }),
    });
    await sb.command('promote sit prod', ALICE);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'deploy-canary');
    await sb.eventually('canary deployed', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done'),
    );
    await sb.waitFor('the monitoring step is current', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );
    sb.clock.now = new Date(sb.clock.now.getTime() + 31 * 60_000);
    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');
    await sb.waitFor('full verdict', () => textOf(sb!.run()).includes('Last verdict *PASS*'));

    // The canary is redeployed: the deploy step is undone and done again, a new period starts now.
    sb.clock.now = new Date(sb.clock.now.getTime() + 60_000);
    await sb.click(sb.run(), ActionIds.checklistUndo, ALICE, 'deploy-canary');
    await sb.eventually('undone', async () => (await sb!.events()).some((e) => e.type === 'step_undone'));
    await sb.waitFor('deploy-canary offers Done again', () =>
      hasElement(sb!.run(), ActionIds.checklistDone, 'deploy-canary'),
    );
    sb.clock.now = new Date(sb.clock.now.getTime() + 60_000);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'deploy-canary');
    await sb.eventually(
      'redeployed',
      async () => (await sb!.events()).filter((e) => e.type === 'step_done').length === 2,
    );
    await sb.waitFor('the monitoring step is current again', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );

    // One minute into the new period, nobody checked it: Done must ask for an override reason.
    sb.clock.now = new Date(sb.clock.now.getTime() + 60_000);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'monitoring-period');
    await sb.eventually('the override modal', async () => sb!.bot.fake.callsTo('views.open').length > 0);
    expect((await sb.events()).filter((e) => e.type === 'step_done')).toHaveLength(2);
    expect(sb.bot.fake.callsTo('views.open')).toHaveLength(1);
    expect(threadText(sb)).toContain('Canary verdict *PASS*');
  });
});
