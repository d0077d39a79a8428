/**
 * Found in a review (helper-173): the DR data plane's correctness: warm-up against capacity raised by
 * hand, the DNS verdict when the name servers answer differently, a calculated check edited by hand, and
 * health-check evidence Route 53 no longer gathers. Each test fails on the code it was written against.
 */
import { describe, expect, it } from 'vitest';
import type { AwsGateway } from '../../src/aws/gateway';
import { applyWarmup } from '../../src/aws/warmup';
import type { WarmupTarget } from '../../src/runbooks/model/model';
import { type DnsReading, dnsVerdict } from '../../src/workflows/dns-answer';
import { summarizeHealthCheck } from '../../src/workflows/failover-state';
import { readSwitch, unreadableSwitch } from '../../src/workflows/failover-switch';
import { failoverVerdict } from '../../src/workflows/failover-verdict';
import { evaluateHealth, type HealthCheckView } from '../../src/workflows/health-tree';
import { primaryFailureEvidence } from '../../src/workflows/primary-evidence';
import {
  type ProvisionedConcurrencyState,
  planWarmup,
  type WarmupRead,
  warmupVerdict,
} from '../../src/workflows/warmup';
import {
  AF_ADDRESSES,
  config,
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
  WARMUP,
} from './switch-fixtures';

const SET = switchSet();

const pc = (
  t: WarmupTarget,
  status: ProvisionedConcurrencyState['status'],
  requested: number | null,
): ProvisionedConcurrencyState => ({
  functionName: t.functionName,
  region: t.region,
  qualifier: t.qualifier,
  status,
  requested,
  allocated: status === 'READY' ? requested : 0,
  reason: null,
});
const read = (s: ProvisionedConcurrencyState): WarmupRead => ({ ok: true, state: s });
const API = WARMUP[0] as WarmupTarget;
const GENERATE = WARMUP[1] as WarmupTarget;

describe('warm-up against capacity raised by hand', () => {
  it('never lowers provisioned concurrency that is already above the failover target', () => {
    // During the incident someone raised sitecraft-prod-api to 50 in eu-west-1 by hand (the table says 20).
    const reads = [read(pc(API, 'READY', 50)), read(pc(GENERATE, 'READY', 10))];

    const writes = planWarmup(WARMUP, reads, 'warm');

    expect(writes.map((w) => `${w.action} ${w.target.functionName} ${w.concurrency}`)).toEqual([]);
  });

  it('counts a function READY above its failover concurrency as warmed up', () => {
    // The module's own rule: "READY with at least its failover concurrency allocated".
    const v = warmupVerdict(WARMUP, [read(pc(API, 'READY', 50)), read(pc(GENERATE, 'READY', 10))], 'warm');

    expect(v.done).toBe(true);
  });

  it('the Warm up click does not send PutProvisionedConcurrencyConfig 20 over a live 50', async () => {
    const live = new Map<string, ProvisionedConcurrencyState>([
      [API.functionName, pc(API, 'READY', 50)],
      [GENERATE.functionName, pc(GENERATE, 'NONE', null)],
    ]);
    const puts: string[] = [];
    const gateway = {
      async provisionedConcurrency(t: WarmupTarget) {
        return live.get(t.functionName) as ProvisionedConcurrencyState;
      },
      async setProvisionedConcurrency(t: WarmupTarget & { concurrency: number }) {
        puts.push(`${t.functionName}=${t.concurrency}`);
        live.set(t.functionName, pc(t, 'IN_PROGRESS', t.concurrency));
      },
      async removeProvisionedConcurrency() {
        throw new Error('not expected');
      },
    } as unknown as AwsGateway;

    await applyWarmup(gateway, WARMUP, 'warm');

    // generate is raised to its target; api keeps the 50 it has.
    expect(puts).toEqual(['sitecraft-prod-generate=10']);
    expect(live.get(API.functionName)?.requested).toBe(50);
  });
});

describe('DNS verdict when the authoritative servers answer differently', () => {
  it('does not say an answer that is eu-west-1’s target matches no region', () => {
    // One server answers eu-west-1's addresses, another something outside the table (a stale or foreign
    // answer). The verdict is rightly not done; but its summary quotes the first server's answer and says
    // it matches no region, which is false: it is exactly eu-west-1's target.
    const reading: DnsReading = {
      check: DNS_CHECK,
      servers: [
        { server: 'ns-1.awsdns-01.org', values: EU_ADDRESSES, error: null },
        { server: 'ns-2.awsdns-02.net', values: ['198.51.100.7'], error: null },
      ],
      candidates: [
        { region: 'af-south-1', addresses: AF_ADDRESSES },
        { region: 'eu-west-1', addresses: EU_ADDRESSES },
      ],
    };

    const v = dnsVerdict(reading);

    expect(v.region).toBeNull();
    expect(v.summary).not.toContain(`(${EU_ADDRESSES.join(', ')}) matches no region`);
    expect(v.summary).toContain('198.51.100.7');
  });
});

describe('a calculated check edited by hand', () => {
  it('reports a calculated check that no longer has the switch among its children', () => {
    // Someone removed the switch's check from the PRIMARY record's calculated check (threshold 1): turning
    // the switch off can no longer move traffic. The bot turned it, DNS stays in af-south-1, and the verdict
    // gives no reason and reports nothing changed outside the bot.
    const health: Record<string, HealthCheckView> = {
      [HC_CALC]: {
        healthCheckId: HC_CALC,
        config: config(HC_CALC, { childHealthChecks: [HC_AF], healthThreshold: 1 }),
        report: null,
      },
      [HC_AF]: view(HC_AF, true),
      [HC_SWITCH]: view(HC_SWITCH, false),
      [HC_EU]: view(HC_EU, true),
    };
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [readSwitch(S3_SWITCH, OFF)],
      health,
      dns: {
        check: DNS_CHECK,
        servers: DNS_CHECK.nameServers.map((server) => ({ server, values: AF_ADDRESSES, error: null })),
        candidates: [
          { region: 'af-south-1', addresses: AF_ADDRESSES },
          { region: 'eu-west-1', addresses: EU_ADDRESSES },
        ],
      },
      liveRecords: null,
      write: { succeeded: ['dr-s3'], failed: [] },
    });

    expect(v.routeDone).toBe(false);
    expect(v.anomalies.join('\n')).toContain(HC_SWITCH);
    expect(v.changedOutside).toBe(true);
  });

  it('a Disabled calculated check is healthy whatever its children (Route 53 stops aggregating)', () => {
    // The primary endpoint check could not be read; the calculated check's configuration could, and it is
    // Disabled: Route 53 counts it healthy and answers PRIMARY, switch or not.
    const health = evaluateHealth(
      SET,
      {
        [HC_CALC]: { healthCheckId: HC_CALC, config: config(HC_CALC, { disabled: true }), report: null },
        [HC_AF]: { healthCheckId: HC_AF, config: null, report: null },
        [HC_SWITCH]: view(HC_SWITCH, true),
      },
      [readSwitch(S3_SWITCH, ON)],
    );

    expect(health[HC_CALC]?.healthy).toBe(true);
  });
});

describe('health-check evidence Route 53 no longer gathers', () => {
  const evidence = (views: Record<string, HealthCheckView>) =>
    primaryFailureEvidence(
      SET,
      views,
      failoverVerdict({
        direction: 'failover',
        set: SET,
        records: SWITCH_RECORDS,
        switches: [readSwitch(S3_SWITCH, ON)],
        health: views,
        dns: null,
        liveRecords: null,
      }),
    );

  it('a Disabled primary endpoint check does not confirm a primary failure from its last observations', () => {
    // Disabled during yesterday's incident: Route 53 stopped checking (and counts it healthy); the failing
    // observations it still returns are the last ones it made. "Confirm primary failure" takes them as now
    // and allows Done without a reason.
    const e = evidence({
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: view(HC_AF, false, { disabled: true }),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true),
    });

    expect(e.outcome).not.toBe('unhealthy');
  });

  it('observations checked two days ago do not confirm a primary failure now', () => {
    const old = new Date(Date.now() - 2 * 24 * 3_600_000).toISOString();
    const stale = summarizeHealthCheck(
      HC_AF,
      Array.from({ length: 8 }, (_v, i) => ({
        checkerRegion: `checker-${i}`,
        ipAddress: null,
        status: 'Failure: Connection timed out.',
        checkedAt: old,
        healthy: false,
      })),
    );
    const e = evidence({
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: { healthCheckId: HC_AF, config: config(HC_AF), report: stale },
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true),
    });

    expect(e.outcome).not.toBe('unhealthy');
  });
});

describe('the standby as Route 53 counts it', () => {
  it('an Inverted eu-west-1 check that its checkers see pass is a standby Route 53 counts unhealthy', () => {
    // Inverted by hand: the checkers see eu-west-1 pass, Route 53 counts it unhealthy, so a failover cannot
    // move traffic (both unhealthy → PRIMARY). "Confirm primary failure" says eu-west-1 passes and lets the
    // step be done without a reason.
    const views: Record<string, HealthCheckView> = {
      [HC_CALC]: view(HC_CALC, true),
      [HC_AF]: view(HC_AF, false),
      [HC_SWITCH]: view(HC_SWITCH, true),
      [HC_EU]: view(HC_EU, true, { inverted: true }),
    };
    const e = primaryFailureEvidence(
      SET,
      views,
      failoverVerdict({
        direction: 'failover',
        set: SET,
        records: SWITCH_RECORDS,
        switches: [readSwitch(S3_SWITCH, ON)],
        health: views,
        dns: null,
        liveRecords: null,
      }),
    );

    expect(e.outcome).toBe('standby-unhealthy');
  });

  it('does not offer the record swap while eu-west-1’s own check fails', () => {
    // eu-west-1 down with the switch bucket in it: the write failed. Unswapped, both records are unhealthy
    // and Route 53 answers PRIMARY (af-south-1); swapped, PRIMARY is eu-west-1, the region that is down.
    const v = failoverVerdict({
      direction: 'failover',
      set: SET,
      records: SWITCH_RECORDS,
      switches: [unreadableSwitch(S3_SWITCH, 'S3 GetObject timed out')],
      health: {
        [HC_CALC]: view(HC_CALC, true),
        [HC_AF]: view(HC_AF, true),
        [HC_SWITCH]: view(HC_SWITCH, false),
        [HC_EU]: view(HC_EU, false),
      },
      dns: {
        check: DNS_CHECK,
        servers: DNS_CHECK.nameServers.map((server) => ({ server, values: AF_ADDRESSES, error: null })),
        candidates: [
          { region: 'af-south-1', addresses: AF_ADDRESSES },
          { region: 'eu-west-1', addresses: EU_ADDRESSES },
        ],
      },
      liveRecords: null,
      write: {
        succeeded: [],
        failed: [{ switchId: 'dr-s3', error: 'S3 PutObject timed out', retryable: true }],
      },
    });

    expect(v.fallback.available).toBe(false);
  });
});
