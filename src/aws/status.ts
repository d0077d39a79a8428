/**
 * `/runbook status`: for the primary and DR regions, Route 53 health checks (per checker region), which
 * failover record answers, CloudWatch alarms in ALARM, and key metrics. Each part is fetched in parallel
 * and may fail on its own (see outcome.ts).
 */
import type { AwsConfig } from '../config';
import type { FailoverRecord, FailoverSwitchSet } from '../runbooks/model/model';
import { normalizeZoneId } from '../workflows/failover-plan';
import { type AnsweringRecord, answeringRecord, failoverPairs } from '../workflows/failover-state';
import { calculatedReport, effectiveReport, type HealthCheckConfigView } from '../workflows/health-tree';
import type { AwsGateway } from './gateway';
import { STATUS_QUERY, seriesValues, statusQueries } from './metric-queries';
import { type Part, settle } from './outcome';
import type { AlarmSummary, HealthCheckReport, RecordSetShape } from './types';

export interface RegionMetrics {
  requests: number | null;
  errors: number | null;
  /** errors / requests, null without traffic data. */
  errorRate: number | null;
  p99LatencyMs: number | null;
  bedrockThrottles: number | null;
  windowMinutes: number;
  /** Set when API metrics are not configured for this region. */
  note: string | null;
  /** CloudWatch said a series is incomplete (`PartialData`, `InternalError`…): the numbers are not all there. */
  partial?: boolean;
}

/**
 * What a line of the report is: a record's own check (`check`); the PRIMARY record's calculated check as
 * Route 53 uses it, derived from its children (`calculated`); and those children: the primary region's
 * endpoint check (`endpoint`), a failover switch's check (`switch`, `switchId` naming the runbook's row), a
 * routing control, or a child the runbook's switch table does not name (`child`). Only `check`,
 * `endpoint` and `child` say whether the region itself is healthy: a switch turned off is a decision.
 */
export type HealthCheckRole = 'check' | 'calculated' | 'endpoint' | 'switch' | 'routing-control' | 'child';

export interface HealthCheckLine {
  healthCheckId: string;
  recordName: string;
  setIdentifier: string;
  /**
   * As Route 53 uses the check (Inverted and Disabled applied, a calculated check derived); its
   * observations stay what the checkers saw. A line must never read healthy where Route 53 reads it failing.
   */
  report: Part<HealthCheckReport>;
  /** Absent: `check`. */
  role?: HealthCheckRole;
  switchId?: string;
  /**
   * Set when GetHealthCheck read Inverted or Disabled (no runbook step sets either): what the checkers
   * see (`checkersHealthy`; a calculated check: what its children make of it), which the flags turn into
   * `report`'s verdict.
   */
  flags?: { inverted: boolean; disabled: boolean; checkersHealthy: boolean };
  /**
   * A calculated check: how many of its children must be healthy (HealthThreshold), of how many, and what
   * the runbook's switch table declares (a threshold lowered by hand keeps a dead primary answering).
   */
  threshold?: { needed: number; of: number; declared?: number };
}

/** Whether a line speaks for the region's own health (not a switch, not the record's derived check). */
export function isRegionHealthLine(line: HealthCheckLine): boolean {
  const role = line.role ?? 'check';
  return role === 'check' || role === 'endpoint' || role === 'child';
}

export interface RegionStatus {
  region: string;
  role: 'primary' | 'dr';
  healthChecks: HealthCheckLine[];
  alarms: Part<AlarmSummary[]>;
  metrics: Part<RegionMetrics>;
}

export interface AnsweringLine {
  name: string;
  type: string;
  answer: Part<AnsweringRecord | null>;
  /** Region of the answering record, from the runbook table. */
  region: string | null;
}

export interface StatusReport {
  generatedAt: string;
  /** `SIMULATED (...)` when the data is simulated; null for live AWS. */
  simulated: string | null;
  alarmPrefix: string;
  regions: RegionStatus[];
  answering: AnsweringLine[];
}

export interface StatusInput {
  config: AwsConfig;
  records: FailoverRecord[];
  now: Date;
  /** The runbook's switch tables: name the calculated check's children (endpoint, switch). */
  switchSets?: readonly FailoverSwitchSet[];
}

export async function collectStatus(gateway: AwsGateway, input: StatusInput): Promise<StatusReport> {
  const { config, records, now } = input;
  const healthIds = [...new Set(records.map((r) => r.healthCheckId).filter((id): id is string => !!id))];
  const healthById = new Map(healthIds.map((id) => [id, readHealth(gateway, id)]));

  const pairs = uniquePairs(records);
  const liveByPair = pairs.map((p) => settle(gateway.listRecordSets(p)));

  const regionRoles: { region: string; role: 'primary' | 'dr' }[] = [
    { region: config.primaryRegion, role: 'primary' },
    { region: config.drRegion, role: 'dr' },
  ];
  const regions = regionRoles.map(async ({ region, role }): Promise<RegionStatus> => {
    const [alarms, metrics] = await Promise.all([
      settle(gateway.alarmsInAlarm({ region, prefix: config.alarmPrefix })),
      settle(regionMetrics(gateway, config, region, now)),
    ]);
    const healthChecks: HealthCheckLine[] = [];
    for (const r of records.filter((rec) => rec.region === region && rec.healthCheckId)) {
      const id = r.healthCheckId as string;
      const read = (await healthById.get(id)) as HealthRead;
      const where = { recordName: r.name, setIdentifier: r.setIdentifier };
      if (!read.calculated) {
        for (const line of read.lines) healthChecks.push({ ...line, ...where });
        continue;
      }
      // A calculated check has no checkers of its own: what Route 53 makes of it, then its children, each
      // named (two lines of one record reading "UNHEALTHY" and "healthy" would look like a contradiction).
      healthChecks.push({
        healthCheckId: id,
        ...where,
        role: 'calculated',
        ...(read.flags ? { flags: read.flags } : {}),
        ...(read.threshold
          ? { threshold: { ...read.threshold, ...declaredThreshold(id, input.switchSets) } }
          : {}),
        report: read.effective
          ? { ok: true, value: read.effective }
          : {
              ok: false,
              failure: {
                service: 'Route 53',
                action: 'GetHealthCheckStatus',
                message:
                  'Route 53 uses a calculated check here; it cannot be told while a child check is unreadable.',
                retryable: true,
              },
            },
      });
      for (const line of read.lines)
        healthChecks.push({
          ...line,
          ...where,
          ...childRole(line.healthCheckId, read, input.switchSets ?? []),
        });
    }
    return { region, role, healthChecks, alarms, metrics };
  });

  const healthReports: Record<string, HealthCheckReport | undefined> = {};
  for (const [id, read] of healthById) healthReports[id] = (await read).effective ?? undefined;
  const answering: AnsweringLine[] = [];
  for (const [i, p] of pairs.entries()) {
    const live = (await liveByPair[i]) as Part<RecordSetShape[]>;
    if (!live.ok) {
      answering.push({ name: p.name, type: p.type, answer: live, region: null });
      continue;
    }
    const pair =
      failoverPairs(records, live.value).find((fp) => fp.name === p.name && fp.type === p.type)?.pair ?? [];
    // A live record set that carries no health check is judged by the one the runbook declares for it,
    // so the answer can never read "PRIMARY is healthy" above that same health check's UNHEALTHY.
    const judged = pair.map((r) => ({
      ...r,
      HealthCheckId:
        r.HealthCheckId ??
        records.find((d) => d.setIdentifier === r.SetIdentifier)?.healthCheckId ??
        undefined,
    }));
    const answer = answeringRecord(judged, healthReports);
    const region = answer
      ? (records.find((r) => r.setIdentifier === answer.setIdentifier)?.region ?? null)
      : null;
    answering.push({ name: p.name, type: p.type, answer: { ok: true, value: answer }, region });
  }

  return {
    generatedAt: now.toISOString(),
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
    alarmPrefix: config.alarmPrefix,
    regions: await Promise.all(regions),
    answering,
  };
}

interface HealthRead {
  calculated: boolean;
  /** A calculated check's children's types (`RECOVERY_CONTROL`, ...), where their configuration was read. */
  childTypes?: Record<string, string>;
  /** A calculated check's HealthThreshold, of how many children. */
  threshold?: { needed: number; of: number };
  /** A calculated check's own Inverted / Disabled (`checkersHealthy`: what its children make of it). */
  flags?: HealthCheckLine['flags'];
  lines: Pick<HealthCheckLine, 'healthCheckId' | 'report' | 'flags'>[];
  /** As Route 53 uses it (Inverted applied, a calculated check derived); null when it cannot be told. */
  effective: HealthCheckReport | null;
}

/**
 * A record's health check with its configuration: Inverted and Disabled are applied, and a calculated
 * check (the PRIMARY record's, with the failover switch) is derived from its children. A configuration
 * that cannot be read (GetHealthCheck denied or failing) leaves the checkers' view as it is. Every line
 * shows the check as Route 53 uses it: the checkers' raw view of an Inverted endpoint check would read
 * healthy under a calculated check that fails because of it.
 */
async function readHealth(gateway: AwsGateway, id: string): Promise<HealthRead> {
  const config = await settle(gateway.healthCheckConfig(id));
  const cfg = config.ok ? config.value : null;
  if (cfg?.type !== 'CALCULATED') {
    const line = routeFiftyThreeLine(id, await settle(gateway.healthCheckStatus(id)), cfg);
    return {
      calculated: false,
      lines: [line],
      effective: line.report.ok ? line.report.value : null,
    };
  }
  const children = await Promise.all(
    cfg.childHealthChecks.map(async (child) => {
      const [report, childConfig] = await Promise.all([
        settle(gateway.healthCheckStatus(child)),
        settle(gateway.healthCheckConfig(child)),
      ]);
      return {
        child,
        type: childConfig.ok ? childConfig.value?.type : undefined,
        line: routeFiftyThreeLine(child, report, childConfig.ok ? childConfig.value : null),
      };
    }),
  );
  // As calculatedReport counts it: HealthThreshold, or every child when it is not set.
  const needed = cfg.healthThreshold ?? children.length;
  const effective = calculatedReport(
    cfg,
    children.map((c) => (c.line.report.ok ? c.line.report.value : null)),
  );
  return {
    calculated: true,
    childTypes: Object.fromEntries(children.flatMap((c) => (c.type ? [[c.child, c.type]] : []))),
    threshold: { needed, of: children.length },
    ...(effective && (cfg.inverted || cfg.disabled)
      ? {
          flags: {
            inverted: cfg.inverted,
            disabled: cfg.disabled,
            checkersHealthy: effective.healthyCheckers >= needed,
          },
        }
      : {}),
    lines: children.map((c) => c.line),
    effective,
  };
}

/** One check's line as Route 53 uses it, with the flags that made it differ from what the checkers see. */
function routeFiftyThreeLine(
  id: string,
  report: Part<HealthCheckReport>,
  cfg: HealthCheckConfigView | null,
): HealthRead['lines'][number] {
  if (!report.ok) return { healthCheckId: id, report };
  const flagged = cfg && (cfg.inverted || cfg.disabled);
  return {
    healthCheckId: id,
    report: { ok: true, value: effectiveReport(report.value, cfg) },
    ...(flagged
      ? { flags: { inverted: cfg.inverted, disabled: cfg.disabled, checkersHealthy: report.value.healthy } }
      : {}),
  };
}

/** The HealthThreshold the runbook's switch table declares for a calculated check, if it names it. */
function declaredThreshold(id: string, sets: readonly FailoverSwitchSet[] = []): { declared?: number } {
  const set = sets.find((s) => s.calculatedHealthCheckId === id);
  return set ? { declared: set.healthThreshold } : {};
}

/** A calculated check's child, named from the runbook's switch table, else from its type. */
function childRole(
  id: string,
  read: HealthRead,
  sets: readonly FailoverSwitchSet[],
): Pick<HealthCheckLine, 'role' | 'switchId'> {
  for (const set of sets) {
    const sw = set.switches.find((x) => x.healthCheckId === id);
    if (sw) return { role: 'switch', switchId: sw.id };
    if (set.primaryHealthCheckIds.includes(id)) return { role: 'endpoint' };
  }
  return { role: read.childTypes?.[id] === 'RECOVERY_CONTROL' ? 'routing-control' : 'child' };
}

function uniquePairs(records: FailoverRecord[]): { hostedZoneId: string; name: string; type: string }[] {
  const seen = new Set<string>();
  const out: { hostedZoneId: string; name: string; type: string }[] = [];
  for (const r of records) {
    const key = `${normalizeZoneId(r.hostedZoneId)} ${r.name.toLowerCase()} ${r.type.toUpperCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ hostedZoneId: normalizeZoneId(r.hostedZoneId), name: r.name, type: r.type });
  }
  return out;
}

async function regionMetrics(
  gateway: AwsGateway,
  config: AwsConfig,
  region: string,
  now: Date,
): Promise<RegionMetrics> {
  const windowMinutes = config.metrics.windowMinutes;
  const queries = statusQueries(config.metrics, region, { simulated: gateway.mode === 'simulated' });
  const window = { start: new Date(now.getTime() - windowMinutes * 60_000), end: now };
  const series = await gateway.metricData({ region, queries, window });
  const hasApi = queries.some((q) => q.id === STATUS_QUERY.requests);
  const total = (id: string): number | null => {
    const values = seriesValues(series, id);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const p99Values = seriesValues(series, STATUS_QUERY.p99);
  const requests = hasApi ? total(STATUS_QUERY.requests) : null;
  const errors = hasApi ? total(STATUS_QUERY.errors) : null;
  return {
    requests,
    errors,
    errorRate: requests !== null && requests > 0 ? (errors ?? 0) / requests : null,
    p99LatencyMs: p99Values.length > 0 ? Math.max(...p99Values) : null,
    // No datapoints is no data, not zero: a region that answers nothing must not read as a quiet one.
    bedrockThrottles: total(STATUS_QUERY.throttles),
    windowMinutes,
    ...(series.some((s) => s.statusCode !== undefined && s.statusCode !== 'Complete')
      ? { partial: true }
      : {}),
    note: hasApi ? null : `API metrics are not configured for ${region} (set API_IDS).`,
  };
}
