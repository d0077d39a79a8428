/**
 * The deferred path on Lambda, attacked: the checklist and the failover run through the Lambda handler,
 * every click acknowledged before any store work and carried out by a sealed async invocation (a loopback
 * Lambda `Invoke`, delivered back with `pump()`). Anyone allowed to invoke the function can send it an
 * event: without the MAC, with another key's MAC, with an edited payload, or a valid event replayed after it
 * ran. None of them may act.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { sealDeferredTask } from '../../src/aws/deferred-seal';
import { createLiveGateway } from '../../src/aws/gateway';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { deferredKey } from '../../src/slack/deferred-runner';
import type { Store } from '../../src/store/store';
import { liveRecords } from '../aws/fixtures';
import { stepsArtifact } from '../aws/steps-bot';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type LambdaBot, startLambdaBot } from '../helpers/lambda-bot';
import {
  blockActionPayload,
  TEST_CHANNEL,
  TEST_TEAM,
  viewSubmissionPayload,
} from '../helpers/slack-payloads';
import { findElement, writeApprovers } from '../workflows/checklist-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let testStore: TestStore;
let bot: LambdaBot;
/** Store calls made, by method: what a click costs before its ack. */
const calls: string[] = [];

function counting(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53.on(GetChangeCommand).resolves({
    ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'INSYNC', SubmittedAt: new Date() },
  });
  testStore = await startTestStore();
  const store = counting(testStore.store);
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  bot = await startLambdaBot({
    artifact: await stepsArtifact(),
    approversFile: writeApprovers(),
    getStore: async () => store,
    gateway: createLiveGateway(clients, { callTimeoutMs: 2_000, wait: { sleep: async () => undefined } }),
  });
}, 60_000);

afterAll(async () => {
  await bot?.close();
  await testStore?.store.close();
});

const runMessage = () =>
  bot.fake.messages.find((m) => m.channel === TEST_CHANNEL && !m.thread_ts && m.via === 'chat.postMessage')!;
const runId = () => /"value":"(\d{8}T\d{6}-[0-9a-f]{6})\|/.exec(JSON.stringify(runMessage().blocks))![1]!;
const requests = async () => Object.values((await testStore.store.getRun(runId()))!.state.requests ?? {});

/** A click on a message as Slack would send it; returns the store calls made before the HTTP answer. */
async function click(message: FakeMessage, actionId: string, user: string, value?: string) {
  const element = value === undefined ? findElement(message, actionId) : { value };
  calls.length = 0;
  const res = await bot.interaction(
    blockActionPayload({
      actionId,
      value: element.value,
      user,
      channel: message.channel,
      messageTs: message.ts,
      responseUrl: bot.fake.responseUrl({ channel: message.channel, user, messageTs: message.ts }),
      blocks: message.blocks ?? [],
    }),
  );
  expect(res.statusCode).toBe(200);
  return [...calls];
}

describe('a failover through the Lambda handler', () => {
  let requestId = '';
  let approveEvent: unknown;

  it('acks a command and each click before any store work, and does the work in sealed async invocations', async () => {
    calls.length = 0;
    expect((await bot.command('failover', { user: ALICE, channel: TEST_CHANNEL })).statusCode).toBe(200);
    expect(calls).toEqual([]);
    expect(bot.lambda.queued).toHaveLength(1);
    await bot.pump();
    expect(runMessage()).toBeDefined();

    // Skip opens a modal: the run is read in the request, as the trigger allows only 3 s.
    expect(await click(runMessage(), ActionIds.checklistSkip, ALICE)).toEqual(['getRun']);
    const view = bot.fake.callsTo('views.open')[0]!.args.view as {
      private_metadata: string;
      callback_id: string;
    };
    const submitted = await bot.interaction(
      viewSubmissionPayload({
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        user: ALICE,
        values: {
          [ActionIds.checklistReasonBlock]: {
            [ActionIds.checklistReasonInput]: { value: 'down per AWS Health' },
          },
        },
      }),
    );
    expect(submitted.statusCode).toBe(200);
    await bot.pump();

    for (const signer of [DEVOPS, OWNER]) {
      expect(await click(runMessage(), ActionIds.checklistApprove, signer)).toEqual([]);
      await bot.pump();
    }
    expect(await click(runMessage(), ActionIds.awsRoute53Execute, DEVOPS)).toEqual([]);
    await bot.pump();
    const pending = await requests();
    expect(pending).toEqual([expect.objectContaining({ status: 'pending', requestedBy: DEVOPS })]);
    requestId = pending[0]!.id;
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('drops a direct invoke of an unsigned task, of one sealed with another key, and of an edited one', async () => {
    const run = (await testStore.store.getRun(runId()))!;
    const messages = bot.fake.messages.length;
    // As the red team sent it: the old, unsigned shape, acting as the Business Owner approving.
    const click = {
      actionId: ActionIds.awsRoute53Approve,
      value: `${runId()}|${requestId}`,
      user: OWNER,
      team: TEST_TEAM,
      enterprise: null,
      channel: TEST_CHANNEL,
      messageTs: null,
      responseUrl: null,
      actionTs: `${Date.now() / 1000}`,
    };
    const task = { kind: 'aws.request.decide', payload: click };
    const unsigned = { source: 'runbook-bot.deferred', task };
    const otherKey = sealDeferredTask(
      task,
      deferredKey({ slack: { signingSecret: 'not-our-secret-0000' } }),
      new Date(),
    );
    const ours = sealDeferredTask(
      { ...task, payload: { ...click, user: DEVOPS } },
      deferredKey({ slack: { signingSecret: 'lambda-bot-signing-secret-0123456789' } }),
      new Date(),
    );
    const edited = { ...ours, task: ours.task.replace(DEVOPS, OWNER) };
    for (const event of [unsigned, otherKey, edited])
      expect(await bot.invoke(event)).toEqual({ statusCode: 200, body: '' });

    expect(bot.logs.filter((e) => e.msg === 'deferred task refused').map((e) => e.reason)).toEqual([
      'malformed',
      'bad_mac',
      'bad_mac',
    ]);
    expect(await testStore.store.getRun(runId())).toEqual(run);
    expect(bot.fake.messages).toHaveLength(messages);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('executes once on a real approval, and a replay of the same sealed events afterwards does nothing', async () => {
    const request = bot.fake.messages.find((m) =>
      JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve),
    )!;
    expect(await click(request, ActionIds.awsRoute53Approve, OWNER)).toEqual([]);
    approveEvent = structuredClone(bot.lambda.queued[0]);
    await bot.invoke(bot.lambda.queued.shift());
    // Lambda's async delivery is at-least-once: the execute task arrives twice at the same moment.
    const twice = bot.lambda.queued.shift();
    await Promise.all([bot.invoke(structuredClone(twice)), bot.invoke(structuredClone(twice))]);
    await bot.pump();
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(await requests()).toEqual([expect.objectContaining({ status: 'succeeded', decidedBy: OWNER })]);
    const kindOf = (e: unknown) => (JSON.parse((e as { task: string }).task) as { kind: string }).kind;
    const execute = bot.lambda.all.find((e) => kindOf(e) === 'aws.route53.execute');
    const ask = bot.lambda.all.find((e) => kindOf(e) === 'aws.route53.request');
    expect(execute).toBeDefined();
    expect(ask).toBeDefined();

    const run = (await testStore.store.getRun(runId()))!;
    const events = await testStore.store.listEvents(runId());
    for (const replay of [execute, approveEvent, ask, execute]) await bot.invoke(structuredClone(replay));
    await bot.pump();

    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect((await testStore.store.getRun(runId()))?.state).toEqual(run.state);
    expect(await testStore.store.listEvents(runId())).toEqual(events);
    expect(bot.logs.some((e) => e.msg === 'deferred task already handled')).toBe(true);
  });
});
