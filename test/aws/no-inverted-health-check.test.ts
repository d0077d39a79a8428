/**
 * Nothing tells anyone to invert a health check to force a failover, and nothing in the bot does it. An
 * inverted check reports the opposite of what its checkers see: with the primary really down, Route 53
 * would answer PRIMARY, the dead region (docs/dr-failover.md). The runbooks are scanned for inverting
 * commands and for prose that presents inverting as a way to pin or move traffic; the bot's source for any
 * health check write and any advice of that kind. The detector is first shown the advice the DR runbook
 * used to give, so this test can fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/artifact';

/** Commands and configuration that invert a check (`--no-inverted` undoes one, and is fine). */
const INVERTING = [/(?<!no-)--inverted\b/, /"?Inverted"?\s*[:=]\s*true/, /\bUpdateHealthCheck(Command)?\b/];
/** Prose that presents inverting as the mechanism of a failover. */
const ADVICE = [
  /\b(by|through|via) invert(ing)?\b/i,
  /\binvert(ing)? the (primary |secondary )?health check\b/i,
  /\binverted (means|pins|forces|keeps)\b/i,
  /\b(pin|pinning|force|forcing)\b[^.]*\binvert/i,
];
/** A sentence that says not to, or that the bot reports it as a fault. */
const REFUSAL = /\b(never|no step|nothing in|do not|don't|undo|is a fault|as a fault)\b/i;

function findings(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (INVERTING.some((re) => re.test(line))) out.push(`${i + 1}: ${line.trim()}`);
  });
  const sentences = text.replace(/```[\s\S]*?```/g, ' ').split(/(?<=[.!?])\s+|\n\s*\n/);
  for (const sentence of sentences) {
    const one = sentence.replace(/\s+/g, ' ');
    if (ADVICE.some((re) => re.test(one)) && !REFUSAL.test(one)) out.push(one.trim());
  }
  return out;
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

describe('no inverted health check to force a failover', () => {
  it('recognises the advice the DR runbook used to give (so the scan below can fail)', () => {
    expect(
      findings(
        [
          '**Pin traffic to SECONDARY** by inverting the primary health check: Route 53 then treats af-south-1 as',
          'unhealthy, whatever it really is, and cannot flap back.',
          '',
          '```bash',
          'aws route53 update-health-check --health-check-id "$PRIMARY_HEALTH_CHECK_ID" --inverted',
          '```',
        ].join('\n'),
      ),
    ).toHaveLength(2);
    expect(
      findings('The primary health check must be healthy (inverted means a failover is pinned).'),
    ).toHaveLength(1);
    expect(findings('Undo it: `aws route53 update-health-check --health-check-id X --no-inverted`.')).toEqual(
      [],
    );
  });

  it('no runbook advises or runs it', () => {
    const runbooks = files(join(REPO_ROOT, 'runbooks'), /\.md$/);
    expect(runbooks.length).toBeGreaterThanOrEqual(6);
    const found = runbooks.flatMap((f) =>
      findings(readFileSync(f, 'utf8')).map((x) => `${relative(REPO_ROOT, f)}:${x}`),
    );
    expect(found).toEqual([]);
  });

  it('no bot code path changes a health check or advises inverting one', () => {
    // src/runbooks/lint/ is the runbook linter: it names `--inverted` to refuse it (practice rule
    // no-inverted-health-check).
    const sources = files(join(REPO_ROOT, 'src'), /\.(ts|js|json)$/).filter(
      (f) => !relative(REPO_ROOT, f).startsWith(join('src', 'runbooks', 'lint')),
    );
    expect(sources.length).toBeGreaterThan(50);
    const found = sources.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const writes = /\b(Update|Create|Delete)HealthCheckCommand\b/.test(text)
        ? ['writes a health check']
        : [];
      return [...writes, ...findings(text)].map((x) => `${relative(REPO_ROOT, f)}:${x}`);
    });
    expect(found).toEqual([]);
  });
});
