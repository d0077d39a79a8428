/**
 * The pieces a short answer is made of, read from a section's Markdown: a symptom's parts (What you see,
 * Diagnosis, Fix, ...), the first item of a list (the first fix), the first lines of "What you see", and
 * the `export NAME=value` lines a command needs, so each command can be copied and run on its own. Pure,
 * line-based, no Markdown library (like markdown.ts).
 */
import type { Section } from '../../runbooks/model/model';
import type { SectionLookup } from '../../runbooks/model/split';

/** A symptom's parts in runbook order, with the short names answer buttons carry. */
export const ANSWER_PARTS = [
  { key: 'w', title: 'What you see' },
  { key: 'c', title: 'Likely causes' },
  { key: 'd', title: 'Diagnosis' },
  { key: 'f', title: 'Fix' },
  { key: 'v', title: 'Verify' },
  { key: 'e', title: 'Escalate' },
] as const;

export type PartKey = (typeof ANSWER_PARTS)[number]['key'];

/** The symptom's parts present under `s`, by key. Empty for a section that is not a symptom. */
export function partsOf(s: Section, byId: SectionLookup): Map<PartKey, Section> {
  const out = new Map<PartKey, Section>();
  for (const id of s.children) {
    const child = byId.get(id);
    const part = ANSWER_PARTS.find((p) => p.title.toLowerCase() === child?.title.toLowerCase());
    if (child && part) out.set(part.key, child);
  }
  return out;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+/;
const EXPORT = /^\s*export\s+([A-Z_][A-Z0-9_]*)=/;

/** `export NAME=value` lines of the shell blocks in `markdown`, by name (the first definition wins). */
export function exportsIn(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let inShell = false;
  let marker = '';
  for (const line of markdown.split('\n')) {
    const fence = FENCE.exec(line);
    if (fence && !inShell && marker === '') {
      marker = fence[2] ?? '```';
      inShell = /^(bash|sh|shell|zsh)?$/.test(fence[3] ?? '');
      continue;
    }
    if (marker && line.trim().startsWith(marker)) {
      marker = '';
      inShell = false;
      continue;
    }
    const m = inShell ? EXPORT.exec(line) : null;
    if (m?.[1] && !out.has(m[1])) out.set(m[1], line.trim());
  }
  return out;
}

/** The variables a section's commands may use: its own exports, then its ancestors' (nearest first). */
export function variablesFor(s: Section, byId: SectionLookup): Map<string, string> {
  const out = new Map<string, string>();
  for (let cur: Section | undefined = s; cur; cur = cur.parent ? byId.get(cur.parent) : undefined) {
    for (const [name, line] of exportsIn(cur.markdown)) if (!out.has(name)) out.set(name, line);
  }
  return out;
}

/**
 * Each shell block of `markdown` with the `export` lines of the variables it uses (and does not set
 * itself) put at its top, and of the variables those lines use in turn: the block can be copied and pasted
 * alone. A block that only sets variables is dropped, since each command now carries what it needs.
 */
export function withVariables(markdown: string, variables: ReadonlyMap<string, string>): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (!fence) {
      out.push(line);
      continue;
    }
    const [, indent = '', marker = '```', lang = ''] = fence;
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(marker)) j++;
    const body = lines.slice(i + 1, j);
    const closing = lines[j] ?? `${indent}${marker}`;
    i = j;
    if (!/^(bash|sh|shell|zsh)?$/.test(lang)) {
      out.push(line, ...body, closing);
      continue;
    }
    const code = body.join('\n');
    if (body.every((l) => l.trim() === '' || EXPORT.test(l))) continue;
    const set = new Set([...code.matchAll(/^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''));
    const needed = neededExports(usedIn(code), set, variables);
    out.push(line, ...needed.map((name) => `${indent}${variables.get(name)}`), ...body, closing);
  }
  return out.join('\n');
}

/** The variables shell `code` expands (`$NAME`, `${NAME}`). */
function usedIn(code: string): Set<string> {
  return new Set([...code.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
}

/**
 * The runbook variables a block needs, set before its code: those it uses and does not set, and those their
 * `export` lines use (`PROVIDER_ARN="arn:aws:iam::${ACCOUNT_ID}:…"` needs ACCOUNT_ID, whose own block is
 * dropped). In the order the runbook defines them, each after the variables its value is made of.
 */
function neededExports(
  used: ReadonlySet<string>,
  set: ReadonlySet<string>,
  variables: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || set.has(name) || !variables.has(name)) return;
    seen.add(name);
    for (const dependency of usedIn(variables.get(name) ?? '')) visit(dependency);
    out.push(name);
  };
  for (const name of variables.keys()) if (used.has(name)) visit(name);
  return out;
}

/** A body's first list item (with what is nested in it), or its first paragraph when it has no list. */
export function firstItem(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => ITEM.test(l));
  if (start < 0) {
    const text = lines.filter((l) => !l.trim().startsWith('<!--'));
    const first = text.findIndex((l) => l.trim() !== '');
    if (first < 0) return '';
    const end = text.findIndex((l, i) => i > first && l.trim() === '');
    return text.slice(first, end < 0 ? undefined : end).join('\n');
  }
  const indent = ITEM.exec(lines[start] ?? '')?.[1]?.length ?? 0;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const l = lines[end] ?? '';
    if (l.trim() === '') continue;
    const lead = l.length - l.trimStart().length;
    if (lead <= indent) break;
  }
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines
    .slice(start, end)
    .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
    .join('\n');
}

/** The first `n` items of a list as plain lines (`What you see` at a glance), without their nesting. */
export function firstLines(markdown: string, n: number): string[] {
  const items: string[] = [];
  let current: string[] | null = null;
  for (const line of markdown.split('\n')) {
    const m = ITEM.exec(line);
    if (m && (m[1]?.length ?? 0) === 0) {
      if (items.length >= n) break;
      current = [line.slice(m[0].length).trim()];
      items.push('');
    } else if (current && line.trim() !== '' && !FENCE.test(line)) current.push(line.trim());
    else if (current && line.trim() === '') current = current.length > 0 ? current : null;
    if (current) items[items.length - 1] = current.join(' ');
  }
  if (items.length > 0) return items.slice(0, n);
  const paragraph = firstItem(markdown).replace(/\s+/g, ' ').trim();
  return paragraph ? [paragraph] : [];
}

/** A list item's lead text (before its first code block, list marker dropped) and its first code block. */
export function leadAndCommand(item: string): { lead: string; command: string } {
  const lines = item.split('\n');
  const start = lines.findIndex((l) => FENCE.test(l));
  const prose = (start < 0 ? lines : lines.slice(0, start))
    .join('\n')
    .split(/\n\s*\n/)[0]!
    .replace(ITEM, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (start < 0) return { lead: prose, command: '' };
  const marker = FENCE.exec(lines[start] ?? '')?.[2] ?? '```';
  let end = start + 1;
  while (end < lines.length && !(lines[end] ?? '').trim().startsWith(marker)) end++;
  const block = lines.slice(start, end + 1);
  const indent = Math.min(...block.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return { lead: prose, command: block.map((l) => l.slice(indent)).join('\n') };
}

/**
 * The first sentences of Markdown prose, at most `max` characters: at least the first sentence (and the
 * next when the first is only a bold title), cut at a word when longer. A sentence ends at `.`, `!` or `?`
 * before a capital, a mark-up character or a link, never inside a code span or a link; a cut never leaves
 * a code span or a link open.
 */
export function leadSentences(prose: string, max: number): string {
  const ends: number[] = [];
  /** Where a cut keeps the Markdown whole: outside code spans, links and emphasis. */
  const safe: number[] = [];
  let code = false;
  let depth = 0;
  let bold = false;
  for (let i = 0; i < prose.length; i++) {
    const ch = prose[i] ?? '';
    if (ch === '`') code = !code;
    else if (!code && ch === '*' && prose[i + 1] === '*') {
      bold = !bold;
      i++;
      continue;
    } else if (!code && (ch === '[' || ch === '(')) depth++;
    else if (!code && (ch === ']' || ch === ')')) depth = Math.max(0, depth - 1);
    else if (!code && depth === 0 && !bold && /[.!?]/.test(ch)) {
      if (/^\s[A-Z*`[_"(]/.test(prose.slice(i + 1, i + 3))) ends.push(i + 1);
    }
    if (ch === ' ' && !code && depth === 0 && !bold) safe.push(i);
  }
  ends.push(prose.length);
  const titleOnly = (end: number) => /^\*\*[^*]+\*\*[.:]?$/.test(prose.slice(0, end).trim());
  let cut = titleOnly(ends[0]!) && ends.length > 1 ? ends[1]! : ends[0]!;
  for (const e of ends) if (e > cut && e <= max) cut = e;
  const text = prose.slice(0, cut).trim();
  if (text.length <= max) return text;
  const space = [...safe].reverse().find((i) => i < max - 1);
  return `${prose.slice(0, space !== undefined && space > max / 3 ? space : Math.min(max - 1, ends[0]!)).replace(/[\s,;:]+$/, '')}…`;
}

/** An `export` value that means the same on a line with others: no expansion, no comment, no operator. */
const PLAIN_VALUE = /^(?:[\w./:@%+,=-]*|"[^"$`\\]*"|'[^']*')$/;

/**
 * A shell block's runs of plain `export NAME=value` lines as few lines as fit in `width` characters
 * (`export A=1 B=two`): the same variables, fewer lines on a first screen. A value that expands anything
 * (`$OTHER`, `$(…)`) keeps its own line, since one `export` expands all its words before setting any.
 */
export function compactExports(markdown: string, width = 100): string {
  const out: string[] = [];
  let run: { indent: string; assignments: string[] } | null = null;
  const flush = () => {
    if (!run) return;
    let line = '';
    for (const a of run.assignments) {
      if (line && line.length + 1 + a.length > width) {
        out.push(line);
        line = '';
      }
      line = line ? `${line} ${a}` : `${run.indent}export ${a}`;
    }
    if (line) out.push(line);
    run = null;
  };
  let inShell = false;
  let marker = '';
  for (const line of markdown.split('\n')) {
    const fence = FENCE.exec(line);
    if (fence && marker === '') {
      flush();
      marker = fence[2] ?? '```';
      inShell = /^(bash|sh|shell|zsh)?$/.test(fence[3] ?? '');
      out.push(line);
      continue;
    }
    if (marker && line.trim().startsWith(marker)) {
      flush();
      marker = '';
      inShell = false;
      out.push(line);
      continue;
    }
    const m = inShell ? /^(\s*)export\s+([A-Z_][A-Z0-9_]*)=(\S*)\s*$/.exec(line) : null;
    if (m && PLAIN_VALUE.test(m[3] ?? '')) {
      if (!run) run = { indent: m[1] ?? '', assignments: [] };
      run.assignments.push(`${m[2]}=${m[3]}`);
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return out.join('\n');
}
