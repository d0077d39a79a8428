/**
 * Found in a review (helper-219): command text was decoded twice. Slack sends `& < >` in a command's text
 * as entities (a typed `&lt;b&gt;` arrives as `&amp;lt;b&amp;gt;`); app.ts decoded it
 * (normalizeCommandText) and routeCommand decoded the result again, so the answer's header, its buttons and
 * the feedback records showed `<b>` for every command. Now routeCommand is given the text as Slack sent it
 * and decodes it once.
 */
import { expect, test } from 'vitest';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import type { MessageBody } from '../helpers/slack-messages';

const env = useTestBotWithStore();

test('a typed "&lt;b&gt;" is echoed as typed, not as "<b>"', async () => {
  // What the user typed: token expired &lt;b&gt; after login. Slack escapes & < > in command text.
  const res = await env.bot.command('token expired &amp;lt;b&amp;gt; after login');
  const body = (await res.response()).body as MessageBody;
  const shown = JSON.stringify(body.blocks);
  // Escaped for mrkdwn, the typed text is "&amp;lt;b&amp;gt;"; decoded twice it reads "&lt;b&gt;" (<b>).
  expect(shown).toContain('token expired &amp;lt;b&amp;gt; after login');
});
