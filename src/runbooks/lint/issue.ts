/** One `runbook lint` finding: printed as `file:line: message`. */
export interface LintIssue {
  /** The file as the user named it (the lint directory joined with the runbook's name). */
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

export function formatLintIssue(issue: LintIssue): string {
  return `${issue.file}:${issue.line}: ${issue.message}`;
}

/** By file, then line, then message; duplicates removed. */
export function sortLintIssues(issues: readonly LintIssue[]): LintIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => (a.file === b.file ? a.line - b.line || cmp(a.message, b.message) : cmp(a.file, b.file)))
    .filter((i) => {
      const key = formatLintIssue(i);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
