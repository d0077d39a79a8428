/**
 * Found in a review (helper-208): the held rule (0a0fe35: "a switch holds only through a check Route 53
 * evaluates") asked that *every* switch's check act (failover-verdict.ts `switchActs`). With two switches (the
 * S3 object and an ARC routing control, both children of the calculated check, every child needed), turning
 * one Off fails the calculated check, so one acting switch Off holds a failover: the S3 switch Off, its check
 * evaluated and failing, held traffic in eu-west-1, yet the failover was refused as not held because the
 * other switch (On, not turned) had its check Disabled, and likewise when that other check was detached.
 * The same rule let an Inverted switch check hold traffic: the switch Off makes its endpoint fail, Route 53
 * reports the inverted check healthy, the calculated check follows af-south-1 alone, and in primary-down the
 * failover was taken as held and done although traffic returns the moment af-south-1 passes (the runbook's
 * "not held" case, as a Disabled check). Likewise a failback: the switch On with its check Inverted reads
 * unhealthy, so af-south-1 answers only while eu-west-1 is down.
 */
import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import { readSwitch } from '../../src/workflows/failover-switch';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
import type { HealthCheckView } from '../../src/workflows/health-tree';
import {
  AF_ADDRESSES,
  ARC_SWITCH,
  DNS_CHECK,
  EU_ADDRESSES,
  HC_AF,
  HC_ARC,
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

const SET = switchSet([S3_SWITCH, ARC_SWITCH]);

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

function verdict(arc: HealthCheckView, children: string[]) {
  return failoverVerdict({
    direction: 'failover',
    set: SET,
    records: SWITCH_RECORDS,
    // The S3 switch turned Off (by this run); the ARC routing control left On.
    switches: [readSwitch(S3_SWITCH, OFF), readSwitch(ARC_SWITCH, 'On')],
    health: {
      [HC_CALC]: view(HC_CALC, false, { childHealthChecks: children, healthThreshold: 3 }),
      // af-south-1 healthy: only the switch keeps traffic away from it.
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, false),
      [HC_ARC]: arc,
      [HC_EU]: view(HC_EU, true),
    },
    dns: dns(EU_ADDRESSES),
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
}

describe('failover with two switches: one Off and acting holds traffic', () => {
  it('the other switch (On) has its check Disabled: still held by the S3 switch Off, done', () => {
    const v = verdict(view(HC_ARC, true, { disabled: true }), [HC_AF, HC_SWITCH, HC_ARC]);
    expect(v.switchPosition).toBe('off');
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(true);
  });

  it('the other switch’s check detached from the calculated check: still held by the S3 switch Off, done', () => {
    const v = verdict(view(HC_ARC, true), [HC_AF, HC_SWITCH]);
    expect(v.switchPosition).toBe('off');
    expect(v.routeDone).toBe(true);
  });

  it('control: the switch that is Off has its check Disabled: not held', () => {
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF), readSwitch(ARC_SWITCH, 'On')],
      health: {
        [HC_CALC]: view(HC_CALC, true, {
          childHealthChecks: [HC_AF, HC_SWITCH, HC_ARC],
          healthThreshold: 3,
        }),
        [HC_AF]: view(HC_AF, false),
        [HC_SWITCH]: view(HC_SWITCH, true, { disabled: true }),
        [HC_ARC]: view(HC_ARC, true),
        [HC_EU]: view(HC_EU, true),
      },
      dns: dns(EU_ADDRESSES),
      liveRecords: null,
    });
    expect(v.routeDone).toBe(false);
  });
});

describe('failover, one switch: its check Inverted', () => {
  it('primary-down, the switch Off but its check Inverted (reported healthy): not held, not done', () => {
    const v = failoverVerdict({
      direction: 'failover',
      set: switchSet(),
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF)],
      health: {
        [HC_CALC]: view(HC_CALC, false),
        // af-south-1 down: Route 53 answers eu-west-1 on its own.
        [HC_AF]: view(HC_AF, false),
        [HC_SWITCH]: view(HC_SWITCH, false, { inverted: true }),
        [HC_EU]: view(HC_EU, true),
      },
      dns: dns(EU_ADDRESSES),
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
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(false);
  });
});

describe('failback, one switch: its check Inverted', () => {
  it('eu-west-1 down, the switch On but its check Inverted (reported unhealthy): not held, not done', () => {
    const v = failoverVerdict({
      direction: 'failback',
      set: switchSet(),
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, ON)],
      health: {
        [HC_CALC]: view(HC_CALC, false),
        [HC_AF]: view(HC_AF, true),
        // The switch On: its checkers see the match pass; Inverted, Route 53 reports it unhealthy.
        [HC_SWITCH]: view(HC_SWITCH, true, { inverted: true }),
        // eu-west-1 down: both records unhealthy, Route 53 answers PRIMARY (af-south-1) until it passes.
        [HC_EU]: view(HC_EU, false),
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
    expect(v.routeDone).toBe(false);
    expect(v.reasons.join(' ')).toMatch(/Inverted/);
  });
});
