/**
 * Found in a review (helper-195): Done on a step whose check holds it back (evidence, warm-up, the switch's
 * DNS answer, a notice, the canary) opens the override form in the click's request, with its `trigger_id`
 * (src/slack/features/checklists/actions.ts `decideDone`). When Slack refused the form as
 * `expired_trigger_id` (the run and its events read slowly: a throttled table during an outage; on Lambda,
 * Slack's user-group lookups of `contextOf` waiting out a 429), the listener threw: the person was told only
 * "Something went wrong on our side", and the Done was neither recorded nor answered with its reason and
 * "Done anyway…". Now the Done goes on as a click, and the deferred Done gives that answer, which needs no
 * trigger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const ALICE = 'U0ALICE';
let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('Done on a checked step when the trigger expired before the override modal', () => {
  it('tells the clicker why Done is held back and offers Done anyway…, not "Something went wrong"', async () => {
    sb = await startStepsBot({
      gateway: createSimulatedGateway(loadScenario('primary-down'), {
        records: RECORDS,
        now: () => new Date(),
      }),
    });
    await sb.command('failover', ALICE);
    // Slack refuses the modal: the 3 s of the click's trigger_id were spent reading the store.
    const refused = sb.bot.fake.failMethod('views.open', { ok: false, error: 'expired_trigger_id' });
    const answered = await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    await sb.waitFor('an answer to the clicker', () => sb!.answers(answered).length > 0);
    await sb.settle();
    expect(refused.served).toBe(1);
    const told = sb.answers(answered);
    expect(told).not.toContain('Something went wrong');
    // What the deferred Done says for this step: its reason, with the button that asks for the override.
    expect(told).toContain('has not been checked');
    expect(told).toContain(ActionIds.checklistDoneAnyway);
  });
});
