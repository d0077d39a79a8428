/**
 * Shell blocks: each passes `bash -n` (syntax) and then shellcheck. Blocks are written to a scratch
 * directory; shellcheck runs once per dialect over all of them (one process, JSON output).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapPool, runProgram } from './exec';
import type { FencedBlock } from './fences';
import type { LintIssue } from './issue';
import { SHELL_LANGS, SHELLCHECK_EXCLUDE } from './rules';

export interface ShellBlock {
  file: string;
  block: FencedBlock;
}

const TIMEOUT_MS = 30_000;

export function isShellBlock(block: FencedBlock): boolean {
  return block.closed && SHELL_LANGS[block.lang] !== undefined;
}

export async function checkShellBlocks(blocks: readonly ShellBlock[], scratch: string): Promise<LintIssue[]> {
  if (blocks.length === 0) return [];
  const issues: LintIssue[] = [];
  const paths = await Promise.all(
    blocks.map(async (b, k) => {
      const path = join(scratch, `block-${k}.sh`);
      await writeFile(path, `${b.block.code}\n`);
      return path;
    }),
  );

  const syntax = await mapPool(paths, 2, (path) =>
    runProgram('bash', ['-n', path], { timeoutMs: TIMEOUT_MS }),
  );
  const parsed: number[] = [];
  syntax.forEach((r, k) => {
    const { file, block } = blocks[k]!;
    if (r.missing) throw new Error('bash is required to lint shell blocks');
    if (r.code === 0) {
      parsed.push(k);
      return;
    }
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    const first = lines.find((l) => /line \d+:/.test(l)) ?? lines[0] ?? 'syntax error';
    const at = Number(/line (\d+):/.exec(first)?.[1] ?? '1');
    const message = first.replace(/^.*?line \d+:\s*/, '');
    issues.push({ file, line: block.line + at, message: `bash -n: ${message}` });
  });

  for (const dialect of ['bash', 'sh'] as const) {
    const group = parsed.filter((k) => SHELL_LANGS[blocks[k]!.block.lang] === dialect);
    if (group.length === 0) continue;
    const args = ['-f', 'json1', '-s', dialect, '--norc', ...SHELLCHECK_EXCLUDE.flatMap((c) => ['-e', c])];
    const r = await runProgram('shellcheck', [...args, ...group.map((k) => paths[k]!)], {
      timeoutMs: TIMEOUT_MS,
    });
    if (r.missing || r.timedOut || (r.code !== 0 && r.code !== 1)) {
      const first = blocks[group[0]!]!;
      const why = r.missing
        ? 'is not installed (apt-get install shellcheck)'
        : `failed: ${r.stderr.trim().slice(0, 200)}`;
      issues.push({
        file: first.file,
        line: first.block.line,
        message: `shellcheck is required to lint shell blocks; it ${why}`,
      });
      continue;
    }
    const byPath = new Map(group.map((k) => [paths[k]!, blocks[k]!]));
    const report = JSON.parse(r.stdout || '{"comments":[]}') as { comments: ShellcheckComment[] };
    for (const c of report.comments) {
      const b = byPath.get(c.file);
      if (!b) continue;
      issues.push({
        file: b.file,
        line: b.block.line + c.line,
        message: `shellcheck SC${c.code} (${c.level}): ${c.message}`,
      });
    }
  }
  return issues;
}

interface ShellcheckComment {
  file: string;
  line: number;
  level: string;
  code: number;
  message: string;
}
