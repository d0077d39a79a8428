/**
 * Order as the runbook declares it (issue 18 item 2), through signed requests: a Done on a later step is
 * refused until the earlier one is resolved, or allowed with a reason that is recorded; a live action
 * (Post notice) is neither offered nor authorized before its step is current; a footer Undo that could
 * only be refused is not offered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/aws/scenario';
import { createSimulatedGateway } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { RECORDS } from '../aws/fixtures';
import { type StepsBot, startStepsBot, textOf } from '../aws/steps-bot';
import { blockActionPayload, TEST_CHANNEL } from '../helpers/slack-payloads';
import { type ChecklistBot, findElement, hasElement, startChecklistBot } from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
const ALICE = 'U0ALICE';

let t: ChecklistBot | null = null;
let sb: StepsBot | null = null;
afterEach(async () => {
  await t?.close();
  await sb?.close();
  t = null;
  sb = null;
});

describe('Done in the runbook’s order', () => {
  it('refuses a later step until the earlier one is resolved, and allows it with a recorded reason', async () => {
    t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
    const bot = t;
    await bot.command('promote sit prod', IC, 'C0ORDER');
    const msg = bot.latestRun('C0ORDER');
    // Step 2 is offered only as "Done out of order…"; step 1 is the current step.
    expect(hasElement(msg, ActionIds.checklistDone, 'freeze-sit')).toBe(true);
    expect(hasElement(msg, ActionIds.checklistDone, 'run-the-regression-suite')).toBe(false);
    const later = findElement(msg, ActionIds.checklistDoneAnyway, 'run-the-regression-suite');
    expect(later.text.text).toBe('Done out of order…');

    // A plain Done on step 2 (a stale message, or a hand-made payload): refused with the reason, nothing changes.
    const runId = String(later.value).split('|')[0]!;
    const forged = blockActionPayload({
      actionId: ActionIds.checklistDone,
      value: `${runId}|run-the-regression-suite`,
      user: 'U0OPS',
      channel: 'C0ORDER',
      messageTs: msg.ts,
      responseUrl: bot.bot.fake.responseUrl({ channel: 'C0ORDER', user: 'U0OPS', messageTs: msg.ts }),
    });
    await bot.concurrently([forged]);
    const answer = bot.bot.fake.responses.find((r) => r.context.user === 'U0OPS');
    expect(String(answer?.body.text)).toContain(
      'step 2 "Run the regression suite" comes after step 1 "Freeze SIT" is not done yet',
    );
    expect(JSON.stringify(answer?.body.blocks)).toContain(ActionIds.checklistDoneAnyway);
    expect((await bot.store.getRun(runId))!.state.steps['run-the-regression-suite']?.status).toBe('pending');

    // "Done out of order…": a modal asks why; the reason is recorded with the steps it jumped.
    await bot.click(msg, ActionIds.checklistDoneAnyway, 'U0OPS', 'run-the-regression-suite');
    const modal = bot.bot.fake.callsTo('views.open').at(-1)?.args.view as { blocks: unknown[] };
    expect(JSON.stringify(modal.blocks)).toContain('comes after step 1');
    await bot.submitModal('U0OPS', 'regression suite ran on the RC tag yesterday');
    const state = (await bot.store.getRun(runId))!.state;
    expect(state.steps['run-the-regression-suite']).toMatchObject({
      status: 'done',
      by: 'U0OPS',
      override: 'regression suite ran on the RC tag yesterday',
    });
    expect(state.steps['freeze-sit']?.status).toBe('pending');
    const event = (await bot.store.listEvents(runId)).find((e) => e.type === 'step_done');
    expect(event).toMatchObject({ stepId: 'run-the-regression-suite', jumped: ['freeze-sit'] });
    const thread = bot.thread(bot.latestRun('C0ORDER')).map(textOf).join('\n');
    expect(thread).toContain('done out of order, before 1. Freeze SIT');
    expect(thread).toContain('regression suite ran on the RC tag yesterday');
  });
});

describe('live actions only on the current step', () => {
  it('does not offer or authorize Post notice before the DNS step is resolved', async () => {
    sb = await startStepsBot({
      gateway: createSimulatedGateway(loadScenario('primary-down'), { records: RECORDS }),
      env: { STAKEHOLDER_CHANNELS: 'C0STAKE1' },
    });
    const bot = sb;
    await bot.command('failover', ALICE);
    await bot.openRoute53Step(ALICE);
    const runId = bot.runId();
    // Not offered: the notice step shows no live action while Update Route 53 is pending.
    expect(JSON.stringify(bot.run().blocks)).not.toContain(ActionIds.awsNotifyPost);

    // Not authorized either: a signed click with the step's reference is refused and recorded, nothing posted.
    const responseUrl = bot.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: 'U0DEVOPS' });
    const res = await bot.bot.action(
      blockActionPayload({
        actionId: ActionIds.awsNotifyPost,
        value: `${runId}|notify-stakeholders`,
        user: 'U0DEVOPS',
        messageTs: bot.run().ts,
        responseUrl,
      }),
      { timestamp: Math.floor(bot.clock.now.getTime() / 1000) },
    );
    expect(res.status).toBe(200);
    await bot.settle();
    const refusal = bot.answers(responseUrl.slice(responseUrl.lastIndexOf('/') + 1));
    expect(refusal).toContain('is not the current step');
    expect(refusal).toContain('step 2 \\"Update Route 53\\" is not done yet');
    expect(bot.bot.fake.messages.filter((m) => m.channel === 'C0STAKE1')).toHaveLength(0);
    expect(await bot.events()).toContainEqual(
      expect.objectContaining({ type: 'refused', action: 'post_notice', code: 'out_of_order' }),
    );

    // Once the DNS step is resolved, the notice is offered and posts.
    await bot.resolveRoute53Step(ALICE);
    await bot.waitFor('Post notice offered', () =>
      JSON.stringify(bot.run().blocks).includes(ActionIds.awsNotifyPost),
    );
    await bot.click(bot.run(), ActionIds.awsNotifyPost, 'U0DEVOPS', 'notify-stakeholders');
    await bot.waitFor('notice posted', () => bot.bot.fake.messages.find((m) => m.channel === 'C0STAKE1'));
  });
});
