/**
 * Found in a review (helper-207) of 0a0fe35 (3): `switchActs` was meant for a failover (a switch Off whose check is
 * Disabled or detached fails nothing, so primary-down alone answers eu-west-1). It is applied to a failback
 * too, where the switch On asks its check to PASS: a Disabled check counts healthy and a detached one is not
 * evaluated, so af-south-1's record answers exactly as with a working switch On. A held failback (records
 * read and unswapped, both regions healthy, the name servers answering af-south-1) is refused.
 */
import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import { readSwitch } from '../../src/workflows/failover-switch';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
import type { HealthCheckView } from '../../src/workflows/health-tree';
import {
  AF_ADDRESSES,
  DNS_CHECK,
  EU_ADDRESSES,
  HC_AF,
  HC_CALC,
  HC_EU,
  HC_SWITCH,
  ON,
  S3_SWITCH,
  SWITCH_RECORDS,
  switchSet,
  view,
  ZONE,
} from './switch-fixtures';

const SET = switchSet();

function dns(answer: string[]): DnsReading {
  return {
    check: DNS_CHECK,
    servers: [
      { server: 'ns-1.awsdns-01.org', values: answer, error: null },
      { server: 'ns-2.awsdns-02.net', values: answer, error: null },
    ],
    candidates: [
      { region: 'af-south-1', addresses: AF_ADDRESSES },
      { region: 'eu-west-1', addresses: EU_ADDRESSES },
    ],
  };
}

const liveRecords = SWITCH_RECORDS.map((r) => ({
  Name: `${r.name}.`,
  Type: 'A',
  SetIdentifier: r.setIdentifier,
  Failover: r.failover,
  HealthCheckId: r.healthCheckId ?? '',
  AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: `${r.value}.`, EvaluateTargetHealth: false },
}));

function failback(switchView: HealthCheckView, calc: HealthCheckView) {
  return failoverVerdict({
    direction: 'failback',
    set: SET,
    records: SWITCH_RECORDS,
    switches: [readSwitch(S3_SWITCH, ON)],
    health: {
      [HC_CALC]: calc,
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: switchView,
      [HC_EU]: view(HC_EU, true),
    },
    dns: dns(AF_ADDRESSES),
    liveRecords: { [ZONE]: liveRecords },
  });
}

describe('failback held by the switch On whose check cannot fail', () => {
  it('control: the same evidence with the switch check enabled and attached is done', () => {
    expect(failback(view(HC_SWITCH, true), view(HC_CALC, true)).routeDone).toBe(true);
  });

  it("the switch's check Disabled (counted healthy, as On asks): held, done", () => {
    const v = failback(view(HC_SWITCH, true, { disabled: true }), view(HC_CALC, true));
    expect(v.recordsSwapped).toBe(false);
    expect(v.dns?.region).toBe('af-south-1');
    expect(v.routeDone).toBe(true);
  });

  it("the switch's check detached from the calculated check: held, done", () => {
    const v = failback(
      view(HC_SWITCH, true),
      view(HC_CALC, true, { childHealthChecks: [HC_AF], healthThreshold: 1 }),
    );
    expect(v.routeDone).toBe(true);
  });
});
