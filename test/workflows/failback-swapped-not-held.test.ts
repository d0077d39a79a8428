import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import type { RecordSetShape } from '../../src/workflows/failover-plan';
import { readSwitch } from '../../src/workflows/failover-switch';
import { type FailoverEvidence, failoverVerdict } from '../../src/workflows/failover-verdict';
import type { HealthCheckView } from '../../src/workflows/health-tree';
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
  ZONE,
} from './switch-fixtures';

// Found in a review (helper-200): the verdict's "held" counts swapped records as holding traffic in the target region for a
// failback too, where swapped records hold it in the standby region (its record is PRIMARY).

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

function swappedLive(): RecordSetShape[] {
  return SWITCH_RECORDS.map((r) => ({
    Name: `${r.name}.`,
    Type: 'A',
    SetIdentifier: r.setIdentifier,
    Failover: r.failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY',
    HealthCheckId: r.healthCheckId ?? '',
    AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: `${r.value}.`, EvaluateTargetHealth: false },
  }));
}

describe('failoverVerdict: failback while the fallback’s swap still holds traffic in eu-west-1', () => {
  it('Route 53 answers af-south-1 only because eu-west-1 fails its check: not done (swap not held for failback)', () => {
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, false),
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, false),
      [HC_EU]: view(HC_EU, false),
    };
    const e: FailoverEvidence = {
      direction: 'failback',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF)],
      health,
      dns: dns(AF_ADDRESSES),
      liveRecords: { [ZONE]: swappedLive() },
    };
    const v = failoverVerdict(e);

    expect(v.recordsSwapped).toBe(true);
    // Swapped, eu-west-1's record is PRIMARY: traffic returns there as soon as its check passes; the switch is
    // Off. Nothing holds af-south-1, so "DNS cutback" must not be done.
    expect(v.routeDone).toBe(false);
  });
  it('the same with the switch On: swapped, the switch no longer decides, so it does not hold af-south-1 either', () => {
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, false),
    };
    const v = failoverVerdict({
      direction: 'failback',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health,
      dns: dns(AF_ADDRESSES),
      liveRecords: { [ZONE]: swappedLive() },
    });

    expect(v.recordsSwapped).toBe(true);
    // eu-west-1's record is still PRIMARY: traffic returns there once its check passes, whatever the switch.
    expect(v.routeDone).toBe(false);
  });
});
