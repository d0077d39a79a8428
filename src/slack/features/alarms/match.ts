/**
 * Which runbook section answers an alarm: only what the runbooks declare. A section lists the alarms it
 * answers with `<!-- bot: alarms="api-5xx bedrock-throttles" -->` (names as infra/dr.yaml defines them,
 * without the stage prefix); the compiler turns that into `artifact.alarms`, and `runbook lint` fails when
 * an alarm of infra/dr.yaml has no section. An alarm nobody declared gets no section: never a guess. A
 * `dr-trigger` alarm offers Start failover unless it fires in the region the failover moves traffic to.
 */
import type { AlarmNotification } from '../../../aws/alarm-notification';
import type { Artifact, Checklist, Section } from '../../../runbooks/model/model';

export interface AlarmMatch {
  section: Section;
  /** The section is a checklist's and marked `dr-trigger`: the alarm offers to start that checklist. */
  start: { checklistId: string } | null;
}

/**
 * `sitecraft-prod-api-5xx` with ALARM_PREFIX `sitecraft-prod-` → `api-5xx`, as the runbooks name it. With a
 * prefix set, an alarm without it is not this deployment's (another team's `api-5xx`, a test alarm): null,
 * matched to no section, so it never offers Start failover.
 */
export function runbookAlarmName(name: string, prefix: string): string | null {
  if (!prefix) return name;
  return name.startsWith(prefix) ? name.slice(prefix.length) : null;
}

export function matchAlarm(
  n: Pick<AlarmNotification, 'name'> & Partial<Pick<AlarmNotification, 'region'>>,
  artifact: Pick<Artifact, 'sections' | 'checklists' | 'alarms' | 'records' | 'switches'>,
  prefix: string,
): AlarmMatch | null {
  const name = runbookAlarmName(n.name, prefix);
  const sectionId = name === null ? undefined : artifact.alarms?.[name];
  const section = sectionId ? artifact.sections.find((s) => s.id === sectionId) : undefined;
  if (!section) return null;
  const checklist = artifact.checklists.find((c) => c.sectionId === section.id);
  const start =
    checklist &&
    section.directives['dr-trigger'] !== undefined &&
    !firesWhereTrafficGoes(n.region ?? null, checklist, artifact)
      ? { checklistId: checklist.id }
      : null;
  return { section, start };
}

/**
 * Both regions' stacks define the same alarms under the same names (infra/dr.yaml), so `api-5xx` firing in
 * the standby is the DR trigger's name too: failing over would move traffic into the failing region. The
 * checklist's own tables say which way it moves traffic (its `records=`: PRIMARY's region is left, the
 * others receive it; its `switch=`: primaryRegion → secondaryRegion). An alarm in a region traffic moves
 * to, and not away from, offers no failover. An alarm with no region, or in a region the tables do not
 * name (Route 53's health check alarms live in us-east-1 and are about the primary), keeps it.
 */
function firesWhereTrafficGoes(
  region: string | null,
  checklist: Checklist,
  artifact: Pick<Artifact, 'records' | 'switches'>,
): boolean {
  if (!region) return false;
  const from = new Set<string>();
  const to = new Set<string>();
  for (const r of checklist.records ? (artifact.records[checklist.records] ?? []) : [])
    (r.failover === 'PRIMARY' ? from : to).add(r.region);
  const switchId = checklist.directives['switch'];
  const set = typeof switchId === 'string' ? artifact.switches?.[switchId] : undefined;
  if (set) {
    from.add(set.primaryRegion);
    to.add(set.secondaryRegion);
  }
  return to.has(region) && !from.has(region);
}
