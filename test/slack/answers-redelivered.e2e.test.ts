/**
 * Found in a review (helper-209 and one test of helper-211): a search answer's effects under redelivery.
 * Slack may deliver the same request twice (a retry, `x-slack-retry-num`; the same payload, trigger_id and
 * action_ts): what the first delivery did in the channel or recorded in the store must not be done again
 * (docs/security.md rule 6, test/slack/faults.e2e.test.ts for a start,
 * test/slack/answers-feedback-once.e2e.test.ts for the buttons). Share posted twice (it keyed nothing: now a
 * lease on the click's key, search.ts `shareOnce`); a no-match was recorded twice (its record is dated by
 * its write, and the store's key held that time: now the id claims the first write's time, dynamo.ts).
 */
import { describe, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { SLACK_RETRY_HEADERS as RETRY, useTestBotWithStore } from '../helpers/bot-with-store';
import { feedbackSettled } from '../helpers/dynalite';
import { formBody } from '../helpers/signed';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, slashCommandFields, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

const DAY = 86_400_000;

async function ask(text: string): Promise<MessageBody> {
  const res = await env.bot.command(text);
  return (await res.response()).body as MessageBody;
}

describe('an answer delivered twice', () => {
  test('Share: the same click delivered twice posts the section in the channel once', async () => {
    const channel = 'C0SHARE2';
    const answer = await ask('token expired');
    const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
    const user = 'U0SHARER';
    // One click: one payload (its response_url, trigger_id and action_ts), delivered twice.
    const payload = blockActionPayload({
      actionId: share.action_id,
      value: share.value,
      ephemeral: true,
      responseUrl: env.bot.fake.responseUrl({ channel, user }),
      user,
      channel,
      actionTs: Date.now() / 1000,
      triggerId: '9209.1700000000.share',
    });
    expect((await env.bot.action(payload)).status).toBe(200);
    await env.bot.waitFor(() => env.bot.fake.channelMessages(channel).length > 0);
    expect((await env.bot.action(payload, { headers: RETRY })).status).toBe(200);
    await env.bot.deps.drain?.();
    await new Promise((r) => setTimeout(r, 300));

    const shared = env.bot.fake
      .channelMessages(channel)
      .filter((m) => /Shared runbook section/.test(m.text ?? ''));
    expect(shared).toHaveLength(1);
  });

  // helper-211's: the default channel and user, the share seen as the in_channel reply on the response_url.
  test('a Share click delivered twice (x-slack-retry-num) posts the section in the channel once', async () => {
    const answer = await ask('token expired');
    const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    const payload = blockActionPayload({
      actionId: share.action_id,
      value: share.value,
      ephemeral: true,
      responseUrl,
      user: TEST_USER,
    });
    const id = responseUrl.split('/').pop();
    const shared = () =>
      env.bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
    expect((await env.bot.action(payload)).status).toBe(200);
    await env.bot.waitFor(() => shared() >= 1, { what: 'the shared section' });
    expect((await env.bot.action(payload, { headers: RETRY })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(shared()).toBe(1);
  });

  test('a search with no good match, delivered twice, is recorded once', async () => {
    const user = 'U0NOMATCH2';
    const text = 'zebra quantum marmalade twice';
    const body = formBody(
      slashCommandFields({
        text,
        user,
        triggerId: '9209.1700000000.nomatch',
        responseUrl: env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user }),
      }),
    );
    expect((await env.bot.post(body)).status).toBe(200);
    await feedbackSettled(env.testStore.store);
    // The retry comes a moment later (Slack waits 3 s before it retries).
    await new Promise((r) => setTimeout(r, 20));
    expect((await env.bot.post(body, { headers: RETRY })).status).toBe(200);
    await feedbackSettled(env.testStore.store);

    const all = await env.testStore.store.listFeedback(
      new Date(Date.now() - DAY).toISOString(),
      new Date(Date.now() + DAY).toISOString(),
    );
    expect(all.filter((r) => r.user === user && r.kind === 'no-match')).toHaveLength(1);
  });
});
