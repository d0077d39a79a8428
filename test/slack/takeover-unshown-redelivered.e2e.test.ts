/**
 * Found in a review (helper-180) of 53a35fc's "a take-over whose message could not be posted is cancelled":
 * the same submission delivered again (a Lambda redelivery of the deferred task, a resend) finds the new run
 * already created, now cancelled, and is answered as a fresh take-over: it posts that cancelled run's
 * checklist into the channel and tells the person nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { type ChecklistBot, reasonSubmission, startChecklistBot } from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
const SEC = 'U0SEC';

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
});
afterAll(async () => {
  await t.close();
});

function takeOverButton(user: string, channel: string): FakeMessage {
  const response = [...t.bot.fake.responses]
    .reverse()
    .find((r) => r.context.user === user && JSON.stringify(r.body).includes(ActionIds.checklistTakeOver));
  if (!response) throw new Error(`no Take over offered to ${user}`);
  return {
    channel,
    ts: '1.000100',
    blocks: response.body.blocks as unknown[],
    via: 'response_url',
  } as FakeMessage;
}

describe('a take-over whose message could not be posted, delivered again', () => {
  it('does not post the checklist of the run it cancelled', async () => {
    const channel = 'C0TAKEREDO';
    await t.command('promote sit prod', IC, channel);
    await t.command('promote sit prod', SEC, channel);
    await t.click(takeOverButton(SEC, channel), ActionIds.checklistTakeOver, SEC);
    const payload = reasonSubmission(t.bot, SEC, 'IC handed over to Security');
    const failed = t.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'not_in_channel' }, 1);
    await t.bot.action(payload);
    await t.bot.waitFor(() => failed.served === 1, { what: 'the failed post', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.runMessages(channel)).toHaveLength(1);

    // The same submission again (the bot is back in the channel by now).
    await t.bot.action(payload);
    await new Promise((r) => setTimeout(r, 1500));
    const posted = t.runMessages(channel);
    // Only the original run's message: no checklist for a run that was cancelled as never shown.
    expect(posted).toHaveLength(1);
  });
});
