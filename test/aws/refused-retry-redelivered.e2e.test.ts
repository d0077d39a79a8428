/**
 * Found in a review (helper-190): a Retry that authorize() refuses is recorded once in the
 * run's audit trail; a second delivery of the same click (Slack's retry, or Lambda delivering the deferred
 * RETRY task again: it is registered `once: false`) then finds its refusal recorded and is answered as a
 * `duplicate`, and `decide()` (src/slack/features/aws-steps/requests.ts `awaitsStart`) queues the execution
 * of the approved request for it. So the requester (two-person rule: may not press Retry before anything
 * was submitted) or someone with no role at all starts the change after being told "nothing changed".
 *
 * The request is approved and its execution never began (queuing it failed: the state the Retry button is
 * there for), written straight into the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario, type SimulatedGateway } from '../../src/aws/simulated';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { blockActionPayload } from '../helpers/slack-payloads';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';
const NOBODY = 'U0NOBODY';

let sb: StepsBot | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function approvedNeverStarted(): Promise<{
  sim: SimulatedGateway;
  request: FakeMessage;
  requestId: string;
}> {
  const sim = createSimulatedGateway(loadScenario('primary-down'), {
    records: RECORDS,
    now: () => new Date(),
  });
  sb = await startStepsBot({ gateway: sim });
  await sb.command('failover', ALICE);
  await sb.openRoute53Step(ALICE);
  await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
  const request = await sb.waitFor('approval request', () =>
    sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
  );
  await sb.settle();
  const runId = sb.runId();
  const record = (await sb.store.store.getRun(runId))!;
  const pending = Object.values(record.state.requests ?? {})[0]!;
  expect(pending).toMatchObject({ status: 'pending', requestedBy: DEVOPS });
  // OWNER approved; queuing the execution failed, so it never began (attempts 0): Retry is offered.
  await sb.store.store.putRun(
    {
      ...record,
      state: {
        ...record.state,
        version: record.state.version + 1,
        requests: {
          [pending.id]: {
            ...pending,
            status: 'approved',
            decidedBy: OWNER,
            decidedAt: new Date().toISOString(),
            decidedRole: 'business-owner',
          },
        },
      },
    },
    record.state.version,
  );
  return { sim, request, requestId: pending.id };
}

/** The same Retry click, delivered `times` times (Slack's retries carry x-slack-retry-num). */
async function retryDelivered(user: string, request: FakeMessage, requestId: string, times: number) {
  const s = sb!;
  const responseUrl = s.bot.fake.responseUrl({ channel: request.channel, user, messageTs: request.ts });
  const payload = blockActionPayload({
    actionId: ActionIds.awsRoute53Retry,
    value: `${s.runId()}|${requestId}`,
    user,
    channel: request.channel,
    messageTs: request.ts,
    responseUrl,
    blocks: request.blocks ?? [],
    actionTs: s.clock.now.getTime() / 1000 + 0.5,
  });
  const answers: string[] = [];
  for (let n = 0; n < times; n++) {
    const res = await s.bot.action(payload, {
      timestamp: Math.floor(s.clock.now.getTime() / 1000),
      ...(n > 0
        ? { headers: { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' } }
        : {}),
    });
    expect(res.status).toBe(200);
    await s.settle();
    answers.push(s.answers(responseUrl.slice(responseUrl.lastIndexOf('/') + 1)));
  }
  return answers;
}

const statusOf = async (requestId: string) =>
  (await sb!.store.store.getRun(sb!.runId()))!.state.requests?.[requestId]?.status;

describe('a refused Retry delivered again', () => {
  it('does not let the requester start the approved change: refused once, refused (and nothing written) again', async () => {
    const { sim, request, requestId } = await approvedNeverStarted();
    const [first] = await retryDelivered(DEVOPS, request, requestId, 1);
    expect(first).toContain('Two-person rule');
    expect(sim.writes).toEqual([]);
    expect(await statusOf(requestId)).toBe('approved');

    // The same click again: it was refused, so it must still change nothing.
    await retryDelivered(DEVOPS, request, requestId, 2);
    expect(sim.writes).toEqual([]);
    expect(await statusOf(requestId)).toBe('approved');
  });

  it('does not let someone with no role start the approved change by a redelivered, refused Retry', async () => {
    const { sim, request, requestId } = await approvedNeverStarted();
    const answers = await retryDelivered(NOBODY, request, requestId, 2);
    expect(answers[0]).toContain('Only a member of');
    expect(sim.writes).toEqual([]);
    expect(await statusOf(requestId)).toBe('approved');
  });
});
