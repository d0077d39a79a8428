/**
 * `npm audit --omit=dev` for CI (.ci/run): fails on a real finding (moderate or worse in what ships), and
 * does NOT fail when the registry cannot answer the audit (some registries and proxies refuse its bulk
 * endpoint, e.g. with 405 as here): then it says so, loudly, and passes.
 *
 *   npx tsx scripts/npm-audit.ts
 */
import { spawnSync } from 'node:child_process';

export type AuditVerdict =
  | { verdict: 'clean'; message: string }
  | { verdict: 'findings'; message: string }
  | { verdict: 'unavailable'; message: string };

const FAILING = ['moderate', 'high', 'critical'] as const;

/** What `npm audit --json` printed (and its exit code) means for CI. */
export function judgeAudit(output: string, exitCode: number | null): AuditVerdict {
  let report: {
    message?: string;
    statusCode?: number;
    error?: unknown;
    metadata?: { vulnerabilities?: Record<string, number> };
  };
  try {
    report = JSON.parse(output || '{}');
  } catch {
    return { verdict: 'unavailable', message: `npm audit printed no report (exit ${exitCode})` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.message ?? (exitCode === 0 ? 'no report' : `exit ${exitCode}`);
    return { verdict: 'unavailable', message: `the registry did not answer the audit: ${why}` };
  }
  const failing = FAILING.filter((level) => (counts[level] ?? 0) > 0);
  const summary = Object.entries(counts)
    .filter(([level, n]) => level !== 'total' && n > 0)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  if (failing.length > 0) return { verdict: 'findings', message: `npm audit --omit=dev: ${summary}` };
  return { verdict: 'clean', message: `npm audit --omit=dev: ${summary || 'no known vulnerability'}` };
}

if (require.main === module) {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
  const result = judgeAudit(run.stdout, run.status);
  if (result.verdict === 'findings') {
    console.error(`✗ ${result.message} (run \`npm audit --omit=dev\` for the details)`);
    process.exitCode = 1;
  } else if (result.verdict === 'unavailable') {
    console.warn(
      `! npm audit skipped: ${result.message}. Audit where the registry answers (README, "Security").`,
    );
  } else {
    console.log(`✓ ${result.message}`);
  }
}
