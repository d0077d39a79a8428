/**
 * Found in a review (helper-188): the execute task's lease (`begin_execution`) is written, but DynamoDB's
 * answer is lost on the way back (a time-out or connection reset after the write). The AWS SDK retries the
 * PutItem by itself; the retry fails its version condition (moved by our own write); executeCommand re-reads,
 * finds the task's key applied and returns `duplicate`, which execute() takes for "another delivery acts" and
 * stops. Nobody executes the approved failover: the request stays `executing` under a 6-minute lease, and the
 * task's own lease is completed, so no redelivery runs it either.
 *
 * The same with the execute task's own lease (`task:execute:…`, src/slack/deferred-runner.ts): written, its
 * answer lost, the SDK's retry finds it held (by this attempt), acquireLease answers false, and the runner
 * drops the task as "already handled": the approved request stays `approved`, nothing is executed.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { ActionIds } from '../../src/slack/action-ids';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { isRunReplacement, type LostAnswerProxy, startLostAnswerProxy } from '../helpers/lost-answer-proxy';
import { liveRecords } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
let proxy: LostAnswerProxy | undefined;

beforeEach(() => {
  route53.reset();
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53
    .on(GetChangeCommand)
    .resolves({ ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'INSYNC', SubmittedAt: new Date() } });
});
afterEach(async () => {
  await sb?.close();
  await proxy?.close();
  sb = undefined;
  proxy = undefined;
});

function liveGateway() {
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  return createLiveGateway(clients, { callTimeoutMs: 2_000, wait: { sleep: async () => undefined } });
}

/** The begin_execution write: the run replaced with the request `executing`. */
const beginsExecution = (raw: string) =>
  isRunReplacement(raw) && raw.includes('\\"status\\":\\"executing\\"');

/** Alice starts, the gate is signed, DevOps asks; returns the request message (Approve, Cancel). */
async function asked() {
  sb = await startStepsBot({
    gateway: liveGateway(),
    connect: async (ts) => {
      proxy = await startLostAnswerProxy(ts.endpoint);
      return createDynamoStore({
        tableName: ts.tableName,
        client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
      });
    },
  });
  await sb.command('failover', ALICE);
  await sb.openRoute53Step(ALICE);
  await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
  return structuredClone(
    await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

describe('the execution lease written, its answer lost', () => {
  it('still executes the approved failover once (begin_execution’s answer lost)', async () => {
    const request = await asked();

    proxy!.arm('PutItem', beginsExecution);
    await sb!.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb!.eventually('approved', async () =>
      Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {}).some(
        (r) => r.status !== 'pending' && r.status !== 'approved',
      ),
    );
    await sb!.settle();

    expect(proxy!.lost()).toBe(1);
    const [stored] = Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {});
    // The approved change is made once and recorded, not left "executing" with nobody executing it.
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(stored).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('still executes the approved failover once (the execute task’s lease answer lost)', async () => {
    const request = await asked();
    proxy!.arm(
      'PutItem',
      (raw) => raw.includes('"LEASE#task:execute:') && raw.includes('attribute_not_exists(pk)'),
    );
    await sb!.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb!.eventually('approved', async () =>
      Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {}).some(
        (r) => r.status !== 'pending',
      ),
    );
    await sb!.settle();

    expect(proxy!.lost()).toBe(1);
    const [stored] = Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {});
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(stored).toMatchObject({ status: 'succeeded' });
  });
});
