/**
 * What Route 53 makes of the failover's health checks, as Route 53 itself evaluates them: an endpoint
 * check is healthy while more than 18% of its checkers see it pass; a disabled check counts as healthy; an
 * inverted check reports the opposite; a calculated check is healthy while at least HealthThreshold of its
 * children are; a routing control's check follows the control. GetHealthCheckStatus cannot report a
 * calculated check, and both it and GetHealthCheck are control-plane reads that fail in a us-east-1
 * outage, so a switch check we could not read is predicted from the switch itself (read on the data plane)
 * and says so. Pure.
 */
import type { FailoverSwitchSet } from '../runbooks/model/model';
import type { HealthCheckReport } from './failover-state';
import type { SwitchReading } from './failover-switch';

/** GetHealthCheck's configuration, as far as the failover cares. */
export interface HealthCheckConfigView {
  healthCheckId: string;
  /** `HTTPS_STR_MATCH`, `CALCULATED`, `RECOVERY_CONTROL`, ... */
  type: string;
  inverted: boolean;
  disabled: boolean;
  childHealthChecks: string[];
  healthThreshold: number | null;
  searchString: string | null;
  routingControlArn: string | null;
}

/** Everything read about one health check; null where the read failed. */
export interface HealthCheckView {
  healthCheckId: string;
  config: HealthCheckConfigView | null;
  /** GetHealthCheckStatus (never for calculated checks). */
  report: HealthCheckReport | null;
}

export interface HealthVerdict {
  healthCheckId: string;
  /** What Route 53 uses: null when it cannot be told. */
  healthy: boolean | null;
  /** `observed` from the checkers, `derived` from children, `predicted` from the switch itself. */
  basis: 'observed' | 'derived' | 'predicted' | 'unknown';
  inverted: boolean | null;
  disabled: boolean | null;
  note: string;
}

/**
 * The effective health of every check the switch set names. `views` holds what was read; `switches` the
 * switch readings (used when a switch's own check could not be read).
 */
export function evaluateHealth(
  set: FailoverSwitchSet,
  views: Record<string, HealthCheckView | undefined>,
  switches: SwitchReading[],
): Record<string, HealthVerdict> {
  const out: Record<string, HealthVerdict> = {};
  const leaf = (id: string): HealthVerdict => {
    const cached = out[id];
    if (cached) return cached;
    const verdict = leafVerdict(id, views[id], readingFor(set, switches, id));
    out[id] = verdict;
    return verdict;
  };
  for (const id of [
    ...set.primaryHealthCheckIds,
    ...set.secondaryHealthCheckIds,
    ...set.switches.map((s) => s.healthCheckId),
  ])
    leaf(id);
  out[set.calculatedHealthCheckId] = calculatedVerdict(set, views[set.calculatedHealthCheckId], leaf);
  return out;
}

function readingFor(set: FailoverSwitchSet, switches: SwitchReading[], healthCheckId: string) {
  const sw = set.switches.find((s) => s.healthCheckId === healthCheckId);
  return sw ? (switches.find((r) => r.switchId === sw.id) ?? null) : null;
}

function applyFlags(raw: boolean, config: HealthCheckConfigView): boolean {
  // A disabled check counts as healthy; Inverted turns whatever it reports around.
  const base = config.disabled ? true : raw;
  return config.inverted ? !base : base;
}

function leafVerdict(
  id: string,
  view: HealthCheckView | undefined,
  switchReading: SwitchReading | null,
): HealthVerdict {
  const config = view?.config ?? null;
  const flags = { inverted: config?.inverted ?? null, disabled: config?.disabled ?? null };
  const fromSwitch = (): HealthVerdict | null => {
    if (!switchReading || switchReading.position === null) return null;
    const raw = switchReading.position === 'on';
    const healthy = config ? applyFlags(raw, config) : raw;
    return {
      healthCheckId: id,
      healthy,
      basis: 'predicted',
      ...flags,
      note: `predicted from the switch (${switchReading.position})${config ? '' : '; Inverted unknown'}`,
    };
  };
  if (config?.type === 'RECOVERY_CONTROL') {
    return (
      fromSwitch() ?? {
        healthCheckId: id,
        healthy: null,
        basis: 'unknown',
        ...flags,
        note: 'routing control unreadable',
      }
    );
  }
  const report = view?.report ?? null;
  if (report && report.observations.length > 0) {
    const raw = report.healthy;
    const healthy = config ? applyFlags(raw, config) : raw;
    const share = `${report.healthyCheckers} of ${report.observations.length} checkers see it pass`;
    return {
      healthCheckId: id,
      healthy,
      basis: 'observed',
      ...flags,
      note: config ? share : `${share}; Inverted unknown (GetHealthCheck failed)`,
    };
  }
  return (
    fromSwitch() ?? {
      healthCheckId: id,
      healthy: null,
      basis: 'unknown',
      ...flags,
      note: 'Route 53 could not be asked (control plane)',
    }
  );
}

function calculatedVerdict(
  set: FailoverSwitchSet,
  view: HealthCheckView | undefined,
  leaf: (id: string) => HealthVerdict,
): HealthVerdict {
  const config = view?.config ?? null;
  const declared = [...set.primaryHealthCheckIds, ...set.switches.map((s) => s.healthCheckId)];
  const children = config?.childHealthChecks.length ? config.childHealthChecks : declared;
  const threshold = config?.healthThreshold ?? set.healthThreshold;
  const verdicts = children.map(leaf);
  const healthy = verdicts.filter((v) => v.healthy === true).length;
  const unknown = verdicts.filter((v) => v.healthy === null).length;
  let raw: boolean | null = null;
  if (healthy >= threshold) raw = true;
  else if (healthy + unknown < threshold) raw = false;
  const flags = { inverted: config?.inverted ?? null, disabled: config?.disabled ?? null };
  const basis = raw === null ? 'unknown' : 'derived';
  const note = `${healthy} of ${children.length} children healthy, ${threshold} needed${unknown ? ` (${unknown} unknown)` : ''}${config ? '' : '; configuration unreadable, the runbook’s children assumed'}`;
  // Disabled, Route 53 stops aggregating and counts it healthy (Inverted still turns that around).
  if (config?.disabled)
    return {
      healthCheckId: set.calculatedHealthCheckId,
      healthy: applyFlags(true, config),
      basis: 'derived',
      ...flags,
      note,
    };
  if (raw === null)
    return { healthCheckId: set.calculatedHealthCheckId, healthy: null, basis, ...flags, note };
  return {
    healthCheckId: set.calculatedHealthCheckId,
    healthy: config ? applyFlags(raw, config) : raw,
    basis,
    ...flags,
    note,
  };
}

/**
 * Which record Route 53 answers with, from the PRIMARY and SECONDARY checks' effective health: PRIMARY when
 * healthy, else SECONDARY when healthy, else PRIMARY again. Null when it cannot be told.
 */
export function predictedRole(
  primaryHealthy: boolean | null,
  secondaryHealthy: boolean | null,
): 'PRIMARY' | 'SECONDARY' | null {
  if (primaryHealthy === true) return 'PRIMARY';
  if (primaryHealthy === null) return null;
  if (secondaryHealthy === true) return 'SECONDARY';
  if (secondaryHealthy === false) return 'PRIMARY';
  return null;
}

/**
 * One check's report as Route 53 uses it: the checkers' view with Disabled and Inverted applied (the
 * observations stay what the checkers saw). Without a configuration the report is taken as it is.
 */
export function effectiveReport(
  report: HealthCheckReport,
  config: HealthCheckConfigView | null,
): HealthCheckReport {
  return config ? { ...report, healthy: applyFlags(report.healthy, config) } : report;
}

/**
 * A calculated check's report, derived from its children's effective reports (GetHealthCheckStatus cannot
 * report it): healthy while at least HealthThreshold children are, then Inverted applied. No observations:
 * `healthyCheckers` counts healthy children. Null when a needed child is unknown.
 */
export function calculatedReport(
  config: HealthCheckConfigView,
  children: (HealthCheckReport | null)[],
): HealthCheckReport | null {
  const healthy = children.filter((c) => c?.healthy === true).length;
  const unknown = children.filter((c) => !c).length;
  const threshold = config.healthThreshold ?? children.length;
  if (healthy < threshold && healthy + unknown >= threshold) return null;
  return {
    healthCheckId: config.healthCheckId,
    observations: [],
    healthyCheckers: healthy,
    healthy: applyFlags(healthy >= threshold, config),
  };
}
