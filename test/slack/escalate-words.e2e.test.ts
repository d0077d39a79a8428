/**
 * Found in a review (helper-186): `/runbook escalate` and `/runbook contacts` read what the words say.
 * Each test here FAILS on the code it was written against; see the commit message.
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

async function run(text: string): Promise<{ body: MessageBody; text: string }> {
  const body = (await (await bot.command(text)).response()).body as MessageBody;
  return { body, text: visibleText(body) };
}

describe('escalate: a digit inside another word is not a level', () => {
  test('`escalate failover eu-west-1` does not post the ladder "starting at L1" (the region’s 1 is no level)', async () => {
    const { body, text } = await run('escalate failover eu-west-1');
    expect(body.response_type).toBe('in_channel');
    // The region name is not a level: nothing is marked as where to start because of it.
    expect(text).not.toContain('starting at L1');
    expect(text).not.toContain(':arrow_right: *L1*');
  });
});

describe('escalate: a named level beside a numbered one', () => {
  test('`escalate security L2` does not say “security” names no level while Security is on the ladder', async () => {
    const { text } = await run('escalate security L2');
    expect(text).toContain('*Security*');
    expect(text).not.toMatch(/security” names no issue or level/i);
  });
});

describe('escalate: a named level is beside the ladder, never passed', () => {
  test('`escalate authentication L2` does not strike Security through (called in parallel with L2)', async () => {
    const { text } = await run('escalate authentication L2');
    expect(text).toContain('starting at L2');
    expect(text).toMatch(/~\*L1\*/);
    // Security is called beside the ladder (the path: “at once, in parallel with L2”): not passed.
    expect(text).toContain('*Security*');
    expect(text).not.toMatch(/~\*Security\*/);
  });
});

describe('contacts: a level written as words', () => {
  test('`contacts level 3` shows the L3 contact, as `contacts L3` and `escalate level 3` do', async () => {
    const l3 = bot.deps.artifact.contacts.find((c) => c.level === 'L3')!;
    const short = await run('contacts L3');
    expect(short.text).toContain(l3.role);
    expect(short.text).not.toContain('No contact matches');
    const spelled = await run('contacts level 3');
    expect(spelled.text).toContain(l3.role);
    expect(spelled.text).not.toContain('No contact matches');
  });
});
