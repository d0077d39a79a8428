/**
 * Layering, read from the source: the checklist domain imports neither Slack nor AWS, and nothing the
 * app loads at start-up for checklists pulls in the AWS SDK or dynalite (they load on first store use).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const DOMAIN = [
  ...['checklist.ts', 'run-state.ts', 'approvers.ts'].map((f) => join(ROOT, 'src/workflows', f)),
  join(ROOT, 'src/store/runs.ts'),
];

/** Static imports that load at run time (`import … from`, `export … from`): not `import type`, not `import()`. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(import|export)\s+(type\s)?[^;]*?from\s+'([^']+)'/gms)]
    .filter((m) => m[2] === undefined)
    .map((m) => m[3]!);
}

/** Every package reached through static imports from `entry`, following relative imports. */
function reachablePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.endsWith('.json')) continue;
      if (spec.startsWith('.')) visit(`${resolve(dirname(file), spec.replace(/\.js$/, ''))}.ts`);
      else if (!packages.has(spec)) packages.set(spec, file.slice(ROOT.length + 1));
    }
  };
  visit(entry);
  return packages;
}

describe('boundaries', () => {
  it('keeps the checklist domain free of Slack and AWS imports', () => {
    for (const file of DOMAIN) {
      for (const spec of staticImports(file))
        expect(spec, file).not.toMatch(/^@slack\/|^@aws-sdk\/|^dynalite$/);
    }
  });

  it('loads neither the AWS SDK nor dynalite when the checklists feature is imported', () => {
    const packages = reachablePackages(join(ROOT, 'src/slack/features/checklists/checklists.ts'));
    const heavy = [...packages].filter(([name]) => /^@aws-sdk\/|^dynalite$/.test(name));
    expect(heavy).toEqual([]);
    expect(packages.has('@slack/bolt')).toBe(true);
  });

  it('opens the store through dynamic imports only', () => {
    const factory = readFileSync(join(ROOT, 'src/store/factory.ts'), 'utf8');
    expect(staticImports(join(ROOT, 'src/store/factory.ts')).filter((s) => !s.startsWith('..'))).toEqual([]);
    expect(factory).toContain("await import('./dynamo.js')");
    expect(factory).toContain("await import('./dynalite.js')");
  });
});
