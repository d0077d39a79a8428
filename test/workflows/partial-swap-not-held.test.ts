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
  ON,
  S3_SWITCH,
  SWITCH_RECORDS,
  switchSet,
  view,
  ZONE,
} from './switch-fixtures';

// Found in a review (helper-200): "held" takes recordsSwapped, which is true when ANY declared record set is swapped. With a
// records= table of several names, a fallback that swapped one name (its other zone's change failed, or a
// record swapped by hand) makes the name the dns= table asks about count as held although its own records
// are not swapped and the switch is still On.

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

describe('failoverVerdict: only www swapped, the dns= table asks about api', () => {
  it('api answered eu-west-1 on its own (af-south-1 fails its check), switch On, api not swapped: not done', () => {
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, false),
      [HC_AF]: view(HC_AF, false),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true),
    };
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health,
      dns: dns(EU_ADDRESSES),
      liveRecords: { [ZONE]: live(['www.sitecraft.example']) },
    });

    expect(v.switchPosition).toBe('on');
    // api's records are unswapped and the switch is On: api returns to af-south-1 once its check passes.
    expect(v.routeDone).toBe(false);
  });
});
