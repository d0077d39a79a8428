/**
 * Required structure (rules.ts): the six runbooks, their topic headings, symptom sub-headings in
 * order, a Mermaid diagram in every runbook, decision trees per issue family, an approval gate.
 */
import { join } from 'node:path';
import type { LintFile, RawHeading } from './files';
import type { LintIssue } from './issue';
import { NOT_RUNBOOKS, REQUIRED_RUNBOOKS, SYMPTOM_SUBHEADINGS } from './rules';

export function checkStructure(dir: string, files: readonly LintFile[]): LintIssue[] {
  const issues: LintIssue[] = [];
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const required of REQUIRED_RUNBOOKS) {
    const f = byName.get(required.file);
    if (!f) {
      issues.push({ file: join(dir, required.file), line: 1, message: 'required runbook is missing' });
      continue;
    }
    // A file without headings is reported once, by the compiler's check; listing every topic adds noise.
    if (f.headings.length === 0) continue;
    const at = f.headings[0]!.line;
    for (const topic of required.topics) {
      if (!f.headings.some((h) => matchesTopic(h.text, topic))) {
        issues.push({ file: f.path, line: at, message: `missing a heading for ${describeTopic(topic)}` });
      }
    }
    const trees = f.directives.filter((d) => d.directives['tree'] !== undefined).length;
    if (required.minTrees !== undefined && trees < required.minTrees) {
      issues.push({
        file: f.path,
        line: at,
        message: `needs at least ${required.minTrees} decision trees (one per issue family), found ${trees}`,
      });
    }
    if (required.needsGate && !f.lines.some((l, k) => !f.fenced.has(k + 1) && /\bApproval gate\b/i.test(l))) {
      issues.push({
        file: f.path,
        line: at,
        message: 'needs at least one "Approval gate" with its approvers',
      });
    }
  }
  for (const f of files) {
    issues.push(...checkSymptoms(f));
    if (!NOT_RUNBOOKS.test(f.name) && !f.blocks.some((b) => b.lang === 'mermaid')) {
      issues.push({
        file: f.path,
        line: f.headings[0]?.line ?? 1,
        message: 'runbook has no Mermaid diagram (```mermaid)',
      });
    }
  }
  return issues;
}

/** A symptom heading starts with the quoted message; its sub-headings follow the fixed order. */
function checkSymptoms(f: LintFile): LintIssue[] {
  const issues: LintIssue[] = [];
  f.headings.forEach((h, k) => {
    if (!/^["“]/.test(h.text)) return;
    const children: RawHeading[] = [];
    for (const next of f.headings.slice(k + 1)) {
      if (next.level <= h.level) break;
      if (next.level === h.level + 1) children.push(next);
    }
    const positions = SYMPTOM_SUBHEADINGS.map((topic) =>
      children.findIndex((c) => matchesTopic(c.text, topic)),
    );
    const missing = SYMPTOM_SUBHEADINGS.filter((_, i) => positions[i] === -1);
    if (missing.length > 0) {
      const names = missing.map((m) => `"${firstAlternative(m)}"`).join(', ');
      issues.push({
        file: f.path,
        line: h.line,
        message: `symptom ${h.text} lacks the sub-heading(s) ${names}`,
      });
      return;
    }
    if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) {
      const order = SYMPTOM_SUBHEADINGS.map(firstAlternative).join(', ');
      issues.push({
        file: f.path,
        line: h.line,
        message: `symptom ${h.text}: sub-headings must come in this order: ${order}`,
      });
    }
  });
  return issues;
}

/** Words of a heading: lower-case, punctuation gone, a plural `s` dropped (`checks` → `check`). */
export function headingWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

export function matchesTopic(heading: string, topic: string): boolean {
  const words = new Set(headingWords(heading));
  return topic.split('|').some((alt) => {
    const need = headingWords(alt);
    return need.length > 0 && need.every((w) => words.has(w));
  });
}

function firstAlternative(topic: string): string {
  const first = topic.split('|')[0]!.trim();
  return first.charAt(0).toUpperCase() + first.slice(1);
}

function describeTopic(topic: string): string {
  return topic
    .split('|')
    .map((a) => `"${a.trim()}"`)
    .join(' or ');
}
