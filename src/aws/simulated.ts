/**
 * A simulated AWS gateway for the playground and demos, driven by a scenario file (src/aws/scenarios/).
 * It answers the same questions as the live gateway from the runbook's declared records and the scenario's
 * health, alarms and metrics; Route 53 changes, switch writes and provisioned concurrency are applied to
 * in-memory copies (src/aws/simulated-switch.ts) and never leave the process, and every write is listed in
 * `writes`. Its `mode` is `simulated`: every message built from it says SIMULATED.
 */
import type { FailoverRecord } from '../runbooks/model/model';
import {
  findLiveRecord,
  normalizeRecordName,
  normalizeZoneId,
  type RecordSetShape,
} from '../workflows/failover-plan';
import { summarizeHealthCheck } from '../workflows/failover-state';
import { DESCRIBE_ALARMS } from './cloudwatch-alarms';
import { GET_METRIC_DATA } from './cloudwatch-metrics';
import { DNS_QUERY } from './dns-answer';
import { AwsCallError, type AwsErrorKind, type AwsOperation, classifyAwsError } from './errors';
import type { AwsGateway } from './gateway';
import { GET_ALIAS } from './lambda-alias-get';
import { DELETE_PROVISIONED_CONCURRENCY } from './lambda-provisioned-delete';
import { GET_PROVISIONED_CONCURRENCY } from './lambda-provisioned-get';
import { PUT_PROVISIONED_CONCURRENCY } from './lambda-provisioned-put';
import { GET_QUERY_RESULTS } from './logs-query-results';
import { START_QUERY } from './logs-query-start';
import { STATUS_QUERY } from './metric-queries';
import { CHANGE_RESOURCE_RECORD_SETS } from './route53-change';
import { GET_HEALTH_CHECK_STATUS } from './route53-health';
import { GET_HEALTH_CHECK } from './route53-health-check';
import { LIST_RESOURCE_RECORD_SETS } from './route53-records';
import { GET_CHANGE, pollChange } from './route53-wait';
import type { Scenario, ScenarioTraffic } from './scenario';
import {
  checkerObservations,
  createSwitchSimulation,
  type FailoverDeclarations,
  simulatedAddresses,
} from './simulated-switch';
import {
  GET_OBJECT,
  GET_ROUTING_CONTROL_STATE,
  PUT_OBJECT,
  UPDATE_ROUTING_CONTROL_STATE,
} from './switch-operations';
import type { AlarmSummary, ChangeInfo, MetricQuery, MetricSeries } from './types';

export {
  BUILT_IN_SCENARIOS,
  loadScenario,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioTraffic,
} from './scenario';
export type { FailoverDeclarations } from './simulated-switch';

const FAILURE_CODES: Record<AwsErrorKind, string> = {
  throttled: 'ThrottlingException',
  'access-denied': 'AccessDenied',
  credentials: 'CredentialsProviderError',
  timeout: 'TimeoutError',
  network: 'ECONNREFUSED',
  'invalid-request': 'InvalidInput',
  'not-found': 'ResourceNotFoundException',
  failed: 'InternalFailure',
};

export interface SimulatedGatewayOptions {
  /** Every record set the runbooks declare (all `records=` tables). */
  records: FailoverRecord[];
  /**
   * The runbooks' switch, DNS and warm-up tables. With them, the PRIMARY record's calculated check follows
   * the switch as Route 53's would; without them every check simply follows its region's health.
   */
  failover?: FailoverDeclarations;
  /** Fixed clock for timestamps (tests). */
  now?: () => Date;
}

/** One write the simulated gateway accepted (a drill must leave this list empty). */
export interface SimulatedWrite {
  action: string;
  target: string;
  at: string;
}

export type SimulatedGateway = AwsGateway & { readonly writes: readonly SimulatedWrite[] };

export function createSimulatedGateway(
  scenario: Scenario,
  options: SimulatedGatewayOptions,
): SimulatedGateway {
  const now = options.now ?? (() => new Date());
  const sim = createSwitchSimulation(
    options.failover ?? { switches: [], dnsChecks: [], warmups: [] },
    scenario,
    options.records,
    now,
  );
  const writes: SimulatedWrite[] = [];
  const wrote = (op: AwsOperation, target: string) =>
    writes.push({ action: op.action, target, at: now().toISOString() });
  const regionOfCheck = new Map<string, string>();
  for (const r of options.records) if (r.healthCheckId) regionOfCheck.set(r.healthCheckId, r.region);
  const zones = new Map<string, RecordSetShape[]>();
  for (const r of options.records) {
    const zone = normalizeZoneId(r.hostedZoneId);
    const live = zones.get(zone) ?? [];
    if (!findLiveRecord(r, live)) live.push(initialRecordSet(r, scenario.failedOver === true));
    zones.set(zone, live);
  }
  const changes = new Map<string, { polls: number; info: ChangeInfo }>();
  const pendingPolls = scenario.changePendingPolls ?? 1;

  const fail = (op: AwsOperation, kind: AwsErrorKind): never => {
    const error = Object.assign(new Error(`simulated ${kind}`), { name: FAILURE_CODES[kind] });
    const real = classifyAwsError(op, error);
    throw new AwsCallError(op, real.kind, real.code, `[SIMULATED] ${real.userMessage}`, { cause: error });
  };
  /** Fails as the scenario says: the action's own failure, or every call into an unreachable region. */
  const guarded = async <T>(op: AwsOperation, run: () => T, region?: string): Promise<T> => {
    const kind = scenario.failures?.[op.action];
    if (kind) fail(op, kind);
    if (region && scenario.unreachableRegions?.includes(region)) fail(op, 'timeout');
    return run();
  };

  const getChange = (changeId: string): Promise<ChangeInfo> =>
    guarded(GET_CHANGE, () => {
      const change = changes.get(changeId);
      if (!change)
        throw classifyAwsError(
          GET_CHANGE,
          Object.assign(new Error('no such change'), { name: 'NoSuchChange' }),
        );
      change.polls++;
      if (change.polls > pendingPolls) change.info = { ...change.info, status: 'INSYNC' };
      return { ...change.info };
    });

  return {
    mode: 'simulated',
    label: `SIMULATED (${scenario.name})`,

    healthCheckStatus: (healthCheckId) =>
      guarded(GET_HEALTH_CHECK_STATUS, () => {
        // As Route 53: GetHealthCheckStatus cannot report a calculated check.
        if (sim.isCalculated(healthCheckId))
          throw classifyAwsError(
            GET_HEALTH_CHECK_STATUS,
            Object.assign(new Error('You cannot get the status of a calculated health check'), {
              name: 'InvalidInput',
            }),
          );
        if (options.failover?.switches.length) return sim.status(healthCheckId);
        const region = regionOfCheck.get(healthCheckId);
        const healthy = region === undefined || scenario.health[region] !== 'unhealthy';
        return summarizeHealthCheck(healthCheckId, checkerObservations(healthy, now().toISOString()));
      }),

    listRecordSets: ({ hostedZoneId, name, type }) =>
      guarded(LIST_RESOURCE_RECORD_SETS, () =>
        (zones.get(normalizeZoneId(hostedZoneId)) ?? [])
          .filter(
            (r) => normalizeRecordName(r.Name) === normalizeRecordName(name) && r.Type === type.toUpperCase(),
          )
          .map((r) => structuredClone(r)),
      ),

    changeRecordSets: (batch) =>
      guarded(CHANGE_RESOURCE_RECORD_SETS, () => {
        const zone = normalizeZoneId(batch.hostedZoneId);
        const next = structuredClone(zones.get(zone) ?? []);
        for (const change of batch.changes) {
          const rs = change.ResourceRecordSet;
          const index = next.findIndex(
            (r) =>
              normalizeRecordName(r.Name) === normalizeRecordName(rs.Name) &&
              r.Type === rs.Type &&
              r.SetIdentifier === rs.SetIdentifier,
          );
          if (change.Action === 'DELETE') {
            if (index < 0 || JSON.stringify(next[index]) !== JSON.stringify(rs)) {
              throw invalidBatch(
                `Tried to delete resource record set ${rs.Name} ${rs.Type} but the values provided do not match the current values`,
              );
            }
            next.splice(index, 1);
          } else {
            if (index >= 0)
              throw invalidBatch(
                `Tried to create resource record set ${rs.Name} ${rs.Type} but it already exists`,
              );
            next.push(structuredClone(rs));
          }
        }
        zones.set(zone, next);
        wrote(CHANGE_RESOURCE_RECORD_SETS, zone);
        const changeId = `CSIMULATED${String(changes.size + 1).padStart(4, '0')}`;
        const info: ChangeInfo = {
          changeId,
          status: 'PENDING',
          submittedAt: now().toISOString(),
          comment: batch.comment,
        };
        changes.set(changeId, { polls: 0, info });
        return { ...info };
      }),

    waitForChange: (changeId, wait = {}) =>
      pollChange(getChange, changeId, { ...wait, sleep: wait.sleep ?? (() => Promise.resolve()) }),

    alarmsInAlarm: ({ region, prefix }) =>
      guarded(
        DESCRIBE_ALARMS,
        () =>
          (scenario.alarms[region] ?? [])
            .filter((a) => a.name.startsWith(prefix))
            .map(
              (a): AlarmSummary => ({
                name: a.name,
                description: a.description ?? null,
                state: 'ALARM',
                reason: a.reason ?? null,
                updatedAt: now().toISOString(),
                region,
                type: 'metric',
              }),
            ),
        region,
      ),

    metricData: ({ region, queries, window }) =>
      guarded(
        GET_METRIC_DATA,
        () =>
          queries.map((q): MetricSeries => {
            const value =
              q.namespace === 'AWS/Lambda'
                ? simulatedLambdaMetric(scenario, q)
                : simulatedTotal(scenario, region, q.id);
            return {
              id: q.id,
              label: q.label ?? q.metricName,
              timestamps: value === null ? [] : [window.end.toISOString()],
              values: value === null ? [] : [value],
              statusCode: 'Complete',
            };
          }),
        region,
      ),

    lambdaAlias: ({ region, functionName }) =>
      guarded(
        GET_ALIAS,
        () => {
          const fn = scenario.canary?.functions[functionName];
          if (!fn)
            throw classifyAwsError(
              GET_ALIAS,
              Object.assign(new Error(`Function not found: ${functionName}`), {
                name: 'ResourceNotFoundException',
              }),
            );
          return {
            version: fn.previous,
            weights: fn.canary === fn.previous ? {} : { [fn.canary]: fn.weight ?? 0.1 },
          };
        },
        region,
      ),

    logsQuery: async ({ region, logGroup, query }) => {
      await guarded(START_QUERY, () => null, region);
      return guarded(GET_QUERY_RESULTS, () => simulatedLogsQuery(scenario, logGroup, query), region);
    },

    healthCheckConfig: (id) => guarded(GET_HEALTH_CHECK, () => sim.healthCheckConfig(id)),

    readSwitchObject: ({ region, bucket, key }) =>
      guarded(
        GET_OBJECT,
        () => {
          if (scenario.switchUnreachable) fail(GET_OBJECT, 'timeout');
          const body = sim.readObject(bucket, key);
          if (body === undefined)
            throw classifyAwsError(
              GET_OBJECT,
              Object.assign(new Error('no such key'), { name: 'NoSuchKey' }),
            );
          return { body, etag: null, versionId: null, lastModified: null };
        },
        region,
      ),

    writeSwitchObject: ({ region, bucket, key, body }) =>
      guarded(
        PUT_OBJECT,
        () => {
          if (scenario.switchUnreachable) fail(PUT_OBJECT, 'timeout');
          sim.writeObject(bucket, key, body);
          wrote(PUT_OBJECT, `s3://${bucket}/${key}`);
          return { etag: null, versionId: `SIMULATED${String(writes.length).padStart(4, '0')}` };
        },
        region,
      ),

    routingControlState: ({ routingControlArn, endpoints }) =>
      guarded(GET_ROUTING_CONTROL_STATE, () => {
        const endpoint = endpoints.find((e) => !scenario.unreachableRegions?.includes(e.region));
        const state = sim.readControl(routingControlArn);
        if (!endpoint || !state) return fail(GET_ROUTING_CONTROL_STATE, endpoint ? 'not-found' : 'timeout');
        return { state, endpoint: endpoint.region, attempts: attemptsUntil(endpoints, endpoint) };
      }),

    updateRoutingControlState: ({ routingControlArn, endpoints, state }) =>
      guarded(UPDATE_ROUTING_CONTROL_STATE, () => {
        const endpoint = endpoints.find((e) => !scenario.unreachableRegions?.includes(e.region));
        if (!endpoint) return fail(UPDATE_ROUTING_CONTROL_STATE, 'timeout');
        sim.writeControl(routingControlArn, state);
        wrote(UPDATE_ROUTING_CONTROL_STATE, `${routingControlArn} ${state}`);
        return { state, endpoint: endpoint.region, attempts: attemptsUntil(endpoints, endpoint) };
      }),

    dnsAnswers: ({ name, type, nameServers }) =>
      guarded(DNS_QUERY, () => {
        const live = [...zones.values()].flat();
        const values = sim.dnsAnswer(name, type, live);
        const servers = nameServers.length > 0 ? nameServers : ['ns-simulated.awsdns-00.org'];
        return servers.map((server) => ({ server, values, error: null }));
      }),

    resolveHost: ({ name }) => guarded(DNS_QUERY, () => simulatedAddresses(name)),

    provisionedConcurrency: (target) =>
      guarded(GET_PROVISIONED_CONCURRENCY, () => sim.provisionedConcurrency(target), target.region),

    setProvisionedConcurrency: ({ concurrency, ...target }) =>
      guarded(
        PUT_PROVISIONED_CONCURRENCY,
        () => {
          sim.setProvisionedConcurrency(target, concurrency);
          wrote(PUT_PROVISIONED_CONCURRENCY, `${target.functionName}:${target.qualifier} ${concurrency}`);
          return {
            ...target,
            status: 'IN_PROGRESS' as const,
            requested: concurrency,
            allocated: 0,
            reason: null,
          };
        },
        target.region,
      ),

    removeProvisionedConcurrency: (target) =>
      guarded(
        DELETE_PROVISIONED_CONCURRENCY,
        () => {
          sim.removeProvisionedConcurrency(target);
          wrote(DELETE_PROVISIONED_CONCURRENCY, `${target.functionName}:${target.qualifier}`);
        },
        target.region,
      ),

    get writes() {
      return writes;
    },
  };
}

/** The endpoints tried up to the one that answered (the ones before it are unreachable in the scenario). */
function attemptsUntil(
  endpoints: { region: string; url: string }[],
  answered: { region: string; url: string },
) {
  const upTo = endpoints.slice(0, endpoints.indexOf(answered) + 1);
  return upTo.map((e) => ({ ...e, error: e === answered ? null : '[SIMULATED] timed out' }));
}

/** The scenario gives totals per window; one datapoint carries them. */
function simulatedTotal(scenario: Scenario, region: string, queryId: string): number | null {
  const pick = (t: ScenarioTraffic | undefined, id: string): number | null => {
    if (!t) return null;
    if (id === STATUS_QUERY.errors) return t.errors;
    if (id === STATUS_QUERY.requests) return t.requests;
    if (id === STATUS_QUERY.p99) return t.p99LatencyMs;
    return null;
  };
  const m = scenario.metrics[region];
  if (queryId === STATUS_QUERY.throttles) return m ? m.bedrockThrottles : null;
  return pick(m, queryId);
}

/** `AWS/Lambda` per `ExecutedVersion`, from the scenario's canary functions (null: no datapoint). */
function simulatedLambdaMetric(scenario: Scenario, q: MetricQuery): number | null {
  const v =
    scenario.canary?.functions[q.dimensions['FunctionName'] ?? '']?.versions[
      q.dimensions['ExecutedVersion'] ?? ''
    ];
  if (!v) return null;
  if (q.metricName === 'Errors') return v.errors;
  if (q.metricName === 'Invocations') return v.invocations;
  if (q.metricName === 'Duration') return q.stat === 'SampleCount' ? v.invocations : v.durationMs;
  return null;
}

/**
 * Logs Insights, as the canary monitor asks it (src/aws/canary.ts `logsQueryOf`): lines by status class or by
 * outcome per version, from the scenario's `events`; a `filter <field> = "<value>"` count from `logCounts`.
 */
function simulatedLogsQuery(scenario: Scenario, logGroup: string, query: string) {
  const fn = scenario.canary?.functions[logGroup.replace(/^\/aws\/lambda\//, '')];
  const rows: Record<string, string>[] = [];
  const count = /^filter (\w+) = "([^"]+)" \| stats count\(\*\) as n$/.exec(query);
  if (count) {
    const n = scenario.canary?.logCounts?.[count[2]!] ?? 0;
    return { status: 'Complete', rows: n > 0 ? [{ n: String(n) }] : [] };
  }
  const byField = /stats count\(\*\) as n by version, (\w+)$/.exec(query)?.[1];
  for (const [version, v] of Object.entries(fn?.versions ?? {})) {
    if (!v.events || !byField) continue;
    const [good, bad] = byField === 'class' ? ['2', '5'] : ['ok', 'error'];
    rows.push({ version, [byField]: good, n: String(v.events.total - v.events.bad) });
    if (v.events.bad > 0) rows.push({ version, [byField]: bad, n: String(v.events.bad) });
  }
  return { status: 'Complete', rows };
}

function invalidBatch(message: string): AwsCallError {
  return classifyAwsError(
    CHANGE_RESOURCE_RECORD_SETS,
    Object.assign(new Error(message), { name: 'InvalidChangeBatch' }),
  );
}

/** The record set as the runbook table declares it (roles swapped when the scenario starts failed over). */
function initialRecordSet(r: FailoverRecord, failedOver: boolean): RecordSetShape {
  const role = failedOver ? (r.failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY') : r.failover;
  const shape: RecordSetShape = {
    Name: `${normalizeRecordName(r.name)}.`,
    Type: r.type.toUpperCase(),
    SetIdentifier: r.setIdentifier,
    Failover: role,
  };
  const value = r.value.trim();
  const isAddress = /^[\d.]+$/.test(value) || /^[0-9a-f:]+$/i.test(value);
  if (r.type.toUpperCase() === 'CNAME' || r.type.toUpperCase() === 'TXT' || isAddress) {
    shape.TTL = 60;
    shape.ResourceRecords = [{ Value: value }];
  } else {
    shape.AliasTarget = { HostedZoneId: 'ZSIMULATEDALIAS', DNSName: value, EvaluateTargetHealth: true };
  }
  if (r.healthCheckId) shape.HealthCheckId = r.healthCheckId;
  return shape;
}
