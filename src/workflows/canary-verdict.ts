/**
 * "Monitoring period" after SIT → PROD: does the canary behave like the baseline? Pure: the AWS adapter
 * reads the CloudWatch series for both over the period; this module sums them and decides.
 *
 * Error rate is Σ5xx / Σrequests (not an average of per-minute rates, which over-weights quiet minutes).
 * Latency is the worst p99 datapoint in the period.
 */

export interface TrafficSeries {
  /** 5xx count per datapoint (CloudWatch `Sum`). */
  errors: number[];
  /** Request count per datapoint (CloudWatch `Sum` of `Count`). */
  requests: number[];
  /** p99 latency per datapoint, milliseconds. */
  p99LatencyMs: number[];
}

export interface CanaryThresholds {
  /** Canary error rate may exceed the baseline's by at most this much (0.01 = one percentage point). */
  maxErrorRateIncrease: number;
  /** And may never exceed this, whatever the baseline does (0.05 = 5%). */
  maxErrorRate: number;
  /** Canary p99 may be at most this multiple of the baseline's... */
  maxLatencyRatio: number;
  /** ...plus this many milliseconds (so a 40 ms baseline does not fail a 55 ms canary). */
  latencySlackMs: number;
  /** Below this many canary requests the period proves nothing. */
  minRequests: number;
}

export const DEFAULT_CANARY_THRESHOLDS: CanaryThresholds = {
  maxErrorRateIncrease: 0.01,
  maxErrorRate: 0.05,
  maxLatencyRatio: 1.2,
  latencySlackMs: 50,
  minRequests: 50,
};

export interface TrafficSummary {
  requests: number;
  errors: number;
  /** null when there were no requests. */
  errorRate: number | null;
  /** null when CloudWatch returned no latency datapoints. */
  p99LatencyMs: number | null;
}

export interface VerdictCheck {
  name: 'traffic' | 'error-rate' | 'latency-p99';
  pass: boolean;
  detail: string;
}

export interface CanaryVerdict {
  verdict: 'pass' | 'fail' | 'insufficient-data';
  canary: TrafficSummary;
  baseline: TrafficSummary;
  checks: VerdictCheck[];
}

export function summarizeTraffic(series: TrafficSeries): TrafficSummary {
  const requests = sum(series.requests);
  const errors = sum(series.errors);
  const latencies = series.p99LatencyMs.filter((v) => Number.isFinite(v));
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    p99LatencyMs: latencies.length > 0 ? Math.max(...latencies) : null,
  };
}

export function canaryVerdict(
  canarySeries: TrafficSeries,
  baselineSeries: TrafficSeries,
  thresholds: CanaryThresholds = DEFAULT_CANARY_THRESHOLDS,
): CanaryVerdict {
  const canary = summarizeTraffic(canarySeries);
  const baseline = summarizeTraffic(baselineSeries);
  const checks: VerdictCheck[] = [];

  const enoughTraffic = canary.requests >= thresholds.minRequests;
  checks.push({
    name: 'traffic',
    pass: enoughTraffic,
    detail: `canary served ${canary.requests} requests (need at least ${thresholds.minRequests})`,
  });
  if (!enoughTraffic || canary.errorRate === null) {
    return { verdict: 'insufficient-data', canary, baseline, checks };
  }

  const baseRate = baseline.errorRate ?? 0;
  const rateLimit = Math.min(baseRate + thresholds.maxErrorRateIncrease, thresholds.maxErrorRate);
  checks.push({
    name: 'error-rate',
    pass: canary.errorRate <= rateLimit,
    detail: `canary 5xx ${percent(canary.errorRate)} vs baseline ${percent(baseline.errorRate)} (limit ${percent(rateLimit)})`,
  });

  if (canary.p99LatencyMs === null) {
    checks.push({ name: 'latency-p99', pass: false, detail: 'no canary latency datapoints' });
    return { verdict: 'insufficient-data', canary, baseline, checks };
  }
  if (baseline.p99LatencyMs === null) {
    checks.push({
      name: 'latency-p99',
      pass: true,
      detail: `canary p99 ${ms(canary.p99LatencyMs)}; no baseline latency to compare with`,
    });
  } else {
    const latencyLimit = baseline.p99LatencyMs * thresholds.maxLatencyRatio + thresholds.latencySlackMs;
    checks.push({
      name: 'latency-p99',
      pass: canary.p99LatencyMs <= latencyLimit,
      detail: `canary p99 ${ms(canary.p99LatencyMs)} vs baseline ${ms(baseline.p99LatencyMs)} (limit ${ms(latencyLimit)})`,
    });
  }
  const verdict = checks.every((c) => c.pass) ? 'pass' : 'fail';
  return { verdict, canary, baseline, checks };
}

/** `0.0123` → `1.23%`; null → `n/a`. */
export function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(2)}%`;
}

export function ms(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} ms`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => (Number.isFinite(b) ? a + b : a), 0);
}
