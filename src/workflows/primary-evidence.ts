/**
 * "Confirm primary failure" on a checklist with a failover switch (`switch=`): the PRIMARY record carries a
 * calculated check, which GetHealthCheckStatus refuses to report, so the evidence is the switch table's own
 * endpoint checks: the primary region's (is it failing?) and the secondary's (can it take the traffic?), as
 * the checkers see them, with each check's Inverted / Disabled flag and the calculated check derived from its
 * children (./health-tree.ts). When Route 53's control plane (us-east-1) does not answer, the checks are
 * unknown and the evidence says so, with what is still known: the switch and the name servers' answer.
 * Pure.
 */
import type { FailoverSwitchSet } from '../runbooks/model/model';
import type { DnsVerdict } from './dns-answer';
import type { FailoverVerdict } from './failover-verdict';
import type { HealthCheckView } from './health-tree';

export type PrimaryOutcome = 'unhealthy' | 'healthy' | 'standby-unhealthy' | 'unknown';

export interface CheckLine {
  healthCheckId: string;
  /** `af-south-1 endpoint`, `eu-west-1 endpoint`, `switch dr-s3`, `calculated, PRIMARY record`. */
  role: string;
  /** What the checkers see (before Inverted / Disabled); null when Route 53 could not be asked. */
  observed: boolean | null;
  /** What Route 53 uses (flags applied, a calculated check derived); null when unknown. */
  effective: boolean | null;
  detail: string;
  flags: string[];
}

export interface PrimaryFailureEvidence {
  outcome: PrimaryOutcome;
  summary: string;
  checks: CheckLine[];
  /** Route 53's control plane answered none of the health check reads. */
  controlPlaneDown: boolean;
  dns: DnsVerdict | null;
  /** Things a person must look at (an inverted or disabled check, a switch already off). */
  warnings: string[];
}

/** Route 53's checkers report every 10 to 30 s: observations older than this are not what they see now. */
export const OBSERVATION_MAX_AGE_MS = 10 * 60_000;

/**
 * `views`: what was read of each check; `verdict`: the failover verdict over the same evidence; `now`: when
 * they were read. A Disabled check (Route 53 no longer checks it; it keeps its last observations) and
 * observations older than `OBSERVATION_MAX_AGE_MS` are no evidence of what the endpoint does now.
 */
export function primaryFailureEvidence(
  set: FailoverSwitchSet,
  views: Record<string, HealthCheckView | undefined>,
  verdict: FailoverVerdict,
  now: Date = new Date(),
): PrimaryFailureEvidence {
  const current = (report: NonNullable<HealthCheckView['report']>) =>
    report.observations.some(
      (o) => o.checkedAt === null || now.getTime() - Date.parse(o.checkedAt) <= OBSERVATION_MAX_AGE_MS,
    );
  const line = (id: string, role: string): CheckLine => {
    const view = views[id];
    const report = view?.report ?? null;
    const observed =
      report && report.observations.length > 0 && !view?.config?.disabled && current(report)
        ? report.healthy
        : null;
    const effective = verdict.health[id]?.healthy ?? null;
    const flags = [
      ...(view?.config?.inverted ? ['Inverted'] : []),
      ...(view?.config?.disabled ? ['Disabled'] : []),
    ];
    const detail = report
      ? `${report.healthyCheckers} of ${report.observations.length} checkers see it pass`
      : (verdict.health[id]?.note ?? 'not read');
    return { healthCheckId: id, role, observed, effective, detail, flags };
  };
  const primary = set.primaryHealthCheckIds.map((id) => line(id, `${set.primaryRegion} endpoint`));
  const secondary = set.secondaryHealthCheckIds.map((id) => line(id, `${set.secondaryRegion} endpoint`));
  const switches = set.switches.map((s) => line(s.healthCheckId, `switch ${s.id}`));
  const calculated = line(set.calculatedHealthCheckId, 'calculated, PRIMARY record');
  const checks = [...primary, ...secondary, ...switches, calculated];

  const readable = Object.values(views).some((v) => v?.config || v?.report);
  const controlPlaneDown = !readable;
  const primaryFailing = primary.some((c) => c.observed === false);
  const primaryUnknown = primary.length === 0 || primary.some((c) => c.observed === null);
  // The standby as Route 53 counts it (Inverted applied): that decides whether a failover can move traffic.
  const standbyFailing = secondary.some((c) => (c.effective ?? c.observed) === false);

  let outcome: PrimaryOutcome;
  let summary: string;
  if (primaryFailing && standbyFailing) {
    outcome = 'standby-unhealthy';
    summary = `${set.primaryRegion}'s endpoint check fails, and so does ${set.secondaryRegion}'s: a failover would not move traffic (Route 53 answers PRIMARY when both are unhealthy).`;
  } else if (primaryFailing) {
    outcome = 'unhealthy';
    summary = `${set.primaryRegion}'s endpoint check fails (Route 53's checkers); ${set.secondaryRegion}'s ${secondary.some((c) => c.observed === null) ? 'could not be read' : 'passes'}.`;
  } else if (primaryUnknown) {
    outcome = 'unknown';
    summary = controlPlaneDown
      ? `Route 53's control plane (us-east-1) did not answer, so the health checks are unknown. What is known: ${known(verdict)}`
      : `${set.primaryRegion}'s endpoint check could not be read. What is known: ${known(verdict)}`;
  } else {
    outcome = 'healthy';
    summary = `Route 53's checkers see ${set.primaryRegion} pass. A gray failure (users failing while /v1/health passes) is not visible here: check the alarms and the deep health, and decide by the runbook's criteria.`;
  }

  const warnings: string[] = [];
  for (const c of checks) {
    if (c.flags.includes('Inverted'))
      warnings.push(
        `Health check ${c.healthCheckId} (${c.role}) is Inverted: Route 53 reports the opposite of what its checkers see. No runbook step inverts a check; find out who did, and undo it.`,
      );
    if (c.flags.includes('Disabled'))
      warnings.push(
        `Health check ${c.healthCheckId} (${c.role}) is Disabled: Route 53 counts it healthy whatever its endpoint does.`,
      );
  }
  if (verdict.switchPosition === 'off')
    warnings.push(
      `The failover switch is already Off: traffic is held away from ${set.primaryRegion} (turned by hand or by an earlier run).`,
    );
  return { outcome, summary, checks, controlPlaneDown, dns: verdict.dns, warnings };
}

function known(verdict: FailoverVerdict): string {
  const parts = [
    `the switch is ${verdict.switchPosition === 'unknown' ? 'unreadable' : verdict.switchPosition.toUpperCase()}`,
  ];
  parts.push(verdict.dns ? verdict.dns.summary : 'no DNS table to ask the name servers');
  return `${parts.join('; ')}.`;
}
