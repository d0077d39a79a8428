/**
 * What lint knows about each runbook file from its raw text: fenced blocks, ATX headings and `bot:`
 * directive comments, each with its line. Raw scanning keeps lint useful on files the compiler rejects.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectiveSyntaxError, parseDirectiveBody } from '../compile/directives';
import { normalizeSource } from '../compile/markdown';
import type { Directives } from '../model/model';
import { type FencedBlock, fencedLines, scanFences } from './fences';
import type { LintIssue } from './issue';

export interface RawHeading {
  level: number;
  /** Plain text: emphasis, code marks and link targets removed. */
  text: string;
  line: number;
}

export interface RawDirective {
  directives: Directives;
  line: number;
}

export interface LintFile {
  /** Name inside the runbook directory (`TROUBLESHOOTING.md`). */
  name: string;
  /** As printed in issues: the lint directory joined with the name. */
  path: string;
  source: string;
  lines: string[];
  blocks: FencedBlock[];
  /** Line numbers inside fenced blocks (fences included). */
  fenced: Set<number>;
  headings: RawHeading[];
  directives: RawDirective[];
  /** Directive comments that do not parse. */
  directiveIssues: LintIssue[];
}

export async function readLintFiles(dir: string): Promise<LintFile[]> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.md')).sort();
  return Promise.all(names.map(async (name) => lintFile(dir, name, await readFile(join(dir, name), 'utf8'))));
}

export function lintFile(dir: string, name: string, raw: string): LintFile {
  const source = normalizeSource(raw);
  const lines = source.split('\n');
  const blocks = scanFences(source);
  const fenced = fencedLines(blocks);
  const path = join(dir, name);
  const headings: RawHeading[] = [];
  lines.forEach((l, k) => {
    const m = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(l);
    if (m && !fenced.has(k + 1)) headings.push({ level: m[1]!.length, text: plainText(m[2]!), line: k + 1 });
  });
  const directives: RawDirective[] = [];
  const directiveIssues: LintIssue[] = [];
  // Blank fenced lines so comments shown as examples inside code blocks are not read as directives.
  const prose = lines.map((l, k) => (fenced.has(k + 1) ? '' : l)).join('\n');
  for (const m of prose.matchAll(/<!--([\s\S]*?)-->/g)) {
    const body = m[1] ?? '';
    if (!/^\s*bot:/.test(body)) continue;
    const line = lineAt(prose, m.index);
    try {
      directives.push({ directives: parseDirectiveBody(body.replace(/^\s*bot:\s*/, '')), line });
    } catch (err) {
      if (!(err instanceof DirectiveSyntaxError)) throw err;
      directiveIssues.push({ file: path, line, message: `bad directive: ${err.message}` });
    }
  }
  return { name, path, source, lines, blocks, fenced, headings, directives, directiveIssues };
}

export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|\*|~~)(?=\S)([^*~]*?\S)\1/g, '$2')
    .replace(/(^|\W)(__|_)(?=\S)(.*?\S)\2(?=\W|$)/g, '$1$3')
    .replace(/<[^>]+>/g, '')
    .trim();
}
