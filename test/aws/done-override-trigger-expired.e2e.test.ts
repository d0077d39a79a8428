/**
 * Review (helper-195): Done on a step whose check holds it back (evidence, warm-up, the switch's DNS answer,
 * a notice, the canary) opens the override modal in the click's request, with its `trigger_id`
 * (src/slack/features/checklists/actions.ts `overrideModalIfHeldBack`). The run and its events are read
 * first; when that takes longer than the trigger's 3 s (a slow or throttled table during an outage; on
 * Lambda, Slack's user-group lookups of `contextOf` waiting out a 429), `views.open` answers
 * `expired_trigger_id` and the listener throws: the person is told only "Something went wrong on our side",
 * the Done is neither recorded nor answered with its reason and "Done anyway…" (the answer the deferred
 * Done gives, which needs no trigger), and every further press fails the same way while the store is slow.
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
