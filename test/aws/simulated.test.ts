import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFailover, prepareFailover } from '../../src/aws/failover';
import { createGateway } from '../../src/aws/index';
import { createSimulatedGateway, loadScenario, ScenarioError } from '../../src/aws/simulated';
import { collectStatus } from '../../src/aws/status';
import { tempDir } from '../helpers/temp';
import { awsConfig, RECORDS } from './fixtures';

const NOW = new Date('2025-03-01T10:00:00.000Z');

describe('simulated gateway', () => {
  it('is chosen by AWS_SIMULATION and labelled SIMULATED', () => {
    const gateway = createGateway({
      config: awsConfig({ AWS_SIMULATION: 'primary-down' }),
      records: RECORDS,
    });

    expect(gateway.mode).toBe('simulated');
    expect(gateway.label).toBe('SIMULATED (primary-down)');
    expect(createGateway({ config: awsConfig(), records: RECORDS }).mode).toBe('live');
  });

  it('fails over in memory: the plan is applied, INSYNC after the scenario polls, and status follows', async () => {
    // Prepare
    const gateway = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => NOW,
    });
    const plan = await prepareFailover(gateway, {
      direction: 'failover',
      records: RECORDS,
      comment: 'drill-less run R1',
    });
    if (plan.kind !== 'change') throw new Error(`expected a change, got ${plan.kind}`);

    // Act
    const applied = await applyFailover(gateway, plan.batches);
    const status = await collectStatus(gateway, { config: awsConfig(), records: RECORDS, now: NOW });

    // Assess
    expect(applied[0]?.final).toMatchObject({ status: 'INSYNC', polls: 3, changeId: 'CSIMULATED0001' });
    expect(status.answering[0]?.answer).toMatchObject({
      ok: true,
      value: { setIdentifier: 'api-eu-west-1', failover: 'PRIMARY' },
    });
    expect(
      await prepareFailover(gateway, { direction: 'failover', records: RECORDS, comment: 'again' }),
    ).toMatchObject({ kind: 'noop' });
    // The same batch again no longer matches the records: Route 53 would refuse it, and so does the simulation.
    await expect(gateway.changeRecordSets(plan.batches[0]!)).rejects.toMatchObject({
      kind: 'invalid-request',
      code: 'InvalidChangeBatch',
    });
  });

  it('injects the failures a scenario names', async () => {
    const scenario = {
      ...loadScenario('primary-healthy'),
      failures: { GetMetricData: 'throttled' as const, DescribeAlarms: 'access-denied' as const },
    };
    const gateway = createSimulatedGateway(scenario, { records: RECORDS });

    const status = await collectStatus(gateway, { config: awsConfig(), records: RECORDS, now: NOW });

    const primary = status.regions[0]!;
    expect(primary.metrics).toMatchObject({
      ok: false,
      failure: { service: 'CloudWatch', action: 'GetMetricData' },
    });
    expect(primary.alarms).toMatchObject({
      ok: false,
      failure: { message: expect.stringContaining('`cloudwatch:DescribeAlarms`') },
    });
    expect(primary.healthChecks[0]?.report.ok).toBe(true);
  });

  it('loads a scenario file by path and names what is wrong with a bad one', () => {
    const dir = tempDir('scenario-');
    const good = join(dir, 'custom.json');
    writeFileSync(good, JSON.stringify({ name: 'custom', health: { 'af-south-1': 'unhealthy' } }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');

    expect(loadScenario(good)).toMatchObject({ name: 'custom', alarms: {}, metrics: {} });
    expect(() => loadScenario(bad)).toThrow(ScenarioError);
    expect(() => loadScenario('no-such-scenario')).toThrow(
      /neither a built-in scenario \(primary-healthy, primary-down, region-down, s3-down, switch-refused\) nor a readable file/,
    );
  });
});
