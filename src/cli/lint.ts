/**
 * `runbook lint [dir]`: dispatches to `lintRunbooks` (src/runbooks/lint/lint.ts). Imported
 * dynamically by main.ts, so `runbook search` never loads mermaid or jsdom.
 */
import { DEFAULT_STALE_DAYS, loadConfig } from '../config';
import { freshnessWarnings } from '../runbooks/lint/freshness';
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
  // Stale or unowned runbooks are worth a look, not a failed build.
  const warnings = await freshnessWarnings(dir, { now: new Date(), staleAfterDays: staleDays() });
  for (const warning of warnings) io.err(`${formatLintIssue(warning)}\n`);
  const notes = warnings.length > 0 ? `, ${warnings.length} warning(s)` : '';
  io.out(`runbook lint ${dir}: ${issues.length === 0 ? 'ok' : `${issues.length} problem(s)`}${notes}\n`);
  return issues.length > 0 ? 1 : 0;
}

/** RUNBOOK_STALE_DAYS as the bot reads it; lint needs no other setting, so others do not stop it. */
function staleDays(): number {
  try {
    return loadConfig().staleAfterDays;
  } catch {
    return DEFAULT_STALE_DAYS;
  }
}
