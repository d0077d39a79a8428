/**
 * Found in a review (helper-187) of 9f7f254's level words: a level is now read only when whitespace or the
 * end follows it, so `L2,` or `L2.` (as people type in a hurry) is no level any more (the `\b` of the code
 * before read it): `/runbook escalate database L2.` posts the ladder from the top and says “l2” names
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { type MessageBody, visibleText } from '../helpers/slack-messages';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.close();
});

async function run(text: string): Promise<string> {
  return visibleText((await (await bot.command(text)).response()).body as MessageBody);
}

describe('escalate: a level followed by punctuation', () => {
  test('`escalate L2,` and `escalate authentication L2.` start at L2, as `escalate L2` does', async () => {
    expect(await run('escalate L2')).toContain('starting at L2');
    const comma = await run('escalate L2,');
    expect(comma).toContain('starting at L2');
    expect(comma).not.toMatch(/l2” names no issue or level/i);
    const stop = await run('escalate authentication L2.');
    expect(stop).toContain('starting at L2');
  });
});
