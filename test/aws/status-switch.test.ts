/**
 * `/runbook status` with the failover switch: the PRIMARY record carries a calculated check, which Route 53
 * cannot report, so status shows its children (the primary endpoint and the switch) and derives which record
 * answers from them, with Inverted applied. Simulated gateway, the real runbook's tables.
 */
import { describe, expect, it } from 'vitest';
import { turnSwitches } from '../../src/aws/failover-switch';
import { declaredFailover } from '../../src/aws/records';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { collectStatus } from '../../src/aws/status';
import type { FailoverSwitchSet } from '../../src/runbooks/model/model';
import { renderStatus, statusNextStep } from '../../src/slack/render/status';
import { loadTestArtifact } from '../helpers/artifact';
import { awsConfig } from './fixtures';

async function setup(inverted: string[] = []) {
  const artifact = await loadTestArtifact();
  const records = artifact.records['route53-failover'] ?? [];
  const set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
  let clock = Date.parse('2025-03-01T10:00:00.000Z');
  const gateway = createSimulatedGateway(
    { ...loadScenario('primary-healthy'), inverted },
    { records, failover: declaredFailover(artifact), now: () => new Date(clock) },
  );
  const status = () =>
    collectStatus(gateway, { config: awsConfig(), records, now: new Date(clock), switchSets: [set] });
  return { gateway, set, status, advance: (s: number) => (clock += s * 1000) };
}

describe('/runbook status with the failover switch', () => {
  it('lists the calculated check’s children and follows the switch to eu-west-1', async () => {
    const { gateway, set, status, advance } = await setup();

    const before = await status();
    // What Route 53 makes of the calculated check first, then its children, each named from the runbook.
    expect(before.regions[0]?.healthChecks.map((h) => [h.healthCheckId, h.role, h.switchId])).toEqual([
      [set.calculatedHealthCheckId, 'calculated', undefined],
      ...set.primaryHealthCheckIds.map((id) => [id, 'endpoint', undefined]),
      [set.switches[0]?.healthCheckId, 'switch', set.switches[0]?.id],
    ]);
    expect(before.regions[0]?.healthChecks[0]?.report).toMatchObject({ ok: true, value: { healthy: true } });
    expect(before.answering[0]).toMatchObject({ region: 'af-south-1', answer: { ok: true } });

    await turnSwitches(gateway, set, 'failover');
    advance(31);
    const after = await status();
    expect(after.answering[0]).toMatchObject({
      region: 'eu-west-1',
      answer: { ok: true, value: { failover: 'SECONDARY', reason: 'PRIMARY is unhealthy' } },
    });
    // The record is unhealthy for Route 53 because the switch is off, while the region itself is healthy:
    // the report says which, and the next step is the failback, not "the primary is unhealthy".
    const lines = after.regions[0]?.healthChecks ?? [];
    expect(lines.map((h) => [h.role, h.report.ok && h.report.value.healthy])).toEqual([
      ['calculated', false],
      ...set.primaryHealthCheckIds.map(() => ['endpoint', true]),
      ['switch', false],
    ]);
    const text = JSON.stringify(renderStatus(after, { command: '/runbook', failback: 'failback' }));
    expect(text).toContain('UNHEALTHY* for Route 53');
    expect(text).toContain(`failover switch \`${set.switches[0]?.id}\`: *off*`);
    expect(text).toContain('↳ endpoint check: *healthy*');
    expect(statusNextStep(after, { command: '/runbook', failback: 'failback' })).toContain(
      'the primary is healthy again but the DR region answers',
    );
  });

  it('applies an Inverted flag someone set by hand', async () => {
    const { set, status } = await setup();
    const { status: invertedStatus } = await setup([set.primaryHealthCheckIds[0] as string]);

    expect((await status()).answering[0]?.region).toBe('af-south-1');
    // The endpoint passes, but inverted it reports unhealthy: Route 53 answers eu-west-1.
    expect((await invertedStatus()).answering[0]?.region).toBe('eu-west-1');
  });
});
