import { describe, expect, it } from 'vitest';
import { dnsVerdict } from '../../src/workflows/dns-answer';
import { planSwitch, readSwitch, setPosition, unreadableSwitch } from '../../src/workflows/failover-switch';
import { evaluateHealth, predictedRole } from '../../src/workflows/health-tree';
import { planWarmup, type WarmupRead, warmupVerdict } from '../../src/workflows/warmup';
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
  switchSet,
  view,
  WARMUP,
} from './switch-fixtures';

describe('readSwitch', () => {
  it('reads an s3-object switch as Route 53’s check does: on while the body holds the search string', () => {
    expect(readSwitch(S3_SWITCH, ON)).toMatchObject({ position: 'on', declared: true });
    expect(readSwitch(S3_SWITCH, `${OFF}\n`)).toMatchObject({ position: 'off', declared: true });
    // Written by hand: neither declared body, but the health check still passes on it.
    expect(readSwitch(S3_SWITCH, '{"primary":"on","note":"manual"}')).toMatchObject({
      position: 'on',
      declared: false,
    });
    // Past the 5,120 bytes Route 53 reads, the string does not count.
    expect(readSwitch(S3_SWITCH, `${' '.repeat(5120)}${ON}`).position).toBe('off');
  });

  it('reads a routing control by its state', () => {
    expect(readSwitch(ARC_SWITCH, 'On')).toMatchObject({ position: 'on', declared: true });
    expect(readSwitch(ARC_SWITCH, 'Off')).toMatchObject({ position: 'off', declared: true });
  });
});

describe('planSwitch', () => {
  const set = switchSet([S3_SWITCH, ARC_SWITCH]);

  it('failover: the Off writes in the runbook’s order, the first that succeeds is enough', () => {
    const plan = planSwitch(set, [readSwitch(S3_SWITCH, ON), readSwitch(ARC_SWITCH, 'On')], 'failover');

    expect(plan).toMatchObject({ mode: 'first-success', alreadySet: [] });
    expect(plan.writes).toEqual([
      { switchId: 'dr-s3', kind: 's3-object', to: 'off', value: OFF },
      { switchId: 'dr-arc', kind: 'arc-routing-control', to: 'off', value: 'Off' },
    ]);
  });

  it('failback: every switch not known to be on is turned on, unreadable ones included', () => {
    const plan = planSwitch(
      set,
      [readSwitch(S3_SWITCH, OFF), unreadableSwitch(ARC_SWITCH, 'timeout')],
      'failback',
    );

    expect(plan.mode).toBe('all');
    expect(plan.writes.map((w) => `${w.switchId}:${w.value}`)).toEqual([`dr-s3:${ON}`, 'dr-arc:On']);
  });

  it('names a body written by hand', () => {
    const plan = planSwitch(
      set,
      [readSwitch(S3_SWITCH, 'maintenance'), readSwitch(ARC_SWITCH, 'On')],
      'failback',
    );

    expect(plan.notes.join(' ')).toContain('Switch dr-s3 holds neither declared body (maintenance)');
  });

  it('one switch off is enough to hold traffic away from the primary', () => {
    expect(setPosition([readSwitch(S3_SWITCH, ON), readSwitch(ARC_SWITCH, 'Off')])).toBe('off');
    expect(setPosition([readSwitch(S3_SWITCH, ON), unreadableSwitch(ARC_SWITCH, 'x')])).toBe('unknown');
  });
});

describe('evaluateHealth', () => {
  const set = switchSet([S3_SWITCH, ARC_SWITCH]);

  it('derives the calculated check from its children, a routing control from its state', () => {
    const h = evaluateHealth(
      set,
      {
        [HC_CALC]: view(HC_CALC, true, { childHealthChecks: [HC_AF, HC_SWITCH, HC_ARC], healthThreshold: 3 }),
        [HC_AF]: view(HC_AF, true),
        [HC_SWITCH]: view(HC_SWITCH, true),
        [HC_ARC]: view(HC_ARC, true),
        [HC_EU]: view(HC_EU, true),
      },
      [readSwitch(S3_SWITCH, ON), readSwitch(ARC_SWITCH, 'Off')],
    );

    expect(h[HC_ARC]).toMatchObject({ healthy: false, basis: 'predicted' });
    expect(h[HC_CALC]).toMatchObject({
      healthy: false,
      basis: 'derived',
      note: '2 of 3 children healthy, 3 needed',
    });
  });

  it('applies Disabled (healthy) and Inverted (the opposite), as Route 53 does', () => {
    const h = evaluateHealth(
      switchSet(),
      {
        [HC_CALC]: view(HC_CALC, true),
        [HC_AF]: view(HC_AF, false, { disabled: true }),
        [HC_SWITCH]: view(HC_SWITCH, false, { inverted: true }),
        [HC_EU]: view(HC_EU, true),
      },
      [],
    );

    expect(h[HC_AF]).toMatchObject({ healthy: true, disabled: true });
    expect(h[HC_SWITCH]).toMatchObject({ healthy: true, inverted: true });
    expect(h[HC_CALC]?.healthy).toBe(true);
  });

  it('cannot tell when a needed child is unknown', () => {
    const h = evaluateHealth(switchSet(), { [HC_AF]: view(HC_AF, true) }, [unreadableSwitch(S3_SWITCH, 'x')]);

    expect(h[HC_SWITCH]?.healthy).toBeNull();
    expect(h[HC_CALC]).toMatchObject({ healthy: null, basis: 'unknown' });
  });

  it('predicts Route 53’s failover answer', () => {
    expect(predictedRole(true, false)).toBe('PRIMARY');
    expect(predictedRole(false, true)).toBe('SECONDARY');
    expect(predictedRole(false, false)).toBe('PRIMARY');
    expect(predictedRole(false, null)).toBeNull();
  });
});

describe('dnsVerdict', () => {
  const candidates = [
    { region: 'af-south-1', addresses: AF_ADDRESSES },
    { region: 'eu-west-1', addresses: EU_ADDRESSES },
  ];

  it('maps an alias answer to the region whose target shares an address', () => {
    const v = dnsVerdict({
      check: DNS_CHECK,
      servers: [
        { server: 'ns-1', values: [EU_ADDRESSES[1]!], error: null },
        { server: 'ns-2', values: null, error: 'ETIMEOUT' },
      ],
      candidates,
    });

    expect(v).toMatchObject({ region: 'eu-west-1', mixed: false });
    expect(v.summary).toBe(
      "1 of 2 authoritative name servers answer eu-west-1's target for api.sitecraft.example.",
    );
  });

  it('answers nothing when no server answered or the answer matches no region', () => {
    const none = dnsVerdict({
      check: DNS_CHECK,
      servers: [{ server: 'ns-1', values: null, error: 'ETIMEOUT' }],
      candidates,
    });
    const stranger = dnsVerdict({
      check: DNS_CHECK,
      servers: [{ server: 'ns-1', values: ['192.0.2.1'], error: null }],
      candidates,
    });

    expect(none).toMatchObject({
      region: null,
      summary: expect.stringContaining('No authoritative name server answered'),
    });
    expect(stranger).toMatchObject({ region: null, summary: expect.stringContaining('matches no region') });
  });

  it('matches CNAME and TXT answers by value', () => {
    const txt = {
      ...DNS_CHECK,
      type: 'TXT',
      answers: [
        { region: 'af-south-1', match: 'af' },
        { region: 'eu-west-1', match: 'eu' },
      ],
    };

    expect(
      dnsVerdict({ check: txt, servers: [{ server: 'ns-1', values: ['"eu"'], error: null }], candidates: [] })
        .region,
    ).toBe('eu-west-1');
  });
});

describe('warm-up', () => {
  const ready = (requested: number, allocated = requested): WarmupRead => ({
    ok: true,
    state: {
      functionName: 'f',
      region: 'eu-west-1',
      qualifier: 'live',
      status: 'READY',
      requested,
      allocated,
      reason: null,
    },
  });
  const none: WarmupRead = {
    ok: true,
    state: {
      functionName: 'f',
      region: 'eu-west-1',
      qualifier: 'live',
      status: 'NONE',
      requested: null,
      allocated: null,
      reason: null,
    },
  };

  it('plans puts for every function below its failover concurrency', () => {
    expect(
      planWarmup(WARMUP, [ready(2), none], 'warm').map(
        (w) => `${w.action} ${w.target.functionName} ${w.concurrency}`,
      ),
    ).toEqual(['put sitecraft-prod-api 20', 'put sitecraft-prod-generate 10']);
  });

  it('is done only when every function is READY at its target; unreadable is never a pass', () => {
    expect(warmupVerdict(WARMUP, [ready(20), ready(10)], 'warm')).toMatchObject({
      done: true,
      summary: 'All 2 functions at their failover concurrency.',
    });
    expect(warmupVerdict(WARMUP, [ready(20), ready(10, 4)], 'warm').done).toBe(false);
    expect(
      warmupVerdict(WARMUP, [ready(20), { ok: false, error: 'Lambda timed out' }], 'warm'),
    ).toMatchObject({
      done: false,
      lines: [
        expect.anything(),
        { ok: false, text: expect.stringContaining('could not be read (Lambda timed out)') },
      ],
    });
  });

  it('reports a FAILED function as one waiting will not fix', () => {
    const failed: WarmupRead = {
      ok: true,
      state: {
        functionName: 'f',
        region: 'eu-west-1',
        qualifier: 'live',
        status: 'FAILED',
        requested: 20,
        allocated: 0,
        reason: 'Insufficient concurrency',
      },
    };
    expect(warmupVerdict(WARMUP, [failed, ready(10)], 'warm')).toMatchObject({
      done: false,
      failed: true,
      summary: expect.stringContaining('waiting will not help'),
    });
  });

  it('returns to standby: api back to 2, generate without provisioned concurrency', () => {
    expect(
      planWarmup(WARMUP, [ready(20), ready(10)], 'release').map((w) => `${w.action} ${w.concurrency}`),
    ).toEqual(['put 2', 'delete null']);
    expect(warmupVerdict(WARMUP, [ready(2), none], 'release').done).toBe(true);
  });
});
