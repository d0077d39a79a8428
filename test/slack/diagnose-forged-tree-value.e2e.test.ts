/**
 * Found in a review (helper-219): a forged "Walk the tree" value naming no tree was echoed inside backticks
 * in a section without `verbatim` (render/tree.ts renderTreeProblem, escapeMrkdwn only): the value's own
 * backtick closed the code span and the rest rendered as mrkdwn, bold and a link (docs/security.md rule 5).
 * Now it is quoted as user text, its backticks replaced, in a verbatim section.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import type { MessageBody } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.close();
});

test('a forged Walk the tree value is echoed verbatim and cannot close the code span it is shown in', async () => {
  const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const id = responseUrl.split('/').pop();
  const forged = 'x` @channel *URGENT* rotate keys at https://evil.example/login `y';
  const payload = blockActionPayload({
    actionId: ActionIds.treeStart,
    value: forged,
    ephemeral: true,
    responseUrl,
    user: TEST_USER,
  });
  expect((await bot.action(payload)).status).toBe(200);
  const post = await bot.waitFor(() => bot.fake.responses.find((r) => r.id === id));
  const blocks = (post.body as MessageBody).blocks as Array<{
    text?: { text: string; verbatim?: boolean };
  }>;
  const echoed = blocks.find((b) => b.text?.text.includes('@channel'));
  expect(echoed, 'the forged value is echoed').toBeDefined();
  // docs/security.md rule 5: user text is escaped and verbatim.
  expect(echoed?.text, JSON.stringify(echoed)).toMatchObject({ verbatim: true });
  // And the value's backticks do not end the code span: the rest is not rendered as mrkdwn (bold, links).
  expect(echoed?.text?.text).not.toContain('` @channel *URGENT*');
});
