/**
 * Found in a review (helper-187) of 9ea6283: `/runbook status` during an af-south-1 outage. Route 53's
 * health checks are global and still read, but CloudWatch in the failing region does not answer: the
 * alarms there are unreadable. The next step must still be the one the readable facts support (the
 * primary is unhealthy, the DR region healthy: follow the DR runbook), not "Retry, check AWS access".
 *
 */
import { describe, expect, it } from 'vitest';
import type { AwsGateway } from '../../src/aws/gateway';
import { declaredFailover } from '../../src/aws/records';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { collectStatus } from '../../src/aws/status';
import type { FailoverSwitchSet } from '../../src/runbooks/model/model';
import { statusNextStep } from '../../src/slack/render/status';
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

describe('/runbook status while af-south-1 is down', () => {
  it('primary unhealthy (Route 53 read), af-south-1 CloudWatch unreachable: the next step is still about the outage, not Retry', async () => {
    const readable = await setup('primary-down', () => ({}));
    const before = statusNextStep(readable, NEXT);
    // With every call answering, this scenario's next step is about the outage (not a retry).
    expect(before).toContain('primary is unhealthy');

    const report = await setup('primary-down', (g) => ({
      alarmsInAlarm: (input) =>
        input.region === 'af-south-1'
          ? Promise.reject(serviceError('ServiceUnavailable', 'connect ETIMEDOUT', 503))
          : g.alarmsInAlarm(input),
    }));
    expect(report.regions.find((r) => r.role === 'primary')?.alarms.ok).toBe(false);
    // Every Route 53 fact is readable: the primary's checks fail, the DR's pass, the primary still answers.
    expect(report.answering.every((a) => a.answer.ok)).toBe(true);
    const next = statusNextStep(report, NEXT);
    // The region being down is why its alarms cannot be read; the advice must not become "Retry".
    expect(next).not.toContain('some checks could not be read');
    expect(next).toBe(before);
  });
});
