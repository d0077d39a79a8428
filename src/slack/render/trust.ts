/**
 * Why an answer can be trusted, in one line under its title: who owns the runbook, when it was last
 * reviewed, and the build it comes from; and a warning when the review is older than the configured number
 * of days (RUNBOOK_STALE_DAYS). Owner and review date are the runbook's own bot hint; pure.
 */
import type { RunbookFile } from '../../runbooks/model/model';
import { escapeMrkdwn } from './escape';

export interface TrustInput {
  runbook: Pick<RunbookFile, 'owner' | 'reviewed'> | undefined;
  /** The artifact's commit (`artifact.commit`). */
  commit: string | null | undefined;
  staleAfterDays: number;
  now: Date;
}

const DAY_MS = 86_400_000;

/** Whole days since `reviewed` (`YYYY-MM-DD`), or null when it is not a date. */
export function daysSinceReview(reviewed: string | null | undefined, now: Date): number | null {
  if (!reviewed || !/^\d{4}-\d{2}-\d{2}$/.test(reviewed)) return null;
  const t = Date.parse(`${reviewed}T00:00:00Z`);
  return Number.isNaN(t) ? null : Math.floor((now.getTime() - t) / DAY_MS);
}

export function trustLines({ runbook, commit, staleAfterDays, now }: TrustInput): string[] {
  const facts: string[] = [];
  if (runbook?.owner) facts.push(`Owner ${escapeMrkdwn(runbook.owner)}`);
  const age = daysSinceReview(runbook?.reviewed, now);
  if (runbook?.reviewed) facts.push(`reviewed ${escapeMrkdwn(runbook.reviewed)}`);
  else facts.push('never reviewed');
  if (commit) facts.push(`build \`${escapeMrkdwn(commit)}\``);
  const lines = [facts.join(' · ')];
  if (age === null || age > staleAfterDays) {
    const why = age === null ? 'has no review date' : `was last reviewed ${age} days ago`;
    lines.push(
      `:warning: This runbook ${why} (more than ${staleAfterDays}): check commands against the system before running them${runbook?.owner ? `, and tell ${escapeMrkdwn(runbook.owner)}` : ''}.`,
    );
  }
  return lines;
}
