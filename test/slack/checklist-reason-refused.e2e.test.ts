/**
 * Found in a review (helper-211): bad input in a reason modal (Skip, Reject, Cancel, Take over, Done anyway)
 * must be answered in the modal (`response_action: errors`) and change nothing. The form declares
 * `min_length: 3` (src/slack/render/checklist-modals.ts), but Slack's client counts the raw text, spaces
 * included, while the listener trimmed it and accepted any non-empty rest (src/slack/features/checklists/
 * actions.ts onReasonSubmitted): "   x" passed the client and was recorded as the reason "x". A reason value
 * that is not a string (a crafted payload) threw before the ack: Slack got an error, not a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeItemValue } from '../../src/slack/render/checklist';
import {
  type ChecklistBot,
  findElement,
  reasonSubmission,
  startChecklistBot,
} from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
});
afterAll(async () => {
  await t?.close();
});

async function runOf(channel: string) {
  const msg = t.latestRun(channel);
  const runId = decodeItemValue(findElement(msg, ActionIds.checklistExport).value)!.runId;
  return { msg, runId };
}

describe('a reason the form itself would refuse', () => {
  it('answers a Skip whose reason is under 3 characters once trimmed in the modal, and skips nothing', async () => {
    const channel = 'C0SHORT';
    await t.command('promote sit prod', IC, channel);
    const { msg, runId } = await runOf(channel);
    await t.click(msg, ActionIds.checklistSkip, IC, 'freeze-sit');
    // Four characters for Slack's client (min_length 3 holds), one once trimmed.
    const res = await t.bot.action(reasonSubmission(t.bot, IC, '   x'));
    await t.bot.deps.drain?.();
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.store.getRun(runId))?.state.steps['freeze-sit']?.status).toBe('pending');
    expect(res.status).toBe(200);
    expect(res.body).toContain('errors');
  });

  it('answers a Cancel whose reason is not text with an error in the modal, not a server error', async () => {
    const channel = 'C0NOTTEXT';
    await t.command('promote sit prod', IC, channel);
    const { msg, runId } = await runOf(channel);
    await t.click(msg, ActionIds.checklistCancel, IC);
    const payload = reasonSubmission(t.bot, IC, 'x');
    const values = (payload.view as { state: { values: Record<string, Record<string, { value: unknown }>> } })
      .state.values;
    values[ActionIds.checklistReasonBlock]![ActionIds.checklistReasonInput]!.value = 12345;
    const res = await t.bot.action(payload);
    await t.bot.deps.drain?.();
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.store.getRun(runId))?.state.status).toBe('active');
    expect(res.status).toBe(200);
    expect(res.body).toContain('errors');
  });
});
