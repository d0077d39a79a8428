/**
 * The "region-down" rehearsal on the simulated gateway, with the real runbook's tables: af-south-1's AWS
 * endpoints and Route 53's control plane in us-east-1 both fail. The record swap cannot run; the warm-up in
 * eu-west-1 and the switch write there still work, and the simulated DNS answer moves to eu-west-1 once the
 * switch's health check has noticed (30 s). A drill writes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareFailover } from '../../src/aws/failover';
import { collectFailoverEvidence } from '../../src/aws/failover-evidence';
import { readSwitches, turnSwitches } from '../../src/aws/failover-switch';
import { readOnlyGateway } from '../../src/aws/read-only';
import { declaredFailover } from '../../src/aws/records';
import { createSimulatedGateway, loadScenario, type Scenario } from '../../src/aws/simulated';
import { applyWarmup, readWarmup } from '../../src/aws/warmup';
import type {
  Artifact,
  FailoverRecord,
  FailoverSwitchSet,
  WarmupTarget,
} from '../../src/runbooks/model/model';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
import { warmupVerdict } from '../../src/workflows/warmup';
import { loadTestArtifact } from '../helpers/artifact';

let artifact: Artifact;
let set: FailoverSwitchSet;
let records: FailoverRecord[];
let warmup: WarmupTarget[];

beforeAll(async () => {
  artifact = await loadTestArtifact();
  set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
  records = artifact.records['route53-failover'] ?? [];
  warmup = artifact.warmups?.['dr-warmup'] ?? [];
});

function rehearsal(scenario: Scenario | string = 'region-down') {
  let clock = Date.parse('2025-03-01T10:00:00.000Z');
  const gateway = createSimulatedGateway(typeof scenario === 'string' ? loadScenario(scenario) : scenario, {
    records,
    failover: declaredFailover(artifact),
    now: () => new Date(clock),
  });
  const evidence = async (
    direction: 'failover' | 'failback',
    write: { succeeded: string[]; failed: { switchId: string; error: string }[] } | null = null,
  ) =>
    failoverVerdict(
      await collectFailoverEvidence(gateway, {
        direction,
        set,
        records,
        dns: artifact.dnsChecks?.['api-dns'] ?? null,
        write,
      }),
    );
  return { gateway, evidence, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('region down: af-south-1 and the Route 53 control plane fail', () => {
  it('the record swap cannot even read the records', async () => {
    const { gateway } = rehearsal();

    await expect(
      prepareFailover(gateway, { direction: 'failover', records, comment: 'x' }),
    ).rejects.toMatchObject({
      operation: { action: 'ListResourceRecordSets' },
      kind: 'timeout',
    });
    await expect(
      gateway.alarmsInAlarm({ region: 'af-south-1', prefix: 'sitecraft-prod-' }),
    ).rejects.toMatchObject({
      kind: 'timeout',
    });
  });

  it('warms eu-west-1 up, turns the switch off in eu-west-1, and DNS moves there after the health check delay', async () => {
    const { gateway, evidence, advance } = rehearsal();

    // Before: a gray failure, Route 53 still answers af-south-1 and can only be read on the data plane.
    const before = await evidence('failover');
    expect(before).toMatchObject({ routeDone: false, switchPosition: 'on', recordsSwapped: null });
    expect(before.dns?.region).toBe('af-south-1');
    expect(before.reasons).toContain(
      'Some Inverted flags could not be read (Route 53 control plane); they are assumed off.',
    );

    // Warm-up, polled until READY.
    const warmed = await applyWarmup(gateway, warmup, 'warm');
    expect(warmed.errors.every((e) => e === null)).toBe(true);
    let verdict = warmupVerdict(warmup, await readWarmup(gateway, warmup), 'warm');
    for (let poll = 0; poll < 5 && !verdict.done; poll++)
      verdict = warmupVerdict(warmup, await readWarmup(gateway, warmup), 'warm');
    expect(verdict).toMatchObject({ done: true, summary: 'All 4 functions at their failover concurrency.' });

    // The switch.
    const turn = await turnSwitches(gateway, set, 'failover');
    expect(turn.outcome).toEqual({ succeeded: ['dr-s3'], failed: [] });
    const soon = await evidence('failover', turn.outcome);
    expect(soon.routeDone).toBe(false);
    expect(soon.dns?.region).toBe('af-south-1');

    advance(31);
    const after = await evidence('failover', turn.outcome);
    // The eu-west-1 check cannot be read with the control plane down, so Route 53's choice is not predicted:
    // the name servers' answer decides.
    expect(after).toMatchObject({ routeDone: true, predictedRegion: null, anomalies: [] });
    expect(after.dns?.region).toBe('eu-west-1');
    expect(after.fallback.available).toBe(false);
    expect(gateway.writes.map((w) => w.action)).toEqual([
      'PutProvisionedConcurrencyConfig',
      'PutProvisionedConcurrencyConfig',
      'PutProvisionedConcurrencyConfig',
      'PutProvisionedConcurrencyConfig',
      'PutObject',
    ]);
  });

  it('a drill reads everything and writes nothing', async () => {
    const { gateway, evidence } = rehearsal();

    const warm = await applyWarmup(gateway, warmup, 'warm', { drill: true });
    const turn = await turnSwitches(gateway, set, 'failover', { drill: true });
    await evidence('failover');

    expect(warm.writes).toHaveLength(4);
    expect(turn.plan.writes.map((w) => w.switchId)).toEqual(['dr-s3']);
    expect(turn.outcome).toBeNull();
    expect(gateway.writes).toEqual([]);
  });

  it('offers the record swap only when the switch cannot be written', async () => {
    const stuck: Scenario = { ...loadScenario('primary-healthy'), failures: { PutObject: 'timeout' } };
    const { gateway, evidence } = rehearsal(stuck);

    const turn = await turnSwitches(gateway, set, 'failover');
    const v = await evidence('failover', turn.outcome);

    expect(turn.outcome?.succeeded).toEqual([]);
    expect(v.fallback).toMatchObject({ available: true });
    expect(v.fallback.reason).toContain('[SIMULATED] S3 PutObject timed out');
  });
});

describe('the switch cannot act (built-in scenarios)', () => {
  it('switch refused: the write is denied, DNS stays af-south-1, the fallback is offered and can run', async () => {
    const { gateway, evidence } = rehearsal('switch-refused');

    const turn = await turnSwitches(gateway, set, 'failover');
    const v = await evidence('failover', turn.outcome);

    expect(turn.outcome?.failed).toEqual([expect.objectContaining({ switchId: 'dr-s3', retryable: false })]);
    expect(v).toMatchObject({ routeDone: false, fallback: { available: true } });
    expect(v.dns?.region).toBe('af-south-1');
    // The control plane answers in this scenario: the record swap can be planned.
    expect((await prepareFailover(gateway, { direction: 'failover', records, comment: 'x' })).kind).toBe(
      'change',
    );
    expect(gateway.writes).toEqual([]);
  });

  it('S3 in eu-west-1 down: nobody reads the switch, its check fails, DNS moves by itself, not held', async () => {
    const { gateway, evidence, advance } = rehearsal('s3-down');

    advance(31);
    const turn = await turnSwitches(gateway, set, 'failover');
    const v = await evidence('failover', turn.outcome);

    expect(turn.outcome?.failed).toEqual([expect.objectContaining({ switchId: 'dr-s3', retryable: true })]);
    expect(v.switchPosition).toBe('unknown');
    expect(v.dns?.region).toBe('eu-west-1');
    // Answered but not held: not done (helper-199's review), the fallback offered.
    expect(v).toMatchObject({ routeDone: false, fallback: { available: true } });
    expect(v.fallback.reason).toContain('it is not held');
  });

  it('a read-only gateway (a drill) refuses every write before it is sent', async () => {
    const { gateway } = rehearsal();
    const drill = readOnlyGateway(gateway);

    await expect(
      drill.writeSwitchObject({ region: 'eu-west-1', bucket: 'b', key: 'k', body: 'x' }),
    ).rejects.toMatchObject({ code: 'DrillWriteRefused', operation: { action: 'PutObject' } });
    await expect(
      drill.setProvisionedConcurrency({
        region: 'eu-west-1',
        functionName: 'f',
        qualifier: 'live',
        concurrency: 1,
      }),
    ).rejects.toMatchObject({ code: 'DrillWriteRefused' });
    await expect(
      drill.removeProvisionedConcurrency({ region: 'eu-west-1', functionName: 'f', qualifier: 'live' }),
    ).rejects.toMatchObject({ code: 'DrillWriteRefused' });
    await expect(
      drill.changeRecordSets({ hostedZoneId: 'Z', comment: 'x', changes: [] }),
    ).rejects.toMatchObject({ code: 'DrillWriteRefused' });
    await expect(
      drill.updateRoutingControlState({ routingControlArn: 'arn', endpoints: [], state: 'Off' }),
    ).rejects.toMatchObject({ code: 'DrillWriteRefused' });
    // Reads still work, and are labelled as the gateway's.
    expect((await readSwitches(drill, set))[0]?.position).toBe('on');
    expect(drill.label).toBe(gateway.label);
    expect(gateway.writes).toEqual([]);
  });
});

describe('failback after a failover made by hand', () => {
  it('finds the primary endpoint check inverted and says so, instead of a silent no-op', async () => {
    const primaryCheck = set.primaryHealthCheckIds[0] as string;
    const manual: Scenario = { ...loadScenario('primary-healthy'), inverted: [primaryCheck] };
    const { gateway, evidence } = rehearsal(manual);

    const turn = await turnSwitches(gateway, set, 'failback');
    const v = await evidence('failback', turn.outcome);

    expect(turn.plan.writes).toEqual([]);
    expect(turn.plan.notes.join(' ')).toContain('already On');
    expect(v.routeDone).toBe(false);
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.anomalies.join(' ')).toContain(`Health check ${primaryCheck} (af-south-1 endpoint) is Inverted`);
    expect(v.changedOutside).toBe(true);
  });
});
