/**
 * Found in a review (helper-211): `/runbook escalate` posts the escalation ladder in the channel, for
 * everyone. The same command delivered again (Slack's retry, `x-slack-retry-num: 1`, after a slow ack, with
 * the same trigger_id) posted it a second time: the subcommand (src/slack/features/contacts/contacts.ts)
 * keyed nothing, while Helpful / Not this record under the click's key and a checklist click is a duplicate.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { formBody } from '../helpers/signed';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { slashCommandFields, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

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
