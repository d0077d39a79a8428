/**
 * Found in a review (helper-208): the live records of every hosted zone were read (failover-evidence.ts
 * readLiveRecords, one listing per zone) into one flat list, and `swapped` / `everySwapped`
 * (failover-verdict.ts) found a declared record in it by name, type and set identifier only, not by zone. A
 * runbook that declares the same pair in two zones (split horizon: the public zone and a private one for the
 * VPCs) had each zone's record matched against the first zone's live record. The private zone still swapped
 * by the failover's fallback (its PRIMARY is eu-west-1: VPC clients keep going there) was read as unswapped,
 * and the failback taken as held and done; a failover with only the public zone swapped (the switch On) read
 * every record swapped, held and done. The live records are now kept by zone, as the failover plan reads them.
 */
import { describe, expect, it } from 'vitest';
import { collectFailoverEvidence } from '../../src/aws/failover-evidence';
import type { AwsGateway } from '../../src/aws/gateway';
import type { FailoverRecord } from '../../src/runbooks/model/model';
import type { DnsReading } from '../../src/workflows/dns-answer';
import type { RecordSetShape } from '../../src/workflows/failover-plan';
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
const PRIVATE_ZONE = 'Z09PRIVATEZONEVPC0001';
const PRIVATE: FailoverRecord[] = SWITCH_RECORDS.map((r) => ({ ...r, hostedZoneId: PRIVATE_ZONE }));
const RECORDS = [...SWITCH_RECORDS, ...PRIVATE];

/** A zone's live pair, as ListResourceRecordSets answers it; `swapped`: the fallback's roles. */
function livePair(swapped: boolean): RecordSetShape[] {
  return SWITCH_RECORDS.map((r) => ({
    Name: `${r.name}.`,
    Type: r.type,
    SetIdentifier: r.setIdentifier,
    Failover: swapped ? (r.failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY') : r.failover,
    AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: r.value, EvaluateTargetHealth: false },
    ...(r.healthCheckId ? { HealthCheckId: r.healthCheckId } : {}),
  }));
}

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

const HEALTHY: Record<string, HealthCheckView> = {
  [HC_CALC]: view(HC_CALC, true),
  [HC_AF]: view(HC_AF, true),
  [HC_SWITCH]: view(HC_SWITCH, true),
  [HC_EU]: view(HC_EU, true),
};

describe('the same record pair in two hosted zones (public and private)', () => {
  it('failback: the private zone still swapped is seen as swapped, not held, not done', () => {
    const v = failoverVerdict({
      direction: 'failback',
      set: SET,
      records: RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health: HEALTHY,
      dns: dns(AF_ADDRESSES),
      // Public zone swapped back (listed first), private zone still swapped by the fallback.
      liveRecords: { [ZONE]: livePair(false), [PRIVATE_ZONE]: livePair(true) },
    });
    expect(v.dns?.region).toBe('af-south-1');
    expect(v.recordsSwapped).toBe(true);
    expect(v.routeDone).toBe(false);
  });

  it('failover: only the public zone swapped, the switch On: not every record swapped, not held', () => {
    const health: Record<string, HealthCheckView> = { ...HEALTHY, [HC_AF]: view(HC_AF, false) };
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health,
      dns: dns(EU_ADDRESSES),
      // Public zone swapped by the fallback (listed first); the private zone's swap never made (unswapped).
      liveRecords: { [ZONE]: livePair(true), [PRIVATE_ZONE]: livePair(false) },
    });
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(false);
  });
});

describe('reading the live records of two hosted zones', () => {
  it('keeps each zone’s records apart: the private zone still swapped makes the failback not done', async () => {
    const listed: string[] = [];
    // Only what the evidence reads with the switch given and no dns= table: the control plane's checks
    // (unanswered here) and each zone's records.
    const gateway = {
      healthCheckConfig: () => Promise.reject(new Error('timeout')),
      healthCheckStatus: () => Promise.reject(new Error('timeout')),
      listRecordSets: async ({ hostedZoneId }: { hostedZoneId: string }) => {
        listed.push(hostedZoneId);
        return livePair(hostedZoneId === PRIVATE_ZONE);
      },
    } as unknown as AwsGateway;
    const evidence = await collectFailoverEvidence(gateway, {
      direction: 'failback',
      set: SET,
      records: RECORDS,
      dns: null,
      readings: [readSwitch(S3_SWITCH, ON)],
    });
    expect(listed.sort()).toEqual([PRIVATE_ZONE, ZONE].sort());
    const v = failoverVerdict({ ...evidence, health: HEALTHY, dns: dns(AF_ADDRESSES) });
    expect(v.recordsSwapped).toBe(true);
    expect(v.routeDone).toBe(false);
  });
});
