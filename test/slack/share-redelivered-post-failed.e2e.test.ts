/**
 * Found in reviews: a Share lost when Slack delivered the click again while the first delivery's post to
 * `response_url` was in flight, and that post then failed.
 * - helper-219 (the post fails after 800 ms): the redelivery found the share's lease held and did nothing,
 *   then the first post failed (500) and released the lease: nothing was posted in the channel.
 * - helper-221 (the post hangs 3 s, then fails): a redelivery that waited 2.5 s for the holder's outcome had
 *   stopped waiting by then; on Lambda Slack redelivers a click precisely because the first post was slow.
 * Now the holder's deferred task throws when its post fails, and its retry posts the section
 * (src/slack/post-once.ts); posted once still (test/slack/answers-redelivered.e2e.test.ts).
 */
import { expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { SLACK_RETRY_HEADERS as RETRY, useTestBotWithStore } from '../helpers/bot-with-store';
import { flakyResponseUrl } from '../helpers/flaky-response-url';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

/** Share clicked, the first post failing after `failAfterMs`, the click redelivered meanwhile. */
async function sharedPostsWhenFirstFails(
  failAfterMs: number,
  settleMs: number,
): Promise<{ shared: unknown[]; posts: unknown[] }> {
  const answer = (await (await env.bot.command('token expired')).response()).body as MessageBody;
  const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
  const flaky = await flakyResponseUrl(failAfterMs);
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
    // Slack retries the click while the first delivery's post is in flight.
    expect((await env.bot.action(payload, { headers: RETRY })).status).toBe(200);
    await new Promise((r) => setTimeout(r, settleMs));
    await env.bot.deps.drain?.();
    return { shared: flaky.posts.filter((p) => p.response_type === 'in_channel'), posts: [...flaky.posts] };
  } finally {
    flaky.close();
  }
}

test('Share redelivered while the first post is in flight, which then fails: the section is posted in the channel once', async () => {
  const { shared, posts } = await sharedPostsWhenFirstFails(800, 1_500);
  expect(shared, JSON.stringify(posts).slice(0, 400)).toHaveLength(1);
});

test('Share redelivered while the first post hangs 3 s and then fails: the section is still posted in the channel once', async () => {
  const { shared, posts } = await sharedPostsWhenFirstFails(3_000, 4_000);
  expect(shared, JSON.stringify(posts).slice(0, 400)).toHaveLength(1);
}, 20_000);
