import { describe, expect, it } from 'vitest';
import { canaryVerdict, summarizeTraffic } from '../../src/workflows/canary-verdict';

const baseline = { errors: [5, 5, 4], requests: [3000, 3000, 4000], p99LatencyMs: [800, 820, 810] };

describe('canaryVerdict', () => {
  it('passes a canary within the error and latency limits, and reports the numbers', () => {
    const verdict = canaryVerdict(
      { errors: [1, 0, 1], requests: [300, 300, 400], p99LatencyMs: [850, 900, 880] },
      baseline,
    );

    expect(verdict.verdict).toBe('pass');
    expect(verdict.canary).toEqual({ requests: 1000, errors: 2, errorRate: 0.002, p99LatencyMs: 900 });
    expect(verdict.checks.map((c) => c.detail)).toEqual([
      'canary served 1000 requests (need at least 50)',
      'canary 5xx 0.20% vs baseline 0.14% (limit 1.14%)',
      'canary p99 900 ms vs baseline 820 ms (limit 1034 ms)',
    ]);
  });

  it('fails on an error rate more than one point above the baseline', () => {
    const verdict = canaryVerdict({ errors: [30], requests: [1000], p99LatencyMs: [800] }, baseline);

    expect(verdict.verdict).toBe('fail');
    expect(verdict.checks.find((c) => c.name === 'error-rate')?.pass).toBe(false);
  });

  it('fails on a p99 latency above 1.2x the baseline plus 50 ms', () => {
    const verdict = canaryVerdict({ errors: [0], requests: [1000], p99LatencyMs: [1100] }, baseline);

    expect(verdict.verdict).toBe('fail');
    expect(verdict.checks.find((c) => c.name === 'latency-p99')?.pass).toBe(false);
  });

  it('never passes above the absolute error cap, even next to a bad baseline', () => {
    const badBaseline = { errors: [100], requests: [1000], p99LatencyMs: [800] };
    expect(canaryVerdict({ errors: [55], requests: [1000], p99LatencyMs: [800] }, badBaseline).verdict).toBe(
      'fail',
    );
  });

  it('says insufficient data when the canary saw too little traffic', () => {
    const verdict = canaryVerdict({ errors: [], requests: [10], p99LatencyMs: [] }, baseline);

    expect(verdict.verdict).toBe('insufficient-data');
    expect(summarizeTraffic({ errors: [], requests: [], p99LatencyMs: [] })).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      p99LatencyMs: null,
    });
  });
});
