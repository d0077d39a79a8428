/**
 * Found in a review (helper-211): `/runbook escalate` posts the escalation ladder in the channel, for
 * everyone. The same command delivered again (Slack's retry, `x-slack-retry-num: 1`, after a slow ack, with
 * the same trigger_id) posted it a second time: the subcommand (src/slack/features/contacts/contacts.ts)
 * keyed nothing, while Helpful / Not this record under the click's key and a checklist click is a duplicate.
 */
import { expect, test } from 'vitest';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import { formBody } from '../helpers/signed';
import { slashCommandFields, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

test('/runbook escalate delivered twice (x-slack-retry-num, the same trigger_id) posts the ladder in the channel once', async () => {
  const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
  const body = formBody(slashCommandFields({ text: 'escalate', responseUrl }));
  const id = responseUrl.split('/').pop();
  const posted = (res: { body: string }) => (res.body.includes('in_channel') ? 1 : 0);
  const inChannel = () =>
    env.bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
  const first = await env.bot.post(body);
  expect(first.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  const again = await env.bot.post(body, {
    headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
  });
  expect(again.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  // In the ack's body or on the response_url: once in all.
  expect(posted(first) + posted(again) + inChannel()).toBe(1);
});
