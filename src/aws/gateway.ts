/**
 * What features ask of AWS, and nothing more. The real gateway forwards to one file per operation over the
 * shared clients; the simulated gateway (src/aws/simulated.ts) answers from a scenario file for the
 * playground and demos. Every method throws `AwsCallError` on failure.
 */
import type { ClusterEndpoint } from './arc-endpoints';
import type { AwsClients } from './clients';
import { describeAlarmsInAlarm } from './cloudwatch-alarms';
import { getMetricData } from './cloudwatch-metrics';
import { type DnsOptions, queryAuthoritative, resolveHost } from './dns-answer';
import { type AliasRef, type AliasState, getAlias } from './lambda-alias-get';
import { deleteProvisionedConcurrency } from './lambda-provisioned-delete';
import { type FunctionQualifier, getProvisionedConcurrency } from './lambda-provisioned-get';
import { putProvisionedConcurrency } from './lambda-provisioned-put';
import type { LogsQueryResult, QueryWaitOptions } from './logs-query-results';
import type { LogsQuery } from './logs-query-start';
import { changeRecordSets } from './route53-change';
import { getHealthCheckStatus } from './route53-health';
import { getHealthCheck } from './route53-health-check';
import { listRecordSets } from './route53-records';
import { type WaitOptions, waitForChange } from './route53-wait';
import type {
  AlarmSummary,
  ChangeInfo,
  DnsServerAnswer,
  HealthCheckConfigView,
  HealthCheckReport,
  MetricQuery,
  MetricSeries,
  ProvisionedConcurrencyState,
  RecordSetShape,
  RoutingControlRead,
  RoutingControlWrite,
  SwitchObject,
  SwitchObjectWrite,
  TimeWindow,
  ZoneChangeBatch,
} from './types';

export type { ClusterEndpoint } from './arc-endpoints';
export type { AliasRef, AliasState } from './lambda-alias-get';
export type { FunctionQualifier } from './lambda-provisioned-get';
export type { LogsQueryResult } from './logs-query-results';
export type { LogsQuery } from './logs-query-start';
export type { WaitOptions } from './route53-wait';

export interface SwitchObjectRef {
  region: string;
  bucket: string;
  key: string;
}

export interface RoutingControlRef {
  routingControlArn: string;
  endpoints: ClusterEndpoint[];
}

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

  // The failover switch (docs/dr-failover.md). Writes are marked; a drill makes none of them.
  /** Route 53 GetHealthCheck (control plane): type, Inverted, Disabled, a calculated check's children. */
  healthCheckConfig(healthCheckId: string): Promise<HealthCheckConfigView>;
  /** S3 GetObject of a switch object, a regional request in its region. */
  readSwitchObject(input: SwitchObjectRef): Promise<SwitchObject>;
  /** S3 PutObject of a switch object, a regional request in its region. A write. */
  writeSwitchObject(input: SwitchObjectRef & { body: string }): Promise<SwitchObjectWrite>;
  /** Route 53 ARC GetRoutingControlState, on the cluster endpoints in turn. */
  routingControlState(input: RoutingControlRef): Promise<RoutingControlRead>;
  /** Route 53 ARC UpdateRoutingControlState, on the cluster endpoints in turn. A write. */
  updateRoutingControlState(input: RoutingControlRef & { state: 'On' | 'Off' }): Promise<RoutingControlWrite>;
  /** Each authoritative name server's answer for a record (DNS, not the Route 53 API). */
  dnsAnswers(input: { name: string; type: string; nameServers: string[] }): Promise<DnsServerAnswer[]>;
  /** A host's addresses through the system resolver (an alias target's, to tell regions apart). */
  resolveHost(input: { name: string; type: 'A' | 'AAAA' }): Promise<string[]>;
  /** Lambda GetProvisionedConcurrencyConfig (`NONE` when there is none). */
  provisionedConcurrency(input: FunctionQualifier): Promise<ProvisionedConcurrencyState>;
  /** Lambda PutProvisionedConcurrencyConfig. A write. */
  setProvisionedConcurrency(
    input: FunctionQualifier & { concurrency: number },
  ): Promise<ProvisionedConcurrencyState>;
  /** Lambda DeleteProvisionedConcurrencyConfig (done when there is none). A write. */
  removeProvisionedConcurrency(input: FunctionQualifier): Promise<void>;

  // The canary monitor (src/aws/canary.ts).
  /** Lambda GetAlias: the version an alias points at and its additional (canary) versions. */
  lambdaAlias(input: AliasRef): Promise<AliasState>;
  /** CloudWatch Logs StartQuery, then GetQueryResults until the query is done. */
  logsQuery(input: LogsQuery): Promise<LogsQueryResult>;
}

export interface LiveGatewayOptions {
  /** Deadline per call, retries included. */
  callTimeoutMs?: number;
  /** Defaults for `waitForChange` (interval, max polls, an injected sleep in tests). */
  wait?: WaitOptions;
  /** DNS query timeouts (and servers, in tests). */
  dns?: DnsOptions;
  /** Polling of Logs Insights queries (an injected sleep in tests). */
  logsWait?: QueryWaitOptions;
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
    healthCheckConfig: (id) => getHealthCheck(clients.route53(), id, call),
    // S3 and ARC load on first use, in chunks of their own (src/aws/clients.ts).
    readSwitchObject: async ({ region, ...ref }) =>
      (await import('./s3-object-read.js')).getSwitchObject(await clients.s3(region), ref, call),
    writeSwitchObject: async ({ region, ...ref }) =>
      (await import('./s3-object-write.js')).putSwitchObject(await clients.s3(region), ref, call),
    routingControlState: async (input) =>
      (await import('./arc-state-read.js')).getRoutingControlState(clients.arc, input, call),
    updateRoutingControlState: async (input) =>
      (await import('./arc-state-update.js')).updateRoutingControlState(clients.arc, input, call),
    dnsAnswers: (input) => queryAuthoritative(input, options.dns),
    resolveHost: ({ name, type }) => resolveHost(name, type, options.dns),
    provisionedConcurrency: (input) => getProvisionedConcurrency(clients.lambda(input.region), input, call),
    setProvisionedConcurrency: (input) =>
      putProvisionedConcurrency(clients.lambda(input.region), input, call),
    removeProvisionedConcurrency: (input) =>
      deleteProvisionedConcurrency(clients.lambda(input.region), input, call),
    lambdaAlias: (input) => getAlias(clients.lambda(input.region), input, call),
    // CloudWatch Logs loads on first use, in a chunk of its own (src/aws/clients.ts).
    logsQuery: async (input) => {
      const client = await clients.logs(input.region);
      const [{ startQuery }, { getQueryResults, waitForQuery }] = await Promise.all([
        import('./logs-query-start.js'),
        import('./logs-query-results.js'),
      ]);
      const queryId = await startQuery(client, input, call);
      return waitForQuery((id) => getQueryResults(client, id, call), queryId, {
        ...call,
        ...options.logsWait,
      });
    },
  };
}
