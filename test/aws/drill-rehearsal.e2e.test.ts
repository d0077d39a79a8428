/**
 * Drills rehearse everything but the write (issue 18.3): in a drill, Warm up and Execute failover go through
 * the same confirmation dialog, the same stored request and second-person approval (the same authorize()
 * rules) as a live run, then show the exact change, and make zero AWS writes. Asserted twice: with the
 * simulated gateway's record of writes, and with the live gateway over mocked SDK clients (no write command
 * sent at all).
 */

import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  ChangeResourceRecordSetsCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { createSimulatedGateway, loadScenario, type SimulatedGateway } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { OFF, ON, SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { RECORDS, serviceError } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

const route53 = mockClient(Route53Client);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);

let sb: StepsBot | undefined;
let dns: TestDnsServer;

beforeAll(async () => {
  // Nothing resolves: the name servers cannot be asked (the verdict says so); what matters here is writes.
  dns = await startDnsServer();
});

afterAll(async () => {
  await dns.close();
});

beforeEach(() => {
  for (const m of [route53, lambda, s3]) m.reset();
});

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');

/** A drill of the switch failover, from the start to the rehearsed switch, as four people do it. */
async function rehearse(s: StepsBot): Promise<void> {
  await s.command('drill switch failover', ALICE);
  expect(textOf(s.run())).toContain('DRILL');
  await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
  await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
  await s.submitModal(ALICE, 'drill');
  await s.settle();

  // Warm up: the same dialog as a live run, an outsider refused, the starter's click rehearsed.
  const warm = JSON.stringify(s.run().blocks);
  expect(warm).toContain(ActionIds.awsWarmupApply);
  expect(warm).toContain('DRILL: nothing is written; the bot shows the exact calls.');
  const outsider = await s.click(s.run(), ActionIds.awsWarmupApply, 'U0NOBODY', 'warm-up');
  await s.waitFor('outsider refused', () => s.answers(outsider).includes('can ask for this change'));
  await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'warm-up');
  await s.settle();
  await s.waitFor('warm-up rehearsed', () => threadText(s).includes('rehearsed *Warm up*'));
  expect(threadText(s)).toContain(
    'Lambda `PutProvisionedConcurrencyConfig` `sitecraft-prod-api:live` in eu-west-1: 20',
  );
  // A drill writes nothing, so nothing becomes READY: Done needs no evidence there.
  await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
  await s.eventually('warm-up done', async () =>
    (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
  );
  await s.settle();
  for (const signer of [DEVOPS, OWNER]) {
    await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
    await s.settle();
  }

  // Execute: the same confirmation dialog (saying DRILL), the same stored request and two-person rule.
  const run = JSON.stringify(s.run().blocks);
  expect(run).toContain(ActionIds.awsRoute53Execute);
  expect(run).toContain('Execute failover?');
  expect(run).toContain('DRILL: the same request and approval as a real run');
  await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
  const request = await s.waitFor('request', () =>
    s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
  );
  expect(textOf(request)).toContain('*[DRILL]*');
  expect(textOf(request)).toContain(`body \`${OFF}\``);
  const own = await s.click(request, ActionIds.awsRoute53Approve, DEVOPS);
  await s.waitFor('requester refused', () => s.answers(own).includes('Two-person rule'));
  const nobody = await s.click(request, ActionIds.awsRoute53Approve, 'U0NOBODY');
  await s.waitFor('outsider refused', () => s.answers(nobody).includes('Only a member of'));
  await s.click(request, ActionIds.awsRoute53Approve, OWNER);
  await s.settle();
  await s.waitFor('rehearsed', () => threadText(s).includes('was rehearsed. *Nothing was written.*'));
  const stored = Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});
  expect(stored).toEqual([
    expect.objectContaining({ kind: 'route53-failover', status: 'succeeded', outcome: 'rehearsed' }),
  ]);
  const text = threadText(s);
  expect(text).toContain('A real run would now:');
  expect(text).toContain(
    `S3 \`PutObject\` \`s3://sitecraft-dr-switch/failover/api.json\` in eu-west-1, body \`${OFF}\``,
  );
  // Refusals are audited in a drill too.
  expect((await s.events()).filter((e) => e.type === 'refused').length).toBeGreaterThanOrEqual(3);
}

describe('a drill of the failover on the data plane', () => {
  it('simulated region down: the whole drill, and the simulated gateway records zero writes', async () => {
    let gateway: SimulatedGateway | undefined;
    sb = await startStepsBot({
      gateway: (clock) => {
        gateway = createSimulatedGateway(loadScenario('region-down'), {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return gateway;
      },
    });
    await rehearse(sb);
    // The drill may mark the step done without evidence: nothing was written, so DNS cannot have moved.
    await sb.click(sb.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await sb.eventually('done', async () =>
      (await sb!.events()).some((e) => e.type === 'step_done' && e.stepId === 'update-route-53'),
    );
    expect(gateway?.writes).toEqual([]);
    expect(threadText(sb)).toContain('SIMULATED (region-down)');
  });

  it('live AWS over mocked SDK clients: reads only, not one write command sent', async () => {
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => ON } as never });
    route53.on(GetHealthCheckCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));
    route53.on(GetHealthCheckStatusCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));
    route53.on(ListResourceRecordSetsCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(serviceError('ProvisionedConcurrencyConfigNotFoundException', 'none', 404));
    const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
    sb = await startStepsBot({
      gateway: createLiveGateway(clients, {
        callTimeoutMs: 2_000,
        dns: { systemServers: [dns.address], timeoutMs: 200, tries: 1 },
      }),
    });
    await rehearse(sb);

    expect(s3).toReceiveCommand(GetObjectCommand);
    expect(lambda).toReceiveCommand(GetProvisionedConcurrencyConfigCommand);
    expect(s3).toReceiveCommandTimes(PutObjectCommand, 0);
    expect(lambda).toReceiveCommandTimes(PutProvisionedConcurrencyConfigCommand, 0);
    expect(lambda).toReceiveCommandTimes(DeleteProvisionedConcurrencyConfigCommand, 0);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });
});

describe('a drill of the failback', () => {
  it('rehearses the swap back of records a fallback swapped, and the return to standby: zero writes', async () => {
    let gateway: SimulatedGateway | undefined;
    // A failover made with the record swap: eu-west-1's record is PRIMARY, the switch On.
    sb = await startStepsBot({
      gateway: (clock) => {
        gateway = createSimulatedGateway(
          { ...loadScenario('primary-healthy'), failedOver: true },
          { records: [...RECORDS, ...SWITCH_RECORDS], failover: SWITCH_DECLARATIONS, now: () => clock.now },
        );
        return gateway;
      },
    });
    const s = sb;
    await s.command('drill switch failback', ALICE);
    expect(textOf(s.run())).toContain('DRILL');
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    // Execute failback: the switch is already On, the records are swapped; nothing to approve, swap back offered.
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'dns-cutback');
    await s.settle();
    await s.waitFor('reported', () => threadText(s).includes('Nothing to approve'));
    await s.waitFor('swap back offered', () =>
      JSON.stringify(s.run().blocks).includes(ActionIds.awsFailoverFallback),
    );

    // The fallback: its own request, the two-person rule, then rehearsed with the exact change shown.
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'dns-cutback');
    const request = await s.waitFor('fallback request', () =>
      s
        .thread()
        .filter((m) => textOf(m).includes('record swap back'))
        .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    expect(textOf(request)).toContain('*[DRILL]*');
    expect(textOf(request)).toContain('Control-plane fallback');
    const own = await s.click(request, ActionIds.awsRoute53Approve, DEVOPS);
    await s.waitFor('requester refused', () => s.answers(own).includes('Two-person rule'));
    await s.click(request, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('rehearsed', () =>
      threadText(s).includes(
        `The Route 53 failback asked by <@${DEVOPS}> and approved by <@${OWNER}> was rehearsed. *Nothing was written.* A real run would submit:`,
      ),
    );
    const stored = Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});
    expect(stored).toEqual([
      expect.objectContaining({
        kind: 'record-swap-failback',
        status: 'succeeded',
        outcome: 'rehearsed',
        decidedBy: OWNER,
      }),
    ]);
    expect(threadText(s)).toContain('ChangeResourceRecordSets');

    // Drill: Done without DNS evidence; then the return to standby is rehearsed too.
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'dns-cutback');
    await s.eventually('cutback done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'dns-cutback'),
    );
    await s.settle();
    await s.click(s.run(), ActionIds.awsWarmupApply, ALICE, 'return-to-standby');
    await s.settle();
    await s.waitFor('release rehearsed', () =>
      threadText(s).includes(`<@${ALICE}> rehearsed *Return to standby*. *Nothing was written.*`),
    );
    expect(gateway?.writes).toEqual([]);
  });
});
