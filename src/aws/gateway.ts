/**
 * What features ask of AWS, and nothing more. The real gateway forwards to one file per operation over the
 * shared clients; the simulated gateway (src/aws/simulated.ts) answers from a scenario file for the
 * playground and demos. Every method throws `AwsCallError` on failure.
 */
import type { AwsClients } from './clients';
import { describeAlarmsInAlarm } from './cloudwatch-alarms';
import { getMetricData } from './cloudwatch-metrics';
import { changeRecordSets } from './route53-change';
import { getHealthCheckStatus } from './route53-health';
import { listRecordSets } from './route53-records';
import { type WaitOptions, waitForChange } from './route53-wait';
import type {
  AlarmSummary,
  ChangeInfo,
  HealthCheckReport,
  MetricQuery,
  MetricSeries,
  RecordSetShape,
  TimeWindow,
  ZoneChangeBatch,
} from './types';

export type { WaitOptions } from './route53-wait';

export interface AwsGateway {
  /** `simulated`: every message built from this gateway's data must say SIMULATED. */
  readonly mode: 'live' | 'simulated';
  /** Shown next to results, e.g. `SIMULATED (primary-down)`; null for live AWS. */
  readonly label: string | null;
  /** Route 53 GetHealthCheckStatus. */
  healthCheckStatus(healthCheckId: string): Promise<HealthCheckReport>;
  /** Route 53 ListResourceRecordSets, only the record sets with this name and type. */
  listRecordSets(input: { hostedZoneId: string; name: string; type: string }): Promise<RecordSetShape[]>;
  /** Route 53 ChangeResourceRecordSets. The only write. */
  changeRecordSets(batch: ZoneChangeBatch): Promise<ChangeInfo>;
  /** Route 53 GetChange, polled until INSYNC. */
  waitForChange(changeId: string, options?: WaitOptions): Promise<ChangeInfo & { polls: number }>;
  /** CloudWatch DescribeAlarms in one region, state ALARM, names starting with `prefix`. */
  alarmsInAlarm(input: { region: string; prefix: string }): Promise<AlarmSummary[]>;
  /** CloudWatch GetMetricData in one region. */
  metricData(input: { region: string; queries: MetricQuery[]; window: TimeWindow }): Promise<MetricSeries[]>;
}

export interface LiveGatewayOptions {
  /** Deadline per call, retries included. */
  callTimeoutMs?: number;
  /** Defaults for `waitForChange` (interval, max polls, an injected sleep in tests). */
  wait?: WaitOptions;
}

export function createLiveGateway(clients: AwsClients, options: LiveGatewayOptions = {}): AwsGateway {
  const call = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs };
  return {
    mode: 'live',
    label: null,
    healthCheckStatus: (id) => getHealthCheckStatus(clients.route53(), id, call),
    listRecordSets: (input) => listRecordSets(clients.route53(), input, call),
    changeRecordSets: (batch) => changeRecordSets(clients.route53(), batch, call),
    waitForChange: (changeId, wait = {}) =>
      waitForChange(clients.route53(), changeId, { ...call, ...options.wait, ...wait }),
    alarmsInAlarm: (input) => describeAlarmsInAlarm(clients.cloudWatch(input.region), input, call),
    metricData: ({ region, queries, window }) =>
      getMetricData(clients.cloudWatch(region), { queries, window }, call),
  };
}
