/**
 * Fenced code blocks found line by line in the raw source, independently of `marked`: an unclosed fence
 * must be reported where it opens (marked silently runs it to the end of the file), and code checks keep
 * working on a file the compiler rejects.
 */
import type { LintIssue } from './issue';

export interface FencedBlock {
  /** First word of the info string; empty when the fence has none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** 1-based line of the closing fence, or the file's last line when unclosed. */
  endLine: number;
  closed: boolean;
}

const OPEN = /^( *)(`{3,}|~{3,})(.*)$/;

export function scanFences(source: string): FencedBlock[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    if (fence.startsWith('`') && info.includes('`')) continue; // inline code, not a fence
    const close = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j]!)) {
      body.push(stripIndent(lines[j]!, indent.length));
      j++;
    }
    blocks.push({
      lang: info.trim().split(/\s+/)[0] ?? '',
      code: body.join('\n'),
      line: i + 1,
      endLine: Math.min(j + 1, lines.length),
      closed: j < lines.length,
    });
    i = j;
  }
  return blocks;
}

function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && line[k] === ' ') k++;
  return line.slice(k);
}

/** Unclosed fences and fences without a language tag. */
export function checkFences(file: string, blocks: readonly FencedBlock[]): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const b of blocks) {
    if (!b.closed)
      issues.push({ file, line: b.line, message: 'unclosed code fence: it runs to the end of the file' });
    else if (!b.lang)
      issues.push({ file, line: b.line, message: 'fenced block has no language (```bash, ```text, ...)' });
  }
  return issues;
}

/** 1-based line ranges covered by fences (opening to closing line), to skip when scanning prose. */
export function fencedLines(blocks: readonly FencedBlock[]): Set<number> {
  const inside = new Set<number>();
  for (const b of blocks) for (let l = b.line; l <= b.endLine; l++) inside.add(l);
  return inside;
}
