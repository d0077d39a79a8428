/**
 * Review (helper-195): the approved Route 53 failover waits for INSYNC by counting polls (60 GetChange
 * calls, 5 s apart: src/aws/route53-wait.ts `pollChange`), not against the time the function has left.
 * The Slack function runs for 330 s at most (serverless.yml `timeout: 330`). With each GetChange taking
 * about a second (Route 53's API throttled or slow: the SDK's retries with backoff, common in the very
 * outages a failover answers), the 60 polls take about 355 s: Lambda kills the invocation before the bot
 * says "still PENDING after 60 checks … Retry" and records the failure. Nobody is told anything, the
 * request stays "executing", and Lambda's retries (each waiting again from the start) end the same way.
 *
 * The app's clock stands for time here: every wait and every GetChange moves it, so the test measures how
 * long the execution would run on Lambda.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { ActionIds } from '../../src/slack/action-ids';
import { liveRecords } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';
/** serverless.yml: the Slack function's timeout. */
const FUNCTION_TIMEOUT_MS = 330_000;
const GET_CHANGE_MS = 1_000;

let sb: StepsBot | undefined;
/** The app's clock (the steps bot's), once the bot is up. */
let clock: { now: Date } = { now: new Date() };

beforeEach(() => {
  route53.reset();
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C0SLOW', Status: 'PENDING', SubmittedAt: new Date() },
  });
  // Still propagating, and each answer takes a second.
  route53.on(GetChangeCommand).callsFake(async () => {
    clock.now = new Date(clock.now.getTime() + GET_CHANGE_MS);
    return { ChangeInfo: { Id: '/change/C0SLOW', Status: 'PENDING', SubmittedAt: new Date() } };
  });
});
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('the approved Route 53 change still PENDING when the function’s time runs out', () => {
  it('says so and records the failure before the function’s 330 s are over', async () => {
    sb = await startStepsBot({
      env: { DEFERRED_MAX_ATTEMPTS: '1', DEFERRED_RETRY_DELAY_MS: '20' },
      gateway: (c) => {
        clock = c;
        return createLiveGateway(
          createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 }),
          {
            callTimeoutMs: 2_000,
            wait: {
              sleep: async (ms) => {
                c.now = new Date(c.now.getTime() + ms);
              },
            },
          },
        );
      },
    });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.settle();

    const approvedAt = sb.clock.now.getTime();
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.eventually('execution finished', async () =>
      Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {}).some(
        (r) => r.status === 'failed' || r.status === 'succeeded',
      ),
    );
    await sb.settle();
    const ranFor = sb.clock.now.getTime() - approvedAt;

    expect(route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
    // The bot's own word on it (the change submitted, still PENDING, press Retry) reached the thread…
    expect(sb.thread().map(textOf).join('\n')).toContain('PENDING');
    // …within the time Lambda gives the invocation: otherwise it is killed first, and nothing is said.
    expect(ranFor).toBeLessThan(FUNCTION_TIMEOUT_MS);
  }, 30_000);
});
