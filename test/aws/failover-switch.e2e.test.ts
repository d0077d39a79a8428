/**
 * The failover on the data plane through the whole app (signed requests, Bolt, dynalite, the fake Slack):
 * "Update Route 53" turns the switch under the two-person rule, reads the real state until the simulated
 * name servers answer eu-west-1, and only then lets the step be marked done; the record-swap fallback is
 * offered only when the switch cannot act, as a request of its own. The simulated gateway follows the app's
 * clock, and the bot's polls move that clock (no real waiting). Every AWS write is in `gateway.writes`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulatedGateway,
  loadScenario,
  type Scenario,
  type SimulatedGateway,
} from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { OFF, ON, SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { RECORDS } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
let gateway: SimulatedGateway;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** The scenario (by name, or with changes), on the app's clock. */
async function start(scenario: string | Scenario, env: Record<string, string> = {}): Promise<StepsBot> {
  const s = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  const bot = await startStepsBot({
    env: { DEFERRED_RETRY_DELAY_MS: '5', ...env },
    gateway: (clock) => {
      gateway = createSimulatedGateway(s, {
        records: [...RECORDS, ...SWITCH_RECORDS],
        failover: SWITCH_DECLARATIONS,
        now: () => clock.now,
      });
      return gateway;
    },
  });
  // People click seconds apart: each click a second later, so what the bot records keeps its order.
  const click = bot.click.bind(bot);
  bot.click = (...args) => {
    bot.clock.now = new Date(bot.clock.now.getTime() + 1000);
    return click(...args);
  };
  sb = bot;
  return bot;
}

const threadText = (s: StepsBot) => s.thread().map(textOf).join('\n---\n');
const blocksOf = (s: StepsBot) => JSON.stringify(s.run().blocks ?? []);

/** Step 1 skipped with a reason, the warm-up done with an override, the gate signed by DevOps and the owner. */
async function toRouteStep(s: StepsBot, starter = ALICE, opts: { warm?: boolean } = {}) {
  await s.click(s.run(), ActionIds.checklistSkip, starter, 'confirm-primary-failure');
  await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
  await s.submitModal(starter, 'AWS Health Dashboard: af-south-1 API Gateway outage');
  await s.eventually('step 1 skipped', async () => (await s.events()).some((e) => e.type === 'step_skipped'));
  await s.settle();
  if (opts.warm) {
    await s.click(s.run(), ActionIds.awsWarmupApply, starter, 'warm-up');
    await s.settle();
    await s.click(s.run(), ActionIds.checklistDone, starter, 'warm-up');
  } else {
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, starter, 'warm-up');
    await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open').length > opened);
    await s.submitModal(starter, 'eu-west-1 already at failover capacity');
  }
  await s.eventually('warm-up done', async () =>
    (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
  );
  await s.settle();
  for (const signer of [DEVOPS, OWNER]) {
    await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
    await s.settle();
  }
  await s.waitFor('Execute offered', () => blocksOf(s).includes(ActionIds.awsRoute53Execute));
}

async function requestMessage(s: StepsBot, kind = 'Route 53 failover') {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s
        .thread()
        .filter((m) => textOf(m).includes(kind))
        .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

/** Export pressed on the run: the timeline file's text and the JSON files beside it. */
async function exported(s: StepsBot) {
  await s.click(s.run(), ActionIds.checklistExport, ALICE);
  await s.settle();
  const share = await s.waitFor('timeline file', () => s.thread().find((m) => m.files?.length));
  const [file, ...json] = share.files!;
  return { text: file!.text, json };
}

async function storedRequests(s: StepsBot) {
  return Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {});
}

describe('region down (af-south-1 and the Route 53 control plane): the failover through the switch', () => {
  it('warms up, turns the switch under the two-person rule, and is done once DNS answers eu-west-1', async () => {
    const s = await start('region-down');
    await s.command('switch failover', ALICE);
    await toRouteStep(s, ALICE, { warm: true });

    // The warm-up: one authorized click set every row of the table, read until READY; Done needed no reason.
    const warm = threadText(s);
    expect(warm).toContain('PutProvisionedConcurrencyConfig` `sitecraft-prod-api:live` in eu-west-1: 20');
    expect(warm).toContain(
      'PutProvisionedConcurrencyConfig` `sitecraft-prod-generate:live` in eu-west-1: 10',
    );
    expect(warm).toContain('All 2 functions at their failover concurrency.');
    expect(
      (await s.events()).find((e) => e.type === 'step_done' && e.stepId === 'warm-up')?.override,
    ).toBeUndefined();
    expect(gateway.writes.map((w) => w.action)).toEqual([
      'PutProvisionedConcurrencyConfig',
      'PutProvisionedConcurrencyConfig',
    ]);

    // Done before the switch turned: refused with the reason, offered as an override.
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    const modal = await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open')[opened]);
    expect(JSON.stringify(modal.args.view)).toContain('has not seen the name servers answer eu-west-1');
    expect(blocksOf(s)).not.toContain(ActionIds.awsFailoverFallback);

    // DevOps asks: the request shows exactly what will be written, stored as the request's plan.
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    const request = await requestMessage(s);
    expect(textOf(request)).toContain('Turns the failover switch *Off*');
    expect(textOf(request)).toContain(
      'S3 `PutObject` `s3://sitecraft-dr-switch/failover/api.json` in eu-west-1',
    );
    expect(textOf(request)).toContain(`body \`${OFF}\``);
    const [stored] = await storedRequests(s);
    expect(stored).toMatchObject({
      kind: 'route53-failover',
      status: 'pending',
      plan: {
        mechanism: 'switch',
        writes: [
          {
            switchId: 'dr-s3',
            to: 'off',
            region: 'eu-west-1',
            target: 's3://sitecraft-dr-switch/failover/api.json',
            value: OFF,
          },
        ],
      },
    });

    // The requester cannot approve; the owner does; the executor writes once, then reads until eu-west-1.
    const own = await s.click(request, ActionIds.awsRoute53Approve, DEVOPS);
    await s.waitFor('two-person refusal', () => s.answers(own).includes('Two-person rule'));
    await s.click(request, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('verdict', () => threadText(s).includes('the failover is done on DNS'));

    expect(gateway.writes.map((w) => `${w.action} ${w.target}`).slice(2)).toEqual([
      'PutObject s3://sitecraft-dr-switch/failover/api.json',
    ]);
    const after = threadText(s);
    // The verdict names what it read: the answer of each name server, the switch, every check.
    expect(after).toContain("2 of 2 authoritative name servers answer eu-west-1's target");
    expect(after).toContain('Switch `dr-s3`: *OFF*');
    expect(after).toContain('predicted from the switch (off)');
    expect(after).toContain('Some Inverted flags could not be read');
    expect(await storedRequests(s)).toEqual([
      expect.objectContaining({ status: 'succeeded', outcome: 'answered', decidedBy: OWNER }),
    ]);
    // Nothing of the record swap: records never change, and the control plane was down anyway.
    expect(gateway.writes.some((w) => w.action === 'ChangeResourceRecordSets')).toBe(false);
    expect(blocksOf(s)).not.toContain(ActionIds.awsFailoverFallback);

    // Done is allowed now, without an override.
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await s.eventually('route step done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'update-route-53' && !e.override),
    );

    // The exported timeline: the switch write summarised in the log, its exact S3 write attached as JSON.
    const { text, json } = await exported(s);
    expect(text).toMatch(
      /Failover switch turned Off: • S3 PutObject s3:\/\/sitecraft-dr-switch\/failover\/api\.json in eu-west-1, body .+ \(JSON: attachment 1\)/,
    );
    expect(text).toContain('1. failover-switch-writes-1-');
    expect(json.map((f) => f.name)).toEqual([expect.stringMatching(/^failover-switch-writes-1-.+\.json$/)]);
    expect(JSON.parse(json[0]!.text)).toEqual({
      request: stored!.id,
      direction: 'failover',
      writes: [
        {
          switch: 'dr-s3',
          operation: 's3:PutObject',
          region: 'eu-west-1',
          Bucket: 'sitecraft-dr-switch',
          Key: 'failover/api.json',
          Body: OFF,
        },
      ],
    });
    // The object S3 was written to (the simulated gateway logs the target; the body is the approved one).
    expect(gateway.writes.find((w) => w.action === 'PutObject')?.target).toBe(
      's3://sitecraft-dr-switch/failover/api.json',
    );
  });

  it('a wait too short for Route 53 is not done: Check again later reads the answer and allows Done', async () => {
    // One read only: the switch check needs 30 s to notice, so the executor gives up on the first read.
    const s = await start('region-down', { FAILOVER_DNS_WAIT_MS: '1', FAILOVER_DNS_POLL_MS: '10000' });
    await s.command('switch failover', ALICE);
    await toRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('not yet', () => threadText(s).includes('do not answer eu-west-1 yet'));
    expect(await storedRequests(s)).toEqual([expect.objectContaining({ outcome: 'written' })]);
    await s.waitFor('step says not yet', () => textOf(s.run()).includes('did not answer eu-west-1 yet'));

    s.clock.now = new Date(s.clock.now.getTime() + 45_000);
    await s.click(s.run(), ActionIds.awsStepCheck, ALICE, 'update-route-53');
    await s.settle();
    await s.waitFor('answered', () => textOf(s.run()).includes('the name servers answered *eu-west-1*'));
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await s.eventually('done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'update-route-53' && !e.override),
    );
    expect(gateway.writes.filter((w) => w.action === 'PutObject')).toHaveLength(1);
  });

  it('a switch already turned off by hand is reported, with nothing to approve, and Done follows DNS', async () => {
    const s = await start({ ...loadScenario('region-down'), switchesOff: ['dr-s3'] });
    await s.command('switch failover', ALICE);
    await toRouteStep(s);

    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.settle();
    await s.waitFor('reported', () => threadText(s).includes('Nothing to approve'));
    const text = threadText(s);
    expect(text).toContain('is already Off: traffic is already held away from af-south-1');
    expect(text).toContain('The switch was already OFF before this run turned it');
    expect(await storedRequests(s)).toEqual([]);
    expect(gateway.writes).toEqual([]);
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await s.eventually('done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'update-route-53' && !e.override),
    );
  });
});

describe('the record-swap fallback: only when the switch cannot act, as its own request', () => {
  it('switch refused: the fallback is offered, asked, approved by another person, and moves DNS', async () => {
    const s = await start('switch-refused');
    await s.command('switch failover', ALICE);
    await toRouteStep(s);

    // Before the switch was tried, the fallback is not offered, and a forged click asks nothing.
    expect(blocksOf(s)).not.toContain(ActionIds.awsFailoverFallback);
    const forged = {
      ...s.run(),
      blocks: [
        ...(s.run().blocks ?? []),
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ActionIds.awsFailoverFallback,
              value: `${s.runId()}|update-route-53`,
            },
          ],
        },
      ],
    };
    await s.click(forged, ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    await s.settle();
    await s.waitFor('not offered', () => threadText(s).includes('offered only when the latest verdict'));
    expect(await storedRequests(s)).toEqual([]);

    // The switch request: approved, refused by S3 (AccessDenied), not retried by itself.
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () => blocksOf(s).includes(ActionIds.awsFailoverFallback));
    expect(threadText(s)).toContain('did not turn the switch');
    expect(threadText(s)).toContain('Fallback offered: No switch could be written');
    expect(await storedRequests(s)).toEqual([
      expect.objectContaining({ kind: 'route53-failover', status: 'failed', attempts: 1 }),
    ]);
    expect(gateway.writes).toEqual([]);

    // The fallback button has its own confirmation dialog, naming the control-plane change.
    const button = (s.run().blocks as { elements?: { action_id?: string; confirm?: unknown }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ActionIds.awsFailoverFallback);
    expect(JSON.stringify(button?.confirm)).toContain('Control-plane fallback?');
    expect(JSON.stringify(button?.confirm)).toContain('ChangeResourceRecordSets');

    // The fallback is a request of its own kind, behind its own approval.
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = await requestMessage(s, 'record swap');
    expect(textOf(fallback)).toContain('*Control-plane fallback*');
    expect(textOf(fallback)).toContain('ChangeResourceRecordSets');
    const requests = await storedRequests(s);
    expect(requests.map((r) => `${r.kind} ${r.status}`).sort()).toEqual([
      'record-swap-failover pending',
      'route53-failover failed',
    ]);
    const own = await s.click(fallback, ActionIds.awsRoute53Approve, DEVOPS);
    await s.waitFor('two-person refusal', () => s.answers(own).includes('Two-person rule'));
    expect(gateway.writes).toEqual([]);

    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('DNS moved', () => threadText(s).includes('After the record swap'));
    expect(gateway.writes.map((w) => w.action)).toEqual(['ChangeResourceRecordSets']);
    expect(threadText(s)).toContain('the failover is done on DNS');
    // Checked again later: the switch's failed write no longer offers the fallback, which has been used.
    await s.click(s.run(), ActionIds.awsStepCheck, OWNER, 'update-route-53');
    await s.settle();
    await s.waitFor('checked', () => threadText(s).includes('<@U0BIZ> checked the failover'));
    expect(blocksOf(s)).not.toContain(ActionIds.awsFailoverFallback);

    // The exported timeline attaches the record swap's change batch as JSON; the refused switch wrote nothing.
    const { text, json } = await exported(s);
    expect(json.map((f) => f.name)).toEqual([expect.stringMatching(/^route53-change-1-.+\.json$/)]);
    const batch = JSON.parse(json[0]!.text) as { HostedZoneId: string; ChangeBatch: { Changes: unknown[] } };
    expect(batch.ChangeBatch.Changes.length).toBeGreaterThan(0);
    expect(text).toContain(`on zone ${batch.HostedZoneId}`);
    expect(text).toMatch(/Submitted Route 53 change .+ \(JSON: attachment 1\)/);
    expect(text).not.toContain('failover-switch-writes');
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'update-route-53');
    await s.eventually('done', async () =>
      (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'update-route-53' && !e.override),
    );
  });

  it('S3 in eu-west-1 down: the write fails after Lambda-style retries; traffic moved by itself but is not held', async () => {
    const s = await start('s3-down');
    await s.command('switch failover', ALICE);
    await toRouteStep(s);

    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () => blocksOf(s).includes(ActionIds.awsFailoverFallback));

    const text = threadText(s);
    expect(text).toContain('Attempt 1 of 3; the bot tries again by itself');
    expect(text).toContain('it is not held');
    expect(await storedRequests(s)).toEqual([expect.objectContaining({ status: 'failed', attempts: 3 })]);
    expect(gateway.writes).toEqual([]);
    // The name servers answer eu-west-1 only because the switch check cannot read S3: not held, so the step is
    // not shown done (Done needs a reason, or the record swap offered); helper-199's review.
    expect(textOf(s.run())).not.toContain('the name servers answered *eu-west-1*');
  });
});

describe('failback after a failover made by hand', () => {
  it('records swapped by the old fallback: recognised, nothing silently done, the swap back offered', async () => {
    // The records start swapped (eu-west-1 PRIMARY), the switch On: a failover someone made with the old swap.
    const s = await start({ ...loadScenario('primary-healthy'), failedOver: true });
    await s.command('switch failback', ALICE);
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    await s.waitFor('Execute offered', () => blocksOf(s).includes(ActionIds.awsRoute53Execute));

    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'dns-cutback');
    await s.settle();
    await s.waitFor('reported', () => threadText(s).includes('Nothing to approve'));
    const text = threadText(s);
    expect(text).toContain('Every switch is already On');
    expect(text).toContain('The records are swapped');
    expect(text).toContain('swap them back');
    expect(await storedRequests(s)).toEqual([]);
    expect(gateway.writes).toEqual([]);
    await s.waitFor('swap back offered', () => blocksOf(s).includes(ActionIds.awsFailoverFallback));
    expect(JSON.stringify(s.run().blocks)).toContain('Swap the records back');

    // Done is not allowed: DNS still answers eu-west-1.
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'dns-cutback');
    const modal = await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open')[opened]);
    expect(JSON.stringify(modal.args.view)).toContain('did not answer af-south-1');

    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'dns-cutback');
    await s.click(await requestMessage(s, 'record swap back'), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('back', () => threadText(s).includes('the failback is done on DNS'));
    expect(gateway.writes.map((w) => w.action)).toEqual(['ChangeResourceRecordSets']);
  });

  it('a switch turned off by hand is turned back on under the two-person rule', async () => {
    const s = await start({ ...loadScenario('primary-healthy'), switchesOff: ['dr-s3'] });
    await s.command('switch failback', ALICE);
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-healthy');
    await s.settle();
    for (const signer of [DEVOPS, OWNER]) {
      await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-failback');
      await s.settle();
    }
    await s.click(s.run(), ActionIds.awsRoute53Execute, ALICE, 'dns-cutback');
    const request = await requestMessage(s, 'Route 53 failback');
    expect(textOf(request)).toContain('Turns the failover switch *On*');
    await s.click(request, ActionIds.awsRoute53Approve, DEVOPS);
    await s.settle();
    await s.waitFor('back', () => threadText(s).includes('the failback is done on DNS'));
    expect(gateway.writes.map((w) => `${w.action} ${w.target}`)).toEqual([
      'PutObject s3://sitecraft-dr-switch/failover/api.json',
    ]);
    expect(
      await gateway.readSwitchObject({
        region: 'eu-west-1',
        bucket: 'sitecraft-dr-switch',
        key: 'failover/api.json',
      }),
    ).toMatchObject({ body: ON });
  });
});

describe('Confirm primary failure on a switch checklist', () => {
  it('primary down: reads the switch table’s endpoint checks, never the calculated one, and confirms', async () => {
    const s = await start('primary-down');
    await s.command('switch failover', ALICE);
    await s.click(s.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
    await s.settle();
    await s.waitFor('evidence', () => threadText(s).includes('checked the primary'));

    const text = threadText(s);
    expect(text).toContain("af-south-1's endpoint check fails (Route 53's checkers); eu-west-1's passes.");
    expect(text).toContain('`hc-af-endpoint` (af-south-1 endpoint): 0 of 8 checkers see it pass');
    // Derived from its children: Route 53 refuses GetHealthCheckStatus on a calculated check.
    expect(text).toContain('`hc-calculated` (calculated, PRIMARY record): 1 of 2 children healthy, 2 needed');
    // Route 53 already moved traffic on its own (not held: the switch is still On).
    expect(text).toContain("2 of 2 authoritative name servers answer eu-west-1's target");
    expect(text).toContain('sitecraft-prod-api-5xx');
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    await s.eventually('done', async () =>
      (await s.events()).some(
        (e) => e.type === 'step_done' && e.stepId === 'confirm-primary-failure' && !e.override,
      ),
    );
  });

  it('region down: the control plane does not answer; it says so, shows the switch and DNS, and needs a reason', async () => {
    const s = await start('region-down');
    await s.command('switch failover', ALICE);
    await s.click(s.run(), ActionIds.awsEvidenceCheck, ALICE, 'confirm-primary-failure');
    await s.settle();
    await s.waitFor('evidence', () => threadText(s).includes('checked the primary'));

    const text = threadText(s);
    expect(text).toContain(
      "Route 53's control plane (us-east-1) did not answer, so the health checks are unknown",
    );
    expect(text).toContain('the switch is ON');
    expect(text).toContain("2 of 2 authoritative name servers answer af-south-1's target");
    // af-south-1's CloudWatch times out too: said, not hidden.
    expect(text).toContain('CloudWatch DescribeAlarms');
    const opened = s.bot.fake.callsTo('views.open').length;
    await s.click(s.run(), ActionIds.checklistDone, ALICE, 'confirm-primary-failure');
    const modal = await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open')[opened]);
    expect(JSON.stringify(modal.args.view)).toContain('could not be read');
  });
});
