/**
 * Found in a review (helper-219): `/runbook escalate` lost its ladder. Slack delivered the command again
 * (the same trigger_id) while the first delivery's post to `response_url` was in flight; the redelivery
 * found the lease held and did nothing, then the first post failed (500) and released the lease: nothing
 * was posted in the channel. Now a delivery that finds the lease held waits for the holder's outcome and
 * posts when it failed (src/slack/post-once.ts); posted once still
 * (test/slack/escalate-redelivered.e2e.test.ts).
 */
import { expect, test } from 'vitest';
import { SLACK_RETRY_HEADERS as RETRY, useTestBotWithStore } from '../helpers/bot-with-store';
import { flakyResponseUrl } from '../helpers/flaky-response-url';
import { formBody } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

test('/runbook escalate redelivered while the first post is in flight, which then fails: the ladder is posted in the channel once', async () => {
  const flaky = await flakyResponseUrl(800);
  try {
    const body = formBody(
      slashCommandFields({ text: 'escalate', responseUrl: flaky.url, triggerId: '9219.1700000000.esc' }),
    );
    const first = await env.bot.post(body);
    expect(first.status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    const again = await env.bot.post(body, { headers: RETRY });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    await env.bot.deps.drain?.();
    const inAck = [first, again].filter((r) => r.body.includes('in_channel')).length;
    const posted = flaky.posts.filter((p) => p.response_type === 'in_channel').length;
    expect(inAck + posted, JSON.stringify(flaky.posts).slice(0, 400)).toBe(1);
  } finally {
    flaky.close();
  }
});
