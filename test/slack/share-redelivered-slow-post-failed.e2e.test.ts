/**
 * Found in a review (helper-221): a Share lost. postOnce (src/slack/post-once.ts) made a redelivery wait
 * 2.5 s for the holder's outcome, assuming a post to `response_url` takes less; but on Lambda Slack
 * redelivers a click precisely because the first delivery's post was slow (its ack leaves when the listener
 * returns). Slack overloaded answered the first post 500 after 3 s: by then the redelivery had stopped
 * waiting, the holder released the lease and nothing was ever posted in the channel. Now the holder's
 * deferred task throws, and its retry posts the section.
 * The 800 ms case: test/slack/share-redelivered-post-failed.e2e.test.ts.
 */
import { expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { SLACK_RETRY_HEADERS as RETRY, useTestBotWithStore } from '../helpers/bot-with-store';
import { flakyResponseUrl } from '../helpers/flaky-response-url';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

test('Share redelivered while the first post hangs 3 s and then fails: the section is still posted in the channel once', async () => {
  const answer = (await (await env.bot.command('token expired')).response()).body as MessageBody;
  const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
  const flaky = await flakyResponseUrl(3_000);
  try {
    const payload = blockActionPayload({
      actionId: share.action_id,
      value: share.value,
      ephemeral: true,
      responseUrl: flaky.url,
      user: TEST_USER,
    });
    expect((await env.bot.action(payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    // Slack retries the click while the first delivery's post hangs.
    expect((await env.bot.action(payload, { headers: RETRY })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 4_000));
    await env.bot.deps.drain?.();
    const shared = flaky.posts.filter((p) => p.response_type === 'in_channel');
    expect(shared, JSON.stringify(flaky.posts).slice(0, 400)).toHaveLength(1);
  } finally {
    flaky.close();
  }
}, 20_000);
