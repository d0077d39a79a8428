/**
 * Runbook freshness: each runbook names an owner and the date it was last reviewed against the system
 * (`<!-- bot: owner="@team" reviewed=YYYY-MM-DD -->` under its title). A runbook without them, or reviewed
 * longer ago than the configured number of days, gets a warning: it still lints, but someone should look.
 */
import { readLintFiles } from './files';
import type { LintIssue } from './issue';

export interface FreshnessOptions {
  now: Date;
  /** RUNBOOK_STALE_DAYS (src/config.ts). */
  staleAfterDays: number;
}

const DAY_MS = 86_400_000;

/** Warnings (never errors) about runbooks with no owner, no review date, or a review older than allowed. */
export async function freshnessWarnings(dir: string, options: FreshnessOptions): Promise<LintIssue[]> {
  const files = await readLintFiles(dir);
  const out: LintIssue[] = [];
  for (const f of files) {
    const title = f.headings.find((h) => h.level === 1);
    const next = f.headings.find((h) => h.line > (title?.line ?? 0));
    const hint = f.directives.find(
      (d) => d.line > (title?.line ?? 0) && d.line < (next?.line ?? Number.POSITIVE_INFINITY),
    );
    const line = hint?.line ?? title?.line ?? 1;
    const owner = hint?.directives['owner'];
    const reviewed = hint?.directives['reviewed'];
    if (!owner)
      out.push({
        file: f.path,
        line,
        message: 'warning: no owner (add owner="@team" to the hint under the title)',
      });
    if (!reviewed) {
      out.push({
        file: f.path,
        line,
        message: 'warning: no review date (add reviewed=YYYY-MM-DD to the hint under the title)',
      });
      continue;
    }
    const t = /^\d{4}-\d{2}-\d{2}$/.test(reviewed) ? Date.parse(`${reviewed}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(t)) {
      out.push({ file: f.path, line, message: `warning: reviewed="${reviewed}" is not a date (YYYY-MM-DD)` });
      continue;
    }
    const age = Math.floor((options.now.getTime() - t) / DAY_MS);
    if (age > options.staleAfterDays) {
      out.push({
        file: f.path,
        line,
        message: `warning: last reviewed ${reviewed}, ${age} days ago (more than ${options.staleAfterDays}, RUNBOOK_STALE_DAYS): review it against the system and update reviewed=`,
      });
    }
  }
  return out;
}
