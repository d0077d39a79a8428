/**
 * `runbook lint [dir]`: dispatches to `lintRunbooks` (src/runbooks/lint/lint.ts). Imported
 * dynamically by main.ts, so `runbook search` never loads mermaid or jsdom.
 */
import { formatLintIssue, lintRunbooks } from '../runbooks/lint/lint';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';

export async function lintCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [], ['alarms']);
  if (args.positionals.length > 1) throw new UsageError('lint takes one directory');
  const dir = args.positionals[0] ?? 'runbooks';
  // --alarms <template>: the CloudFormation template whose alarms must map to sections (default ../infra/dr.yaml).
  const alarms = args.values.get('alarms');
  const issues = await lintRunbooks(dir, alarms !== undefined ? { alarmsTemplate: alarms } : {});
  for (const issue of issues) io.err(`${formatLintIssue(issue)}\n`);
  io.out(`runbook lint ${dir}: ${issues.length === 0 ? 'ok' : `${issues.length} problem(s)`}\n`);
  return issues.length > 0 ? 1 : 0;
}
