/**
 * Found in a review (helper-194) of f121557 (the write token): begin_execution's run write applied, its answer lost, and
 * another change of the same run (another container's click, a timer's write) landing before the AWS SDK's own
 * retry. The retry fails its condition against that other write, whose item holds the other write's token:
 * conditionalPut answers false, executeCommand re-reads, finds begin_execution's key applied and answers
 * `duplicate`; execute() takes it for "another delivery acts" and stops. Nobody executes the approved failover.
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
import {
  type LostAnswerBetweenProxy,
  startLostAnswerBetweenProxy,
} from '../helpers/lost-answer-between-proxy';
import { isRunReplacement } from '../helpers/lost-answer-proxy';
import { liveRecords } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
let proxy: LostAnswerBetweenProxy | undefined;

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

const beginsExecution = (raw: string) =>
  isRunReplacement(raw) && raw.includes('\\"status\\":\\"executing\\"');

describe('begin_execution written, its answer lost, another change of the run in between', () => {
  it('still executes the approved failover once', async () => {
    sb = await startStepsBot({
      gateway: liveGateway(),
      connect: async (ts) => {
        proxy = await startLostAnswerBetweenProxy(ts.endpoint);
        return createDynamoStore({
          tableName: ts.tableName,
          client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
        });
      },
    });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = structuredClone(
      await sb.waitFor('approval request', () =>
        sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );

    proxy!.arm(beginsExecution, async () => {
      // Another container writes the run meanwhile (any change: here the run item as it is, next version).
      const direct = sb!.store.store;
      const record = (await direct.getRun(sb!.runId()))!;
      await direct.putRun(
        { ...record, state: { ...record.state, version: record.state.version + 1 } },
        record.state.version,
      );
    });
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.eventually('execution over', async () =>
      Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {}).some(
        (r) => r.status === 'executing' || r.status === 'succeeded' || r.status === 'failed',
      ),
    );
    await sb.settle();

    expect(proxy!.lost()).toBe(1);
    const [stored] = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {});
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(stored).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
