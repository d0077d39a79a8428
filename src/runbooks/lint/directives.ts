/**
 * Directives are well-formed: known keys, and what the compiler demands of each part (checklists have a
 * step, contacts / records tables have their columns, templates a text block, references resolve). The
 * compiler's own checks are reused, so lint and build cannot disagree; lint adds approvers.yaml roles
 * for gates and the walkability of every decision tree.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compileChecklists } from '../compile/checklists';
import { compileRunbookSources } from '../compile/compile';
import { RunbookCompileError, RunbookCompileErrors } from '../compile/errors';
import { parseRunbookFile } from '../compile/sections';
import { analyzeTrees } from '../compile/trees';
import {
  type Artifact,
  type Checklist,
  type GateItem,
  KNOWN_ACTIONS,
  type Section,
  type StepItem,
  TWO_PERSON_ACTIONS,
  takeoverRolesOf,
} from '../model/model';
import type { LintFile } from './files';
import type { LintIssue } from './issue';
import { KNOWN_DIRECTIVES } from './rules';

export interface CompiledForLint {
  /** Null when the compiler rejected the runbooks (its errors are in `issues`). */
  artifact: Artifact | null;
  /** Every section of every file that parses, even when the whole build fails. */
  sections: Section[];
  /** Every checklist that compiles, even when the whole build fails. */
  checklists: Checklist[];
  issues: LintIssue[];
}

export async function compileForLint(dir: string, files: readonly LintFile[]): Promise<CompiledForLint> {
  const issues: LintIssue[] = [];
  const pathOf = (name: string) => files.find((f) => f.name === name)?.path ?? join(dir, name);
  const report = (e: RunbookCompileError) =>
    issues.push({ file: pathOf(e.file), line: Math.max(1, e.line), message: e.reason });
  let artifact: Artifact | null = null;
  try {
    artifact = await compileRunbookSources(
      files.map((f) => ({ file: f.name, source: f.source })),
      { skipTrees: true },
    );
  } catch (err) {
    if (err instanceof RunbookCompileErrors) err.errors.forEach(report);
    else if (err instanceof RunbookCompileError) report(err);
    else throw err;
  }
  if (artifact) return { artifact, sections: artifact.sections, checklists: artifact.checklists, issues };
  const sections: Section[] = [];
  const checklists: Checklist[] = [];
  // The build failed: salvage what each file yields on its own (its errors are reported above).
  for (const f of files) {
    try {
      const parsed = parseRunbookFile(f.name, f.source).sections;
      sections.push(...parsed.map((p) => p.section));
      checklists.push(...compileChecklists(f.name, parsed));
    } catch {
      // already reported by the compile step
    }
  }
  return { artifact, sections, checklists, issues };
}

export function checkDirectiveKeys(files: readonly LintFile[]): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const f of files) {
    issues.push(...f.directiveIssues);
    for (const d of f.directives) {
      for (const key of Object.keys(d.directives)) {
        if (!KNOWN_DIRECTIVES.has(key))
          issues.push({ file: f.path, line: d.line, message: `unknown directive "${key}"` });
      }
      // A typo in action= compiles to a plain step: no Execute, no two-person rule, no approver check.
      const action = d.directives['action'];
      if (action !== undefined && !KNOWN_ACTIONS.has(action))
        issues.push({
          file: f.path,
          line: d.line,
          message: `unknown action "${action}" (the bot carries out ${[...KNOWN_ACTIONS].join(', ')})`,
        });
    }
  }
  return issues;
}

/**
 * Every role a gate names, and every role a step's `approve=` names, is a key of `roles:` in approvers.yaml,
 * with Slack user or group IDs; and every live action (`action=`) has someone who may approve it: the roles
 * of `approve=`, or of the approval gate before it.
 */
export async function checkApprovers(
  dir: string,
  files: readonly LintFile[],
  compiled: CompiledForLint,
): Promise<LintIssue[]> {
  const gates = compiled.checklists.flatMap((c) => c.items.filter((i): i is GateItem => i.type === 'gate'));
  const approving = liveActionApprovers(compiled.checklists);
  const unapproved: LintIssue[] = approving
    .filter((a) => a.roles.length === 0)
    .map((a) => ({
      ...stepLocation(files, compiled.sections, a.step),
      message: `step "${a.step.title}" (action=${a.step.directives['action']}) has no approval gate before it and no approve= roles, so nobody could approve it`,
    }));
  const takeovers = compiled.checklists.filter((c) => takeoverRolesOf(c).length > 0);
  if (gates.length === 0 && approving.length === 0 && takeovers.length === 0) return unapproved;
  const path = join(dir, 'approvers.yaml');
  let roles: Record<string, unknown>;
  try {
    const doc = parseYaml(await readFile(path, 'utf8')) as { roles?: unknown } | null;
    if (!doc || typeof doc.roles !== 'object' || doc.roles === null || Array.isArray(doc.roles)) {
      return [{ file: path, line: 1, message: 'approvers.yaml needs a `roles:` map of role → [Slack IDs]' }];
    }
    roles = doc.roles as Record<string, unknown>;
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'is missing (approval gates need it)'
        : `does not parse: ${(err as Error).message}`;
    return [{ file: path, line: 1, message: `approvers.yaml ${why}` }];
  }
  const issues: LintIssue[] = [];
  for (const [role, value] of Object.entries(roles)) {
    // A list of IDs, or the mapping form `{ group: S…, members: [IDs] }` (src/workflows/approvers.ts).
    const mapping = value !== null && typeof value === 'object' && !Array.isArray(value);
    const entry = mapping ? (value as Record<string, unknown>) : {};
    const group = entry['group'];
    const ids = mapping ? ((entry['members'] as unknown) ?? []) : value;
    const shapeOk =
      Array.isArray(ids) &&
      ids.every((id) => typeof id === 'string' && /^[USW][A-Z0-9]{2,}$/.test(id)) &&
      (!mapping || Object.keys(entry).every((k) => k === 'group' || k === 'members')) &&
      (group === undefined || (typeof group === 'string' && /^S[A-Z0-9]{2,}$/.test(group)));
    const someone = Array.isArray(ids) && (ids.length > 0 || group !== undefined);
    if (!shapeOk || !someone)
      issues.push({
        file: path,
        line: 1,
        message: `role "${role}" needs a list of Slack user (U…) or group (S…) IDs, or { group: S…, members: [IDs] }`,
      });
  }
  for (const gate of gates) {
    const unknown = gate.roles.filter((r) => !Object.hasOwn(roles, r));
    if (unknown.length === 0) continue;
    const where = gateLocation(files, compiled.sections, gate);
    issues.push({
      file: where.file,
      line: where.line,
      message: `approval gate "${gate.title}" names role(s) ${unknown.join(', ')} not in approvers.yaml (${Object.keys(roles).join(', ')})`,
    });
  }
  for (const checklist of compiled.checklists) {
    const unknown = takeoverRolesOf(checklist).filter((r) => !Object.hasOwn(roles, r));
    if (unknown.length === 0) continue;
    const section = compiled.sections.find((x) => x.id === checklist.sectionId);
    issues.push({
      file: files.find((f) => f.name === section?.file)?.path ?? checklist.sectionId,
      line: section?.line ?? 1,
      message: `checklist "${checklist.id}" takeover= names role(s) ${unknown.join(', ')} not in approvers.yaml (${Object.keys(roles).join(', ')})`,
    });
  }
  for (const { step, declared } of approving) {
    const unknown = (declared ?? []).filter((r) => !Object.hasOwn(roles, r));
    if (unknown.length === 0) continue;
    issues.push({
      ...stepLocation(files, compiled.sections, step),
      message: `step "${step.title}" approve= names role(s) ${unknown.join(', ')} not in approvers.yaml (${Object.keys(roles).join(', ')})`,
    });
  }
  return [...unapproved, ...issues];
}

/** Each step with a two-person live action (`action=`, TWO_PERSON_ACTIONS), with the roles that may approve it (as src/workflows/requests.ts). */
function liveActionApprovers(
  checklists: readonly Checklist[],
): { step: StepItem; roles: string[]; declared: string[] | null }[] {
  return checklists.flatMap((c) =>
    c.items.flatMap((item, index) => {
      const action = item.type === 'step' ? item.directives['action'] : undefined;
      if (item.type !== 'step' || action === undefined || !TWO_PERSON_ACTIONS.has(action)) return [];
      const raw = item.directives['approve'];
      const declared = raw === undefined ? null : raw.split(/[\s,]+/).filter(Boolean);
      const gate = c.items
        .slice(0, index)
        .reverse()
        .find((it): it is GateItem => it.type === 'gate');
      return [{ step: item, roles: declared ?? gate?.roles ?? [], declared }];
    }),
  );
}

function stepLocation(
  files: readonly LintFile[],
  sections: readonly Section[],
  step: StepItem,
): { file: string; line: number } {
  const section = sections.find((s) => s.id === step.sectionId);
  const f = files.find((x) => x.name === section?.file);
  return { file: f?.path ?? step.sectionId, line: section?.line ?? 1 };
}

function gateLocation(
  files: readonly LintFile[],
  sections: readonly Section[],
  gate: GateItem,
): { file: string; line: number } {
  const section = sections.find((s) => s.id === gate.sectionId);
  const f = files.find((x) => x.name === section?.file);
  if (!section || !f) return { file: f?.path ?? gate.sectionId, line: 1 };
  const start = section.line - 1;
  const candidates = f.lines
    .map((l, k) => ({ l, k }))
    .filter(({ l, k }) => k >= start && /Approval gate/i.test(l));
  const best = candidates.find(({ l }) => l.includes(gate.title.slice(0, 20))) ?? candidates[0];
  return { file: f.path, line: best ? best.k + 1 : section.line };
}

/** Trees the bot cannot walk: unlabelled decisions, dead ends, closed cycles, leaves without a section. */
export async function checkTrees(
  files: readonly LintFile[],
  compiled: CompiledForLint,
): Promise<LintIssue[]> {
  const { issues } = await analyzeTrees(compiled.sections, compiled.artifact ?? undefined);
  return issues.map((e) => ({
    file: files.find((f) => f.name === e.file)?.path ?? e.file,
    line: Math.max(1, e.line),
    message: e.reason,
  }));
}
