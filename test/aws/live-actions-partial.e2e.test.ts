/**
 * The live actions' AWS side when a call fails halfway or the world changes between approval and execution
 * (found in a review, helper-167): a record swap over two zones, a check no checker observed, the fallback
 * once the switch has acted, two mechanisms on one step, the failback's swap back, Execute delivered twice.
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
import { type AwsGateway, createLiveGateway } from '../../src/aws/gateway';
import { createSimulatedGateway, loadScenario, type SimulatedGateway } from '../../src/aws/simulated';
import type { FailoverRecord } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import type { RecordSetShape } from '../../src/workflows/failover-plan';
import { summarizeHealthCheck } from '../../src/workflows/failover-state';
import { OFF, SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { liveRecords, RECORDS, serviceError, ZONE } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function liveGateway() {
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  return createLiveGateway(clients, { callTimeoutMs: 2_000, wait: { sleep: async () => undefined } });
}

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');

async function requestMessage(s: StepsBot) {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

// ---- A record swap across two hosted zones ------------------------------------------------------------------

/** A second failover pair, in a second hosted zone (planFailover makes one change batch per zone). */
const ZONE2 = 'Z0998877ZYXWVUTSRQPO';
const RECORDS2: FailoverRecord[] = RECORDS.map((r) => ({
  ...r,
  hostedZoneId: ZONE2,
  name: 'api.sitecraft.example.net',
}));
const live2 = (): RecordSetShape[] =>
  liveRecords().map((r) => ({ ...r, Name: 'api.sitecraft.example.net.' }));

describe('record swap over two hosted zones: a failure between the batches', () => {
  beforeEach(() => {
    route53.reset();
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE })
      .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE2 })
      .resolves({ ResourceRecordSets: live2() as never, IsTruncated: false, MaxItems: 10 });
    // Zone 1's batch is accepted; zone 2's is throttled on every attempt.
    route53.on(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE }).resolves({
      ChangeInfo: { Id: '/change/C0ZONEONE', Status: 'PENDING', SubmittedAt: new Date() },
    });
    route53
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE2 })
      .rejects(serviceError('Throttling', 'Rate exceeded'));
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C0ZONEONE', Status: 'INSYNC', SubmittedAt: new Date() } });
  });

  it('never reports the failover applied and INSYNC while the second zone’s batch was never accepted', async () => {
    // Prepare: the failover checklist's records table names a pair in each of two zones
    sb = await startStepsBot({ gateway: liveGateway(), env: { DEFERRED_RETRY_DELAY_MS: '5' } });
    sb.bot.deps.artifact.records['route53-failover'] = [...RECORDS, ...RECORDS2];
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(sb);
    expect(textOf(request)).toContain(ZONE2);

    // Act: approved; zone 1 is written and INSYNC, zone 2 is throttled, Lambda delivers the task again
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.settle();

    // Assess: zone 2 never accepted a change, so the request must not have succeeded (nor the step show it)
    // (zone 2's batch was tried, and every try was throttled)
    expect(
      route53.commandCalls(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE2 }).length,
    ).toBeGreaterThan(0);
    const stored = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {});
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).not.toBe('succeeded');
    expect(textOf(sb.run())).not.toContain('applied and INSYNC');
  });
});

describe('record swap over two hosted zones: retried after the second zone recovers', () => {
  beforeEach(() => {
    route53.reset();
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE })
      .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
    route53
      .on(ListResourceRecordSetsCommand, { HostedZoneId: ZONE2 })
      .resolves({ ResourceRecordSets: live2() as never, IsTruncated: false, MaxItems: 10 });
    route53.on(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE }).resolves({
      ChangeInfo: { Id: '/change/C0ZONEONE', Status: 'PENDING', SubmittedAt: new Date() },
    });
    route53
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE2 })
      .rejects(serviceError('Throttling', 'Rate exceeded'));
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C0ZONEONE', Status: 'INSYNC', SubmittedAt: new Date() } });
  });

  it('writes only the zone not written yet, once, and then reports both zones INSYNC', async () => {
    sb = await startStepsBot({ gateway: liveGateway(), env: { DEFERRED_RETRY_DELAY_MS: '5' } });
    sb.bot.deps.artifact.records['route53-failover'] = [...RECORDS, ...RECORDS2];
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(sb);
    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.settle();
    const failed = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0]!;
    expect(failed).toMatchObject({ status: 'failed', submittedParts: { [ZONE]: 'C0ZONEONE' } });
    expect(failed.changeId).toBeUndefined();

    // Zone 2 accepts changes again; the approver presses Retry.
    route53.on(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE2 }).resolves({
      ChangeInfo: { Id: '/change/C0ZONETWO', Status: 'PENDING', SubmittedAt: new Date() },
    });
    const shown = structuredClone(sb.thread().find((m) => m.ts === request.ts)!);
    await sb.click(shown, ActionIds.awsRoute53Retry, OWNER);
    await sb.settle();

    expect(route53.commandCalls(ChangeResourceRecordSetsCommand, { HostedZoneId: ZONE })).toHaveLength(1);
    const done = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0]!;
    expect(done).toMatchObject({
      status: 'succeeded',
      outcome: 'insync',
      submittedParts: { [ZONE]: 'C0ZONEONE', [ZONE2]: 'C0ZONETWO' },
    });
  });
});

// ---- An approval whose execution task never ran ------------------------------------------------------------

describe('an approved request whose execution could not be queued', () => {
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

  it('can be started again with Retry, as the approver is told, instead of blocking the step for good', async () => {
    // Prepare: DevOps asks, and queuing the execution task fails once (Lambda Invoke throttled, timed out)
    sb = await startStepsBot({ gateway: liveGateway() });
    const s = sb;
    const defer = s.bot.deps.defer;
    let refused = 0;
    s.bot.deps.defer = async (task) => {
      if (task.kind === 'aws.route53.execute' && refused++ === 0) throw new Error('Lambda Invoke timed out');
      return defer(task);
    };
    await s.command('failover', ALICE);
    await s.openRoute53Step(ALICE);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(s);

    // Act 1: the Business Owner approves; the execution task cannot be queued
    const approval = await s.click(request, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('told to press Retry', () => s.answers(approval).includes('Press Retry on the request'));
    const [stored] = Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});
    expect(stored).toMatchObject({ status: 'approved', attempts: 0 });
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);

    // Act 2: the approver presses Retry on the request (the value is the request's own reference)
    const now = s.bot.fake.messages.find((m) => m.ts === request.ts)!;
    const withRetry = {
      ...now,
      blocks: [
        ...(now.blocks ?? []),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ActionIds.awsRoute53Retry,
              value: `${s.runId()}|${stored!.id}`,
            },
          ],
        },
      ],
    };
    const retry = await s.click(withRetry, ActionIds.awsRoute53Retry, OWNER);
    await s.settle();

    // Assess: the approved change is carried out (once), not refused as "being executed"
    expect(s.answers(retry)).not.toContain('being executed');
    await s.waitFor('INSYNC note', () => threadText(s).includes('INSYNC'));
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
  });
});

// ---- Evidence: a health check no checker reported on --------------------------------------------------------

describe('Confirm primary failure: a health check with no observations', () => {
  it('does not count a check no checker reported on as UNHEALTHY, so Done needs a reason', async () => {
    // Prepare: Route 53 answers GetHealthCheckStatus with no observations (a check not yet observed, or
    // whose checkers have nothing to say); route53-health.ts summarizes that as it summarizes any answer.
    const base = createSimulatedGateway(loadScenario('primary-healthy'), {
      records: RECORDS,
      now: () => new Date('2025-03-01T10:00:00.000Z'),
    });
    const gateway: AwsGateway = {
      ...base,
      mode: base.mode,
      label: base.label,
      healthCheckStatus: async (id) => summarizeHealthCheck(id, []),
    };
    sb = await startStepsBot({ gateway });
    const s = sb;
    await s.command('failover', ALICE);

    // Act: the starter checks the primary, then presses Done
    await s.click(s.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
    await s.waitFor('evidence note', () => threadText(s).includes('af-south-1 health check'));
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    await s.settle();
    await s.waitFor('the reason modal', () => s.bot.fake.callsTo('views.open').length > opened);

    // Assess: nothing proved the primary unhealthy, so it is not shown UNHEALTHY and Done asks for a reason
    expect(threadText(s)).not.toContain('report UNHEALTHY');
    expect(s.bot.fake.callsTo('views.open').length).toBe(opened + 1);
    expect((await s.events()).some((e) => e.type === 'step_done')).toBe(false);
  });
});

// ---- The record-swap fallback, executed after the switch acted ----------------------------------------------

describe('record-swap fallback: approved after the switch was turned by hand', () => {
  it('does not swap the records once the switch holds traffic away from the primary', async () => {
    // Prepare: the switch's write is refused (switch-refused), so the fallback is offered and asked for
    const scenario = structuredClone(loadScenario('switch-refused'));
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () =>
      JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsFailoverFallback),
    );
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = structuredClone(
      await s.waitFor('fallback request', () =>
        s
          .thread()
          .filter((m) => textOf(m).includes('record swap'))
          .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );

    // Act: meanwhile the bucket policy is fixed and an operator turns the switch Off by hand (runbook's CLI
    // path); only then does the Business Owner approve the pending fallback
    delete scenario.failures?.['PutObject'];
    await sim!.writeSwitchObject({
      region: 'eu-west-1',
      bucket: 'sitecraft-dr-switch',
      key: 'failover/api.json',
      body: OFF,
    });
    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();

    // Assess: the switch holds traffic now, so the fallback (offered "only because the switch could not
    // act") writes nothing to Route 53
    expect(sim!.writes.map((w) => w.action)).toEqual(['PutObject']);
  });
});

// ---- Lambda delivers the Execute click's task twice -----------------------------------------------------------

describe('Execute delivered twice (Lambda async invocations are at-least-once)', () => {
  beforeEach(() => {
    route53.reset();
    // The records already have the failover roles: there is nothing to approve.
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: liveRecords(true) as never, IsTruncated: false, MaxItems: 10 });
  });

  it('says "nothing to approve" in the thread once, not once per delivery', async () => {
    // Prepare: every Execute task is delivered twice, as Lambda may
    sb = await startStepsBot({ gateway: liveGateway() });
    const s = sb;
    const defer = s.bot.deps.defer;
    s.bot.deps.defer = async (task) => {
      await defer(task);
      if (task.kind === 'aws.route53.request') await defer(task);
    };
    await s.command('failover', ALICE);
    await s.openRoute53Step(ALICE);

    // Act: DevOps presses Execute once
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.settle();

    // Assess: one answer in the thread for one click
    const said = s.thread().filter((m) => textOf(m).includes('nothing to approve'));
    expect(said).toHaveLength(1);
  });
});

// ---- Two open requests on one step: the switch retried while its fallback waits --------------------------------

describe('record-swap fallback pending while the switch request is retried', () => {
  it('never lets both the switch and the record swap be written for one failover', async () => {
    // Prepare: the switch's write is refused; the fallback is offered and DevOps asks for it (pending)
    const scenario = structuredClone(loadScenario('switch-refused'));
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const switchRequest = await requestMessage(s);
    await s.click(switchRequest, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () =>
      JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsFailoverFallback),
    );
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = await s.waitFor('fallback request', () =>
      structuredClone(
        s
          .thread()
          .filter((m) => textOf(m).includes('record swap'))
          .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );

    // Act: the bucket policy is fixed; the Business Owner presses Retry on the failed switch request (the
    // message offers it), then approves the fallback that is still pending
    delete scenario.failures?.['PutObject'];
    const failed = await s.waitFor('Retry offered', () => {
      const now = s.bot.fake.messages.find((m) => m.ts === switchRequest.ts);
      return now && JSON.stringify(now.blocks ?? []).includes(ActionIds.awsRoute53Retry)
        ? structuredClone(now)
        : undefined;
    });
    await s.click(failed, ActionIds.awsRoute53Retry, OWNER);
    await s.settle();
    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();

    // Assess: one mechanism moved traffic; the step never had two open requests that both wrote
    const written = sim!.writes.map((w) => w.action);
    expect(written.includes('PutObject') && written.includes('ChangeResourceRecordSets')).toBe(false);
  });
});

/** The switch checklist up to "Update Route 53": step 1 skipped, warm-up done with a reason, the gate signed. */
async function toSwitchRouteStep(s: StepsBot): Promise<void> {
  const click = s.click.bind(s);
  s.click = (...args) => {
    s.clock.now = new Date(s.clock.now.getTime() + 1000);
    return click(...args);
  };
  await s.command('switch failover', ALICE);
  await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
  await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
  await s.submitModal(ALICE, 'AWS Health Dashboard: af-south-1 outage');
  await s.eventually('skipped', async () => (await s.events()).some((e) => e.type === 'step_skipped'));
  await s.settle();
  const opened = s.bot.fake.callsTo('views.open').length;
  await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
  await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open').length > opened);
  await s.submitModal(ALICE, 'eu-west-1 already at failover capacity');
  await s.eventually('warm-up done', async () =>
    (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
  );
  await s.settle();
  for (const signer of [DEVOPS, OWNER]) {
    await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
    await s.settle();
  }
  await s.waitFor('Execute offered', () =>
    JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsRoute53Execute),
  );
}

// ---- Failback when both mechanisms were used: the switch Off and the records swapped ---------------------------

describe('failback after a failover that left the switch Off and the records swapped', () => {
  it('lets the offered swap back be asked for once the switch request turned the switch On', async () => {
    // Prepare: the records are swapped (the fallback was used) and the switch is Off (turned by hand)
    const scenario = {
      ...structuredClone(loadScenario('primary-healthy')),
      failedOver: true,
      switchesOff: ['dr-s3'],
    };
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    const click = s.click.bind(s);
    s.click = (...args) => {
      s.clock.now = new Date(s.clock.now.getTime() + 1000);
      return click(...args);
    };
    const blocks = () => JSON.stringify(s.run().blocks ?? []);
    await s.command('switch failback', ALICE);
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    await s.waitFor('Execute offered', () => blocks().includes(ActionIds.awsRoute53Execute));

    // Act 1: the switch request (turn it On), approved by a second person
    await s.click(s.run(), ActionIds.awsRoute53Execute, ALICE, 'dns-cutback');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, DEVOPS);
    await s.settle();
    expect(sim!.writes.map((w) => w.action)).toEqual(['PutObject']);
    // The verdict: the records are still swapped, and the swap back is offered on the step
    await s.waitFor('swap back offered', () => blocks().includes(ActionIds.awsFailoverFallback));

    // Act 2: DevOps presses the offered "Swap the records back"
    const asked = await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'dns-cutback');
    await s.settle();

    // Assess: the offered button asks for the swap back (a request to approve), it is not refused
    expect(s.answers(asked)).not.toContain('already made');
    const requests = Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});
    expect(requests.map((r) => `${r.kind} ${r.status}`).sort()).toEqual([
      'record-swap-failback pending',
      'route53-failback succeeded',
    ]);
  });
});
