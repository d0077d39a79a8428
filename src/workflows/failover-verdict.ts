/**
 * The evidence verdict of "Update Route 53" (failover) and "DNS cutback" (failback): from the switch, the
 * health checks with their Inverted flags, the live records (when the control plane answers) and the
 * answer of the zone's authoritative name servers, decide whether traffic is where the direction wants it
 * (only then may the step be marked done, short of an override), why not, what was changed outside the
 * bot (a switch turned by hand, swapped records, an inverted or disabled check), and whether the
 * record-swap fallback should be offered. Pure.
 */
import type { FailoverRecord, FailoverSwitchSet } from '../runbooks/model/model';
import { type DnsReading, type DnsVerdict, dnsVerdict } from './dns-answer';
import {
  type FailoverDirection,
  findLiveRecord,
  normalizeZoneId,
  type RecordSetShape,
} from './failover-plan';
import { type SwitchReading, setPosition } from './failover-switch';
import { evaluateHealth, type HealthCheckView, type HealthVerdict, predictedRole } from './health-tree';

/** What this run's switch write did, when it tried one. */
export interface SwitchWriteOutcome {
  succeeded: string[];
  /** `retryable`: the failure may pass by itself (a timeout, throttling, a 5xx), as opposed to a refusal. */
  failed: { switchId: string; error: string; retryable?: boolean }[];
}

export interface FailoverEvidence {
  direction: FailoverDirection;
  set: FailoverSwitchSet;
  /** The runbook's records table (normal roles). */
  records: FailoverRecord[];
  switches: SwitchReading[];
  health: Record<string, HealthCheckView | undefined>;
  /** Null when the checklist declares no `dns=` table. */
  dns: DnsReading | null;
  /**
   * ListResourceRecordSets (control plane), keyed by hosted zone id (`normalizeZoneId`), as the failover plan
   * reads them: the same pair may be declared in two zones (public and private); null when it could not be read.
   */
  liveRecords: Record<string, RecordSetShape[]> | null;
  write?: SwitchWriteOutcome | null;
}

export interface FailoverVerdict {
  direction: FailoverDirection;
  targetRegion: string;
  switchPosition: 'on' | 'off' | 'unknown';
  health: Record<string, HealthVerdict>;
  /** Where Route 53 should answer given the health checks; null when it cannot be told. */
  predictedRegion: string | null;
  dns: DnsVerdict | null;
  /** The step may be marked done: the authoritative answer is the target region's. */
  routeDone: boolean;
  reasons: string[];
  /** Changes made outside the bot and faults a person must look at. */
  anomalies: string[];
  /** The switch, records or checks were changed by something other than this run. */
  changedOutside: boolean;
  /** Null when the records could not be read. */
  recordsSwapped: boolean | null;
  fallback: { available: boolean; reason: string };
}

export function failoverVerdict(e: FailoverEvidence): FailoverVerdict {
  const { set, direction } = e;
  const targetRegion = direction === 'failover' ? set.secondaryRegion : set.primaryRegion;
  const otherRegion = direction === 'failover' ? set.primaryRegion : set.secondaryRegion;
  const health = evaluateHealth(set, e.health, e.switches);
  const position = setPosition(e.switches);
  const reasons: string[] = [];
  const anomalies: string[] = [];

  const recordsSwapped = swapped(e.records, e.liveRecords);
  if (recordsSwapped)
    anomalies.push(
      `The records are swapped: the ${set.secondaryRegion} record is PRIMARY (the record-swap fallback was used, or someone edited them by hand). The switch alone no longer decides.`,
    );
  for (const v of Object.values(health)) {
    const role = roleOf(set, v.healthCheckId);
    if (v.inverted)
      anomalies.push(
        `Health check ${v.healthCheckId} (${role}) is Inverted: Route 53 reports the opposite of what it sees. Nothing in the runbook inverts a check; someone did. Find out why, then undo it (update-health-check --no-inverted).`,
      );
    if (v.disabled)
      anomalies.push(
        `Health check ${v.healthCheckId} (${role}) is Disabled: Route 53 counts it healthy whatever its endpoint does.`,
      );
  }
  if (Object.values(e.health).some((v) => v && !v.config))
    reasons.push('Some Inverted flags could not be read (Route 53 control plane); they are assumed off.');
  // The switch acts only through the PRIMARY record's calculated check: a switch check no longer among its
  // children (edited by hand) cannot move traffic, whatever the switch says.
  const children = e.health[set.calculatedHealthCheckId]?.config?.childHealthChecks;
  const detached = children?.length
    ? set.switches.filter((s) => !children.includes(s.healthCheckId)).map((s) => s.healthCheckId)
    : [];
  for (const id of detached)
    anomalies.push(
      `The calculated check ${set.calculatedHealthCheckId} no longer has the switch's check ${id} among its children (edited by hand): turning the switch cannot move traffic. Put it back (infra/dr.yaml).`,
    );

  const secondary = combine(set.secondaryHealthCheckIds.map((id) => health[id]?.healthy ?? null));
  const role = predictedRole(health[set.calculatedHealthCheckId]?.healthy ?? null, secondary);
  const predictedRegion = role ? regionOfRole(role, e.records, e.liveRecords, recordsSwapped) : null;
  const dns = e.dns ? dnsVerdict(e.dns) : null;
  const wanted = direction === 'failover' ? 'off' : 'on';
  // Answering the target is done only when it is held there: the switch turned (or the records swapped by
  // the fallback). Route 53 answering it on its own (the region left fails its own check) moves back the
  // moment that check passes: the runbook holds traffic with the switch, not with a failing check.
  const answersTarget = dns?.region === targetRegion;
  // Held in eu-west-1 (failover): the switch Off (an unswapped record's PRIMARY fails its calculated check,
  // a swapped one's PRIMARY is eu-west-1's own), or every record swapped. Held in af-south-1 (failback): the
  // switch On over records read and found unswapped; swapped (or unreadable) records may answer af-south-1
  // only while eu-west-1 fails.
  // The switches act only through the calculated check as Route 53 evaluates it: a switch check Disabled
  // (counted healthy), Inverted (Off reads healthy, On unhealthy) or detached from it (edited by hand) does
  // not turn it, whatever its switch says. Held in eu-west-1: the calculated check fails even while
  // af-south-1 passes (one acting switch Off is enough: every child is needed). Held in af-south-1: it
  // passes while af-south-1 does.
  const calculatedWhilePrimaryPasses = calculatedWithPrimaryUp(e, health);
  const switchActs =
    direction === 'failover' ? calculatedWhilePrimaryPasses === false : calculatedWhilePrimaryPasses === true;
  // Unreadable records (the control plane) are unswapped when eu-west-1 passes its own check and Route 53
  // still answers af-south-1: swapped, eu-west-1's record would be PRIMARY and answer.
  // That proof holds for one record set only: the name asked says nothing of another the fallback may
  // have swapped.
  const pairs = e.records.filter((r) => r.failover === 'PRIMARY').length;
  const unswapped =
    recordsSwapped === false || (recordsSwapped === null && secondary === true && pairs === 1);
  // A failback's switch On over unswapped records sends traffic to af-south-1 while it is healthy even when
  // the switch's check is Disabled or detached (both read healthy), not when it is Inverted (On reads
  // unhealthy: Route 53 answers eu-west-1 as soon as it passes).
  const held =
    direction === 'failover'
      ? (position === wanted && switchActs) || everySwapped(e.records, e.liveRecords)
      : position === wanted && switchActs && unswapped;
  const routeDone = answersTarget && held;

  if (!e.dns) reasons.push('The checklist declares no dns= table: the bot cannot ask the name servers.');
  else if (routeDone) reasons.push(`Done: ${dns?.summary}`);
  else if (answersTarget)
    reasons.push(
      `Route 53 answers ${targetRegion}, but nothing holds traffic there: ${
        position !== wanted
          ? `the switch is ${position === 'unknown' ? 'unreadable' : position.toUpperCase()}, not ${wanted.toUpperCase()}, so it moves back as soon as the other region passes its health check`
          : !switchActs
            ? direction === 'failover'
              ? 'the switch is where it should be, but the calculated check does not fail with it (its health check Disabled or Inverted, or no longer part of the calculated check: edited by hand), so it cannot hold traffic'
              : `the switch is where it should be, but the calculated check fails even while ${targetRegion} passes (a health check Inverted), so Route 53 answers it only while ${otherRegion} fails its check`
            : 'the switch is where it should be, but the records are swapped (or could not be read to prove they are not), so they answer it only while the other region fails its check'
      }. ${dns?.summary ?? ''}`,
      ...whyNot(e, health, position, secondary, targetRegion, otherRegion, recordsSwapped),
    );
  else {
    reasons.push(dns?.region ? `Route 53 still answers ${dns.region}. ${dns.summary}` : (dns?.summary ?? ''));
    reasons.push(...whyNot(e, health, position, secondary, targetRegion, otherRegion, recordsSwapped));
  }
  if (predictedRegion && dns?.region && predictedRegion !== dns.region && !dns.mixed)
    reasons.push(
      `The health checks say Route 53 should answer ${predictedRegion}, but it answers ${dns.region}: Route 53 may still be propagating (about a minute), or something outside the runbook's records answers.`,
    );

  const wroteNow = (e.write?.succeeded.length ?? 0) > 0;
  const switchedOutside = position === wanted && !wroteNow;
  if (switchedOutside)
    anomalies.push(
      `The switch was already ${wanted.toUpperCase()} before this run turned it: changed by hand or by an earlier run.`,
    );
  const changedOutside =
    switchedOutside ||
    recordsSwapped === true ||
    detached.length > 0 ||
    anomalies.some((a) => /Inverted|Disabled/.test(a));

  return {
    direction,
    targetRegion,
    switchPosition: position,
    health,
    predictedRegion,
    dns,
    routeDone,
    reasons: reasons.filter((r) => r !== ''),
    anomalies,
    changedOutside,
    recordsSwapped,
    fallback: fallbackOf(e, routeDone, answersTarget, recordsSwapped, secondary),
  };
}

function whyNot(
  e: FailoverEvidence,
  health: Record<string, HealthVerdict>,
  position: 'on' | 'off' | 'unknown',
  secondaryHealthy: boolean | null,
  target: string,
  other: string,
  recordsSwapped: boolean | null,
): string[] {
  const out: string[] = [];
  const { set } = e;
  const switchChecks = set.switches.map((s) => health[s.healthCheckId]);
  const primaryEndpoints = set.primaryHealthCheckIds.map((id) => health[id]);
  if (e.direction === 'failover') {
    if (position === 'on') out.push(`The switch is On: turn it off to move traffic to ${target}.`);
    if (position === 'unknown') out.push('The switch could not be read.');
    if (position === 'off' && switchChecks.some((v) => v?.healthy === true && v.basis === 'observed'))
      out.push(
        'The switch is Off but its health check still passes: Route 53 needs about 30–40 s (3 checks of 10 s) to notice.',
      );
    if (secondaryHealthy === false)
      out.push(
        `The ${target} check is unhealthy: while it is, Route 53 answers PRIMARY (${other}) whatever the switch says. ${target} is not ready for traffic.`,
      );
  } else {
    if (position === 'off') out.push(`The switch is Off: turn it on to move traffic back to ${target}.`);
    if (position === 'unknown') out.push('The switch could not be read.');
    if (primaryEndpoints.some((v) => v?.healthy === false))
      out.push(`${target}'s endpoint check fails: Route 53 will not answer ${target} until it passes.`);
    if (position === 'on' && switchChecks.some((v) => v?.healthy === false && v.basis === 'observed'))
      out.push('The switch is On but its health check still fails: Route 53 needs about 30–40 s to notice.');
    if (recordsSwapped) out.push('The records are swapped: swap them back (the fallback, reversed).');
  }
  const calc = health[set.calculatedHealthCheckId];
  if (calc?.inverted) out.push('The calculated check is Inverted, which turns the switch around.');
  return out;
}

function fallbackOf(
  e: FailoverEvidence,
  routeDone: boolean,
  /** The name servers answer the target region, held there or not. */
  answersTarget: boolean,
  recordsSwapped: boolean | null,
  secondaryHealthy: boolean | null,
): FailoverVerdict['fallback'] {
  if (e.direction === 'failback') {
    return recordsSwapped
      ? {
          available: true,
          reason:
            'The records were swapped by the fallback: swapping them back needs the Route 53 control plane.',
        }
      : { available: false, reason: 'Failback turns the switch back on; the records were not swapped.' };
  }
  const write = e.write;
  // Swapped, the standby's record is PRIMARY: were it unhealthy too, Route 53 would answer it anyway (both
  // unhealthy: the PRIMARY), sending every request to a region that is down. Unswapped it answers the
  // primary. Never offered while the standby's own check fails.
  if (secondaryHealthy === false)
    return {
      available: false,
      reason: `${e.set.secondaryRegion}'s own health check fails: a record swap would send traffic to it. Nothing to swap until ${e.set.secondaryRegion} passes.`,
    };
  if (write && write.succeeded.length === 0 && write.failed.length > 0) {
    const why = write.failed.map((f) => `${f.switchId}: ${f.error}`).join('; ');
    // An unreadable switch object fails its health check, so traffic may have moved by itself (S3 down in the
    // standby region); it is not held: once the object answers again it still says On.
    return answersTarget
      ? {
          available: true,
          reason: `No switch could be written (${why}). Traffic answers ${e.set.secondaryRegion} only because the switch check cannot read the switch; it is not held: once the switch answers again it still says On and traffic returns to ${e.set.primaryRegion}. Turn the switch off as soon as it answers, or hold traffic with the record swap: a Route 53 control-plane change (us-east-1), behind its own confirmation.`,
        }
      : {
          available: true,
          reason: `No switch could be written (${why}). The record swap is the fallback: a Route 53 control-plane change (us-east-1), behind its own confirmation.`,
        };
  }
  if (routeDone) return { available: false, reason: 'Traffic already goes where it should.' };
  if (!write && e.switches.length > 0 && e.switches.every((s) => s.position === null))
    return {
      available: false,
      reason:
        'No switch could be read; try turning it first (a write may work where a read did not). The record swap is offered only if that fails.',
    };
  return { available: false, reason: 'The switch can act.' };
}

/**
 * What the calculated check reports while af-south-1's endpoint passes, given the switches as they are: each
 * switch's check taken from its switch's position (what it reports once Route 53 has noticed) with its own
 * Disabled and Inverted flags, the calculated check's children and threshold as read (the runbook's when
 * unreadable, flags then assumed off) and its own flags. A child the runbook does not name counts as Route 53
 * sees it now. Null when it cannot be told (a switch that counts could not be read).
 */
function calculatedWithPrimaryUp(e: FailoverEvidence, health: Record<string, HealthVerdict>): boolean | null {
  const { set } = e;
  const config = e.health[set.calculatedHealthCheckId]?.config ?? null;
  const declared = [...set.primaryHealthCheckIds, ...set.switches.map((s) => s.healthCheckId)];
  const children = config?.childHealthChecks.length ? config.childHealthChecks : declared;
  const threshold = config?.healthThreshold ?? set.healthThreshold;
  const counted = children.map((id): boolean | null => {
    // af-south-1's own check passes by assumption, as Route 53 reports it: its Inverted flag turns it (and
    // Disabled counts it healthy), so an Inverted check fails the calculated check the moment it recovers.
    if (set.primaryHealthCheckIds.includes(id)) return flagged(true, e.health[id]?.config ?? null);
    const sw = set.switches.find((s) => s.healthCheckId === id);
    if (!sw) return health[id]?.healthy ?? null;
    const position = e.switches.find((r) => r.switchId === sw.id)?.position ?? null;
    return position === null ? null : flagged(position === 'on', e.health[id]?.config ?? null);
  });
  const healthy = counted.filter((v) => v === true).length;
  const unknown = counted.filter((v) => v === null).length;
  // Disabled, Route 53 counts the calculated check healthy whatever its children say.
  const raw = config?.disabled
    ? true
    : healthy >= threshold
      ? true
      : healthy + unknown < threshold
        ? false
        : null;
  return raw === null ? null : flagged(raw, config);
}

/** A check's raw result as Route 53 reports it: Disabled counts healthy, Inverted turns it around. */
function flagged(raw: boolean, config: { disabled: boolean; inverted: boolean } | null): boolean {
  const base = config?.disabled ? true : raw;
  return config?.inverted ? !base : base;
}

/** A declared record's live copy, in its own hosted zone (not the same name's in another zone). */
function liveOf(record: FailoverRecord, live: Record<string, RecordSetShape[]>): RecordSetShape | undefined {
  return findLiveRecord(record, live[normalizeZoneId(record.hostedZoneId)] ?? []);
}

/** True when the live PRIMARY record is one the runbook declares SECONDARY. */
function swapped(records: FailoverRecord[], live: Record<string, RecordSetShape[]> | null): boolean | null {
  if (!live) return null;
  for (const r of records) {
    const current = liveOf(r, live);
    if (current?.Failover && current.Failover !== r.failover) return true;
  }
  return false;
}

/** True when every declared record set is live with the other role (the fallback's swap, all of it). */
function everySwapped(records: FailoverRecord[], live: Record<string, RecordSetShape[]> | null): boolean {
  if (!live || records.length === 0) return false;
  return records.every((r) => {
    const current = liveOf(r, live);
    return current?.Failover !== undefined && current.Failover !== r.failover;
  });
}

function regionOfRole(
  role: 'PRIMARY' | 'SECONDARY',
  records: FailoverRecord[],
  live: Record<string, RecordSetShape[]> | null,
  recordsSwapped: boolean | null,
): string | null {
  const declared = records.find((r) => r.failover === role);
  if (!recordsSwapped || !live) return declared?.region ?? null;
  const current = records.find((r) => liveOf(r, live)?.Failover === role);
  return current?.region ?? null;
}

function combine(values: (boolean | null)[]): boolean | null {
  if (values.some((v) => v === false)) return false;
  if (values.length > 0 && values.every((v) => v === true)) return true;
  return null;
}

function roleOf(set: FailoverSwitchSet, id: string): string {
  if (id === set.calculatedHealthCheckId) return 'calculated, PRIMARY record';
  if (set.primaryHealthCheckIds.includes(id)) return `${set.primaryRegion} endpoint`;
  if (set.secondaryHealthCheckIds.includes(id)) return `${set.secondaryRegion} endpoint, SECONDARY record`;
  const sw = set.switches.find((s) => s.healthCheckId === id);
  return sw ? `switch ${sw.id}` : 'health check';
}
