/**
 * Take over, when its new run cannot be shown (helper-172's review): the bot tells the person to invite it and
 * start again; that start must not be blocked by the run nobody can see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { type ChecklistBot, startChecklistBot } from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
/** Security: a role of the run's gate, so it may take the run over. */
const SEC = 'U0SEC';

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
});
afterAll(async () => {
  await t.close();
});

function answers(user: string): string {
  return [
    ...t.bot.fake.responses.filter((r) => r.context.user === user).map((r) => JSON.stringify(r.body)),
    ...t.bot.fake.messages.filter((m) => m.visibleTo === user).map((m) => JSON.stringify([m.text, m.blocks])),
  ].join('\n');
}

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

describe('a take-over whose new checklist message could not be posted', () => {
  it('leaves nothing invisible blocking the start the bot tells the person to make', async () => {
    const channel = 'C0TAKEFAIL';
    await t.command('promote sit prod', IC, channel);
    expect(t.runMessages(channel)).toHaveLength(1);
    await t.command('promote sit prod', SEC, channel);
    await t.click(takeOverButton(SEC, channel), ActionIds.checklistTakeOver, SEC);
    // Slack refuses the new run's message (the bot was removed from the channel a moment ago, say).
    const failed = t.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'not_in_channel' }, 1);
    await t.submitModal(SEC, 'IC handed over to Security');
    expect(failed.served).toBe(1);
    expect(answers(SEC)).toContain('start it again');

    // As told: the bot is invited back, and the checklist is started again.
    await t.command('promote sit prod', SEC, channel);
    expect(answers(SEC)).not.toContain('You started this checklist a moment ago');
    expect(t.runMessages(channel)).toHaveLength(2);
  });
});
