/**
 * Which runbook section belongs to an alarm: an explicit mapping first (a section whose
 * `<!-- bot: alarms="name other-name" -->` directive lists the alarm, then a section that mentions the
 * alarm's exact name), else the runbook search over the alarm's name and description.
 */
import type { AlarmNotification } from '../../../aws/alarm-notification';
import type { Artifact, Section } from '../../../runbooks/model/model';
import type { RunbookSearch } from '../../deps';

export interface AlarmMatch {
  section: Section;
  how: 'directive' | 'mention' | 'search';
  /** The section is marked `dr-trigger` (or its alarm is). */
  drTrigger: boolean;
}

function listed(section: Section, name: string): boolean {
  const raw = section.directives['alarms'] ?? section.directives['alarm'];
  if (!raw) return false;
  return raw
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .includes(name.toLowerCase());
}

/** `sitecraft-prod-api-5xx` → `sitecraft prod api 5xx`. */
export function alarmQuery(n: Pick<AlarmNotification, 'name' | 'description'>): string {
  const words = `${n.name.replace(/[-_.:/]+/g, ' ')} ${n.description ?? ''}`;
  return words
    .replace(/\(?\bDR[- ]trigger\b\)?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

export function matchAlarm(
  n: Pick<AlarmNotification, 'name' | 'description'>,
  artifact: Pick<Artifact, 'sections'>,
  search: RunbookSearch,
): AlarmMatch | null {
  const withDr = (section: Section, how: AlarmMatch['how']): AlarmMatch => ({
    section,
    how,
    drTrigger: section.directives['dr-trigger'] !== undefined,
  });
  const byDirective = artifact.sections.find((s) => listed(s, n.name));
  if (byDirective) return withDr(byDirective, 'directive');
  const byMention = artifact.sections.find((s) => s.markdown.includes(n.name));
  if (byMention) return withDr(byMention, 'mention');
  const found = search.search(alarmQuery(n), { limit: 1 });
  const best = found.confident ? found.results[0] : undefined;
  return best ? withDr(best.section, 'search') : null;
}
