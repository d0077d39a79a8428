/**
 * Found in a review (helper-210): `/runbook status`: the words of one report must not contradict each
 * other, nor the next step contradict what the report shows. An Inverted endpoint check read healthy under
 * a calculated check that failed because of it, and the next step sent people to the failback; a lowered
 * HealthThreshold still read "every check below must pass"; unreadable metrics and a missing failover record
 * ended in "nothing needs doing". Simulated gateway with one fault injected; the real runbook's tables.
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
    // The child lines show the checks as Route 53 uses them (Inverted applied), the flag named beside the
    // checkers' count; the next step is to undo the flag, not the failback checklist (which would turn a
    // switch that is already on: traffic would stay on DR).
    const childLines = text.split('\n').filter((l) => l.includes('↳'));
    const allGreen = childLines.every((l) => l.startsWith(':large_green_circle:'));
    expect(allGreen && !/inverted/i.test(text)).toBe(false);
    expect(text).toContain(
      ':red_circle: ↳ endpoint check: *UNHEALTHY* (Inverted: Route 53 takes the opposite of what the checkers see), 8/8 checkers healthy',
    );
    const next = statusNextStep(report, NEXT);
    expect(next).not.toContain('failback');
    expect(next).toContain('is Inverted: no runbook step does that');
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
    // The 5xx rate and latency of the primary are unknown (the report shows a warning and Retry): the next
    // step says Retry, as it does for alarms that could not be read.
    expect(statusNextStep(report, NEXT)).not.toContain('nothing needs doing');
    expect(statusNextStep(report, NEXT)).toContain('*Retry*');
  });

  it('no failover record set found for the declared name: the next step does not say nothing needs doing', async () => {
    const { report, text } = await setup('primary-healthy', {
      patch: () => ({ listRecordSets: async () => [] }),
    });
    expect(text).toContain('no failover record sets found');
    // The record the runbook declares is not in the zone (deleted, renamed, wrong zone): DNS for the
    // service is not what the DR runbook assumes, and the next step says so.
    expect(statusNextStep(report, NEXT)).not.toContain('nothing needs doing');
    expect(statusNextStep(report, NEXT)).toContain('Route 53 has no failover record sets for');
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
    // The wording follows the threshold Route 53 applies, and names the runbook's value it differs from.
    expect(text).not.toContain('*healthy* for Route 53 (calculated: every check below must pass)');
    expect(text).toContain(
      `*healthy* for Route 53 (calculated: 1 of the 2 checks below must pass; the runbook's switch table says ${set.healthThreshold})`,
    );
  });
  it('an Inverted switch check or calculated check: the line says so and what Route 53 makes of it', async () => {
    // The switch reads on, but its check, Inverted, is off for Route 53: the line says both, not "on" alone.
    const sw = await setup('primary-healthy', { inverted: (set) => [set.switches[0]!.healthCheckId] });
    expect(sw.report.answering[0]?.region).toBe('eu-west-1');
    expect(sw.text).toMatch(
      /:red_circle: ↳ failover switch `[^`]+`: \*on\*, but its check is Inverted: Route 53 takes the opposite of what the checkers see; for Route 53 it is \*off\* \(traffic goes to the standby\)/,
    );
    expect(statusNextStep(sw.report, NEXT)).toContain('is Inverted: no runbook step does that');
    // The calculated check itself Inverted: its children pass, Route 53 reads it failing.
    const calc = await setup('primary-healthy', { inverted: (set) => [set.calculatedHealthCheckId] });
    expect(calc.report.answering[0]?.region).toBe('eu-west-1');
    expect(calc.text).toContain(
      '*UNHEALTHY* for Route 53 (calculated: every check below must pass; Inverted: Route 53 takes the opposite of what its children say)',
    );
    expect(statusNextStep(calc.report, NEXT)).not.toContain('failback');
  });
});
