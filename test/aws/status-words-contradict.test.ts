/**
 * `/runbook status`: the words of one report must not contradict each other, nor the next step contradict
 * what the report shows. Simulated gateway with one fault injected; the real runbook's tables.
 */
import { describe, expect, it } from 'vitest';
import type { AwsGateway } from '../../src/aws/gateway';
import { declaredFailover } from '../../src/aws/records';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { collectStatus } from '../../src/aws/status';
import type { FailoverSwitchSet } from '../../src/runbooks/model/model';
import { renderStatus, statusNextStep } from '../../src/slack/render/status';
import { loadTestArtifact } from '../helpers/artifact';
import { visibleText } from '../helpers/slack-messages';
import { awsConfig, serviceError } from './fixtures';

const NEXT = { command: '/runbook', failover: 'failover', failback: 'failback' };

async function setup(
  scenario: string,
  opts: {
    inverted?: (set: FailoverSwitchSet) => string[];
    patch?: (g: AwsGateway) => Partial<AwsGateway>;
  } = {},
) {
  const artifact = await loadTestArtifact();
  const records = artifact.records['route53-failover'] ?? [];
  const set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
  const now = new Date('2025-03-01T10:00:00.000Z');
  const base = createSimulatedGateway(
    { ...loadScenario(scenario), inverted: opts.inverted?.(set) ?? [] },
    { records, failover: declaredFailover(artifact), now: () => now },
  );
  const over = (opts.patch?.(base) ?? {}) as Record<string, unknown>;
  const gateway = new Proxy(base, {
    get: (t, k, r) => (typeof k === 'string' && k in over ? over[k] : Reflect.get(t, k, r)),
  }) as AwsGateway;
  const report = await collectStatus(gateway, { config: awsConfig(), records, now, switchSets: [set] });
  return { report, set, text: visibleText(renderStatus(report, NEXT) as never) };
}

describe('/runbook status words that cannot contradict each other', () => {
  it('an Inverted endpoint check: the report does not read "every check below must pass" UNHEALTHY above only healthy checks, nor advise the failback', async () => {
    // Someone set Inverted on the primary endpoint's check by hand (docs/dr-failover.md: a fault). Its
    // checkers pass, Route 53 reads it as failing, the calculated check fails and eu-west-1 answers.
    const { report, text } = await setup('primary-healthy', {
      inverted: (set) => [set.primaryHealthCheckIds[0]!],
    });
    expect(report.answering[0]?.region).toBe('eu-west-1');
    expect(text).toContain('*UNHEALTHY* for Route 53 (calculated: every check below must pass)');
    // Bug: the child lines show the checkers' raw view, not the view Route 53 uses (Inverted applied), so
    // every line under "every check below must pass" is green, the switch reads *on*, and the next step
    // sends people to the failback checklist, which turns a switch that is already on: traffic stays on DR.
    const childLines = text.split('\n').filter((l) => l.includes('↳'));
    const allGreen = childLines.every((l) => l.startsWith(':large_green_circle:'));
    expect(allGreen && !/inverted/i.test(text)).toBe(false);
    expect(statusNextStep(report, NEXT)).not.toContain('failback');
  });

  it('CloudWatch metrics unreadable in the primary: the next step does not say nothing needs doing beside the warning and Retry', async () => {
    const { report, text } = await setup('primary-healthy', {
      patch: (g) => ({
        metricData: (input) =>
          input.region === 'af-south-1'
            ? Promise.reject(serviceError('ThrottlingException', 'Rate exceeded', 400))
            : g.metricData(input),
      }),
    });
    expect(report.regions[0]?.metrics.ok).toBe(false);
    expect(text).toContain('1 AWS call(s) failed; Retry to check again');
    // Bug: the 5xx rate and latency of the primary are unknown (the report shows a warning and Retry), yet
    // the next step reads "nothing needs doing", as it would not for alarms that could not be read.
    expect(statusNextStep(report, NEXT)).not.toContain('nothing needs doing');
  });

  it('no failover record set found for the declared name: the next step does not say nothing needs doing', async () => {
    const { report, text } = await setup('primary-healthy', {
      patch: () => ({ listRecordSets: async () => [] }),
    });
    expect(text).toContain('no failover record sets found');
    // Bug: the record the runbook declares is not in the zone (deleted, renamed, wrong zone): DNS for the
    // service is not what the DR runbook assumes, yet the report ends "nothing needs doing".
    expect(statusNextStep(report, NEXT)).not.toContain('nothing needs doing');
  });
  it('a calculated check whose HealthThreshold is below its children: the line does not claim "every check below must pass"', async () => {
    // Someone lowered the calculated check's HealthThreshold to 1 in the console (the runbook's table says
    // both children). With the endpoint down, the switch alone keeps the PRIMARY record healthy: Route 53
    // keeps answering the dead primary, and turning the switch off would be the only way out.
    const artifact = await loadTestArtifact();
    const set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
    const { report, text } = await setup('primary-down', {
      patch: (g) => ({
        healthCheckConfig: async (id) => {
          const c = await g.healthCheckConfig(id);
          return id === set.calculatedHealthCheckId ? { ...c, healthThreshold: 1 } : c;
        },
      }),
    });
    expect(report.answering[0]?.region).toBe('af-south-1');
    expect(text).toContain('↳ endpoint check: *UNHEALTHY*');
    // Bug: the wording is fixed (src/slack/render/status.ts healthLine), so the report reads "*healthy* for
    // Route 53 (calculated: every check below must pass)" directly above a check that fails.
    expect(text).not.toContain('*healthy* for Route 53 (calculated: every check below must pass)');
  });
});
