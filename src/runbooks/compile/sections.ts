/**
 * One runbook file → its sections. Every heading is a section; the body of a section runs up to the next
 * heading of any level. Section-scoped directives are collected here (step-scoped ones are left to the
 * checklist compiler, since they live inside ordered-list items).
 */
import type { Tokens } from 'marked';
import type { CodeBlock, Directives, RunbookFile, Section, Table } from '../model/model';
import { DirectiveSyntaxError, findDirectiveComments, stripDirectiveComments } from './directives';
import { RunbookCompileError } from './errors';
import {
  blockText,
  cellText,
  childLines,
  type LinedToken,
  lexWithLines,
  listItemLines,
  normalizeSource,
  Slugger,
  truncate,
} from './markdown';

export interface ParsedSection {
  section: Section;
  /** The heading token's own line and the body's block tokens with their lines. */
  body: LinedToken[];
}

export interface ParsedFile {
  runbook: RunbookFile;
  sections: ParsedSection[];
  /** Normalised source text, for messages that quote it. */
  source: string;
}

const SUMMARY_MAX = 300;

export function parseRunbookFile(file: string, rawSource: string): ParsedFile {
  const source = normalizeSource(rawSource);
  const tokens = lexWithLines(source);
  const headingCount = tokens.filter((t) => t.token.type === 'heading').length;
  if (headingCount === 0)
    throw new RunbookCompileError(file, 1, 'no headings: a runbook needs at least a # title');

  rejectPreamble(file, tokens);

  const h1s = tokens.filter((t) => t.token.type === 'heading' && t.token.depth === 1);
  const first = tokens.find((t) => t.token.type === 'heading');
  const titleToken = h1s.length === 1 && first === h1s[0] ? first : undefined;

  const slugger = new Slugger();
  const parsed: ParsedSection[] = [];
  const stack: ParsedSection[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const lt = tokens[i]!;
    if (lt.token.type !== 'heading') continue;
    const heading = lt.token as Tokens.Heading;
    const body: LinedToken[] = [];
    for (let j = i + 1; j < tokens.length && tokens[j]!.token.type !== 'heading'; j++) body.push(tokens[j]!);

    while (stack.length && stack[stack.length - 1]!.section.level >= heading.depth) stack.pop();
    const parent = stack[stack.length - 1] ?? null;
    const title = blockText([heading]).replace(/\s+/g, ' ').trim();
    const anchor = slugger.slug(title);
    const pathAbove = stack.filter((p) => p.section.line !== titleToken?.line).map((p) => p.section.title);
    const markdown = stripDirectiveComments(body.map((b) => b.token.raw).join(''));
    const text = blockText(body.map((b) => b.token));
    const firstParagraph = body.find((b) => b.token.type === 'paragraph');

    const section: Section = {
      id: `${file}#${anchor}`,
      file,
      anchor,
      level: heading.depth,
      title,
      headings: [...pathAbove, title],
      line: lt.line,
      markdown,
      text,
      summary: firstParagraph ? truncate(blockText([firstParagraph.token]), SUMMARY_MAX) : '',
      code: collectCode(body),
      tables: collectTables(body),
      directives: sectionDirectives(file, lt, body),
      parent: parent?.section.id ?? null,
      children: [],
    };
    parent?.section.children.push(section.id);
    const ps = { section, body };
    parsed.push(ps);
    stack.push(ps);
  }

  // Owner and last review: a directive under the document title (docs/runbook-format.md).
  const hints = titleToken ? (parsed[0]?.section.directives ?? {}) : {};
  const runbook: RunbookFile = {
    file,
    title: titleToken ? parsed[0]!.section.title : file,
    sections: parsed.map((p) => p.section.id),
    owner: hints['owner'] ?? null,
    reviewed: hints['reviewed'] ?? null,
  };
  return { runbook, sections: parsed, source };
}

/** Text before the first heading would belong to no section: refuse it rather than drop it. */
function rejectPreamble(file: string, tokens: LinedToken[]): void {
  for (const lt of tokens) {
    if (lt.token.type === 'heading') return;
    if (lt.token.type === 'space') continue;
    if (lt.token.type === 'html' && /^\s*(<!--[\s\S]*?-->\s*)+$/.test(lt.token.raw)) continue;
    throw new RunbookCompileError(file, lt.line, 'content before the first heading belongs to no section');
  }
}

/** Walks block tokens depth-first with their lines (list items and blockquote children included). */
export function walkBlocks(
  tokens: readonly LinedToken[],
  visit: (lt: LinedToken, inOrderedItem: boolean) => boolean | undefined,
  inOrderedItem = false,
): void {
  for (const lt of tokens) {
    if (visit(lt, inOrderedItem) === false) continue;
    const t = lt.token;
    if (t.type === 'blockquote') {
      const lines = childLines(t.raw, lt.line, t.tokens);
      walkBlocks(
        t.tokens.map((c, k) => ({ token: c as LinedToken['token'], line: lines[k]! })),
        visit,
        inOrderedItem,
      );
    } else if (t.type === 'list') {
      const itemLines = listItemLines(t, lt.line);
      t.items.forEach((item, k) => {
        const line = itemLines[k]!;
        const lines = childLines(item.raw, line, item.tokens);
        walkBlocks(
          item.tokens.map((c, m) => ({ token: c as LinedToken['token'], line: lines[m]! })),
          visit,
          inOrderedItem || t.ordered,
        );
      });
    }
  }
}

function collectCode(body: LinedToken[]): CodeBlock[] {
  const out: CodeBlock[] = [];
  walkBlocks(body, (lt) => {
    if (lt.token.type === 'code') {
      out.push({
        lang: (lt.token.lang ?? '').trim().split(/\s+/)[0] ?? '',
        code: lt.token.text,
        line: lt.line,
      });
    }
    return true;
  });
  return out;
}

function collectTables(body: LinedToken[]): Table[] {
  const out: Table[] = [];
  walkBlocks(body, (lt) => {
    if (lt.token.type === 'table') {
      out.push({
        header: lt.token.header.map(cellText),
        rows: lt.token.rows.map((r) => r.map(cellText)),
        line: lt.line,
      });
    }
    return true;
  });
  return out;
}

/** Directives that stand in the section's heading or body, outside any ordered-list item. */
function sectionDirectives(file: string, heading: LinedToken, body: LinedToken[]): Directives {
  const out: Directives = {};
  collectDirectives(file, heading, out);
  walkBlocks(body, (lt, inOrderedItem) => {
    if (inOrderedItem || lt.token.type === 'code') return false;
    if (lt.token.type === 'list' && lt.token.ordered) return false;
    // An approval gate's hints are the gate's (src/runbooks/compile/checklists.ts), not its section's.
    if (lt.token.type === 'blockquote' && /^\s*>\s*(\*\*|__)?\s*Approval gate\b/i.test(lt.token.raw))
      return false;
    if (lt.token.type === 'html' || lt.token.type === 'paragraph' || lt.token.type === 'heading') {
      collectDirectives(file, lt, out);
    }
    return true;
  });
  return out;
}

/** Directive comments of one html/paragraph token, merged into `into`; syntax errors carry file:line. */
export function collectDirectives(file: string, lt: LinedToken, into: Directives): Directives {
  const raw = lt.token.raw;
  try {
    // A `canary-criteria` comment describes the table after it, not the section or step it stands in.
    for (const c of findDirectiveComments(raw))
      if (c.directives['canary-criteria'] === undefined) Object.assign(into, c.directives);
  } catch (err) {
    if (err instanceof DirectiveSyntaxError) {
      const line = lt.line + (raw.slice(0, err.offset).match(/\n/g)?.length ?? 0);
      throw new RunbookCompileError(file, line, err.message);
    }
    throw err;
  }
  return into;
}
