/**
 * Found in a review (helper-188): one DR run is one DynamoDB item, and nothing a run accumulates is ever
 * pruned: every live-action request keeps its whole plan (the exact Route 53 change) after it was cancelled
 * or failed. A failover over many record sets fills DynamoDB's 400 KB item limit within a few requests; from
 * then on the run's writes are rejected (ValidationException), so the failover can no longer be asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checklist, FailoverRecord } from '../../src/runbooks/model/model';
import { executeCommand, startRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext, RunCommand } from '../../src/workflows/checklist';
import { planFailover, type RecordSetShape } from '../../src/workflows/failover-plan';
import { startTestStore } from '../helpers/dynalite';
import { gate, step } from '../workflows/fixtures';

const ZONE = 'Z0445566ABCDEFGHIJKL';
const CHANNEL = 'C0DRBIG';
const IC = 'U0IC';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

const FAILOVER: Checklist = {
  id: 'failover',
  title: 'DR failover to eu-west-1',
  commands: ['failover'],
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  records: 'route53-failover',
  directives: { checklist: 'failover', records: 'route53-failover' },
  items: [
    step(1, 'confirm-primary-failure'),
    gate('gate-ic-sign-off', ['devops', 'business-owner']),
    step(2, 'update-route-53', { action: 'route53-failover' }),
  ],
};

/** A failover pair per service: `n` services behind their own names in one zone, as a larger site has. */
function services(n: number): { records: FailoverRecord[]; live: RecordSetShape[] } {
  const records: FailoverRecord[] = [];
  const live: RecordSetShape[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}.sitecraft.example.com`;
    for (const [region, role, hosted] of [
      ['af-south-1', 'PRIMARY', 'Z2DHW2332DAMTN'],
      ['eu-west-1', 'SECONDARY', 'ZLY8HYME6SFDD'],
    ] as const) {
      const value = `d-${i}${region.replace(/-/g, '')}.execute-api.${region}.amazonaws.com`;
      const hc = `3f1c2d4e-0000-4000-8000-${String(i).padStart(8, '0')}${region.slice(0, 4)}`;
      records.push({
        hostedZoneId: ZONE,
        name,
        type: 'A',
        setIdentifier: `svc-${i}-${region}`,
        failover: role,
        region,
        healthCheckId: hc,
        value,
      });
      live.push({
        Name: `${name}.`,
        Type: 'A',
        SetIdentifier: `svc-${i}-${region}`,
        Failover: role,
        AliasTarget: { HostedZoneId: hosted, DNSName: `${value}.`, EvaluateTargetHealth: true },
        HealthCheckId: hc,
      });
    }
  }
  return { records, live };
}

let store: Store;
beforeAll(async () => {
  store = (await startTestStore()).store;
});
afterAll(async () => {
  await store.close();
});

let seq = 0;
const c = (user: string, roles: string[] = []): CommandContext => ({
  user,
  at: new Date(Date.parse('2024-05-01T10:00:00.000Z') + ++seq * 1000).toISOString(),
  key: `k-${seq}`,
  roles,
  team: 'T1',
  enterprise: null,
  channel: CHANNEL,
});

describe('a long DR run near DynamoDB’s 400 KB item limit', () => {
  it('can ask for its failover a third time after two requests were cancelled (100 services)', async () => {
    const { records, live } = services(100);
    const plan = planFailover({
      direction: 'failover',
      records,
      live: { [ZONE]: live },
      comment: 'runbook-bot failover',
    });
    expect(plan.kind).toBe('change');
    const { state } = await startRun(
      store,
      { checklist: FAILOVER, drill: false, channel: CHANNEL, team: 'T1', enterprise: null },
      c(IC),
    );
    const run = async (command: RunCommand, ctx: CommandContext) => {
      const result = await executeCommand(store, state.runId, command, ctx);
      if (result.kind !== 'applied') throw new Error(`${command.type}: ${result.kind}`);
      return result;
    };
    await run({ type: 'done', stepId: 'confirm-primary-failure' }, c(IC));
    await run({ type: 'approve', gateId: 'gate-ic-sign-off' }, c(DEVOPS, ['devops']));
    await run({ type: 'approve', gateId: 'gate-ic-sign-off' }, c(OWNER, ['business-owner']));

    // DevOps asks; the request is cancelled (the wrong moment, a second thought), twice; DevOps asks again.
    const ask = (id: string) =>
      executeCommand(
        store,
        state.runId,
        { type: 'request', stepId: 'update-route-53', requestId: id, kind: 'route53-failover', plan },
        c(DEVOPS, ['devops']),
      );
    expect((await ask('aaaa0001')).kind).toBe('applied');
    await run({ type: 'decide_request', requestId: 'aaaa0001', decision: 'cancel' }, c(DEVOPS, ['devops']));
    expect((await ask('aaaa0002')).kind).toBe('applied');
    await run(
      { type: 'decide_request', requestId: 'aaaa0002', decision: 'cancel' },
      c(OWNER, ['business-owner']),
    );

    const again = await ask('aaaa0003').catch((error: unknown) => error as Error);
    // Today: ValidationException "Item size has exceeded the maximum allowed size"; the failover cannot be
    // asked for from this run any more (and the cancelled request's plan is still stored in full).
    expect(again).toMatchObject({ kind: 'applied' });
  });
});
