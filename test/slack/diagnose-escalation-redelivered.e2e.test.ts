/**
 * Found in a review (helper-219): a decision tree leaf's "Post escalation in channel" delivered twice (Slack's
 * retry, `x-slack-retry-num`, the same click) posted the ladder twice, pinging its contacts twice: the
 * listener (features/diagnose/diagnose.ts) keyed nothing, unlike `/runbook escalate` and Share. Now it posts
 * under a lease on the click's key (src/slack/post-once.ts).
 */
import { expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { SLACK_RETRY_HEADERS as RETRY, useTestBotWithStore } from '../helpers/bot-with-store';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

test('Post escalation delivered twice (x-slack-retry-num, the same click) posts the escalation ladder in the channel once', async () => {
  const path = env.bot.deps.artifact.escalationPaths[0];
  expect(path, 'the runbooks declare an escalation path').toBeDefined();
  const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const id = responseUrl.split('/').pop();
  const payload = blockActionPayload({
    actionId: ActionIds.treePostEscalation,
    value: path?.id,
    ephemeral: true,
    responseUrl,
    user: TEST_USER,
    triggerId: '9219.1700000000.tree-escalate',
  });
  const inChannel = () =>
    env.bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
  expect((await env.bot.action(payload)).status).toBe(200);
  await env.bot.waitFor(() => inChannel() >= 1, { what: 'the escalation posted' });
  expect((await env.bot.action(payload, { headers: RETRY })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  await env.bot.deps.drain?.();
  expect(inChannel()).toBe(1);
});
