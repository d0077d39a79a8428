/**
 * Found in a review (helper-207) of 0a0fe35 (held rule, failback, records unreadable): "eu-west-1 passing its check while
 * af-south-1 answers proves them unswapped" holds only for the name the dns= table asks about. With several
 * record sets (api and www, as failover-held.test.ts), the www pair swapped by the failover's fallback still
 * answers eu-west-1 (its PRIMARY now, eu-west-1 healthy), yet the failback is taken as held and done.
 */
import { describe, expect, it } from 'vitest';
import type { FailoverRecord } from '../../src/runbooks/model/model';
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
} from './switch-fixtures';

const SET = switchSet();
const WWW: FailoverRecord[] = SWITCH_RECORDS.map((r) => ({
  ...r,
  name: 'www.sitecraft.example',
  setIdentifier: r.setIdentifier.replace('api', 'www'),
}));
const RECORDS = [...SWITCH_RECORDS, ...WWW];

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

describe('failback, records unreadable, several record sets', () => {
  it('api answering af-south-1 proves nothing about www: not proven held, not done', () => {
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true),
    };
    const v = failoverVerdict({
      direction: 'failback',
      set: SET,
      records: RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health,
      dns: dns(AF_ADDRESSES),
      liveRecords: null,
    });
    expect(v.recordsSwapped).toBeNull();
    expect(v.dns?.region).toBe('af-south-1');
    expect(v.routeDone).toBe(false);
  });
});
