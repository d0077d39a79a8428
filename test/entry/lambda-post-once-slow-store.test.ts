/**
 * Found in a review (helper-221): postOnce (src/slack/post-once.ts) on Lambda, where `AwsLambdaReceiver`
 * answers Slack only once the listener has returned (test/entry/lambda-slow-store.test.ts), so whatever the
 * listener awaits counts against Slack's 3 s. The listener once awaited the lease's conditional write and
 * its completion with no deadline (a slow table held the click's or the command's answer past 3 s: Slack
 * showed "operation_timeout", and the user ran `/runbook escalate` again: another trigger_id, posted twice),
 * and a redelivery of a post already made, which could not tell a completed lease from a held one, slept
 * 2.5 s plus six store round trips (late itself, so Slack delivered it again). The post is now deferred
 * work: the listener only queues it, and the deferred invocation posts under the lease.
 * The store is the real DynamoDB adapter behind the fault proxy (test/helpers/fault-proxy.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import type { LambdaBot } from '../helpers/lambda-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { useSlowStoreLambdaBot } from '../helpers/slow-store-lambda';

const CHANNEL = 'C0POSTONCE';
/** What Slack waits for an HTTP answer. */
const SLACK_MS = 3_000;

const env = useSlowStoreLambdaBot();
let artifact: Artifact;

async function start(): Promise<LambdaBot> {
  const bot = await env.start();
  artifact = env.artifact;
  // Warm: the app and the store are loaded (a cold start is not what this is about).
  expect((await bot.command('help', { user: 'U0WARM', channel: CHANNEL })).statusCode).toBe(200);
  return bot;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await work();
  return { value, ms: Date.now() - t0 };
}

function sharePayload(b: LambdaBot, user: string, actionTs: number) {
  const responseUrl = b.fake.responseUrl({ channel: CHANNEL, user });
  const id = artifact.sections[0]!.id;
  const payload = blockActionPayload({
    actionId: ActionIds.shareSection,
    value: id,
    ephemeral: true,
    responseUrl,
    user,
    channel: CHANNEL,
    actionTs,
  });
  const inChannel = () =>
    b.fake.responses.filter(
      (r) =>
        r.id === responseUrl.slice(responseUrl.lastIndexOf('/') + 1) &&
        (r.body as { response_type?: string }).response_type === 'in_channel',
    );
  return { payload, inChannel };
}

describe('postOnce on Lambda: Slack’s 3 s with a slow store', () => {
  it('answers a Share click within Slack’s 3 s while the lease’s write is slow (2 s a write)', async () => {
    const b = await start();
    const { payload, inChannel } = sharePayload(b, 'U0SHARER', 1700000100.0001);
    env.proxy.add({ operation: 'PutItem', kind: 'delay', delayMs: 2_000 });
    const { value, ms } = await timed(() => b.interaction(payload));
    expect(value.statusCode).toBe(200);
    expect(ms).toBeLessThan(SLACK_MS);
    // Posted by the deferred invocation, after the answer.
    expect((await b.pump()).failed).toEqual([]);
    expect(inChannel()).toHaveLength(1);
  }, 30_000);

  it('answers `/runbook escalate` within Slack’s 3 s while the lease’s write is slow (2 s a write)', async () => {
    const b = await start();
    env.proxy.add({ operation: 'PutItem', kind: 'delay', delayMs: 2_000 });
    const { value, ms } = await timed(() =>
      b.command('escalate', { user: 'U0ESCALATOR', channel: CHANNEL, triggerId: 'T-escalate-slow' }),
    );
    expect(value.statusCode).toBe(200);
    expect(ms).toBeLessThan(SLACK_MS);
    expect((await b.pump()).failed).toEqual([]);
    const ladder = b.fake.responses.filter(
      (r) => (r.body as { response_type?: string }).response_type === 'in_channel',
    );
    expect(ladder).toHaveLength(1);
  }, 30_000);

  it('answers a redelivered Share, already posted, within Slack’s 3 s when each store call takes 150 ms', async () => {
    const b = await start();
    const { payload, inChannel } = sharePayload(b, 'U0SHARER2', 1700000200.0001);
    expect((await b.interaction(payload)).statusCode).toBe(200);
    expect((await b.pump()).failed).toEqual([]);
    expect(inChannel()).toHaveLength(1);
    // Slack's retry of the same click (same action_ts), the share already posted and its lease completed.
    env.proxy.add({ operation: '*', kind: 'delay', delayMs: 150 });
    const { value, ms } = await timed(() => b.interaction(payload));
    expect(value.statusCode).toBe(200);
    expect(ms).toBeLessThan(SLACK_MS);
    expect((await b.pump()).failed).toEqual([]);
    expect(inChannel()).toHaveLength(1);
  }, 30_000);
});
