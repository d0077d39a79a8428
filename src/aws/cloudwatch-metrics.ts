/** CloudWatch `GetMetricData`: several metric series over one time window in one call. */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { MetricQuery, MetricSeries, TimeWindow } from './types';

export const GET_METRIC_DATA: AwsOperation = {
  service: 'CloudWatch',
  action: 'GetMetricData',
  iamAction: 'cloudwatch:GetMetricData',
};

const MAX_PAGES = 5;

export function toMetricDataQuery(q: MetricQuery): MetricDataQuery {
  return {
    Id: q.id,
    Label: q.label ?? q.metricName,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
  };
}

export async function getMetricData(
  client: CloudWatchClient,
  input: { queries: MetricQuery[]; window: TimeWindow },
  options: CallOptions = {},
): Promise<MetricSeries[]> {
  const byId = new Map<string, MetricSeries>();
  for (const q of input.queries) {
    byId.set(q.id, {
      id: q.id,
      label: q.label ?? q.metricName,
      timestamps: [],
      values: [],
      statusCode: 'Complete',
    });
  }
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const token = nextToken;
    const out = await callAws(
      GET_METRIC_DATA,
      (abortSignal) =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries: input.queries.map(toMetricDataQuery),
            StartTime: input.window.start,
            EndTime: input.window.end,
            ScanBy: 'TimestampAscending',
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal },
        ),
      options,
    );
    for (const r of out.MetricDataResults ?? []) {
      const series = byId.get(r.Id ?? '');
      if (!series) continue;
      series.timestamps.push(...(r.Timestamps ?? []).map((t) => t.toISOString()));
      series.values.push(...(r.Values ?? []));
      if (r.StatusCode && r.StatusCode !== 'Complete') series.statusCode = r.StatusCode;
    }
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  return [...byId.values()];
}
