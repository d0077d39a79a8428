/**
 * The AWS SDK clients this feature uses must never load on the `/runbook <search>` path: the app and its
 * entry points reach them only through dynamic `import()` (src/aws/lazy.ts, lambda-defer.ts). Walks the
 * static (value) import graph from the entry points and fails when an SDK client is reachable. Also keeps
 * the AWS domain modules free of SDK and Slack imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const SDK = ['@aws-sdk/client-route-53', '@aws-sdk/client-cloudwatch', '@aws-sdk/client-lambda'];

/** Value imports and re-exports of one file (type-only ones are erased by the compiler). */
function valueImports(source: string): string[] {
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(statement)) {
    if (m[2]) continue;
    const clause = (m[3] ?? '').trim();
    const named = /^\{([\s\S]*)\}$/.exec(clause);
    const allTypes = named?.[1]?.split(',').every((s) => s.trim() === '' || /^type\s/.test(s.trim()));
    if (allTypes) continue;
    out.push(m[4]!);
  }
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return null;
}

function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of valueImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const local = resolveLocal(file, spec);
        if (local) queue.push(local);
      } else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('lazy loading of the AWS SDK', () => {
  it.each(['src/slack/app.ts', 'src/entry/lambda.ts', 'src/entry/http.ts'])(
    '%s reaches no AWS SDK client statically',
    (entry) => {
      const { files, packages } = reachable(entry);

      expect(files.size).toBeGreaterThan(5);
      expect([...packages].filter((p) => SDK.includes(p))).toEqual([]);
      // The gateway is loaded only through deps.getAws(); status and the step extensions are lazy features
      // (src/slack/features/index.ts), imported on first use: only their manifests are in the graph.
      expect([...files].some((f) => f.endsWith('src/aws/gateway.ts'))).toBe(false);
      expect([...files].some((f) => f.endsWith('src/slack/features/index.ts'))).toBe(true);
      expect([...files].some((f) => f.endsWith('src/slack/features/status/status.ts'))).toBe(false);
      expect([...files].some((f) => f.endsWith('src/slack/features/aws-steps/aws-steps.ts'))).toBe(false);
    },
  );

  it('the lazily imported module does load the SDK clients (so the walk above means something)', () => {
    expect([...reachable('src/aws/index.ts').packages].filter((p) => SDK.includes(p)).sort()).toEqual(
      [...SDK].sort(),
    );
  });

  it('the failover switch’s S3 and ARC clients load only when the switch is used, not with the gateway', () => {
    const { packages, files } = reachable('src/aws/index.ts');

    expect([...packages].filter((p) => p.includes('client-s3') || p.includes('recovery-cluster'))).toEqual(
      [],
    );
    expect([...files].some((f) => f.endsWith('src/aws/s3-object-write.ts'))).toBe(false);
    // ...while the operation files themselves do import them (so the walk above means something).
    expect([...reachable('src/aws/s3-object-write.ts').packages]).toContain('@aws-sdk/client-s3');
    expect([...reachable('src/aws/arc-state-update.ts').packages]).toContain(
      '@aws-sdk/client-route53-recovery-cluster',
    );
  });

  it('domain modules of this feature import neither the SDK nor Slack', () => {
    for (const file of [
      'failover-plan',
      'failover-state',
      'canary-verdict',
      'authorize',
      'requests',
      'notice',
      'failover-switch',
      'failover-verdict',
      'health-tree',
      'dns-answer',
      'warmup',
    ]) {
      const { packages } = reachable(`src/workflows/${file}.ts`);
      expect([...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@slack/'))).toEqual([]);
    }
  });
});
