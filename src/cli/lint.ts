/**
 * `runbook lint [dir]`: dispatches to the trees owner's `lintRunbooks` (src/runbooks/lint.ts). Imported
 * dynamically by main.ts, so `runbook search` never loads mermaid or jsdom.
 */
import { lintRunbooks } from '../runbooks/lint';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';

export const LINT_USAGE = 'usage: runbook lint [dir]\n';

interface IssueLike {
  file?: string;
  line?: number;
  severity?: string;
  message?: string;
  rule?: string;
}

export async function lintCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [], []);
  if (args.positionals.length > 1) throw new UsageError('lint takes one directory');
  const dir = args.positionals[0] ?? 'runbooks';
  const issues = (await lintRunbooks(dir)) as readonly IssueLike[];
  let errors = 0;
  for (const issue of issues) {
    const severity = issue.severity ?? 'error';
    if (severity !== 'warning' && severity !== 'info') errors++;
    const where = `${issue.file ?? dir}:${issue.line ?? 0}`;
    const rule = issue.rule ? ` [${issue.rule}]` : '';
    io.err(`${where}: ${severity}: ${issue.message ?? String(issue)}${rule}\n`);
  }
  io.out(`runbook lint ${dir}: ${errors} error(s), ${issues.length - errors} warning(s)\n`);
  return errors > 0 ? 1 : 0;
}
