/**
 * A simulated AWS gateway for the playground and demos, driven by a scenario file (src/aws/scenarios/).
 * It answers the same questions as the live gateway from the runbook's declared records and the scenario's
 * health, alarms and metrics; Route 53 changes are applied to an in-memory copy and never leave the process.
 * Its `mode` is `simulated`: every message built from it says SIMULATED.
 */
import { readFileSync } from 'node:fs';
import type { FailoverRecord } from '../runbooks/model/model';
import {
  findLiveRecord,
  normalizeRecordName,
  normalizeZoneId,
  type RecordSetShape,
} from '../workflows/failover-plan';
import { observationIsHealthy, summarizeHealthCheck } from '../workflows/failover-state';
import { DESCRIBE_ALARMS } from './cloudwatch-alarms';
import { GET_METRIC_DATA } from './cloudwatch-metrics';
import { AwsCallError, type AwsErrorKind, type AwsOperation, classifyAwsError } from './errors';
import type { AwsGateway } from './gateway';
import { BASELINE_PREFIX, CANARY_PREFIX, STATUS_QUERY } from './metric-queries';
import { CHANGE_RESOURCE_RECORD_SETS } from './route53-change';
import { GET_HEALTH_CHECK_STATUS } from './route53-health';
import { LIST_RESOURCE_RECORD_SETS } from './route53-records';
import { GET_CHANGE, pollChange } from './route53-wait';
import primaryDown from './scenarios/primary-down.json';
import primaryHealthy from './scenarios/primary-healthy.json';
import type { AlarmSummary, ChangeInfo, HealthObservation, MetricSeries } from './types';

export interface ScenarioTraffic {
  errors: number;
  requests: number;
  p99LatencyMs: number;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Region → whether endpoints there pass their health checks. Regions not listed are healthy. */
  health: Record<string, 'healthy' | 'unhealthy'>;
  /** Region → alarms in ALARM there. */
  alarms: Record<string, { name: string; description?: string; reason?: string }[]>;
  /** Region → totals over the status window. */
  metrics: Record<string, ScenarioTraffic & { bedrockThrottles: number }>;
  canary?: { canary: ScenarioTraffic; baseline: ScenarioTraffic };
  /** GetChange answers PENDING this many times before INSYNC (default 1). */
  changePendingPolls?: number;
  /** Record sets start failed over (eu-west-1 PRIMARY), e.g. to rehearse failback. */
  failedOver?: boolean;
  /** API action → error to throw, to rehearse error handling (`{ "GetMetricData": "throttled" }`). */
  failures?: Record<string, AwsErrorKind>;
}

export const BUILT_IN_SCENARIOS: Record<string, Scenario> = {
  'primary-healthy': primaryHealthy as Scenario,
  'primary-down': primaryDown as Scenario,
};

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** A built-in scenario by name, or a JSON file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtIn = BUILT_IN_SCENARIOS[nameOrPath];
  if (builtIn) return builtIn;
  let raw: string;
  try {
    raw = readFileSync(nameOrPath, 'utf8');
  } catch {
    const names = Object.keys(BUILT_IN_SCENARIOS).join(', ');
    throw new ScenarioError(
      `AWS_SIMULATION "${nameOrPath}" is neither a built-in scenario (${names}) nor a readable file`,
    );
  }
  return parseScenario(raw, nameOrPath);
}

export function parseScenario(raw: string, source: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ScenarioError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const s = data as Partial<Scenario> | null;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string')
    throw new ScenarioError(`${source} needs a "name"`);
  return { health: {}, alarms: {}, metrics: {}, ...s } as Scenario;
}

/** Route 53's health checker regions, as GetHealthCheckStatus reports them. */
const CHECKER_REGIONS = [
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-west-1',
  'sa-east-1',
  'us-east-1',
  'us-west-1',
  'us-west-2',
];

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
  /** Fixed clock for timestamps (tests). */
  now?: () => Date;
}

export function createSimulatedGateway(scenario: Scenario, options: SimulatedGatewayOptions): AwsGateway {
  const now = options.now ?? (() => new Date());
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

  const maybeFail = (op: AwsOperation): void => {
    const kind = scenario.failures?.[op.action];
    if (!kind) return;
    const error = Object.assign(new Error(`simulated ${kind}`), { name: FAILURE_CODES[kind] });
    const real = classifyAwsError(op, error);
    throw new AwsCallError(op, real.kind, real.code, `[SIMULATED] ${real.userMessage}`, { cause: error });
  };
  const guarded = async <T>(op: AwsOperation, run: () => T): Promise<T> => {
    maybeFail(op);
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
        const region = regionOfCheck.get(healthCheckId);
        const healthy = region === undefined || scenario.health[region] !== 'unhealthy';
        const checkedAt = now().toISOString();
        const observations: HealthObservation[] = CHECKER_REGIONS.map((checkerRegion, i) => {
          const status = healthy
            ? 'Success: HTTP Status Code 200, OK'
            : 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.';
          return {
            checkerRegion,
            ipAddress: `15.177.${i * 8}.10`,
            status,
            checkedAt,
            healthy: observationIsHealthy(status),
          };
        });
        return summarizeHealthCheck(healthCheckId, observations);
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
      guarded(DESCRIBE_ALARMS, () =>
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
      ),

    metricData: ({ region, queries, window }) =>
      guarded(GET_METRIC_DATA, () =>
        queries.map((q): MetricSeries => {
          const value = simulatedTotal(scenario, region, q.id);
          return {
            id: q.id,
            label: q.label ?? q.metricName,
            timestamps: value === null ? [] : [window.end.toISOString()],
            values: value === null ? [] : [value],
            statusCode: 'Complete',
          };
        }),
      ),
  };
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
  if (queryId.startsWith(CANARY_PREFIX))
    return pick(scenario.canary?.canary, queryId.slice(CANARY_PREFIX.length));
  if (queryId.startsWith(BASELINE_PREFIX))
    return pick(scenario.canary?.baseline, queryId.slice(BASELINE_PREFIX.length));
  const m = scenario.metrics[region];
  if (queryId === STATUS_QUERY.throttles) return m ? m.bedrockThrottles : null;
  return pick(m, queryId);
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
