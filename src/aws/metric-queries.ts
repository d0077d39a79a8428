/**
 * The CloudWatch queries behind `/runbook status`, built from configuration. Query
 * ids are fixed here so the code reading results (and the simulated gateway) can find each series.
 */
import type { AwsMetricsConfig } from '../config';
import type { MetricQuery, MetricSeries } from './types';

export const STATUS_QUERY = { errors: 'err', requests: 'req', p99: 'p99', throttles: 'thr' } as const;

/** One-minute datapoints: enough resolution for a 15-60 minute window, few enough to stay on one page. */
export const METRIC_PERIOD_SECONDS = 60;

function apiQueries(
  metrics: AwsMetricsConfig,
  dimensions: Record<string, string>,
  idPrefix: string,
  labelPrefix: string,
): MetricQuery[] {
  const base = { namespace: metrics.apiNamespace, dimensions, periodSeconds: METRIC_PERIOD_SECONDS };
  return [
    {
      ...base,
      id: `${idPrefix}${STATUS_QUERY.errors}`,
      metricName: metrics.api5xxMetric,
      stat: 'Sum',
      label: `${labelPrefix}5xx`,
    },
    {
      ...base,
      id: `${idPrefix}${STATUS_QUERY.requests}`,
      metricName: metrics.apiCountMetric,
      stat: 'Sum',
      label: `${labelPrefix}requests`,
    },
    {
      ...base,
      id: `${idPrefix}${STATUS_QUERY.p99}`,
      metricName: metrics.apiLatencyMetric,
      stat: 'p99',
      label: `${labelPrefix}p99 latency`,
    },
  ];
}

/** The API metrics of one region (when API_IDS names its API) and Bedrock throttles. */
export function statusQueries(
  metrics: AwsMetricsConfig,
  region: string,
  opts: { simulated?: boolean } = {},
): MetricQuery[] {
  const queries: MetricQuery[] = [];
  // A simulated gateway answers for any API: show its numbers even when API_IDS is not set.
  const apiId = metrics.apiIds[region] ?? (opts.simulated ? 'simulated-api' : undefined);
  if (apiId) {
    const dimensions: Record<string, string> = { [metrics.apiDimension]: apiId };
    if (metrics.apiStage) dimensions['Stage'] = metrics.apiStage;
    queries.push(...apiQueries(metrics, dimensions, '', ''));
  }
  queries.push({
    id: STATUS_QUERY.throttles,
    namespace: metrics.bedrockNamespace,
    metricName: metrics.bedrockThrottleMetric,
    dimensions: metrics.bedrockModelId ? { ModelId: metrics.bedrockModelId } : {},
    stat: 'Sum',
    periodSeconds: METRIC_PERIOD_SECONDS,
    label: 'Bedrock throttles',
  });
  return queries;
}

export function seriesValues(series: MetricSeries[], id: string): number[] {
  return series.find((s) => s.id === id)?.values ?? [];
}
