/**
 * Review (helper-211): Share posts an answer's section in the channel, for everyone (`in_channel` on the
 * click's response_url). The same click delivered again (Slack's retry, `x-slack-retry-num: 1`, after a slow
 * ack) posts it a second time: the listener (src/slack/features/search.ts, shareSection) keys nothing, while
 * Helpful / Not this / Other match record under the click's key and a checklist click is a duplicate.
 * `/runbook escalate` (posted in the channel, src/slack/features/contacts/contacts.ts) redelivered alike.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { feedbackSettled, startTestStore, type TestStore } from '../helpers/dynalite';
import { formBody } from '../helpers/signed';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, slashCommandFields, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

let bot: TestBot;
let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
  bot = await startTestBot({ deps: { getStore: async () => testStore.store } });
});
afterAll(async () => {
  if (testStore) await feedbackSettled(testStore.store);
  await bot?.close();
  await testStore?.store.close();
});

test('a Share click delivered twice (x-slack-retry-num) posts the section in the channel once', async () => {
  const asked = await bot.command('token expired');
  const answer = (await asked.response()).body as MessageBody;
  const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
  const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const payload = blockActionPayload({
    actionId: share.action_id,
    value: share.value,
    ephemeral: true,
    responseUrl,
    user: TEST_USER,
  });
  const id = responseUrl.split('/').pop();
  const shared = () =>
    bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
  expect((await bot.action(payload)).status).toBe(200);
  await bot.waitFor(() => shared() >= 1, { what: 'the shared section' });
  const again = await bot.action(payload, {
    headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
  });
  expect(again.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  expect(shared()).toBe(1);
});

test('/runbook escalate delivered twice (x-slack-retry-num, the same trigger_id) posts the ladder in the channel once', async () => {
  const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const body = formBody(slashCommandFields({ text: 'escalate', responseUrl }));
  const id = responseUrl.split('/').pop();
  const posted = (res: { body: string }) => (res.body.includes('in_channel') ? 1 : 0);
  const inChannel = () =>
    bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
  const first = await bot.post(body);
  expect(first.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  const again = await bot.post(body, {
    headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
  });
  expect(again.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  // In the ack's body or on the response_url: once in all.
  expect(posted(first) + posted(again) + inChannel()).toBe(1);
});
