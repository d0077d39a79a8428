/**
 * Alarm → section mapping (docs/runbook-format.md, "Alarms"): every CloudWatch alarm the DR template
 * (infra/dr.yaml) defines must be answered by exactly one runbook section that names it in `alarms=`, and
 * that section must be a symptom (a heading named by the message users see) or a procedure (a checklist,
 * or a section of numbered steps). The alarm handler uses only this mapping, so an alarm missing here would
 * reach Slack with "no runbook section for this alarm yet".
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { alarmNamesOf } from '../compile/compile';
import { symptomOf } from '../compile/search-index';
import type { Section } from '../model/model';
import type { CompiledForLint } from './directives';
import type { LintFile } from './files';
import type { LintIssue } from './issue';

export interface TemplateAlarm {
  /** As the runbooks name it: the template's `AlarmName` without its `${AlarmPrefix}`. */
  name: string;
  /** 1-based line of its `AlarmName` in the template. */
  line: number;
}

/**
 * The alarm types that notify the alarm topic: a composite alarm ("primary 5xx AND switch healthy") sends
 * the same notification as a metric alarm, so it reaches Slack the same way and needs its section too.
 */
const ALARM_TYPES: ReadonlySet<string> = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
]);

/**
 * The alarms a CloudFormation template defines (`AWS::CloudWatch::Alarm` and `AWS::CloudWatch::CompositeAlarm`),
 * named without the stage prefix.
 */
export function templateAlarms(source: string): TemplateAlarm[] {
  const doc = parseYaml(source, { logLevel: 'error' }) as {
    Resources?: Record<string, { Type?: string; Properties?: { AlarmName?: unknown } }>;
  } | null;
  const lines = source.split('\n');
  const out: TemplateAlarm[] = [];
  for (const [logicalId, resource] of Object.entries(doc?.Resources ?? {})) {
    if (!ALARM_TYPES.has(resource?.Type ?? '')) continue;
    // Every alarm is listed, however its name is written, so none is skipped by the check: one whose name
    // cannot be read (CloudFormation names it, or an intrinsic lint does not follow) is listed by its
    // logical id, which maps to no section and is reported.
    const raw = alarmNameOf(resource.Properties?.AlarmName) ?? `(unnamed: ${logicalId})`;
    const name = raw.replace(/^\$\{AlarmPrefix\}/, '');
    const needle = raw.replace(/^\$\{AlarmPrefix\}/, '');
    const at = lines.findIndex((l) => /^\s*AlarmName:/.test(l) && l.includes(needle)) + 1;
    const own = lines.findIndex((l) => new RegExp(`^\\s*${logicalId}:`).test(l)) + 1;
    out.push({ name, line: Math.max(1, at || own) });
  }
  return out;
}

/** The template's stage prefix, as `!Sub` writes it. */
const PREFIX_PARAMETER = '$' + '{AlarmPrefix}';

/**
 * An alarm's name as written: a string, `!Sub` / `Fn::Sub` of one, or `!Join` / `Fn::Join` of strings and
 * `!Ref AlarmPrefix` (read as `${AlarmPrefix}`); null when it is none of these.
 */
function alarmNameOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'];
  const join = Array.isArray(value) ? value : v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = (join[1] as unknown[]).map((p) => {
      if (
        p === 'AlarmPrefix' ||
        (p && typeof p === 'object' && (p as { Ref?: unknown }).Ref === 'AlarmPrefix')
      )
        return PREFIX_PARAMETER;
      return typeof p === 'string' ? p : null;
    });
    return parts.every((p) => p !== null) ? parts.join(join[0]) : null;
  }
  return null;
}

/**
 * A symptom (a quoted message heading, `"Token expired" — Cognito refresh`, or any section with a What you
 * see: the search's own definition, compile/search-index.ts `symptomOf`), or a procedure: a checklist, or
 * numbered steps.
 */
export function answersAnAlarm(
  section: Section,
  checklistSections: ReadonlySet<string>,
  byId: ReadonlyMap<string, Section>,
): boolean {
  if (symptomOf(section, byId)) return true;
  if (checklistSections.has(section.id)) return true;
  return /^\s{0,3}1[.)]\s/m.test(section.markdown);
}

export async function checkAlarms(
  files: readonly LintFile[],
  compiled: CompiledForLint,
  templatePath: string | null,
): Promise<LintIssue[]> {
  const issues: LintIssue[] = [];
  const where = (s: Section) => ({
    file: files.find((f) => f.name === s.file)?.path ?? s.file,
    line: s.line,
  });
  const checklistSections = new Set(compiled.checklists.map((c) => c.sectionId));
  const byId = new Map(compiled.sections.map((s) => [s.id, s]));
  const answering = new Map<string, Section>();
  for (const section of compiled.sections) {
    for (const name of alarmNamesOf(section.directives)) answering.set(name, section);
    if (section.directives['dr-trigger'] !== undefined && !checklistSections.has(section.id)) {
      issues.push({
        ...where(section),
        message: `dr-trigger belongs on a checklist's section (its alarms offer to start it), not on "${section.title}"`,
      });
    }
  }
  for (const [name, section] of answering) {
    if (!answersAnAlarm(section, checklistSections, byId)) {
      issues.push({
        ...where(section),
        message: `alarm "${name}" maps to "${section.title}", which is neither a symptom nor a procedure (a checklist or numbered steps)`,
      });
    }
  }
  if (templatePath === null) return issues;
  let source: string;
  try {
    source = await readFile(templatePath, 'utf8');
  } catch (err) {
    return [
      ...issues,
      { file: templatePath, line: 1, message: `cannot read the alarm template: ${(err as Error).message}` },
    ];
  }
  const defined = templateAlarms(source);
  for (const alarm of defined) {
    if (!answering.has(alarm.name)) {
      issues.push({
        file: templatePath,
        line: alarm.line,
        message: `alarm "${alarm.name}" maps to no runbook section: add alarms="${alarm.name}" to the symptom or procedure that answers it`,
      });
    }
  }
  const names = new Set(defined.map((a) => a.name));
  for (const [name, section] of answering) {
    if (!names.has(name))
      issues.push({
        ...where(section),
        message: `alarms= names "${name}", which ${templatePath} does not define (names are written without the stage prefix)`,
      });
  }
  return issues;
}
