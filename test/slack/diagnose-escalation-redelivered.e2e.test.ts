/**
 * Found in a review (helper-219): a decision tree leaf's "Post escalation in channel" delivered twice (Slack's
 * retry, `x-slack-retry-num`, the same click) posted the ladder twice, pinging its contacts twice: the
 * listener (features/diagnose/diagnose.ts) keyed nothing, unlike `/runbook escalate` and Share. Now it posts
 * under a lease on the click's key (src/slack/post-once.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

let bot: TestBot;
let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
  bot = await startTestBot({ deps: { getStore: async () => testStore.store } });
});
afterAll(async () => {
  await bot?.close();
  await testStore?.store.close();
});

const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

test('Post escalation delivered twice (x-slack-retry-num, the same click) posts the escalation ladder in the channel once', async () => {
  const path = bot.deps.artifact.escalationPaths[0];
  expect(path, 'the runbooks declare an escalation path').toBeDefined();
  const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
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
    bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
  expect((await bot.action(payload)).status).toBe(200);
  await bot.waitFor(() => inChannel() >= 1, { what: 'the escalation posted' });
  expect((await bot.action(payload, { headers: RETRY })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  await bot.deps.drain?.();
  expect(inChannel()).toBe(1);
});
