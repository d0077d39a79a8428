/**
 * "Confirm primary failure" with a failover switch: the switch table's endpoint checks decide (the PRIMARY
 * record's calculated check cannot be asked), flags are reported, and a control plane that does not answer
 * leaves the evidence unknown with what is still known.
 */
import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import { readSwitch } from '../../src/workflows/failover-switch';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
import type { HealthCheckView } from '../../src/workflows/health-tree';
import { primaryFailureEvidence } from '../../src/workflows/primary-evidence';
import {
  AF_ADDRESSES,
  DNS_CHECK,
  EU_ADDRESSES,
  HC_AF,
  HC_CALC,
  HC_EU,
  HC_SWITCH,
  OFF,
  ON,
  S3_SWITCH,
  SWITCH_RECORDS,
  switchSet,
  view,
} from './switch-fixtures';

const SET = switchSet();

function dns(answer: string[]): DnsReading {
  return {
    check: DNS_CHECK,
    servers: DNS_CHECK.nameServers.map((server) => ({ server, values: answer, error: null })),
    candidates: [
      { region: 'af-south-1', addresses: AF_ADDRESSES },
      { region: 'eu-west-1', addresses: EU_ADDRESSES },
    ],
  };
}

function evidenceOf(
  views: Record<string, HealthCheckView>,
  opts: { switchBody?: string; answer?: string[] } = {},
) {
  const switches = [readSwitch(S3_SWITCH, opts.switchBody ?? ON)];
  const verdict = failoverVerdict({
    direction: 'failover',
    set: SET,
    records: SWITCH_RECORDS,
    switches,
    health: views,
    dns: dns(opts.answer ?? AF_ADDRESSES),
    liveRecords: null,
  });
  return primaryFailureEvidence(SET, views, verdict);
}

const all = (af: boolean, eu: boolean): Record<string, HealthCheckView> => ({
  [HC_CALC]: view(HC_CALC, true),
  [HC_AF]: view(HC_AF, af),
  [HC_SWITCH]: view(HC_SWITCH, true),
  [HC_EU]: view(HC_EU, eu),
});

describe('primaryFailureEvidence', () => {
  it('confirms the failure from the primary endpoint check, never asking the calculated check', () => {
    const e = evidenceOf(all(false, true));

    expect(e.outcome).toBe('unhealthy');
    expect(e.summary).toContain("af-south-1's endpoint check fails");
    const calc = e.checks.find((c) => c.healthCheckId === HC_CALC);
    // Derived from its children (af failing), not read: Route 53 cannot report a calculated check.
    expect(calc).toMatchObject({ observed: null, effective: false });
    expect(e.checks.find((c) => c.healthCheckId === HC_AF)).toMatchObject({
      observed: false,
      detail: '0 of 8 checkers see it pass',
    });
  });

  it('a healthy primary is not a confirmed failure; both regions failing is said apart', () => {
    expect(evidenceOf(all(true, true)).outcome).toBe('healthy');
    const both = evidenceOf(all(false, false));
    expect(both.outcome).toBe('standby-unhealthy');
    expect(both.summary).toContain('a failover would not move traffic');
  });

  it('with the control plane down: unknown, says so, and shows the switch and the DNS answer', () => {
    const unreadable = Object.fromEntries(
      [HC_CALC, HC_AF, HC_SWITCH, HC_EU].map((id) => [id, { healthCheckId: id, config: null, report: null }]),
    );
    const e = evidenceOf(unreadable);

    expect(e.outcome).toBe('unknown');
    expect(e.controlPlaneDown).toBe(true);
    expect(e.summary).toContain("Route 53's control plane (us-east-1) did not answer");
    expect(e.summary).toContain('the switch is ON');
    expect(e.summary).toContain("answer af-south-1's target");
  });

  it('reports an inverted check and a switch already off', () => {
    const views = { ...all(true, true), [HC_AF]: view(HC_AF, true, { inverted: true }) };
    const e = evidenceOf(views, { switchBody: OFF, answer: EU_ADDRESSES });

    // The checkers see af-south-1 pass: inverting the check is no evidence of a failure.
    expect(e.outcome).toBe('healthy');
    expect(e.checks.find((c) => c.healthCheckId === HC_AF)).toMatchObject({
      observed: true,
      effective: false,
      flags: ['Inverted'],
    });
    expect(e.warnings.join(' ')).toContain(`Health check ${HC_AF} (af-south-1 endpoint) is Inverted`);
    expect(e.warnings.join(' ')).toContain('The failover switch is already Off');
  });
});
