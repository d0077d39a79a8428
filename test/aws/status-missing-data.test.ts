/**
 * `/runbook status` during an outage: a region whose alarms or metrics cannot be read (af-south-1
 * unreachable, CloudWatch throttled, a partial answer) must never read as healthy, and the next step must
 * not contradict what the report shows. Simulated gateway with one call made to fail; the real runbook's tables.
 */
import { describe, expect, it } from 'vitest';
import type { AwsGateway } from '../../src/aws/gateway';
import { declaredFailover } from '../../src/aws/records';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { collectStatus } from '../../src/aws/status';
import type { FailoverSwitchSet } from '../../src/runbooks/model/model';
import { renderStatus, statusNextStep } from '../../src/slack/render/status';
import { loadTestArtifact } from '../helpers/artifact';
import { awsConfig, serviceError } from './fixtures';

const NEXT = { command: '/runbook', failover: 'failover', failback: 'failback' };

async function setup(scenario: string, patch: (g: AwsGateway) => Partial<AwsGateway>) {
  const artifact = await loadTestArtifact();
  const records = artifact.records['route53-failover'] ?? [];
  const set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
  const now = new Date('2025-03-01T10:00:00.000Z');
  const base = createSimulatedGateway(loadScenario(scenario), {
    records,
    failover: declaredFailover(artifact),
    now: () => now,
  });
  const over = patch(base) as Record<string, unknown>;
  const gateway = new Proxy(base, {
    get: (t, k, r) => (typeof k === 'string' && k in over ? over[k] : Reflect.get(t, k, r)),
  }) as AwsGateway;
  return collectStatus(gateway, { config: awsConfig(), records, now, switchSets: [set] });
}

describe('/runbook status on missing data', () => {
  it('alarms unreadable in af-south-1 (throttled): the next step does not say nothing needs doing', async () => {
    const report = await setup('primary-healthy', (g) => ({
      alarmsInAlarm: (input) =>
        input.region === 'af-south-1'
          ? Promise.reject(serviceError('ThrottlingException', 'Rate exceeded', 400))
          : g.alarmsInAlarm(input),
    }));
    expect(report.regions[0]?.alarms.ok).toBe(false);
    const next = statusNextStep(report, NEXT);
    // The report shows ":warning: … alarms could not be read" and the Retry button, yet the next step says all is well.
    expect(next).not.toContain('nothing needs doing');
  });

  it('CloudWatch metrics with no datapoints: throttles and requests are not shown as 0', async () => {
    const report = await setup('primary-healthy', () => ({
      metricData: async ({ queries }) =>
        queries.map((q) => ({
          id: q.id,
          label: q.label ?? q.id,
          timestamps: [],
          values: [],
          statusCode: 'Complete',
        })),
    }));
    const text = JSON.stringify(renderStatus(report, NEXT));
    // No data at all reads as a quiet, healthy region: "Bedrock throttles 0", "(0 of 0 requests)".
    expect(text).not.toContain('Bedrock throttles 0');
    expect(text).not.toContain('0 of 0 requests');
  });

  it('CloudWatch answers PartialData: the report says the numbers are incomplete', async () => {
    const report = await setup('primary-healthy', (g) => ({
      metricData: async (input) =>
        (await g.metricData(input)).map((s) => ({ ...s, statusCode: 'PartialData' })),
    }));
    const text = JSON.stringify(renderStatus(report, NEXT));
    expect(text.toLowerCase()).toMatch(/partial|incomplete/);
  });

  it('primary unhealthy and the DR region unhealthy too: the next step does not send people to fail over into it', async () => {
    const report = await setup('primary-down', (g) => ({
      healthCheckStatus: async (id) => {
        const r = await g.healthCheckStatus(id);
        return {
          ...r,
          healthy: false,
          healthyCheckers: 0,
          observations: r.observations.map((o) => ({ ...o, healthy: false })),
        };
      },
    }));
    const dr = report.regions.find((r) => r.role === 'dr');
    expect(dr?.healthChecks.length).toBeGreaterThan(0);
    expect(dr?.healthChecks.every((h) => h.report.ok && !h.report.value.healthy)).toBe(true);
    const next = statusNextStep(report, NEXT);
    expect(next).not.toContain('/runbook failover` starts the checklist');
  });

  it('DR region health checks unreadable while the primary is down: neither the answer nor the next step says traffic is on DR', async () => {
    const artifact = await loadTestArtifact();
    const drIds = new Set(
      (artifact.records['route53-failover'] ?? [])
        .filter((r) => r.region === 'eu-west-1')
        .map((r) => r.healthCheckId),
    );
    const report = await setup('primary-down', (g) => ({
      healthCheckStatus: (id) =>
        drIds.has(id)
          ? Promise.reject(serviceError('ThrottlingException', 'Rate exceeded', 400))
          : g.healthCheckStatus(id),
    }));
    const next = statusNextStep(report, NEXT);
    // DR's own check could not be read, yet the report states eu-west-1 answers ("PRIMARY is unhealthy")
    // and the next step says traffic is on the DR region: if eu-west-1 is in fact unhealthy, Route 53 answers
    // with the failing primary and the outage goes on unnoticed.
    expect(report.regions[1]?.healthChecks.every((h) => !h.report.ok)).toBe(true);
    expect(next).not.toContain('traffic is on the DR region');
  });
});
