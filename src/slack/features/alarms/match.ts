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

/** `sitecraft-prod-api-5xx` with ALARM_PREFIX `sitecraft-prod-` → `api-5xx`, as the runbooks name it. */
export function runbookAlarmName(name: string, prefix: string): string {
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

export function matchAlarm(
  n: Pick<AlarmNotification, 'name'>,
  artifact: Pick<Artifact, 'sections' | 'checklists' | 'alarms'>,
  prefix: string,
): AlarmMatch | null {
  const sectionId = artifact.alarms?.[runbookAlarmName(n.name, prefix)];
  const section = sectionId ? artifact.sections.find((s) => s.id === sectionId) : undefined;
  if (!section) return null;
  const checklist = artifact.checklists.find((c) => c.sectionId === section.id);
  const start =
    checklist && section.directives['dr-trigger'] !== undefined ? { checklistId: checklist.id } : null;
  return { section, start };
}
