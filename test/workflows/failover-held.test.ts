/**
 * Found in a review (helper-202) of the held rule: a failover held by the switch Off is done whatever one
 * record set's fallback swap did; a failback whose records could not be read is not proven held.
 */
import { describe, expect, it } from 'vitest';
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
  OFF,
  ON,
  S3_SWITCH,
  SWITCH_RECORDS,
  switchSet,
  view,
  ZONE,
} from './switch-fixtures';

// Found in a review (helper-202) of 7df4d9d.

const SET = switchSet();
const WWW: FailoverRecord[] = SWITCH_RECORDS.map((r) => ({
  ...r,
  name: 'www.sitecraft.example',
  setIdentifier: r.setIdentifier.replace('api', 'www'),
}));
const RECORDS = [...SWITCH_RECORDS, ...WWW];

function live(swappedNames: string[]): RecordSetShape[] {
  return RECORDS.map((r) => ({
    Name: `${r.name}.`,
    Type: 'A',
    SetIdentifier: r.setIdentifier,
    Failover: swappedNames.includes(r.name)
      ? r.failover === 'PRIMARY'
        ? 'SECONDARY'
        : 'PRIMARY'
      : r.failover,
    HealthCheckId: r.healthCheckId ?? '',
    AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: `${r.value}.`, EvaluateTargetHealth: false },
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

describe('failoverVerdict: the switch Off, one record set of several swapped', () => {
  it('failover held by the switch (api unswapped, switch Off, af-south-1 healthy) is done', () => {
    // www was swapped (fallback partly applied, or by hand), api is not: api is held in eu-west-1 by the
    // switch Off (calculated check fails whatever af-south-1 does), www by its swap. Everything is held.
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, false),
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, false),
      [HC_EU]: view(HC_EU, true),
    };
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF)],
      health,
      dns: dns(EU_ADDRESSES),
      liveRecords: { [ZONE]: live(['www.sitecraft.example']) },
    });

    expect(v.switchPosition).toBe('off');
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(true);
  });
});

describe('failoverVerdict: failback with the Route 53 control plane unreadable', () => {
  it('answers af-south-1 while eu-west-1 fails its check, records unreadable: not proven held, not done', () => {
    // The same evidence as failback-swapped-not-held's second case (switch On, eu-west-1 failing, the name
    // servers answer af-south-1), but ListResourceRecordSets fails (us-east-1 control plane). Swapped records
    // (the failover's fallback) answer exactly this way and return to eu-west-1 once its check passes; with
    // recordsSwapped null, held = (On && null !== true) = true and the failback is done unproven.
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
      liveRecords: null,
    });

    expect(v.recordsSwapped).toBeNull();
    expect(v.routeDone).toBe(false);
  });
});
