/**
 * The hints that reach people outside the run's channel (issue 19; docs/runbook-format.md): a gate's
 * `remind=` and `escalate=`, a template's `update=`, `update-template=`, `owner=` and `local=`, a checklist's
 * `all-clear=`, and the placeholders a template may use (never `{{run}}`, an internal id).
 */
import { parseDuration } from '../model/durations';
import { type Artifact, type Section, TEMPLATE_PLACEHOLDERS } from '../model/model';
import type { LintFile } from './files';
import type { LintIssue } from './issue';

export function checkReachHints(
  files: readonly LintFile[],
  sections: readonly Section[],
  artifact: Artifact | null,
): LintIssue[] {
  if (!artifact) return [];
  const issues: LintIssue[] = [];
  const at = (sectionId: string, message: string) => {
    const section = sections.find((s) => s.id === sectionId);
    const file = files.find((f) => f.name === section?.file);
    issues.push({ file: file?.path ?? sectionId, line: section?.line ?? 1, message });
  };
  const levels = new Set(artifact.contacts.map((c) => c.level.toLowerCase()));
  const duration = (sectionId: string, key: string, value: string | undefined, what: string) => {
    if (value !== undefined && parseDuration(value) === null)
      at(sectionId, `${what}: ${key}=${value} is not a duration like 10m, 90s or 2h`);
  };

  for (const c of artifact.checklists) {
    const allClear = c.directives['all-clear'];
    if (allClear !== undefined && !artifact.templates[allClear])
      at(c.sectionId, `checklist "${c.id}" offers all-clear=${allClear}, which no template defines`);
    for (const item of c.items) {
      const hints = item.directives ?? {};
      const what = item.type === 'gate' ? `approval gate "${item.title}"` : `step "${item.title}"`;
      duration(item.sectionId, 'remind', hints['remind'], what);
      const escalate = hints['escalate'];
      if (escalate !== undefined && !levels.has(escalate.toLowerCase()))
        at(
          item.sectionId,
          `${what}: escalate=${escalate} names no level of the contacts table (${[...levels].join(', ') || 'none'})`,
        );
    }
  }

  for (const t of Object.values(artifact.templates)) {
    for (const name of t.placeholders) {
      if (name === 'run')
        at(t.sectionId, `template "${t.id}": {{run}} is an internal run id; stakeholders must not see it`);
      else if (!TEMPLATE_PLACEHOLDERS.has(name))
        at(
          t.sectionId,
          `template "${t.id}": {{${name}}} is not filled by the bot (${[...TEMPLATE_PLACEHOLDERS].join(', ')})`,
        );
    }
    const hints = t.directives ?? {};
    duration(t.sectionId, 'update', hints['update'], `template "${t.id}"`);
    const next = hints['update-template'];
    if (next !== undefined && !artifact.templates[next])
      at(t.sectionId, `template "${t.id}": update-template=${next} is not a template`);
    if (hints['update'] !== undefined && next === undefined)
      at(t.sectionId, `template "${t.id}": update= needs update-template=<id>, the template of the updates`);
    const owner = hints['owner'];
    if (owner !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(owner))
      at(t.sectionId, `template "${t.id}": owner=${owner} must be a role slug (incident-commander)`);
    const local = hints['local'];
    if (local !== undefined && !validZone(local))
      at(
        t.sectionId,
        `template "${t.id}": local="${local}" must be LABEL=Area/City, e.g. SAST=Africa/Johannesburg`,
      );
  }
  return issues;
}

function validZone(text: string): boolean {
  const m = /^\s*([A-Za-z][A-Za-z0-9+-]{0,9})\s*=\s*(\S+)\s*$/.exec(text);
  if (!m) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: m[2] });
    return true;
  } catch {
    return false;
  }
}
