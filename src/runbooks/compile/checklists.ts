/**
 * Checklists: a section with `<!-- bot: checklist=<id> -->` and its descendants → ordered steps and
 * approval gates, in document order (docs/runbook-format.md, "Checklists" and "Approval gates").
 */
import type { Tokens } from 'marked';
import type { Checklist, ChecklistItem, Directives, GateItem, StepItem } from '../model/model';
import { isSymptomPart } from '../search/config';
import { stripDirectiveComments } from './directives';
import { RunbookCompileError, RunbookCompileErrors } from './errors';
import {
  blockText,
  childLines,
  firstSentence,
  idSlug,
  inlineText,
  type LinedToken,
  listItemLines,
  truncate,
} from './markdown';
import { collectDirectives, type ParsedSection, walkBlocks } from './sections';

const STEP_HEADING = /^Step\s+(\d+)\s*(?:[:.—–-]\s*)?(.*)$/i;
const GATE_TEXT = /^\s*Approval gate\b/i;
const TITLE_MAX = 150;

interface Positioned {
  line: number;
  item: Omit<StepItem, 'n' | 'id'> | Omit<GateItem, 'id'>;
  explicitId: string | null;
}

/** Every checklist of one file (`sections` in document order). */
export function compileChecklists(file: string, sections: ParsedSection[]): Checklist[] {
  const out: Checklist[] = [];
  const errors: RunbookCompileError[] = [];
  sections.forEach((root, index) => {
    const id = root.section.directives['checklist'];
    if (id === undefined) return;
    try {
      if (id === 'true' || !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
        throw new RunbookCompileError(file, root.section.line, `checklist id must be a slug, got "${id}"`);
      }
      out.push(compileChecklist(file, id, sections, index));
    } catch (err) {
      if (!(err instanceof RunbookCompileError)) throw err;
      errors.push(err);
    }
  });
  if (errors.length > 0) throw new RunbookCompileErrors(errors);
  return out;
}

/**
 * Numbered procedures nobody declared a checklist: a section outside every declared checklist whose own body
 * holds an ordered list of two or more items, one of them at least with a code block (something to run), so
 * an answer can offer "Run as checklist" (issue 20). A numbered description (a request's path, whom to call)
 * runs nothing and stays prose. Its steps are the list's items; it has no gates, and an item that declares a
 * live action makes it none (actions belong in declared checklists, where lint asks for approvers). Its id
 * is the file's and the heading's slug; no typed command starts it.
 */
export function compileProcedures(file: string, sections: ParsedSection[]): Checklist[] {
  const out: Checklist[] = [];
  const stem = idSlug(file.replace(/\.md$/i, ''));
  const byId = new Map(sections.map((ps) => [ps.section.id, ps.section]));
  let declaredLevel: number | null = null;
  for (const ps of sections) {
    const s = ps.section;
    if (declaredLevel !== null && s.level <= declaredLevel) declaredLevel = null;
    if (s.directives['checklist'] !== undefined && declaredLevel === null) declaredLevel = s.level;
    if (declaredLevel !== null) continue;
    const lists = ps.body.filter(
      (lt): lt is LinedToken & { token: Tokens.List } => lt.token.type === 'list' && lt.token.ordered,
    );
    const list = lists.find(
      ({ token }) =>
        token.items.length >= 2 && token.items.some((item) => item.tokens.some((t) => t.type === 'code')),
    );
    if (!list) continue;
    const lines = listItemLines(list.token, list.line);
    const positioned = list.token.items.flatMap((item, k) => stepFromItem(file, ps, item, lines[k]!, null));
    if (positioned.some((p) => p.item.type === 'step' && p.item.directives['action'] !== undefined)) continue;
    // A symptom's part ("Fix") is named with its symptom: "Generation timeout › Fix".
    const parent = s.parent ? byId.get(s.parent) : undefined;
    const part = parent && isSymptomPart(s.title);
    const name = part ? `${parent.anchor}-${s.title}` : s.anchor;
    out.push({
      id: `${stem}-${name}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 80)
        .replace(/^-+|-+$/g, ''),
      title: part ? `${parent.title} › ${s.title}` : s.title,
      commands: [],
      sectionId: s.id,
      items: numberItems(file, positioned),
      records: null,
      directives: {},
    });
  }
  return out;
}

/** `promote dev → SIT` → `promote dev sit`. */
export function normalizeCommand(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function compileChecklist(file: string, id: string, sections: ParsedSection[], rootIndex: number): Checklist {
  const root = sections[rootIndex]!;
  const d = root.section.directives;
  const positioned: Positioned[] = [];

  // Ancestor chain inside the subtree, to find a section's phase and whether it sits under a Step heading.
  const chain: ParsedSection[] = [];
  let skipBelow: number | null = null;
  for (let i = rootIndex; i < sections.length; i++) {
    const ps = sections[i]!;
    const s = ps.section;
    if (i > rootIndex && s.level <= root.section.level) break;
    if (skipBelow !== null && s.level > skipBelow) continue;
    skipBelow = null;
    // A nested checklist is its own checklist, not part of this one.
    if (i > rootIndex && s.directives['checklist'] !== undefined) {
      skipBelow = s.level;
      continue;
    }
    while (chain.length && chain[chain.length - 1]!.section.level >= s.level) chain.pop();
    const insideStep = chain.some((c) => STEP_HEADING.test(c.section.title));
    const phaseHolder = [...chain, ps].filter((c) => c !== root && !STEP_HEADING.test(c.section.title)).pop();
    const phase = phaseHolder?.section.title ?? null;
    chain.push(ps);
    // `parallel` on a phase heading: the steps under it form one group (named by the flag's value or the heading).
    const group = [...chain]
      .reverse()
      .find((c) => c !== root && c.section.directives['parallel'] !== undefined);
    const phaseGroup = group ? groupName(group.section.directives['parallel']!, group.section.anchor) : null;

    if (i > rootIndex && GATE_TEXT.test(s.title)) {
      positioned.push(
        gateFromText(file, s.line, s.title, `${s.title}\n${s.text}`, ps, undefined, s.directives),
      );
      continue;
    }
    const stepMatch = i > rootIndex && !insideStep ? STEP_HEADING.exec(s.title) : null;
    const before = positioned.length;
    if (stepMatch) {
      positioned.push(stepFromHeading(sections, i, stepMatch[2] || `Step ${stepMatch[1]}`, phase));
    }
    collectBodyItems(
      file,
      ps,
      insideStep || stepMatch !== null ? null : phase,
      positioned,
      !insideStep && !stepMatch,
    );
    for (const p of positioned.slice(before)) {
      if (p.item.type !== 'step') continue;
      const own = p.item.directives['parallel'];
      p.item.parallel = own !== undefined ? groupName(own, idSlug(p.item.title)) : phaseGroup;
    }
  }
  if (root.section.directives['parallel'] !== undefined) {
    throw new RunbookCompileError(
      file,
      root.section.line,
      `checklist "${id}": \`parallel\` belongs on a phase heading or a step, not on the whole checklist`,
    );
  }

  const items = numberItems(file, positioned);
  checkParallelGroups(file, id, positioned, items);
  if (!items.some((it) => it.type === 'step')) {
    throw new RunbookCompileError(
      file,
      root.section.line,
      `checklist "${id}" has no steps (ordered list or "Step N" headings)`,
    );
  }
  const commands = (d['command'] ?? id.replace(/-/g, ' ')).split('|').map(normalizeCommand).filter(Boolean);
  const checklist: Checklist = {
    id,
    title: d['title'] ?? root.section.title,
    commands,
    sectionId: root.section.id,
    items,
    records: d['records'] ?? null,
    directives: { ...d },
  };
  return checklist;
}

/** Ordered-list steps (when `stepsAllowed`) and blockquote gates at the top level of a section body. */
function collectBodyItems(
  file: string,
  ps: ParsedSection,
  phase: string | null,
  into: Positioned[],
  stepsAllowed: boolean,
): void {
  for (const lt of ps.body) {
    const t = lt.token;
    if (t.type === 'blockquote' && GATE_TEXT.test(blockText(t.tokens))) {
      const hints = collectDirectives(file, lt, {});
      into.push(
        gateFromText(file, lt.line, firstStrong(t.tokens) ?? '', blockText(t.tokens), ps, t.raw, hints),
      );
    } else if (t.type === 'list' && t.ordered && stepsAllowed) {
      const lines = listItemLines(t, lt.line);
      t.items.forEach((item, k) => {
        into.push(...stepFromItem(file, ps, item, lines[k]!, phase));
      });
    }
  }
}

function stepFromItem(
  file: string,
  ps: ParsedSection,
  item: Tokens.ListItem,
  line: number,
  phase: string | null,
): Positioned[] {
  const lines = childLines(item.raw, line, item.tokens);
  const children: LinedToken[] = item.tokens.map((c, k) => ({
    token: c as LinedToken['token'],
    line: lines[k]!,
  }));
  const directives: Directives = {};
  walkBlocks(children, (lt) => {
    if (lt.token.type === 'code') return false;
    if (lt.token.type === 'html' || lt.token.type === 'paragraph' || lt.token.type === 'text') {
      collectDirectives(file, lt, directives);
    }
    return true;
  });
  const first = item.tokens[0] as Tokens.Text | Tokens.Paragraph | undefined;
  const lead = first && 'tokens' in first ? (first.tokens ?? []) : [];
  const bold = lead[0]?.type === 'strong' ? inlineText([lead[0]]) : null;
  // A gate blockquote indented into the item is its own item, after the step: never the step's text.
  const own = children.filter((c) => !isGateQuote(c.token));
  const gates = children.filter((c) => isGateQuote(c.token));
  const text = blockText(own.map((c) => c.token));
  const title = cleanTitle(bold ?? firstSentence(text)) || `Step at line ${line}`;
  const step: Positioned = {
    line,
    explicitId: directives['step'] ?? null,
    item: {
      type: 'step',
      title,
      markdown: stripDirectiveComments(gates.length === 0 ? item.text : ownMarkdown(item.text, gates)),
      text,
      sectionId: ps.section.id,
      phase,
      directives,
    },
  };
  return [
    step,
    ...gates.map((g) =>
      gateFromText(
        file,
        g.line,
        firstStrong(quoteTokens(g.token)) ?? '',
        blockText(quoteTokens(g.token)),
        ps,
        g.token.raw,
      ),
    ),
  ];
}

/** A blockquote that starts with "Approval gate": a gate wherever it stands. */
function isGateQuote(token: LinedToken['token']): boolean {
  return token.type === 'blockquote' && GATE_TEXT.test(blockText(quoteTokens(token)));
}

function quoteTokens(token: LinedToken['token']): Tokens.Generic[] {
  return (token as Tokens.Blockquote).tokens as Tokens.Generic[];
}

/** The item's Markdown without the gate blockquotes inside it (matched by their raw text, indented or not). */
function ownMarkdown(markdown: string, gates: LinedToken[]): string {
  let out = markdown;
  for (const g of gates) {
    const lines = g.token.raw
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    out = out
      .split('\n')
      .filter((l) => !lines.includes(l.trim()))
      .join('\n');
  }
  return out;
}

function stepFromHeading(
  sections: ParsedSection[],
  index: number,
  title: string,
  phase: string | null,
): Positioned {
  const ps = sections[index]!;
  // The step's own body and sub-headings, without the gate blockquotes among them: a gate is its own item.
  const own = (p: ParsedSection) => p.body.filter((b) => !isGateQuote(b.token));
  const markdownOf = (p: ParsedSection) =>
    stripDirectiveComments(
      own(p)
        .map((b) => b.token.raw)
        .join(''),
    );
  const parts = [markdownOf(ps)];
  const texts = [blockText(own(ps).map((b) => b.token))];
  for (let j = index + 1; j < sections.length && sections[j]!.section.level > ps.section.level; j++) {
    const sub = sections[j]!;
    parts.push(`${'#'.repeat(sub.section.level)} ${sub.section.title}\n\n${markdownOf(sub)}`);
    texts.push(sub.section.title, blockText(own(sub).map((b) => b.token)));
  }
  return {
    line: ps.section.line,
    explicitId: ps.section.directives['step'] ?? null,
    item: {
      type: 'step',
      title: cleanTitle(title),
      markdown: parts.filter(Boolean).join('\n\n'),
      text: texts.filter(Boolean).join('\n'),
      sectionId: ps.section.id,
      phase,
      directives: { ...ps.section.directives },
    },
  };
}

function gateFromText(
  file: string,
  line: number,
  lead: string,
  text: string,
  ps: ParsedSection,
  markdown?: string,
  hints: Directives = {},
): Positioned {
  const title = cleanTitle(lead.replace(GATE_TEXT, '').replace(/^\s*[:—–-]\s*/, '')) || 'Approval gate';
  const approvers = /Approvers?\s*:\s*([^\n]+)/i.exec(text)?.[1] ?? '';
  const roles = approvers
    .replace(/\.\s*$/, '')
    .split(/,|\band\b|\//i)
    .map((r) => idSlug(r))
    .filter(Boolean);
  if (roles.length === 0) {
    throw new RunbookCompileError(
      file,
      line,
      `approval gate "${title}" names no approvers ("Approvers: Role, Role")`,
    );
  }
  return {
    line,
    explicitId: null,
    item: {
      type: 'gate',
      title,
      roles: [...new Set(roles)],
      // A hint on its own quoted line leaves an empty `>` line behind.
      markdown: stripDirectiveComments(markdown ?? ps.section.markdown).replace(/(\n>[ \t]*)+$/, ''),
      sectionId: ps.section.id,
      ...(Object.keys(gateHints(hints)).length > 0 ? { directives: gateHints(hints) } : {}),
    },
  };
}

/** A gate's own hints (`remind=`, `escalate=`); a heading gate's section may carry others (keywords). */
function gateHints(all: Directives): Directives {
  const out: Directives = {};
  for (const key of ['remind', 'escalate']) if (all[key] !== undefined) out[key] = all[key]!;
  return out;
}

function numberItems(file: string, positioned: Positioned[]): ChecklistItem[] {
  const sorted = [...positioned].sort((a, b) => a.line - b.line);
  const used = new Set<string>();
  const items: ChecklistItem[] = [];
  let n = 0;
  for (const p of sorted) {
    const base =
      p.explicitId ?? (p.item.type === 'gate' ? `gate-${idSlug(p.item.title)}` : idSlug(p.item.title));
    // Ids travel in button values (`<run>|<item>`): keep them to slugs, which need no escaping anywhere.
    if (p.explicitId !== null && !/^[a-z0-9][a-z0-9-]*$/.test(p.explicitId)) {
      throw new RunbookCompileError(file, p.line, `step id must be a slug, got "${p.explicitId}"`);
    }
    if (p.explicitId !== null && used.has(base)) {
      throw new RunbookCompileError(file, p.line, `duplicate step id "${base}" in checklist`);
    }
    let id = base || `step-${n + 1}`;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    if (p.item.type === 'step') {
      n++;
      items.push({ ...p.item, id, n });
    } else {
      items.push({ ...p.item, id });
    }
  }
  return items;
}

/** `parallel` (a bare flag) is named after where it stands; `parallel=<name>` by its name. */
function groupName(value: string, fallback: string): string {
  return value === 'true' ? fallback : value;
}

/** A parallel group is one run of consecutive steps: no gate, and no step of another group, inside it. */
function checkParallelGroups(
  file: string,
  id: string,
  positioned: Positioned[],
  items: ChecklistItem[],
): void {
  const lines = [...positioned].sort((a, b) => a.line - b.line).map((p) => p.line);
  const ended = new Set<string>();
  let open: string | null = null;
  items.forEach((item, k) => {
    const group = item.type === 'step' ? (item.parallel ?? null) : null;
    if (group === open) return;
    if (open !== null) ended.add(open);
    if (group !== null && ended.has(group)) {
      throw new RunbookCompileError(
        file,
        lines[k] ?? 1,
        `checklist "${id}": the steps of parallel group "${group}" must follow each other (a gate or another step stands between them)`,
      );
    }
    open = group;
  });
}

function firstStrong(tokens: readonly Tokens.Generic[]): string | null {
  const first = tokens[0];
  const lead = first && Array.isArray(first.tokens) ? (first.tokens as Tokens.Generic[]) : [];
  return lead[0]?.type === 'strong' ? inlineText([lead[0]]) : null;
}

function cleanTitle(title: string): string {
  return truncate(title.replace(/\s+/g, ' ').replace(/[.:]\s*$/, ''), TITLE_MAX);
}
