/**
 * Found in a review (helper-217): calculatedWithPrimaryUp (src/workflows/failover-verdict.ts) derives the calculated
 * check "as Route 53 would with af-south-1 passing", applying Disabled/Inverted to each switch check and to the
 * calculated check, but counts af-south-1's own endpoint check as passing whatever its flags. Inverted, that
 * check reports unhealthy exactly while af-south-1 passes: the calculated check fails and Route 53 answers
 * eu-west-1. A failback whose switch is On and whose name servers answer af-south-1 (only because af-south-1
 * is down and its Inverted check reads healthy) was taken as held and marked done: traffic sits on a region
 * that is down and returns to eu-west-1 the moment af-south-1 recovers.
 */
import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import { readSwitch } from '../../src/workflows/failover-switch';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
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

describe('failback: af-south-1’s endpoint check Inverted', () => {
  it('the switch On, af-south-1 down but its Inverted check reported healthy: not held, not done', () => {
    const v = failoverVerdict({
      direction: 'failback',
      set: switchSet(),
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health: {
        [HC_CALC]: view(HC_CALC, true),
        // af-south-1's checkers see it fail; Inverted, Route 53 reports it healthy.
        [HC_AF]: view(HC_AF, false, { inverted: true }),
        [HC_SWITCH]: view(HC_SWITCH, true),
        [HC_EU]: view(HC_EU, true),
      },
      dns: dns(AF_ADDRESSES),
      liveRecords: {
        [ZONE]: SWITCH_RECORDS.map((r) => ({
          Name: `${r.name}.`,
          Type: r.type,
          SetIdentifier: r.setIdentifier,
          Failover: r.failover,
        })),
      },
      write: { succeeded: [S3_SWITCH.id], failed: [] },
    });
    expect(v.switchPosition).toBe('on');
    expect(v.dns?.region).toBe('af-south-1');
    // Once af-south-1 passes, its Inverted check fails the calculated check: traffic returns to eu-west-1.
    expect(v.routeDone).toBe(false);
  });
});
