/**
 * The Route 53 change behind "Execute failover" / "Execute failback", as pure data.
 *
 * The runbook's `records=route53-failover` table describes the normal state (af-south-1 PRIMARY,
 * eu-west-1 SECONDARY). Failover swaps the PRIMARY and SECONDARY roles of every declared record set;
 * failback restores the roles the table declares. Everything else about a record (alias target, values,
 * TTL, health check) is copied from the live record set read just before, so the change touches only the
 * failover role.
 *
 * Each record set is replaced with DELETE (of the exact live record) followed by CREATE, in one change batch
 * per hosted zone. Route 53 applies a batch atomically, and a DELETE that no longer matches the live record
 * fails the whole batch: if someone changed a record after we read it, nothing is written.
 *
 * The shapes mirror Route 53's API fields so the AWS adapter passes them through unchanged, but this module
 * imports nothing from the SDK (domain code stays free of AWS).
 */
import type { FailoverRecord } from '../runbooks/model/model';

export type FailoverDirection = 'failover' | 'failback';
export type FailoverRole = 'PRIMARY' | 'SECONDARY';

export interface RecordSetShape {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Failover?: string;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
  HealthCheckId?: string;
}

export interface RecordChange {
  Action: 'DELETE' | 'CREATE';
  ResourceRecordSet: RecordSetShape;
}

/** One `ChangeResourceRecordSets` call. */
export interface ZoneChangeBatch {
  hostedZoneId: string;
  comment: string;
  changes: RecordChange[];
}

/** Per declared record: the role it has now and the role it gets. */
export interface RoleMove {
  name: string;
  type: string;
  setIdentifier: string;
  region: string;
  from: string;
  to: FailoverRole;
}

export type FailoverPlan =
  | { kind: 'change'; direction: FailoverDirection; batches: ZoneChangeBatch[]; moves: RoleMove[] }
  /** Every record set already has the role the direction asks for: there is nothing to write. */
  | { kind: 'noop'; direction: FailoverDirection; moves: RoleMove[] }
  | { kind: 'error'; direction: FailoverDirection; problems: string[] };

export interface FailoverPlanInput {
  direction: FailoverDirection;
  /** The runbook's declared record sets (normal state). */
  records: FailoverRecord[];
  /** Record sets as `ListResourceRecordSets` returned them, keyed by hosted zone id. */
  live: Record<string, RecordSetShape[]>;
  /** Change comment, e.g. `runbook-bot failover run R123 by U456`; cut to Route 53's 256 characters. */
  comment: string;
}

/** Route 53's limit on a change batch comment. */
export const CHANGE_COMMENT_MAX = 256;

/** `api.example.com.` and `API.example.com` are the same name; `\052` is how Route 53 returns `*`. */
export function sameRecordName(a: string, b: string): boolean {
  return normalizeRecordName(a) === normalizeRecordName(b);
}

export function normalizeRecordName(name: string): string {
  return name.trim().toLowerCase().replace(/\\052/g, '*').replace(/\.$/, '');
}

/** `/hostedzone/Z123` and `Z123` are the same zone. */
export function normalizeZoneId(id: string): string {
  return id.trim().replace(/^\/?hostedzone\//, '');
}

export function targetRole(record: FailoverRecord, direction: FailoverDirection): FailoverRole {
  if (direction === 'failback') return record.failover;
  return record.failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY';
}

export function findLiveRecord(record: FailoverRecord, live: RecordSetShape[]): RecordSetShape | undefined {
  return live.find(
    (r) =>
      sameRecordName(r.Name, record.name) &&
      r.Type.toUpperCase() === record.type.toUpperCase() &&
      (r.SetIdentifier ?? '') === record.setIdentifier,
  );
}

export function planFailover(input: FailoverPlanInput): FailoverPlan {
  const { direction, records } = input;
  if (records.length === 0) {
    return { kind: 'error', direction, problems: ['the runbook declares no Route 53 record sets'] };
  }
  const problems: string[] = [];
  const moves: RoleMove[] = [];
  const byZone = new Map<string, { deletes: RecordChange[]; creates: RecordChange[] }>();
  for (const record of records) {
    const zone = normalizeZoneId(record.hostedZoneId);
    const current = findLiveRecord(record, input.live[zone] ?? []);
    const label = `${record.name} ${record.type} (${record.setIdentifier})`;
    if (!current) {
      problems.push(`record set ${label} was not found in hosted zone ${zone}`);
      continue;
    }
    if (current.Failover !== 'PRIMARY' && current.Failover !== 'SECONDARY') {
      problems.push(`record set ${label} has no failover routing policy`);
      continue;
    }
    // Roles are swapped on the record sets the runbook declares, as declared: a target or health check
    // changed by hand (targets swapped between the sets, a check removed) would send traffic to the region
    // being left, or make a PRIMARY Route 53 always counts healthy.
    const target = liveTarget(current);
    if (record.value && target !== null && norm(target) !== norm(record.value)) {
      problems.push(
        `record set ${label} points at ${target}, but the runbook table declares ${record.value}: changed by hand? Put it back (or fix the table) first`,
      );
      continue;
    }
    if (record.healthCheckId && (current.HealthCheckId ?? '') !== record.healthCheckId) {
      problems.push(
        `record set ${label} carries health check ${current.HealthCheckId ?? 'none'}, but the runbook table declares ${record.healthCheckId}: put it back first`,
      );
      continue;
    }
    const to = targetRole(record, direction);
    moves.push({
      name: record.name,
      type: record.type,
      setIdentifier: record.setIdentifier,
      region: record.region,
      from: current.Failover,
      to,
    });
    if (current.Failover === to) continue;
    const batch = byZone.get(zone) ?? { deletes: [], creates: [] };
    batch.deletes.push({ Action: 'DELETE', ResourceRecordSet: cleanRecordSet(current) });
    batch.creates.push({ Action: 'CREATE', ResourceRecordSet: cleanRecordSet({ ...current, Failover: to }) });
    byZone.set(zone, batch);
  }
  problems.push(...roleConflicts(moves));
  if (problems.length > 0) return { kind: 'error', direction, problems };
  if (byZone.size === 0) return { kind: 'noop', direction, moves };
  const comment = cutComment(input.comment);
  const batches = [...byZone].map(([hostedZoneId, { deletes, creates }]) => ({
    hostedZoneId,
    comment,
    changes: [...deletes, ...creates],
  }));
  return { kind: 'change', direction, batches, moves };
}

/** What a record set answers with: its alias target, or its values, as one string; null when it has neither. */
function liveTarget(r: RecordSetShape): string | null {
  if (r.AliasTarget?.DNSName) return r.AliasTarget.DNSName;
  const values = (r.ResourceRecords ?? []).map((v) => v.Value);
  return values.length > 0 ? values.join(', ') : null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');

/** After the move, each name/type must still have exactly one PRIMARY and at most one SECONDARY. */
function roleConflicts(moves: RoleMove[]): string[] {
  const groups = new Map<string, RoleMove[]>();
  for (const move of moves) {
    const key = `${normalizeRecordName(move.name)} ${move.type.toUpperCase()}`;
    groups.set(key, [...(groups.get(key) ?? []), move]);
  }
  const problems: string[] = [];
  for (const [key, group] of groups) {
    const primaries = group.filter((m) => m.to === 'PRIMARY').length;
    const secondaries = group.filter((m) => m.to === 'SECONDARY').length;
    if (primaries > 1 || secondaries > 1) {
      problems.push(`${key} would end with ${primaries} PRIMARY and ${secondaries} SECONDARY record sets`);
    }
  }
  return problems;
}

/** Drop empty optional fields Route 53 would reject (an empty ResourceRecords next to an alias). */
function cleanRecordSet(r: RecordSetShape): RecordSetShape {
  const out: RecordSetShape = { Name: r.Name, Type: r.Type };
  if (r.SetIdentifier !== undefined) out.SetIdentifier = r.SetIdentifier;
  if (r.Failover !== undefined) out.Failover = r.Failover;
  if (r.TTL !== undefined) out.TTL = r.TTL;
  if (r.ResourceRecords && r.ResourceRecords.length > 0)
    out.ResourceRecords = r.ResourceRecords.map((v) => ({ ...v }));
  if (r.AliasTarget) out.AliasTarget = { ...r.AliasTarget };
  if (r.HealthCheckId) out.HealthCheckId = r.HealthCheckId;
  return out;
}

function cutComment(comment: string): string {
  const oneLine = comment.replace(/\s+/g, ' ').trim();
  return oneLine.length <= CHANGE_COMMENT_MAX ? oneLine : `${oneLine.slice(0, CHANGE_COMMENT_MAX - 3)}...`;
}
