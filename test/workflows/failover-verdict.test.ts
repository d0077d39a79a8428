import { describe, expect, it } from 'vitest';
import type { DnsReading } from '../../src/workflows/dns-answer';
import type { RecordSetShape } from '../../src/workflows/failover-plan';
import { planSwitch, readSwitch, unreadableSwitch } from '../../src/workflows/failover-switch';
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

const SET = switchSet();

function dns(answer: string[] | null, second: string[] | null = answer): DnsReading {
  return {
    check: DNS_CHECK,
    servers: [
      { server: 'ns-1.awsdns-01.org', values: answer, error: answer ? null : 'ETIMEOUT' },
      { server: 'ns-2.awsdns-02.net', values: second, error: second ? null : 'ETIMEOUT' },
    ],
    candidates: [
      { region: 'af-south-1', addresses: AF_ADDRESSES },
      { region: 'eu-west-1', addresses: EU_ADDRESSES },
    ],
  };
}

function live(swapped = false): RecordSetShape[] {
  return SWITCH_RECORDS.map((r) => ({
    Name: `${r.name}.`,
    Type: 'A',
    SetIdentifier: r.setIdentifier,
    Failover: swapped ? (r.failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY') : r.failover,
    HealthCheckId: r.healthCheckId ?? '',
    AliasTarget: { HostedZoneId: 'ZALIAS', DNSName: `${r.value}.`, EvaluateTargetHealth: false },
  }));
}

/** af-south-1 healthy, eu-west-1 healthy, the switch on or off as given, checks as Route 53 sees them. */
function health(
  opts: { af?: boolean; eu?: boolean; switchCheck?: boolean } = {},
): Record<string, HealthCheckView> {
  return {
    [HC_CALC]: view(HC_CALC, true),
    [HC_AF]: view(HC_AF, opts.af ?? true),
    [HC_SWITCH]: view(HC_SWITCH, opts.switchCheck ?? true),
    [HC_EU]: view(HC_EU, opts.eu ?? true),
  };
}

function evidence(over: Partial<FailoverEvidence>): FailoverEvidence {
  return {
    direction: 'failover',
    set: SET,
    records: SWITCH_RECORDS,
    switches: [readSwitch(S3_SWITCH, ON)],
    health: health(),
    dns: dns(AF_ADDRESSES),
    liveRecords: { [ZONE]: live() },
    ...over,
  };
}

describe('failoverVerdict: failover', () => {
  it('before the switch turns: traffic in af-south-1, not done, says to turn the switch', () => {
    const v = failoverVerdict(evidence({}));

    expect(v).toMatchObject({
      routeDone: false,
      targetRegion: 'eu-west-1',
      switchPosition: 'on',
      predictedRegion: 'af-south-1',
    });
    expect(v.reasons.join(' ')).toContain('The switch is On: turn it off to move traffic to eu-west-1.');
    expect(v.anomalies).toEqual([]);
    expect(v.fallback.available).toBe(false);
  });

  it('switch just turned off: still answered by af-south-1 while the switch check catches up', () => {
    const v = failoverVerdict(
      evidence({ switches: [readSwitch(S3_SWITCH, OFF)], write: { succeeded: ['dr-s3'], failed: [] } }),
    );

    expect(v.routeDone).toBe(false);
    expect(v.reasons.join(' ')).toContain('its health check still passes: Route 53 needs about 30–40 s');
    expect(v.changedOutside).toBe(false);
  });

  it('done once the authoritative servers answer eu-west-1’s target', () => {
    const v = failoverVerdict(
      evidence({
        switches: [readSwitch(S3_SWITCH, OFF)],
        health: health({ switchCheck: false }),
        dns: dns(EU_ADDRESSES),
        write: { succeeded: ['dr-s3'], failed: [] },
      }),
    );

    expect(v).toMatchObject({ routeDone: true, predictedRegion: 'eu-west-1', anomalies: [] });
    expect(v.health[HC_CALC]).toMatchObject({ healthy: false, basis: 'derived' });
    expect(v.reasons[0]).toBe(
      "Done: 2 of 2 authoritative name servers answer eu-west-1's target for api.sitecraft.example.",
    );
  });

  it('region down and Route 53’s control plane down: decided from the switch and DNS alone', () => {
    const unreadable: Record<string, HealthCheckView> = {};
    const v = failoverVerdict(
      evidence({
        switches: [readSwitch(S3_SWITCH, OFF)],
        health: unreadable,
        liveRecords: null,
        dns: dns(EU_ADDRESSES),
        write: { succeeded: ['dr-s3'], failed: [] },
      }),
    );

    expect(v.routeDone).toBe(true);
    expect(v.health[HC_SWITCH]).toMatchObject({ healthy: false, basis: 'predicted' });
    expect(v.health[HC_CALC]).toMatchObject({ healthy: false, basis: 'derived' });
    expect(v.recordsSwapped).toBeNull();
  });

  it('a switch already off before this run is reported as changed outside the bot', () => {
    const readings = [readSwitch(S3_SWITCH, OFF)];
    const plan = planSwitch(SET, readings, 'failover');
    const v = failoverVerdict(
      evidence({ switches: readings, health: health({ switchCheck: false }), dns: dns(EU_ADDRESSES) }),
    );

    expect(plan).toMatchObject({ writes: [], alreadySet: ['dr-s3'] });
    expect(plan.notes.join(' ')).toContain('already Off');
    expect(v.changedOutside).toBe(true);
    expect(v.anomalies.join(' ')).toContain('already OFF before this run');
  });

  it('the SECONDARY check failing keeps PRIMARY answering whatever the switch says, and says so', () => {
    const v = failoverVerdict(
      evidence({
        switches: [readSwitch(S3_SWITCH, OFF)],
        health: health({ switchCheck: false, eu: false }),
        write: { succeeded: ['dr-s3'], failed: [] },
      }),
    );

    expect(v.routeDone).toBe(false);
    expect(v.predictedRegion).toBe('af-south-1');
    expect(v.reasons.join(' ')).toContain('Route 53 answers PRIMARY (af-south-1) whatever the switch says');
  });

  it('offers the record-swap fallback only when no switch could be written', () => {
    const failed = failoverVerdict(
      evidence({
        switches: [unreadableSwitch(S3_SWITCH, 'S3 GetObject timed out')],
        write: { succeeded: [], failed: [{ switchId: 'dr-s3', error: 'S3 PutObject timed out' }] },
      }),
    );
    const worked = failoverVerdict(
      evidence({ switches: [readSwitch(S3_SWITCH, OFF)], write: { succeeded: ['dr-s3'], failed: [] } }),
    );

    expect(failed.fallback).toMatchObject({ available: true });
    expect(failed.fallback.reason).toContain('dr-s3: S3 PutObject timed out');
    expect(failed.fallback.reason).toContain('control-plane');
    expect(worked.fallback.available).toBe(false);
  });

  it('S3 down in eu-west-1: traffic moved by itself, not held, so the fallback is still offered', () => {
    // The checkers cannot read the switch object either: its check fails, the calculated check follows.
    const v = failoverVerdict(
      evidence({
        switches: [unreadableSwitch(S3_SWITCH, 'S3 GetObject timed out')],
        health: health({ switchCheck: false }),
        dns: dns(EU_ADDRESSES),
        write: {
          succeeded: [],
          failed: [{ switchId: 'dr-s3', error: 'S3 PutObject timed out', retryable: true }],
        },
      }),
    );

    // Answered but not held (helper-199's review): not done, the fallback offered.
    expect(v.dns?.region).toBe('eu-west-1');
    expect(v.routeDone).toBe(false);
    expect(v.fallback.available).toBe(true);
    expect(v.fallback.reason).toContain('it is not held');
    expect(v.fallback.reason).toContain('returns to af-south-1');
  });

  it('servers that disagree are not done', () => {
    const v = failoverVerdict(
      evidence({ switches: [readSwitch(S3_SWITCH, OFF)], dns: dns(EU_ADDRESSES, AF_ADDRESSES) }),
    );

    expect(v.routeDone).toBe(false);
    expect(v.dns?.mixed).toBe(true);
    expect(v.reasons[0]).toContain('The name servers disagree');
  });
});

describe('failoverVerdict: failback after a failover made by hand', () => {
  const back = (over: Partial<FailoverEvidence>) =>
    failoverVerdict(evidence({ direction: 'failback', ...over }));

  it('records swapped by the old fallback: the switch is on, DNS still eu-west-1, swap back offered', () => {
    const v = back({ liveRecords: { [ZONE]: live(true) }, dns: dns(EU_ADDRESSES) });

    expect(v).toMatchObject({
      routeDone: false,
      recordsSwapped: true,
      changedOutside: true,
      predictedRegion: 'eu-west-1',
    });
    expect(v.anomalies.join(' ')).toContain('The records are swapped');
    expect(v.reasons.join(' ')).toContain('swap them back');
    expect(v.fallback.available).toBe(true);
  });

  it('a health check inverted by hand is named, with what it does', () => {
    const inverted = { ...health(), [HC_AF]: view(HC_AF, true, { inverted: true }) };
    const v = back({ health: inverted, dns: dns(EU_ADDRESSES) });

    expect(v.routeDone).toBe(false);
    expect(v.health[HC_AF]).toMatchObject({ healthy: false, inverted: true });
    expect(v.anomalies.join(' ')).toContain(`Health check ${HC_AF} (af-south-1 endpoint) is Inverted`);
    expect(v.changedOutside).toBe(true);
  });

  it('a switch already on: nothing to write, not silent: it says who is answering and that it was turned outside', () => {
    const readings = [readSwitch(S3_SWITCH, ON)];
    const plan = planSwitch(SET, readings, 'failback');
    const v = back({ switches: readings, dns: dns(AF_ADDRESSES) });

    expect(plan.writes).toEqual([]);
    expect(plan.notes.join(' ')).toContain('already On');
    expect(v).toMatchObject({ routeDone: true, changedOutside: true });
    expect(v.anomalies.join(' ')).toContain('already ON before this run');
  });

  it('the switch off: failback turns it on, and is done when DNS answers af-south-1', () => {
    const before = back({
      switches: [readSwitch(S3_SWITCH, OFF)],
      health: health({ switchCheck: false }),
      dns: dns(EU_ADDRESSES),
    });
    const after = back({ write: { succeeded: ['dr-s3'], failed: [] }, dns: dns(AF_ADDRESSES) });

    expect(before.routeDone).toBe(false);
    expect(before.reasons.join(' ')).toContain('The switch is Off: turn it on');
    expect(after).toMatchObject({ routeDone: true, anomalies: [], changedOutside: false });
  });
});
