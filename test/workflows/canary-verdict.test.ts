/**
 * The canary verdict applies exactly the runbook's abort table (issue 18 item 4a): each row by its own rule,
 * per function, with its minimum sample; "no data" or a sample below the minimum is never a pass; a signal
 * the bot cannot measure is "check by hand", never a pass. The rows come from the real PROMOTION.md here, so
 * these tests read the thresholds the runbook states; test/aws/canary-runbook.test.ts edits them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { abortOf } from '../../src/runbooks/compile/canary';
import type { CanaryCriteria, CanarySource } from '../../src/runbooks/model/model';
import { canaryVerdict, type RowMeasurement } from '../../src/workflows/canary-verdict';
import { loadTestArtifact } from '../helpers/artifact';

let criteria: CanaryCriteria;
beforeAll(async () => {
  criteria = (await loadTestArtifact()).canary!['prod-canary']!;
});

const v = { canary: '42', previous: '41' };
const rate = (cBad: number, cTotal: number, pBad: number, pTotal: number): RowMeasurement => ({
  kind: 'versions',
  versions: v,
  canary: { sample: cTotal, bad: cBad },
  previous: { sample: pTotal, bad: pBad },
});
const duration = (c: number | null, p: number | null, samples = 1000): RowMeasurement => ({
  kind: 'versions',
  versions: v,
  canary: { sample: samples, valueMs: c },
  previous: { sample: samples * 9, valueMs: p },
});

/** A healthy measurement for every row of the table, so one row at a time can be changed. */
const HEALTHY: Record<CanarySource['kind'], () => RowMeasurement> = {
  'logs-status-class': () => rate(1, 1000, 9, 9000),
  'logs-outcome': () => rate(1, 1000, 9, 9000),
  'lambda-errors': () => rate(0, 1000, 1, 9000),
  'lambda-duration': () => duration(400, 400),
  'logs-count': () => ({ kind: 'count', count: 0 }),
  alarms: () => ({ kind: 'count', count: 0 }),
  unmeasured: () => ({ kind: 'unmeasured' }),
};
const healthy = (): RowMeasurement[] => criteria.rows.map((row) => HEALTHY[row.source.kind]());

const rowIndex = (signal: string, fn: string) =>
  criteria.rows.findIndex((r) => r.signal.startsWith(signal) && r.function === fn);

function judge(changes: Record<number, RowMeasurement>, elapsed = 30) {
  const m = healthy();
  for (const [i, x] of Object.entries(changes)) m[Number(i)] = x;
  return canaryVerdict(criteria, m, elapsed);
}

describe('the runbook’s table', () => {
  it('is the one PROMOTION.md shows: nine signals, per function, each with a rule the bot reads', () => {
    expect(criteria.rows.map((r) => `${r.function}: ${r.signal}`)).toEqual([
      'api: 5xx responses, handled and unhandled',
      'api: Duration p95',
      'generate: Stream errors (event: error)',
      'generate: Duration p95',
      'publish: Function errors',
      'pretoken: Function errors',
      'pretoken: Duration p95',
      'pretoken: Tokens without a tenant claim',
      'all: Alarms',
    ]);
    expect(criteria.rows.every((r) => r.abort !== null && r.source.kind !== 'unmeasured')).toBe(true);
  });

  it('passes when every row is measured, at or above its minimum, and none is met', () => {
    expect(judge({}).verdict).toBe('pass');
  });
});

describe('5xx rate above 1.0% or more than 0.5 points above the previous version', () => {
  const api = () => rowIndex('5xx responses', 'api');

  it('aborts when either holds (issue 18: 3.0% on a 2.5% baseline aborts)', () => {
    expect(judge({ [api()]: rate(30, 1000, 225, 9000) }).verdict).toBe('fail'); // 3.0%: above 1.0%
    expect(judge({ [api()]: rate(9, 1000, 0, 9000) }).verdict).toBe('fail'); // 0.9% vs 0%: +0.9 points
    expect(judge({ [api()]: rate(9, 1000, 45, 9000) }).verdict).toBe('pass'); // 0.9% vs 0.5%: +0.4, under 1%
    expect(judge({ [api()]: rate(10, 1000, 45, 9000) }).verdict).toBe('pass'); // 1.0% vs 0.5%: +0.5, not more
    const row = judge({ [api()]: rate(30, 1000, 216, 9000) }).rows[api()]!;
    expect(row).toMatchObject({ outcome: 'abort' });
    expect(row.detail).toBe(
      'v42 vs v41: canary 3.00% vs previous 2.40%, +0.60 points (limit 1.00% or 0.5 points above the previous version)',
    );
    expect(judge({ [api()]: rate(9, 1000, 0, 9000) }).rows[api()]!.detail).toBe(
      'v42 vs v41: canary 0.90% vs previous 0.00%, +0.90 points (limit 1.00% or 0.5 points above the previous version)',
    );
  });

  it('with "and", aborts only when both hold', () => {
    const rule = abortOf('5xx rate above 1.0% and more than 0.5 points above the previous version')!;
    const and = { ...criteria, rows: criteria.rows.map((r, i) => (i === api() ? { ...r, abort: rule } : r)) };
    const m = (x: RowMeasurement) => healthy().map((h, i) => (i === api() ? x : h));
    expect(canaryVerdict(and, m(rate(30, 1000, 216, 9000)), 30).verdict).toBe('fail'); // 3.0% vs 2.4%: +0.6
    expect(canaryVerdict(and, m(rate(30, 1000, 225, 9000)), 30).verdict).toBe('pass'); // +0.5, not more
    expect(canaryVerdict(and, m(rate(9, 1000, 0, 9000)), 30).verdict).toBe('pass'); // 0.9%: not above 1.0%
  });

  it('is never a pass below its minimum sample (300 requests), nor without the previous version to compare', () => {
    const few = judge({ [api()]: rate(0, 299, 9, 9000) });
    expect(few.verdict).toBe('insufficient-data');
    expect(few.rows[api()]!.detail).toContain('below the minimum of 300');
    expect(judge({ [api()]: rate(0, 300, 9, 9000) }).verdict).toBe('pass');
    expect(judge({ [api()]: rate(0, 1000, 0, 0) }).verdict).toBe('insufficient-data');
    expect(judge({ [api()]: { kind: 'unavailable', why: 'Logs Insights query Failed' } }).verdict).toBe(
      'insufficient-data',
    );
  });
});

describe('Duration p95: more than 20% above the previous version, from minute 10', () => {
  const p95 = () => rowIndex('Duration p95', 'api');

  it('is not judged before minute 10, then aborts above 120% of the previous version', () => {
    expect(judge({}, 9).verdict).toBe('insufficient-data');
    expect(judge({}, 9).rows[p95()]).toMatchObject({ outcome: 'waiting' });
    expect(judge({ [p95()]: duration(481, 400) }).verdict).toBe('fail');
    expect(judge({ [p95()]: duration(480, 400) }).verdict).toBe('pass');
    expect(judge({ [p95()]: duration(null, 400) }).verdict).toBe('insufficient-data');
  });
});

describe('per function, with each row’s own rule', () => {
  it('pretoken: any error aborts; p95 above 1,000 ms aborts; 100 invocations at least', () => {
    const errors = rowIndex('Function errors', 'pretoken');
    const p95 = rowIndex('Duration p95', 'pretoken');
    expect(judge({ [errors]: rate(1, 1000, 0, 9000) }).verdict).toBe('fail');
    expect(judge({ [p95]: duration(1001, 100) }).verdict).toBe('fail');
    expect(judge({ [p95]: duration(1000, 100) }).verdict).toBe('pass');
    expect(judge({ [p95]: duration(300, 100, 99) }).verdict).toBe('insufficient-data');
  });

  it('publish: error rate above 1.0%, without comparing', () => {
    const publish = rowIndex('Function errors', 'publish');
    expect(judge({ [publish]: rate(1, 50, 0, 900) }).verdict).toBe('fail'); // 2%
    expect(judge({ [publish]: rate(1, 100, 50, 900) }).verdict).toBe('pass'); // 1%: not above
  });

  it('any tenant-claim-missing token or any alarm aborts; none seen passes', () => {
    const tenant = rowIndex('Tokens without a tenant claim', 'pretoken');
    const alarms = rowIndex('Alarms', 'all');
    expect(judge({ [tenant]: { kind: 'count', count: 1 } }).verdict).toBe('fail');
    const alarm = judge({ [alarms]: { kind: 'count', count: 1, items: ['sitecraft-prod-api-5xx'] } });
    expect(alarm.verdict).toBe('fail');
    expect(alarm.rows[alarms]!.detail).toBe('1 seen: sitecraft-prod-api-5xx');
  });
});

describe('a signal the bot cannot measure', () => {
  it('is "not measured by the bot — check by hand", never a pass', () => {
    const byHand: CanaryCriteria = {
      ...criteria,
      rows: [
        ...criteria.rows,
        {
          ...criteria.rows[0]!,
          signal: 'Support tickets',
          sourceText: 'the support inbox',
          source: { kind: 'unmeasured' },
          abort: null,
          abortText: 'a new ticket pattern',
        },
      ],
    };
    const verdict = canaryVerdict(byHand, [...healthy(), { kind: 'unmeasured' }], 30);
    expect(verdict.verdict).toBe('by-hand');
    expect(verdict.rows.at(-1)).toMatchObject({
      outcome: 'by-hand',
      detail: 'not measured by the bot — check by hand (the support inbox)',
    });
  });
});

describe('the abort grammar', () => {
  it.each([
    [
      '5xx rate above 1.0% or more than 0.5 points above the previous version',
      { kind: 'rate', above: 0.01, pointsAbovePrevious: 0.5, join: 'or' },
    ],
    [
      '5xx rate above 1.0% and more than 0.5 points above the previous version',
      { kind: 'rate', above: 0.01, pointsAbovePrevious: 0.5, join: 'and' },
    ],
    [
      'error rate above 2.0% or more than 1 point above the previous version',
      { kind: 'rate', above: 0.02, pointsAbovePrevious: 1, join: 'or' },
    ],
    ['error rate above 1.0%', { kind: 'rate', above: 0.01, pointsAbovePrevious: null, join: 'or' }],
    [
      'more than 20% above the previous version, from minute 10',
      { kind: 'ratio', percent: 20, fromMinute: 10 },
    ],
    ['above 1,000 ms (Cognito allows a trigger 5 s)', { kind: 'above-ms', ms: 1000 }],
    ['any error (each is a failed sign-in or refresh)', { kind: 'any' }],
    ['any alarm in ALARM', { kind: 'any' }],
  ])('reads "%s"', (text, rule) => {
    expect(abortOf(text)).toEqual(rule);
  });

  it('reads nothing it does not know (the build then fails)', () => {
    expect(abortOf('5xx rate noticeably higher')).toBeNull();
    expect(abortOf('above 1% or more than 0.5 points above')).toBeNull(); // no "rate"
    expect(abortOf('5xx rate above 1% but more than 0.5 points above the previous version')).toBeNull();
  });
});
