/**
 * The AWS step extensions through the whole app: checklist message → button → ack → deferred AWS work →
 * thread note and message update. Route 53 is the live gateway over a mocked SDK client (inputs asserted,
 * writes counted); evidence, notices and the canary use the simulated gateway.
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
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { liveRecords, RECORDS, serviceError, ZONE } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';

let sb: StepsBot | undefined;

function liveGateway() {
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  const sleeps: number[] = [];
  return createLiveGateway(clients, {
    callTimeoutMs: 2_000,
    wait: { sleep: async (ms) => void sleeps.push(ms) },
  });
}

function simulated(name: string) {
  return createSimulatedGateway(loadScenario(name), {
    records: RECORDS,
    now: () => new Date('2025-03-01T10:00:00.000Z'),
  });
}

beforeEach(() => {
  route53.reset();
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: {
      Id: '/change/C0FAILOVER1',
      Status: 'PENDING',
      SubmittedAt: new Date('2025-03-01T10:01:00Z'),
    },
  });
  route53
    .on(GetChangeCommand)
    .resolvesOnce({ ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'PENDING', SubmittedAt: new Date() } })
    .resolves({ ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'INSYNC', SubmittedAt: new Date() } });
});

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');

const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

/** The approval request posted in the run's thread, as everyone's Slack client shows it now. */
async function requestMessage(s: StepsBot, actionId: string = ActionIds.awsRoute53Approve) {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(actionId)),
    ),
  );
}

describe('Update Route 53: two-person rule', () => {
  it('asks, refuses the requester as approver, executes on a second person, and records INSYNC', async () => {
    // Prepare: Alice starts; the sign-off gate (DevOps, Business Owner) is signed; step 2 is current
    sb = await startStepsBot({ gateway: liveGateway() });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);

    // Act 1: DevOps asks (after the confirmation dialog, Slack sends the click)
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(sb);

    // Assess 1: the request shows the exact change, stored on the run; nothing was written
    expect(textOf(request)).toContain(`<@${DEVOPS}> requests a *Route 53 failover*`);
    expect(textOf(request)).toContain('api-eu-west-1');
    const stored = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {});
    expect(stored).toEqual([
      expect.objectContaining({ requestedBy: DEVOPS, status: 'pending', kind: 'route53-failover' }),
    ]);
    expect(JSON.stringify(request.blocks)).toContain(`"value":"${sb.runId()}|${stored[0]!.id}"`);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);

    // Act 2: DevOps tries to approve their own request (they hold an approver role)
    const own = await sb.click(request, ActionIds.awsRoute53Approve, DEVOPS);
    await sb.waitFor('refusal', () => sb!.answers(own).includes('Two-person rule'));
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);

    // Act 3: the Business Owner approves
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.waitFor('INSYNC note', () => threadText(sb!).includes('INSYNC after 2 check(s)'));
    await sb.settle();

    // Assess 3: one write, with a comment naming the run and both people, then GetChange until INSYNC
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
    const input = route53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input;
    expect(input.HostedZoneId).toBe(ZONE);
    expect(input.ChangeBatch?.Comment).toMatch(
      /^runbook-bot failover run \S+ step update-route-53 requested by U0DEVOPS approved by U0BIZ$/,
    );
    expect(
      input.ChangeBatch?.Changes?.map(
        (c) => `${c.Action} ${c.ResourceRecordSet?.SetIdentifier} ${c.ResourceRecordSet?.Failover}`,
      ),
    ).toEqual([
      'DELETE api-af-south-1 PRIMARY',
      'DELETE api-eu-west-1 SECONDARY',
      'CREATE api-af-south-1 SECONDARY',
      'CREATE api-eu-west-1 PRIMARY',
    ]);
    expect(route53).toReceiveCommandWith(GetChangeCommand, { Id: 'C0FAILOVER1' });
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 2);
    expect(threadText(sb)).toContain(
      `<@${OWNER}> approved the live action on *2. Update Route 53* as Business Owner`,
    );
    const decided = sb.bot.fake.messages.find((m) => m.ts === request.ts)!;
    expect(textOf(decided)).toContain(`*approved* by <@${OWNER}>. Done`);
    const done = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0];
    expect(done).toMatchObject({ status: 'succeeded', decidedBy: OWNER, outcome: 'insync', attempts: 1 });

    // Act 4: a late second approval does nothing
    const late = await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.waitFor('already decided', () => sb!.answers(late).includes('already'));
    await sb.settle();
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);

    // Assess 4: the step now shows the result
    await sb.waitFor('step shows result', () => textOf(sb!.run()).includes('applied and INSYNC'));
  });

  it('cancel leaves Route 53 untouched', async () => {
    sb = await startStepsBot({ gateway: liveGateway() });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, ALICE, 'update-route-53');
    const request = await requestMessage(sb, ActionIds.awsRoute53Cancel);

    await sb.click(request, ActionIds.awsRoute53Cancel, ALICE);
    await sb.waitFor('cancelled', () =>
      textOf(sb!.bot.fake.messages.find((m) => m.ts === request.ts)!).includes('*cancelled*'),
    );
    const after = await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.waitFor('already decided', () => sb!.answers(after).includes('already cancelled'));
    await sb.settle();

    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('a throttled write is retried by itself, then reported with a Retry the requester cannot use', async () => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(serviceError('Throttling', 'Rate exceeded'));
    sb = await startStepsBot({ gateway: liveGateway(), env: { DEFERRED_RETRY_DELAY_MS: '5' } });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(sb);

    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.settle();
    const retry = await sb.waitFor('retry offered', () => {
      const now = sb!.bot.fake.messages.find((m) => m.ts === request.ts);
      return now && JSON.stringify(now.blocks ?? []).includes(ActionIds.awsRoute53Retry) ? now : undefined;
    });

    // Three deliveries (Lambda's maximumRetryAttempts 2, emulated in process), each recorded, then the end.
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 3);
    expect(threadText(sb)).toContain('Route 53 ChangeResourceRecordSets was throttled by AWS');
    expect(threadText(sb)).toContain('Attempt 1 of 3; the bot tries again by itself');
    expect(threadText(sb)).toContain('After 3 attempt(s). Press Retry');
    const failed = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0];
    expect(failed).toMatchObject({ status: 'failed', retryable: true, attempts: 3 });
    expect(sb.bot.logs.some((e) => e.msg === 'deferred task failed' && e.level === 'error')).toBe(true);

    const own = await sb.click(retry, ActionIds.awsRoute53Retry, DEVOPS);
    await sb.waitFor('requester refused', () => sb!.answers(own).includes('Two-person rule'));
    await sb.settle();
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 3);

    // The throttling is over: the approver retries, once more through the same approval.
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C0FAILOVER1', Status: 'PENDING', SubmittedAt: new Date() },
    });
    await sb.click(retry, ActionIds.awsRoute53Retry, OWNER);
    await sb.waitFor('INSYNC note', () => threadText(sb!).includes('INSYNC after'));
    await sb.settle();
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 4);
  });
});

describe('drill mode: everything but the write (issue 18.3)', () => {
  it('asks and approves exactly as a live run, then shows the exact change and makes zero write calls', async () => {
    sb = await startStepsBot({ gateway: liveGateway() });
    await sb.command('drill failover', ALICE);
    await sb.openRoute53Step(ALICE);
    const run = sb.run();
    // The same button and confirmation dialog as a live run, saying DRILL.
    expect(JSON.stringify(run.blocks)).toContain(ActionIds.awsRoute53Execute);
    expect(JSON.stringify(run.blocks)).not.toContain(ActionIds.awsRoute53Preview);
    expect(JSON.stringify(run.blocks)).toContain('DRILL: asks for the same approval');

    await sb.click(run, ActionIds.awsRoute53Execute, ALICE, 'update-route-53');
    const request = await requestMessage(sb);
    expect(textOf(request)).toContain('*[DRILL]*');
    expect(request.text).toContain('[DRILL]');
    // The same second-person rule: the requester cannot approve, an outsider cannot either.
    const own = await sb.click(request, ActionIds.awsRoute53Approve, ALICE);
    // Alice started the run and holds no approver role; the live test has DevOps ask: the same rules here.
    await sb.waitFor('requester refused', () => sb!.answers(own).includes('Only a member of'));
    const outsider = await sb.click(request, ActionIds.awsRoute53Approve, 'U0NOBODY');
    await sb.waitFor('outsider refused', () => sb!.answers(outsider).includes('Only a member of'));

    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.waitFor('rehearsal', () => threadText(sb!).includes('Nothing was written'));
    await sb.settle();

    const text = threadText(sb);
    expect(text).toContain('*[DRILL]*');
    expect(text).toContain('`ChangeResourceRecordSets`');
    expect(text).toContain('"Action": "CREATE"');
    expect(text).toContain('"Failover": "PRIMARY"');
    const stored = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {});
    expect(stored).toEqual([
      expect.objectContaining({ status: 'succeeded', outcome: 'rehearsed', decidedBy: OWNER }),
    ]);
    // Reads only: the plan when asked, the rehearsal once approved. Not one write.
    expect(route53).toReceiveCommandTimes(ListResourceRecordSetsCommand, 2);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 0);
    await sb.waitFor('step shows the rehearsal', () =>
      textOf(sb!.run()).includes('asked, approved and rehearsed'),
    );
  });

  it('the Preview button of an older drill message still shows the change and writes nothing', async () => {
    sb = await startStepsBot({ gateway: liveGateway() });
    await sb.command('drill failover', ALICE);
    await sb.openRoute53Step(ALICE);
    const run = sb.run();
    const value = JSON.stringify(run.blocks).match(/"value":"([^"|]+\|update-route-53)"/)![1];
    const old = {
      ...run,
      blocks: [
        ...(run.blocks ?? []),
        { type: 'actions', elements: [{ type: 'button', action_id: ActionIds.awsRoute53Preview, value }] },
      ],
    };
    await sb.click(old, ActionIds.awsRoute53Preview, ALICE, 'update-route-53');
    await sb.waitFor('preview note', () => threadText(sb!).includes('Nothing was written'));

    expect(threadText(sb)).toContain('*[DRILL]*');
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 0);
  });
});

describe('Confirm primary failure: evidence', () => {
  it('refuses Done while the primary is healthy and records an override reason', async () => {
    sb = await startStepsBot({ gateway: simulated('primary-healthy') });
    await sb.command('failover', ALICE);

    await sb.click(sb.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
    await sb.waitFor('evidence note', () =>
      threadText(sb!).includes('All 1 af-south-1 health checks report healthy'),
    );
    expect(threadText(sb)).toContain('*SIMULATED (primary-healthy)*');
    await sb.waitFor('step shows evidence', () =>
      textOf(sb!.run()).includes('reported the primary *healthy*'),
    );

    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    const modal = await sb.waitFor('override modal', () => sb!.bot.fake.callsTo('views.open')[0]);
    expect(JSON.stringify(modal.args.view)).toContain('Route 53 reports the primary healthy');

    await sb.submitModal(ALICE, 'AWS Health Dashboard shows af-south-1 API Gateway outage');
    await sb.eventually('override recorded', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done'),
    );
    const done = (await sb.events()).find((e) => e.type === 'step_done');
    expect(done).toMatchObject({
      stepId: 'confirm-primary-failure',
      override: 'AWS Health Dashboard shows af-south-1 API Gateway outage',
    });
  });

  it('accepts Done once the primary is shown unhealthy', async () => {
    sb = await startStepsBot({ gateway: simulated('primary-down') });
    await sb.command('failover', ALICE);

    await sb.click(sb.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
    await sb.waitFor('evidence note', () =>
      threadText(sb!).includes('1 of 1 af-south-1 health checks report UNHEALTHY'),
    );
    expect(threadText(sb)).toContain('sitecraft-prod-api-5xx');
    expect(threadText(sb)).toContain('*SIMULATED (primary-down)*');

    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    await sb.eventually('step done', async () => (await sb!.events()).some((e) => e.type === 'step_done'));

    const done = (await sb.events()).find((e) => e.type === 'step_done');
    expect(done).toMatchObject({ stepId: 'confirm-primary-failure', user: ALICE });
    expect(done?.override).toBeUndefined();
    expect(sb.bot.fake.callsTo('views.open')).toHaveLength(0);
  });
});

describe('Notify stakeholders', () => {
  it('posts the filled template to the configured channels, escaped, and records it', async () => {
    sb = await startStepsBot({
      gateway: simulated('primary-down'),
      env: { STAKEHOLDER_CHANNELS: 'C0STAKE1,C0STAKE2' },
    });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.resolveRoute53Step(ALICE);
    expect(textOf(sb.run())).toContain('Posts to <#C0STAKE1>, <#C0STAKE2>.');

    await sb.click(sb.run(), ActionIds.awsNotifyPost, DEVOPS, 'notify-stakeholders');
    await sb.waitFor('notice note', () =>
      threadText(sb!).includes('posted the `failover-notice` notice to <#C0STAKE1>, <#C0STAKE2>'),
    );

    const posts = sb.bot.fake.messages.filter((m) => m.channel === 'C0STAKE1' || m.channel === 'C0STAKE2');
    expect(posts.map((m) => m.channel)).toEqual(['C0STAKE1', 'C0STAKE2']);
    const text = textOf(posts[0]!);
    expect(text).toContain('DR failover for DR failover to eu-west-1');
    // Issue 16 item 6: a name, not a raw ID; the run's start time (not when it was drawn); no run id.
    const run = (await sb.store.store.getRun(sb.runId()))!.state;
    const started = `${run.startedAt.slice(0, 10)} ${run.startedAt.slice(11, 16)} UTC`;
    expect(text).toContain(`Started by User ${ALICE} at ${started}`);
    expect(text).not.toContain('<@');
    expect(text).not.toContain(run.runId);
    expect(text).toContain('traffic moves from af-south-1 to eu-west-1');
    expect(text).toContain('Status: in progress (step 3: Notify stakeholders) &lt;!channel&gt; &amp; co');
    expect(text).not.toContain('{{');
    await sb.waitFor('step shows posted', () => textOf(sb!.run()).includes('Notice posted at'));
  });

  it('in a drill posts only in the run thread', async () => {
    sb = await startStepsBot({
      gateway: simulated('primary-down'),
      env: { STAKEHOLDER_CHANNELS: 'C0STAKE1' },
    });
    await sb.command('drill failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.resolveRoute53Step(ALICE);

    await sb.click(sb.run(), ActionIds.awsNotifyPost, ALICE, 'notify-stakeholders');
    await sb.waitFor('drill notice', () => threadText(sb!).includes('*[DRILL — not sent to stakeholders]*'));

    expect(sb.bot.fake.messages.filter((m) => m.channel === 'C0STAKE1')).toHaveLength(0);
  });
});

describe('Monitoring period: canary verdict', () => {
  it('passes only after the full period, row by row of the runbook’s table, with the numbers in the thread', async () => {
    sb = await startStepsBot({
      gateway: simulated('primary-healthy'),
    });
    await sb.command('promote sit prod', ALICE);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'deploy-canary');
    await sb.eventually('canary deployed', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done'),
    );
    await sb.waitFor('the monitoring step is current', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );

    // Act 1: eleven minutes in (the duration rows are judged from minute 10)
    sb.clock.now = new Date(sb.clock.now.getTime() + 11 * 60_000);
    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');
    await sb.waitFor('partial verdict', () => threadText(sb!).includes('Canary verdict *PASS SO FAR*'));
    expect(threadText(sb)).toContain('monitoring period is not over yet');
    expect(threadText(sb)).toContain('abort table `prod-canary` of the runbook');
    expect(threadText(sb)).toContain(
      '✓ 5xx responses, handled and unhandled (`api`): v42 vs v41: canary 0.20% vs previous 0.10%, +0.10 points (limit 1.00% or 0.5 points above the previous version)',
    );
    expect(threadText(sb)).toContain('✓ Duration p95 (`pretoken`): v6 vs v5: canary 130 ms (limit 1000 ms)');
    expect(threadText(sb)).toContain('✓ Alarms (`all`): none seen');
    expect(threadText(sb)).toContain('*SIMULATED (primary-healthy)*');

    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'monitoring-period');
    await sb.waitFor('override offered', () => sb!.bot.fake.callsTo('views.open')[0]);

    // Act 2: after the period
    sb.clock.now = new Date(sb.clock.now.getTime() + 25 * 60_000);
    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');
    await sb.waitFor('full verdict', () => textOf(sb!.run()).includes('Last verdict *PASS*'));
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'monitoring-period');
    await sb.eventually(
      'done',
      async () => (await sb!.events()).filter((e) => e.type === 'step_done').length === 2,
    );

    expect(sb.bot.fake.callsTo('views.open')).toHaveLength(1);
  });

  it('a canary below a minimum sample is NOT ENOUGH DATA, never a pass: Done needs an override reason', async () => {
    // primary-healthy, except that the publish canary saw 19 invocations (the table's minimum is 20)
    const scenario = structuredClone(loadScenario('primary-healthy'));
    scenario.canary!.functions['sitecraft-prod-publish']!.versions['9']!.invocations = 19;
    sb = await startStepsBot({
      gateway: createSimulatedGateway(scenario, {
        records: RECORDS,
        now: () => new Date('2025-03-01T10:00:00.000Z'),
      }),
    });
    await sb.command('promote sit prod', ALICE);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'deploy-canary');
    await sb.waitFor('the monitoring step is current', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );

    sb.clock.now = new Date(sb.clock.now.getTime() + 31 * 60_000);
    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');
    await sb.waitFor('verdict', () => threadText(sb!).includes('Canary verdict *NOT ENOUGH DATA*'));
    expect(threadText(sb)).toContain(
      '? Function errors (`publish`): v9 vs v8: canary sample 19 invocations, below the minimum of 20',
    );
    expect(threadText(sb)).not.toContain('Canary verdict *PASS');
    await sb.waitFor('step shows it', () => textOf(sb!.run()).includes('Last verdict *NOT ENOUGH DATA*'));

    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'monitoring-period');
    await sb.waitFor('override asked', () => sb!.bot.fake.callsTo('views.open')[0]);
    expect(JSON.stringify(sb.bot.fake.callsTo('views.open')[0])).toContain('no data is never a pass');
    expect((await sb.events()).filter((e) => e.type === 'step_done')).toHaveLength(1);
  });

  it('a failing canary is recorded as FAIL', async () => {
    sb = await startStepsBot({
      gateway: simulated('primary-down'),
    });
    await sb.command('promote sit prod', ALICE);
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'deploy-canary');
    await sb.eventually('canary deployed', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done'),
    );
    await sb.waitFor('the monitoring step is current', () =>
      JSON.stringify(sb!.run().blocks).includes(ActionIds.awsMonitorCheck),
    );

    await sb.click(sb.run(), ActionIds.awsMonitorCheck, ALICE, 'monitoring-period');

    await sb.waitFor('fail verdict', () => threadText(sb!).includes('Canary verdict *FAIL: ABORT*'));
    expect(threadText(sb)).toContain(
      '✗ 5xx responses, handled and unhandled (`api`): v42 vs v41: canary 6.00% vs previous 0.10%',
    );
    // The scenario's alarms in af-south-1 are alarms in ALARM: an abort criterion of their own.
    expect(threadText(sb)).toContain(
      '✗ Alarms (`all`): 2 seen: sitecraft-prod-api-5xx, sitecraft-prod-health-check-failed',
    );
    expect(threadText(sb)).toContain('set the canary weights back to 0');
  });
});
