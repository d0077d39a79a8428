/**
 * Found in a review (helper-204) of the held rule (e40416c, 7df4d9d, 2f26a71): the control plane unreadable
 * refuses a failback that the evidence proves held; a switch Off that cannot act (its check Disabled, or no
 * longer a child of the calculated check) is taken as holding a failover that primary-down answers by itself.
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
  OFF,
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

describe('failback: the Route 53 control plane unreadable, eu-west-1 healthy', () => {
  it('switch On, both regions healthy, the name servers answer af-south-1: held, done', () => {
    // Swapped records make eu-west-1's record PRIMARY: with eu-west-1's own check passing they would answer
    // eu-west-1. Answering af-south-1 while it passes proves the records unswapped; only the list call
    // (us-east-1 control plane) failed. 2f26a71 requires `recordsSwapped === false`, so a real, held
    // failback is refused whenever us-east-1's control plane does not answer.
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true),
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
    expect(v.switchPosition).toBe('on');
    expect(v.dns?.region).toBe('af-south-1');
    expect(v.routeDone).toBe(true);
  });

  it('whatever the verdict, it never tells the person the switch is ON, not ON', () => {
    // Not done, the reason reads: "Route 53 answers af-south-1 on its own (the other region fails its health
    // check), but the switch is ON, not ON: nothing holds traffic there" (eu-west-1 passes its check).
    const v = failoverVerdict({
      direction: 'failback',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health: {
        [HC_CALC]: view(HC_CALC, true),
        [HC_AF]: view(HC_AF, true),
        [HC_SWITCH]: view(HC_SWITCH, true),
        [HC_EU]: view(HC_EU, true),
      },
      dns: dns(AF_ADDRESSES),
      liveRecords: null,
    });
    expect(v.reasons.join(' ')).not.toMatch(/the switch is ON, not ON/);
  });
});

describe('failover: the switch Off but unable to act, af-south-1 down (answers eu-west-1 by itself)', () => {
  const base = (switchView: HealthCheckView, calc: HealthCheckView) =>
    failoverVerdict({
      direction: 'failover',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF)],
      health: {
        [HC_CALC]: calc,
        [HC_AF]: view(HC_AF, false),
        [HC_SWITCH]: switchView,
        [HC_EU]: view(HC_EU, true),
      },
      dns: dns(EU_ADDRESSES),
      liveRecords: {
        [ZONE]: SWITCH_RECORDS.map((r) => ({
          Name: `${r.name}.`,
          Type: 'A',
          SetIdentifier: r.setIdentifier,
          Failover: r.failover,
          HealthCheckId: r.healthCheckId ?? '',
          AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: `${r.value}.`, EvaluateTargetHealth: false },
        })),
      },
    });

  it("the switch's check Disabled (counts healthy): not held, not done", () => {
    // Route 53 counts a disabled check healthy: the switch Off fails nothing, the calculated check fails only
    // because af-south-1 does, and traffic returns the moment af-south-1 passes. held = (position Off).
    const v = base(view(HC_SWITCH, false, { disabled: true }), view(HC_CALC, false));
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(false);
  });

  it("the switch's check no longer a child of the calculated check: not held, not done", () => {
    // The verdict itself says "turning the switch cannot move traffic" (anomaly), yet marks the route done.
    const v = base(
      view(HC_SWITCH, false),
      view(HC_CALC, false, { childHealthChecks: [HC_AF], healthThreshold: 1 }),
    );
    expect(v.anomalies.some((a) => /cannot move traffic/.test(a))).toBe(true);
    expect(v.routeDone).toBe(false);
  });
});
