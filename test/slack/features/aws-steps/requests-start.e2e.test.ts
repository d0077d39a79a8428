/**
 * From an approved live action to its execution (found in a review, helper-160): an approval given on the
 * Home tab is carried out; an approval whose execution could not be queued, or whose first delivery stopped
 * before queuing it, is started again (Retry, or the redelivery), and still runs once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../../../src/aws/simulated';
import { ActionIds } from '../../../../src/slack/action-ids';
import { clickKey, isoFromActionTs } from '../../../../src/slack/interaction';
import { executeCommand } from '../../../../src/store/runs';
import { RECORDS } from '../../../aws/fixtures';
import { type StepsBot, startStepsBot } from '../../../aws/steps-bot';
import { blockActionPayload, TEST_CHANNEL, TEST_TEAM } from '../../../helpers/slack-payloads';
import { findElement, hasElement } from '../../../workflows/checklist-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const requests = async (s: StepsBot) =>
  Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});

/** A click from `user`'s App Home tab, as Slack sends it (container: a `home` view; no channel). */
async function homeClick(s: StepsBot, user: string, actionId: string, value: string) {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEST_TEAM },
    api_app_id: 'A0RUNBOOK',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'VHOME1' },
    trigger_id: `${Date.now()}.1.home`,
    team: { id: TEST_TEAM, domain: 'test-team' },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: 'VHOME1', type: 'home', team_id: TEST_TEAM, blocks: [], hash: 'h1' },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button' },
        value,
        action_ts: `${s.clock.now.getTime() / 1000 + 0.5}`,
      },
    ],
  };
  const res = await s.bot.action(payload, { timestamp: Math.floor(s.clock.now.getTime() / 1000) });
  if (res.status !== 200) throw new Error(`interaction answered ${res.status}`);
}

async function requestedFailover(): Promise<StepsBot> {
  const s = await startStepsBot({
    gateway: createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    }),
  });
  await s.command('failover', ALICE);
  await s.openRoute53Step(ALICE);
  await s.settle();
  await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
  await s.eventually('request stored', async () => (await requests(s)).length === 1);
  await s.settle();
  return s;
}

describe('live action approved from the Home tab', () => {
  it('executes the change the Home tab approved (the execution an approval there starts)', async () => {
    sb = await requestedFailover();
    // The Home tab offers "Approve failover" to an invited approver (render/home.ts); its value is the
    // request's reference, the same as the DM's.
    const dm = sb.bot.fake.messages.find(
      (m) => m.channel === sb!.bot.fake.dmChannelOf(OWNER) && hasElement(m, ActionIds.awsRoute53Approve),
    );
    expect(dm).toBeDefined();
    const value = findElement(dm!, ActionIds.awsRoute53Approve).value!;
    await homeClick(sb, OWNER, ActionIds.awsRoute53Approve, value);
    await sb.settle();
    const [request] = await requests(sb);
    expect(request).toMatchObject({ decidedBy: OWNER });
    // The approval stood (OWNER holds the role, was invited, is not the requester): it must be carried out.
    const refused = (await sb.events()).filter((e) => e.type === 'refused');
    expect(refused).toEqual([]);
    expect(request!.status).toBe('succeeded');
  });
});

describe('an approval whose execution could not be queued', () => {
  it('can be retried, as the approver is told ("Press Retry on the request to start it")', async () => {
    sb = await requestedFailover();
    const s = sb;
    const queue = s.bot.deps.defer;
    let failed = 0;
    s.bot.deps.defer = async (task) => {
      if (task.kind === 'aws.route53.execute' && failed++ === 0) throw new Error('Rate exceeded');
      return queue(task);
    };
    const ask = s.thread().find((m) => hasElement(m, ActionIds.awsRoute53Approve))!;
    const value = findElement(ask, ActionIds.awsRoute53Approve).value!;
    const approved = await s.click(ask, ActionIds.awsRoute53Approve, OWNER);
    await s.waitFor('told to retry', () => s.answers(approved).includes('Press Retry on the request'));
    await s.settle();
    expect((await requests(s))[0]).toMatchObject({ status: 'approved', attempts: 0 });

    // The request message (rendered from the store) offers the Retry it was told to press…
    const message = s.thread().find((m) => m.ts === ask.ts)!;
    const offered = hasElement(message, ActionIds.awsRoute53Retry);
    // …and a Retry (the request's own reference, from the approver, in the run's channel) starts it.
    const retry = await s.click(
      {
        ...ask,
        blocks: [
          { type: 'actions', elements: [{ type: 'button', action_id: ActionIds.awsRoute53Retry, value }] },
        ],
      },
      ActionIds.awsRoute53Retry,
      OWNER,
    );
    await s.settle();
    const answer = s.answers(retry);
    const [request] = await requests(s);
    expect({ offered, answer, status: request!.status }).toEqual({
      offered: true,
      answer: '',
      status: 'succeeded',
    });
  });
});

describe('a redelivered Approve whose first delivery stopped after the write', () => {
  it('still starts the approved change (nothing lost when Lambda delivers the decide task again)', async () => {
    sb = await requestedFailover();
    const s = sb;
    const ask = s.thread().find((m) => hasElement(m, ActionIds.awsRoute53Approve))!;
    const value = findElement(ask, ActionIds.awsRoute53Approve).value!;
    const actionTs = s.clock.now.getTime() / 1000 + 0.777;
    // The first delivery of OWNER's Approve wrote the approval (the very write its deferred task makes,
    // under the click's key) and then its container stopped before queuing the execution.
    const click = { actionTs: `${actionTs}`, user: OWNER, actionId: ActionIds.awsRoute53Approve, value };
    const first = await executeCommand(
      s.store.store,
      s.runId(),
      { type: 'decide_request', requestId: value.split('|')[1]!, decision: 'approve' },
      {
        user: OWNER,
        at: isoFromActionTs(click.actionTs, s.clock.now),
        key: clickKey(click),
        roles: ['business-owner'],
        requesterRoles: ['devops'], // what the Slack path reads again for the requester
        team: TEST_TEAM,
        enterprise: null,
        channel: TEST_CHANNEL,
      },
    );
    expect(first.kind).toBe('applied');
    // Lambda delivers the same click again (at-least-once; the decide task takes no lease).
    const res = await s.bot.action(
      blockActionPayload({
        actionId: ActionIds.awsRoute53Approve,
        value,
        user: OWNER,
        channel: ask.channel,
        messageTs: ask.ts,
        responseUrl: s.bot.fake.responseUrl({ channel: ask.channel, user: OWNER, messageTs: ask.ts }),
        actionTs,
      }),
      { timestamp: Math.floor(s.clock.now.getTime() / 1000) },
    );
    expect(res.status).toBe(200);
    await s.settle();
    const [request] = await requests(s);
    expect(request).toMatchObject({ decidedBy: OWNER, status: 'succeeded' });
  });
});

describe('a Retry dated ahead of the clock', () => {
  it('is refused while the execution holds its lease (the click is dated now, not when it claims)', async () => {
    sb = await requestedFailover();
    const s = sb;
    const ask = s.thread().find((m) => hasElement(m, ActionIds.awsRoute53Approve))!;
    const value = findElement(ask, ActionIds.awsRoute53Approve).value!;
    const requestId = value.split('|')[1]!;
    const at = s.clock.now.toISOString();
    const ctx = {
      user: OWNER,
      roles: ['business-owner'],
      requesterRoles: ['devops'], // what the Slack path reads again for the requester
      team: TEST_TEAM,
      enterprise: null,
      channel: TEST_CHANNEL,
    };
    // Approved, and an execution began and holds its 5-minute lease (its container is still at work).
    await executeCommand(
      s.store.store,
      s.runId(),
      { type: 'decide_request', requestId, decision: 'approve' },
      {
        ...ctx,
        at,
        key: 'approve-once',
      },
    );
    const began = await executeCommand(
      s.store.store,
      s.runId(),
      { type: 'begin_execution', requestId, leaseMs: 5 * 60_000 },
      { ...ctx, at, key: 'begin-once' },
    );
    expect(began.kind).toBe('applied');

    // Retry, with an action_ts an hour ahead: were it believed, the lease would look run out.
    const res = await s.bot.action(
      blockActionPayload({
        actionId: ActionIds.awsRoute53Retry,
        value,
        user: OWNER,
        channel: ask.channel,
        messageTs: ask.ts,
        responseUrl: s.bot.fake.responseUrl({ channel: ask.channel, user: OWNER, messageTs: ask.ts }),
        actionTs: s.clock.now.getTime() / 1000 + 3600,
      }),
      { timestamp: Math.floor(s.clock.now.getTime() / 1000) },
    );
    expect(res.status).toBe(200);
    await s.settle();
    const [request] = await requests(s);
    expect(request).toMatchObject({ status: 'executing', attempts: 1 });
    expect((await s.events()).filter((e) => e.type === 'action_retried')).toEqual([]);
  });
});
