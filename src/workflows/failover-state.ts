/**
 * Reading Route 53 failover state from what the API reports: is a health check healthy, which record set
 * of a failover pair answers DNS queries now, and is the primary region down (the "Confirm primary failure"
 * evidence). Pure: the AWS adapter fetches, this module decides.
 */
import type { FailoverRecord } from '../runbooks/model/model';
import { normalizeRecordName, type RecordSetShape } from './failover-plan';

/** One Route 53 health checker's latest observation. */
export interface HealthObservation {
  /** Checker region, e.g. `us-east-1`, `eu-west-1`, `ap-southeast-1`. */
  checkerRegion: string;
  ipAddress: string | null;
  /** Route 53's status text, e.g. `Success: HTTP Status Code 200, OK` or `Failure: Connection timed out...`. */
  status: string;
  checkedAt: string | null;
  healthy: boolean;
}

export interface HealthCheckReport {
  healthCheckId: string;
  observations: HealthObservation[];
  healthyCheckers: number;
  /** Route 53's own rule: healthy when more than 18% of the checkers report healthy. */
  healthy: boolean;
}

/** Route 53 counts an endpoint healthy when more than this share of checkers report it healthy. */
export const HEALTHY_CHECKER_SHARE = 0.18;

export function observationIsHealthy(status: string): boolean {
  return /^success/i.test(status.trim());
}

export function summarizeHealthCheck(
  healthCheckId: string,
  observations: HealthObservation[],
): HealthCheckReport {
  const healthyCheckers = observations.filter((o) => o.healthy).length;
  const healthy = observations.length > 0 && healthyCheckers / observations.length > HEALTHY_CHECKER_SHARE;
  return { healthCheckId, observations, healthyCheckers, healthy };
}

export interface AnsweringRecord {
  name: string;
  type: string;
  setIdentifier: string | null;
  failover: string | null;
  /** Why this one answers, in words. */
  reason: string;
}

/**
 * Which record set of one failover pair (same name and type) Route 53 answers with: the PRIMARY when it is
 * healthy (or has no health check), else a healthy SECONDARY, else the PRIMARY again (Route 53 answers with
 * the primary when both are unhealthy).
 */
export function answeringRecord(
  pair: RecordSetShape[],
  health: Record<string, HealthCheckReport | undefined>,
): AnsweringRecord | null {
  const primary = pair.find((r) => r.Failover === 'PRIMARY');
  const secondary = pair.find((r) => r.Failover === 'SECONDARY');
  const first = primary ?? secondary;
  if (!first) return null;
  const isHealthy = (r: RecordSetShape): boolean | null => {
    if (!r.HealthCheckId) return true;
    const report = health[r.HealthCheckId];
    return report ? report.healthy : null;
  };
  const describe = (r: RecordSetShape, reason: string): AnsweringRecord => ({
    name: r.Name,
    type: r.Type,
    setIdentifier: r.SetIdentifier ?? null,
    failover: r.Failover ?? null,
    reason,
  });
  if (!primary) return describe(first, 'only a SECONDARY record set exists');
  const primaryHealthy = isHealthy(primary);
  if (primaryHealthy === true) return describe(primary, 'PRIMARY is healthy');
  if (primaryHealthy === null) return describe(primary, 'PRIMARY health unknown; assuming it answers');
  if (secondary && isHealthy(secondary) !== false) return describe(secondary, 'PRIMARY is unhealthy');
  return describe(primary, 'both are unhealthy, so Route 53 answers with the PRIMARY');
}

/** Group live record sets into failover pairs by name and type, in the order the runbook declares them. */
export function failoverPairs(
  records: FailoverRecord[],
  live: RecordSetShape[],
): { name: string; type: string; pair: RecordSetShape[] }[] {
  const seen = new Set<string>();
  const out: { name: string; type: string; pair: RecordSetShape[] }[] = [];
  for (const record of records) {
    const key = `${normalizeRecordName(record.name)} ${record.type.toUpperCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pair = live.filter(
      (r) =>
        normalizeRecordName(r.Name) === normalizeRecordName(record.name) &&
        r.Type.toUpperCase() === record.type.toUpperCase() &&
        r.Failover !== undefined,
    );
    out.push({ name: record.name, type: record.type, pair });
  }
  return out;
}

export interface PrimaryHealthEvidence {
  /** True when at least one of the primary region's health checks is unhealthy. */
  primaryUnhealthy: boolean;
  /** The primary region's health checks (from the declared records) and what they report. */
  checks: { healthCheckId: string; recordName: string; healthy: boolean | null }[];
  /** Human-readable summary line. */
  summary: string;
}

/**
 * "Confirm primary failure": the primary is down when any health check of a record set declared in the
 * primary region reports unhealthy. A check we could not read, or one no checker has observed, counts as not
 * proven unhealthy.
 */
export function primaryHealthEvidence(
  records: FailoverRecord[],
  health: Record<string, HealthCheckReport | undefined>,
  primaryRegion: string,
): PrimaryHealthEvidence {
  const checks = records
    .filter((r) => r.region === primaryRegion && r.healthCheckId)
    .map((r) => {
      const id = r.healthCheckId as string;
      const report = health[id];
      // No checker observation is no evidence either way (a check not yet observed): unknown, never UNHEALTHY.
      const read = report && report.observations.length > 0;
      return { healthCheckId: id, recordName: r.name, healthy: read ? report.healthy : null };
    });
  const unhealthy = checks.filter((c) => c.healthy === false);
  const unknown = checks.filter((c) => c.healthy === null);
  let summary: string;
  if (checks.length === 0) summary = `No health checks are declared for ${primaryRegion}.`;
  else if (unhealthy.length > 0) {
    summary = `${unhealthy.length} of ${checks.length} ${primaryRegion} health checks report UNHEALTHY.`;
  } else if (unknown.length > 0)
    summary = `${unknown.length} of ${checks.length} ${primaryRegion} health checks could not be read or have no checker observations.`;
  else summary = `All ${checks.length} ${primaryRegion} health checks report healthy.`;
  return { primaryUnhealthy: unhealthy.length > 0, checks, summary };
}
