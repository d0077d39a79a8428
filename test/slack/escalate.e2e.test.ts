/** `/runbook escalate [path] [level]` against the real runbooks, through signed requests. */
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

async function escalate(args: string): Promise<{ body: MessageBody; text: string }> {
  const body = (await (await bot.command(`escalate ${args}`.trim())).response()).body as MessageBody;
  return { body, text: visibleText(body) };
}

describe('escalate', () => {
  test('with no path named, posts the ladder of the contacts table in the channel', async () => {
    const { body, text } = await escalate('');
    expect(body.response_type).toBe('in_channel');
    expect(text).toContain('Escalation ladder');
    for (const c of bot.deps.artifact.contacts) expect(text).toContain(c.level);
    // Every issue family's path is offered next.
    for (const p of bot.deps.artifact.escalationPaths) expect(text).toContain(`/runbook escalate ${p.id}`);
  });

  test('a level marks where to start on the ladder', async () => {
    const { text } = await escalate('L3');
    expect(text).toContain('starting at L3');
    expect(text).toMatch(/~\*L1\*/);
  });

  test('a family word picks that issue family’s path', async () => {
    const auth = bot.deps.artifact.escalationPaths.find((p) => /auth/i.test(p.id))!;
    const { text } = await escalate('authentication');
    expect(text).toContain(auth.title);
    expect(text).not.toContain('Escalation ladder');
  });

  test('a short form or a search synonym of a family picks its path (`auth`, `login`)', async () => {
    const auth = bot.deps.artifact.escalationPaths.find((p) => /auth/i.test(p.id))!;
    for (const words of ['auth', 'login issues']) {
      const { text } = await escalate(words);
      expect(text, words).toContain(auth.title);
      expect(text, words).not.toContain('names no issue or level');
    }
  });

  test('a named level starts the ladder there (`security`, `aws support`), as a number does', async () => {
    for (const [words, level] of [
      ['security', 'Security'],
      ['aws support', 'AWS Support'],
    ] as const) {
      const { text } = await escalate(words);
      expect(text, words).toContain('Escalation ladder');
      expect(text, words).toContain(`starting at ${level}`);
      expect(text, words).toContain(`:arrow_right: *${level}*`);
      // Called beside the ladder, not after L4: no level is struck through as passed.
      expect(text, words).not.toMatch(/~\*L1\*/);
    }
    const { text } = await escalate('authentication security');
    expect(text).toContain('starting at Security');
    expect(text).toContain('Authentication issues escalation');
  });

  test('a mention beside the words is who, not what: `escalate <@U…> security` starts at Security, nothing unread', async () => {
    const { text } = await escalate('<@U0PAGER1|pat> <!subteam^S0DBTEAM|@db> security');
    expect(text).toContain('starting at Security');
    expect(text).not.toContain('names no issue or level');
  });

  test('words that name nothing are said so, escaped, and the ladder is still posted', async () => {
    const { body, text } = await escalate('<!channel> frobnicate');
    expect(body.response_type).toBe('in_channel');
    expect(text).toContain('Escalation ladder');
    expect(text).toMatch(/names no issue or level here; showing the whole ladder/);
    expect(JSON.stringify(body)).not.toContain('<!channel>');
  });
});
