/**
 * Which runbook section answers an alarm: only what the runbooks declare. A section lists the alarms it
 * answers with `<!-- bot: alarms="api-5xx bedrock-throttles" -->` (names as infra/dr.yaml defines them,
 * without the stage prefix); the compiler turns that into `artifact.alarms`, and `runbook lint` fails when
 * an alarm of infra/dr.yaml has no section. An alarm nobody declared gets no section: never a guess.
 */
import type { AlarmNotification } from '../../../aws/alarm-notification';
import type { Artifact, Section } from '../../../runbooks/model/model';

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
  n: Pick<AlarmNotification, 'name'>,
  artifact: Pick<Artifact, 'sections' | 'checklists' | 'alarms'>,
  prefix: string,
): AlarmMatch | null {
  const name = runbookAlarmName(n.name, prefix);
  const sectionId = name === null ? undefined : artifact.alarms?.[name];
  const section = sectionId ? artifact.sections.find((s) => s.id === sectionId) : undefined;
  if (!section) return null;
  const checklist = artifact.checklists.find((c) => c.sectionId === section.id);
  const start =
    checklist && section.directives['dr-trigger'] !== undefined ? { checklistId: checklist.id } : null;
  return { section, start };
}
