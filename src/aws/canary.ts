/** The canary monitor: CloudWatch metrics of canary and baseline over the period, and the verdict. */
import type { AwsConfig } from '../config';
import {
  type CanaryThresholds,
  type CanaryVerdict,
  canaryVerdict,
  DEFAULT_CANARY_THRESHOLDS,
} from '../workflows/canary-verdict';
import type { AwsGateway } from './gateway';
import {
  BASELINE_PREFIX,
  CANARY_PREFIX,
  canaryConfigured,
  canaryQueries,
  STATUS_QUERY,
  seriesValues,
} from './metric-queries';
import type { MetricSeries, TimeWindow } from './types';

export interface CanaryReport {
  region: string;
  window: { start: string; end: string; minutes: number };
  verdict: CanaryVerdict;
  simulated: string | null;
}

export class CanaryNotConfiguredError extends Error {
  override readonly name = 'CanaryNotConfiguredError';

  constructor() {
    super(
      'The canary monitor is not configured: set CANARY_DIMENSIONS and BASELINE_DIMENSIONS (e.g. ApiId=abc123,Stage=canary).',
    );
  }
}

/** `30m`, `1h`, `45` (minutes) → minutes; falls back to 30. */
export function parsePeriodMinutes(text: string | undefined, fallback = 30): number {
  const m = /^\s*(\d+)\s*(m|min|mins|minutes|h|hr|hours)?\s*$/i.exec(text ?? '');
  if (!m) return fallback;
  const n = Number(m[1]);
  const minutes = m[2] && /^h/i.test(m[2]) ? n * 60 : n;
  return minutes > 0 ? minutes : fallback;
}

export async function readCanary(
  gateway: AwsGateway,
  config: AwsConfig,
  window: TimeWindow,
  thresholds: CanaryThresholds = DEFAULT_CANARY_THRESHOLDS,
): Promise<CanaryReport> {
  if (!canaryConfigured(config.canary)) throw new CanaryNotConfiguredError();
  const region = config.canary.region;
  const series = await gateway.metricData({
    region,
    queries: canaryQueries(config.metrics, config.canary),
    window,
  });
  const traffic = (prefix: string) => trafficOf(series, prefix);
  return {
    region,
    window: {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      minutes: Math.round((window.end.getTime() - window.start.getTime()) / 60_000),
    },
    verdict: canaryVerdict(traffic(CANARY_PREFIX), traffic(BASELINE_PREFIX), thresholds),
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
  };
}

function trafficOf(series: MetricSeries[], prefix: string) {
  return {
    errors: seriesValues(series, `${prefix}${STATUS_QUERY.errors}`),
    requests: seriesValues(series, `${prefix}${STATUS_QUERY.requests}`),
    p99LatencyMs: seriesValues(series, `${prefix}${STATUS_QUERY.p99}`),
  };
}
