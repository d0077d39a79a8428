/**
 * Issue 15's attacks, sent as an attacker would send them: correctly signed requests (Slack signs whatever
 * the client sends) with edited button values, forged ids, another run's or channel's or workspace's ids,
 * users outside the approvers file, the requester approving themself. Each one must be refused with a
 * clear sentence AND change nothing: the run record and its events in the store (but for one audit line
 * of the refused attempt), the messages everyone sees in Slack, and zero Route 53 writes (the live gateway
 * over a mocked SDK client, which would count them).
 */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import type { RunRecord } from '../../src/store/store';
import type { RunEvent } from '../../src/workflows/run-state';
import { liveRecords, serviceError } from '../aws/fixtures';
import { type StepsBot, startStepsBot, textOf } from '../aws/steps-bot';
import { blockActionPayload, TEST_CHANNEL, viewSubmissionPayload } from '../helpers/slack-payloads';
import { ON } from '../workflows/switch-fixtures';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE'; // starts the runs; holds no role
const DEVOPS = 'U0DEVOPS'; // devops: signs the gate, may request and approve
const OWNER = 'U0BIZ'; // business-owner: signs the gate, may approve
const EVIL = 'U0EVIL'; // in the workspace, in no role of the approvers file

let sb: StepsBot;

beforeEach(async () => {
  route53.reset();
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53.on(GetChangeCommand).resolves({
    ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'INSYNC', SubmittedAt: new Date() },
  });
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  sb = await startStepsBot({
    gateway: createLiveGateway(clients, {
      callTimeoutMs: 2_000,
      wait: { sleep: async () => undefined },
      // Name servers that cannot be resolved: the verdict says so at once, without the network.
      dns: { systemServers: ['127.0.0.1:9'], timeoutMs: 100, tries: 1 },
    }),
    env: { FAILOVER_DNS_WAIT_MS: '1' },
  });
  await sb.command('failover', ALICE);
});

afterEach(async () => {
  await sb.close();
});

// ---- The world before and after ------------------------------------------------------------------------------

interface World {
  record: RunRecord;
  events: RunEvent[];
  /** Every message everyone sees (not ephemeral), as Slack holds it. */
  messages: Pick<FakeMessage, 'channel' | 'ts' | 'thread_ts' | 'text' | 'blocks'>[];
}

async function world(runId = sb.runId()): Promise<World> {
  await sb.settle();
  return {
    record: structuredClone((await sb.store.store.getRun(runId))!),
    events: await sb.store.store.listEvents(runId),
    messages: sb.bot.fake.messages
      .filter((m) => !m.visibleTo && !m.deleted)
      .map(({ channel, ts, thread_ts, text, blocks }) =>
        structuredClone({ channel, ts, thread_ts, text, blocks }),
      ),
  };
}

/**
 * Nothing changed but the audit trail: the run record is identical (same version), the only new event is
 * the attacker's refused attempt (when `audited`), every message looks as it did, the only new message is
 * that audit line in the run's thread, and Route 53 was never written.
 */
async function expectNothingChanged(before: World, attacker: string, audited: boolean, runId = sb.runId()) {
  const after = await world(runId);
  expect(after.record).toEqual(before.record);
  const added = after.events.filter((e) => !before.events.some((b) => b.id === e.id));
  if (audited) expect(added).toEqual([expect.objectContaining({ type: 'refused', user: attacker })]);
  else expect(added).toEqual([]);
  for (const m of before.messages) {
    const now = after.messages.find((x) => x.channel === m.channel && x.ts === m.ts);
    expect(now, `message ${m.ts}`).toEqual(m);
  }
  const fresh = after.messages.filter(
    (m) => !before.messages.some((b) => b.ts === m.ts && b.channel === m.channel),
  );
  expect(fresh.map((m) => m.text)).toEqual(
    audited ? [expect.stringContaining(`Refused: <@${attacker}>`)] : [],
  );
  expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  for (const m of after.messages) expect(JSON.stringify(m)).not.toMatch(/<!channel>|<!here>|<!everyone>/);
}

/** A signed click, built by hand as an attacker would, on the run's message (or any message). */
async function attack(
  fields: {
    actionId: string;
    value: string;
    user: string;
    channel?: string;
    team?: string;
    enterprise?: string | null;
  },
  on: FakeMessage = sb.run(),
): Promise<string> {
  const channel = fields.channel ?? on.channel;
  const responseUrl = sb.bot.fake.responseUrl({ channel, user: fields.user, messageTs: on.ts });
  const payload = blockActionPayload({
    ...fields,
    channel,
    messageTs: on.ts,
    responseUrl,
    blocks: on.blocks ?? [],
    ...(fields.team ? { team: fields.team } : {}),
    ...(fields.enterprise ? { enterprise: fields.enterprise } : {}),
  });
  const res = await sb.bot.action(payload, { timestamp: Math.floor(sb.clock.now.getTime() / 1000) });
  expect(res.status).toBe(200);
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  const said = () =>
    sb.bot.fake.responses
      .filter((r) => r.id === id)
      .map((r) => String(r.body.text ?? ''))
      .join('\n');
  await sb.waitFor('an answer to the attacker', () => said().length > 0);
  await sb.settle();
  return said();
}

/** Step 2 current: step 1 skipped, the sign-off gate signed by DevOps and the Business Owner. */
async function atRoute53Step() {
  await sb.openRoute53Step(ALICE);
}

/** DevOps asks for the failover: a pending request, stored on the run. Returns its id and message. */
async function pendingRequest(): Promise<{ requestId: string; message: FakeMessage }> {
  await atRoute53Step();
  await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
  const message = await sb.waitFor('approval request', () =>
    sb.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
  );
  await sb.settle();
  const requests = (await sb.store.store.getRun(sb.runId()))!.state.requests ?? {};
  return { requestId: Object.keys(requests)[0]!, message: structuredClone(message) };
}

// ---- Critical --------------------------------------------------------------------------------------------------

describe('critical: Route 53 failover with no approval', () => {
  it('refuses an Approve whose value an outsider wrote in the old request-carrying format', async () => {
    // The run is at step 1; its gate is unsigned. The value names a requester and a request that never were.
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Approve,
      value: `${sb.runId()}|update-route-53|failover|${ALICE}|2025-03-01T10:00:00.000Z|abcdef123456`,
      user: EVIL,
    });
    expect(answer).toContain('no longer valid');
    await expectNothingChanged(before, EVIL, false);
    expect(route53).toReceiveCommandTimes(ListResourceRecordSetsCommand, 0);
  });

  it('refuses an Approve with a forged request id, and records the attempt', async () => {
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Approve,
      value: `${sb.runId()}|0123456789abcdef`,
      user: EVIL,
    });
    expect(answer).toContain('This request is not part of this run');
    await expectNothingChanged(before, EVIL, true);
  });

  it('refuses an outsider approving a real pending request', async () => {
    const { requestId } = await pendingRequest();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Approve,
      value: `${sb.runId()}|${requestId}`,
      user: EVIL,
    });
    expect(answer).toContain('Only a member of DevOps, Business Owner can approve this change');
    await expectNothingChanged(before, EVIL, true);
  });
});

describe('critical: a modified Retry runs the change with no approval', () => {
  it('refuses a Retry whose value carries a fabricated change id and approver (old format)', async () => {
    await pendingRequest();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Retry,
      value: `${sb.runId()}|update-route-53|failover|${DEVOPS}|2025-03-01T10:00:00.000Z|abc123|${OWNER}|C0FAKECHANGE`,
      user: EVIL,
    });
    expect(answer).toContain('no longer valid');
    await expectNothingChanged(before, EVIL, false);
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 0);
    // No "approved by" reached the timeline: the step's done-guard still holds.
    expect((await sb.events()).some((e) => e.type === 'action_approved')).toBe(false);
  });

  it('refuses a Retry of a request nobody approved, from the requester and from an outsider', async () => {
    const { requestId } = await pendingRequest();
    const value = `${sb.runId()}|${requestId}`;
    let before = await world();
    expect(await attack({ actionId: ActionIds.awsRoute53Retry, value, user: DEVOPS })).toContain(
      'Two-person rule',
    );
    await expectNothingChanged(before, DEVOPS, true);
    before = await world();
    expect(await attack({ actionId: ActionIds.awsRoute53Retry, value, user: EVIL })).toContain(
      'can approve this change',
    );
    await expectNothingChanged(before, EVIL, true);
    before = await world();
    // A person with the role may press Retry only on a request that failed.
    expect(await attack({ actionId: ActionIds.awsRoute53Retry, value, user: OWNER })).toContain(
      'there is nothing to retry',
    );
    await expectNothingChanged(before, OWNER, true);
  });
});

// ---- High ------------------------------------------------------------------------------------------------------

describe('high: Execute while the step is locked', () => {
  it('refuses Execute behind the unsigned gate before reading or writing Route 53', async () => {
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Execute,
      value: `${sb.runId()}|update-route-53`,
      user: DEVOPS,
    });
    expect(answer).toContain('is locked until "Incident commander sign-off" is approved');
    await expectNothingChanged(before, DEVOPS, true);
    expect(route53).toReceiveCommandTimes(ListResourceRecordSetsCommand, 0);
  });

  it('refuses Execute from someone who neither started the run nor holds a role', async () => {
    await atRoute53Step();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Execute,
      value: `${sb.runId()}|update-route-53`,
      user: EVIL,
    });
    expect(answer).toContain('can ask for this change');
    await expectNothingChanged(before, EVIL, true);
  });
});

describe('high: self-approval by editing the requester', () => {
  it('refuses the requester approving with the old value naming someone else as requester', async () => {
    const { requestId } = await pendingRequest();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Approve,
      value: `${sb.runId()}|update-route-53|failover|${ALICE}|2025-03-01T10:00:00.000Z|${requestId}`,
      user: DEVOPS,
    });
    expect(answer).toContain('no longer valid');
    await expectNothingChanged(before, DEVOPS, false);
  });

  it('refuses the requester approving their own stored request', async () => {
    const { requestId } = await pendingRequest();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsRoute53Approve,
      value: `${sb.runId()}|${requestId}`,
      user: DEVOPS,
    });
    expect(answer).toContain('Two-person rule: the person who asked for this change cannot approve it');
    await expectNothingChanged(before, DEVOPS, true);
  });
});

// ---- Medium ----------------------------------------------------------------------------------------------------

describe('medium: clicks tied to the run’s channel and workspace', () => {
  const done = () => ({ actionId: ActionIds.checklistDone, value: `${sb.runId()}|confirm-primary-failure` });

  it('refuses a Done sent from another channel', async () => {
    const before = await world();
    const answer = await attack({ ...done(), user: ALICE, channel: 'C0OTHER' });
    expect(answer).toContain(`This run's buttons work only in <#${TEST_CHANNEL}>`);
    await expectNothingChanged(before, ALICE, true);
  });

  it('refuses a Done from another workspace (team.id)', async () => {
    const before = await world();
    const answer = await attack({ ...done(), user: ALICE, team: 'T0EVIL' });
    expect(answer).toContain('This run belongs to another Slack workspace');
    await expectNothingChanged(before, ALICE, true);
  });

  it('refuses a Done from another Enterprise Grid org (enterprise.id)', async () => {
    const before = await world();
    const answer = await attack({ ...done(), user: ALICE, enterprise: 'E0EVIL' });
    expect(answer).toContain('This run belongs to another Slack workspace');
    await expectNothingChanged(before, ALICE, true);
  });

  it("refuses another run's id clicked from this run's channel", async () => {
    // A second run, in another channel, started by the attacker's colleague.
    const ours = sb.runId();
    const responseUrl = sb.bot.fake.responseUrl({ channel: 'C0OTHER', user: ALICE });
    await sb.bot.command('drill failover', {
      user: ALICE,
      channel: 'C0OTHER',
      timestamp: Math.floor(sb.clock.now.getTime() / 1000),
    });
    await sb.settle();
    const other = sb.bot.fake.messages.find((m) => m.channel === 'C0OTHER' && !m.thread_ts)!;
    const otherRun = /"value":"(\d{8}T\d{6}-[0-9a-f]{6})\|/.exec(JSON.stringify(other.blocks))![1]!;
    expect(otherRun).not.toBe(ours);
    expect(responseUrl).toBeTruthy();
    const before = await world(otherRun);
    const answer = await attack({
      actionId: ActionIds.checklistDone,
      value: `${otherRun}|confirm-primary-failure`,
      user: ALICE,
    });
    expect(answer).toContain("This run's buttons work only in <#C0OTHER>");
    await expectNothingChanged(before, ALICE, true, otherRun);
  });

  it("refuses a request id of one run used with another run's id", async () => {
    const { requestId } = await pendingRequest();
    await sb.bot.command('failover', { user: ALICE, channel: 'C0OTHER' });
    await sb.settle();
    const other = sb.bot.fake.messages.find((m) => m.channel === 'C0OTHER' && !m.thread_ts)!;
    const otherRun = /"value":"(\d{8}T\d{6}-[0-9a-f]{6})\|/.exec(JSON.stringify(other.blocks))![1]!;
    const before = await world(otherRun);
    const answer = await attack(
      {
        actionId: ActionIds.awsRoute53Approve,
        value: `${otherRun}|${requestId}`,
        user: OWNER,
        channel: 'C0OTHER',
      },
      other,
    );
    expect(answer).toContain('This request is not part of this run');
    await expectNothingChanged(before, OWNER, true, otherRun);
  });
});

describe('medium: users outside the approvers file', () => {
  it('refuses an outsider signing the gate', async () => {
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open')[0]);
    await sb.submitModal(ALICE, 'confirmed down');
    await sb.settle();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.checklistApprove,
      value: `${sb.runId()}|gate-ic-sign-off`,
      user: EVIL,
    });
    expect(answer).toContain('You are not an approver for "Incident commander sign-off"');
    await expectNothingChanged(before, EVIL, true);
  });
});

describe('medium: mention and link injection through button values', () => {
  it('treats a value carrying <!channel> or a link as a stale reference, and echoes none of it', async () => {
    for (const value of [
      `${sb.runId()}|<!channel>`,
      `${sb.runId()}|update-route-53|failover|<!channel>|x|abcdef123456`,
      `<http://evil.example|click>|confirm-primary-failure`,
    ]) {
      for (const actionId of [ActionIds.checklistDone, ActionIds.awsRoute53Approve]) {
        const before = await world();
        const answer = await attack({ actionId, value, user: EVIL });
        expect(answer).toMatch(/cannot find any more|no longer valid/);
        expect(answer).not.toMatch(/<!channel>|<http/);
        await expectNothingChanged(before, EVIL, false);
      }
    }
  });
});

describe('modal submissions', () => {
  it('refuses a Skip submission whose private_metadata was altered or that someone else submits', async () => {
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open')[0]);
    const view = sb.bot.fake.callsTo('views.open')[0]!.args.view as { private_metadata: string };
    const values = {
      [ActionIds.checklistReasonBlock]: { [ActionIds.checklistReasonInput]: { value: 'because' } },
    };
    const before = await world();
    const tampered = view.private_metadata.replace('confirm-primary-failure', 'update-route-53');
    for (const [user, privateMetadata] of [
      [ALICE, tampered],
      [EVIL, view.private_metadata],
      [ALICE, JSON.stringify({ runId: sb.runId(), itemId: 'update-route-53', channel: TEST_CHANNEL })],
    ] as const) {
      const res = await sb.bot.action(
        viewSubmissionPayload({ callbackId: ActionIds.checklistSkipView, values, privateMetadata, user }),
        { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
      );
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ response_action: 'errors' });
      expect(res.body).toContain('stale or was altered');
    }
    await expectNothingChanged(before, ALICE, false);
    expect(textOf(sb.run())).not.toContain('skipped');
  });

  it('refuses a reason longer than the modal allows (a forged submission), says the limit, and changes nothing', async () => {
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open')[0]);
    const view = sb.bot.fake.callsTo('views.open')[0]!.args.view as { private_metadata: string };
    const submit = (reason: string) =>
      sb.bot.action(
        viewSubmissionPayload({
          callbackId: ActionIds.checklistSkipView,
          values: {
            [ActionIds.checklistReasonBlock]: { [ActionIds.checklistReasonInput]: { value: reason } },
          },
          privateMetadata: view.private_metadata,
          user: ALICE,
        }),
        { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
      );
    const before = await world();
    const res = await submit('x'.repeat(200_000));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response_action: 'errors' });
    expect(res.body).toContain('Keep the reason to 1,000 characters (this one has 200,000)');
    await expectNothingChanged(before, ALICE, false);
    expect(textOf(sb.run())).not.toContain('skipped');

    // At the limit it is taken.
    const ok = await submit('y'.repeat(1000));
    expect(ok.body).not.toContain('response_action');
    await sb.waitFor('skipped', () => textOf(sb.run()).includes('skipped'));
  });
});

// ---- Issue 16: the failover switch, the warm-up and the record-swap fallback -----------------------------------

describe('the failover switch, the warm-up and the fallback: refused, and nothing written', () => {
  const s3 = mockClient(S3Client);
  const lambda = mockClient(LambdaClient);

  beforeEach(async () => {
    s3.reset();
    lambda.reset();
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => ON } as never });
    // The bot's role may not write the switch (a bucket policy changed): the switch cannot act.
    s3.on(PutObjectCommand).rejects(serviceError('AccessDenied', 'Access Denied', 403));
    route53.on(GetHealthCheckCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));
    route53.on(GetHealthCheckStatusCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(serviceError('ProvisionedConcurrencyConfigNotFoundException', 'none', 404));
    await sb.command('switch failover', ALICE);
  });

  function expectNoAwsWrites() {
    expect(s3).toReceiveCommandTimes(PutObjectCommand, 0);
    expect(lambda).toReceiveCommandTimes(PutProvisionedConcurrencyConfigCommand, 0);
    expect(lambda).toReceiveCommandTimes(DeleteProvisionedConcurrencyConfigCommand, 0);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  }

  it('refuses Warm up from someone who neither started the run nor holds a role', async () => {
    // Warm up is offered on the current step only: the step before it is resolved first (skipped here).
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open')[0]);
    await sb.submitModal(ALICE, 'confirmed down');
    await sb.settle();
    const before = await world();
    const answer = await attack({
      actionId: ActionIds.awsWarmupApply,
      value: `${sb.runId()}|warm-up`,
      user: EVIL,
    });
    expect(answer).toContain('Only <@U0ALICE> (who started this run) or a member of DevOps');
    await expectNothingChanged(before, EVIL, true);
    expectNoAwsWrites();
    expect(lambda.calls()).toHaveLength(0);
  });

  it('refuses Warm up from another channel and another workspace, by someone who could use it here', async () => {
    const before = await world();
    for (const where of [{ channel: 'C0OTHER' }, { team: 'T0EVIL' }]) {
      const answer = await attack({
        actionId: ActionIds.awsWarmupApply,
        value: `${sb.runId()}|warm-up`,
        user: DEVOPS,
        ...where,
      });
      expect(answer).toMatch(/work only in|another Slack workspace/);
    }
    const after = await world();
    expect(after.record).toEqual(before.record);
    expectNoAwsWrites();
  });

  it('refuses an edited item: Warm up on the DNS step, Execute on the warm-up step', async () => {
    const before = await world();
    const warmOnRoute = await attack({
      actionId: ActionIds.awsWarmupApply,
      value: `${sb.runId()}|update-route-53`,
      user: ALICE,
    });
    expect(warmOnRoute).toContain('not part of this run');
    await expectNothingChanged(before, ALICE, true);
    const mid = await world();
    const executeOnWarm = await attack({
      actionId: ActionIds.awsRoute53Execute,
      value: `${sb.runId()}|warm-up`,
      user: ALICE,
    });
    expect(executeOnWarm).toContain('not part of this run');
    await expectNothingChanged(mid, ALICE, true);
    expectNoAwsWrites();
  });

  it('refuses the switch and its fallback from an outsider, even once the fallback is offered', async () => {
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open').length > 0);
    await sb.submitModal(ALICE, 'outage');
    await sb.eventually('skipped', async () => (await sb.events()).some((e) => e.type === 'step_skipped'));
    await sb.settle();
    await sb.click(sb.run(), ActionIds.checklistSkip, ALICE, 'warm-up');
    await sb.waitFor('skip modal', () => sb.bot.fake.callsTo('views.open').length > 1);
    await sb.submitModal(ALICE, 'already warm');
    await sb.eventually('skipped', async () =>
      (await sb.events()).some((e) => e.type === 'step_skipped' && e.stepId === 'warm-up'),
    );
    await sb.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await sb.click(sb.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
      await sb.settle();
    }
    const beforeExecute = await world();
    const execute = await attack({
      actionId: ActionIds.awsRoute53Execute,
      value: `${sb.runId()}|update-route-53`,
      user: EVIL,
    });
    expect(execute).toContain('can ask for this change');
    await expectNothingChanged(beforeExecute, EVIL, true);

    // A real request, approved; S3 refuses the bot's write: the fallback is offered.
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await sb.waitFor('request', () =>
      sb.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.settle();
    await sb.waitFor('fallback offered', () =>
      JSON.stringify(sb.run().blocks).includes(ActionIds.awsFailoverFallback),
    );
    expect(s3).toReceiveCommandTimes(PutObjectCommand, 1);

    const before = await world();
    const fallback = await attack({
      actionId: ActionIds.awsFailoverFallback,
      value: `${sb.runId()}|update-route-53`,
      user: EVIL,
    });
    expect(fallback).toContain('can ask for this change');
    await expectNothingChanged(before, EVIL, true);
    expect(s3).toReceiveCommandTimes(PutObjectCommand, 1);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });
});
