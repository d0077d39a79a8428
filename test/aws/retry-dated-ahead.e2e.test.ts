/**
 * Found in a review (helper-168): the executor's lease on an approved Route 53 change is judged against the
 * time of the click that asks to Retry it, and that time is the payload's `action_ts`. An approver who writes
 * a later `action_ts` into a Retry makes a running execution look stalled, and a second execution writes the
 * change again while the first is still on its way. Route 53 is the live gateway over a mocked SDK client
 * whose first write is held until the test lets it go.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { ActionIds } from '../../src/slack/action-ids';
import { blockActionPayload } from '../helpers/slack-payloads';
import { liveRecords } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
let release: () => void = () => undefined;
afterEach(async () => {
  release();
  await sb?.close();
  sb = undefined;
});

describe('Retry while the approved change is being executed', () => {
  it('is refused even when its action_ts says the executor’s lease ran out: one write', async () => {
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    route53.reset();
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
    // The write takes its time (Route 53 is slow today): the execution is under way, its lease live.
    route53.on(ChangeResourceRecordSetsCommand).callsFake(async () => {
      await held;
      return { ChangeInfo: { Id: '/change/C0SLOW', Status: 'PENDING', SubmittedAt: new Date() } };
    });
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C0SLOW', Status: 'INSYNC', SubmittedAt: new Date() } });
    const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 60_000, maxAttempts: 1 });
    sb = await startStepsBot({
      gateway: createLiveGateway(clients, { callTimeoutMs: 60_000, wait: { sleep: async () => undefined } }),
    });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.waitFor('the write under way', () =>
      route53.commandCalls(ChangeResourceRecordSetsCommand).length === 1 ? true : undefined,
    );
    const runId = sb.runId();
    const stored = Object.values((await sb.store.store.getRun(runId))!.state.requests ?? {})[0]!;
    expect(stored.status).toBe('executing');

    // The approver sends Retry (the action id any client can send) with an action_ts an hour ahead.
    const responseUrl = sb.bot.fake.responseUrl({
      channel: request.channel,
      user: OWNER,
      messageTs: request.ts,
    });
    const res = await sb.bot.action(
      blockActionPayload({
        actionId: ActionIds.awsRoute53Retry,
        value: `${runId}|${stored.id}`,
        user: OWNER,
        channel: request.channel,
        messageTs: request.ts,
        responseUrl,
        blocks: request.blocks ?? [],
        actionTs: sb.clock.now.getTime() / 1000 + 3600,
      }),
      { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
    );
    expect(res.status).toBe(200);
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    // Either the Retry is answered (refused) or a second execution reaches Route 53.
    await sb.waitFor('the Retry handled', () =>
      sb!.answers(id).length > 0 || route53.commandCalls(ChangeResourceRecordSetsCommand).length > 1
        ? true
        : undefined,
    );
    release();
    await sb.settle();

    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(sb.answers(id)).toContain('This request is executing; there is nothing to retry.');
  });
});
