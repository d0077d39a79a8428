/**
 * Measures the two ways to ship the AWS SDK (see scripts/bundle.ts, `SdkMode`): bytes of each bundle and
 * the time `require()` of it takes in a fresh Node process (median of N), for the issue note and
 * docs/install.md.
 *
 *   npx tsx scripts/bundle-measure.ts [--runs=15]
 *
 * `external` resolves `@aws-sdk/*` from this repository's node_modules, standing in for the copy in the
 * Lambda runtime (/var/runtime/node_modules); the machine is not a Lambda, so compare the two numbers with
 * each other, not with Lambda's INIT duration.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundle, type SdkMode } from './bundle';

export interface Measurement {
  sdk: SdkMode;
  entry: string;
  bytes: number;
  mapBytes: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Time of `require(file)` in a fresh process, measured inside it (process start-up excluded). */
export function requireTimeMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  // The bundle's own `require` of an external SDK resolves from where the bundle sits: keep it in the repo.
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return Number(out);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measure(runs: number, root = process.cwd()): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const sdk of ['bundled', 'external'] as const) {
    // Inside the repository, so that `external` finds node_modules/@aws-sdk the way Lambda finds its own.
    const outdir = mkdtempSync(join(root, 'dist', `measure-${sdk}-`));
    try {
      const { sizes } = await bundle({ root, outdir, sdk, iamScopeFile: join(outdir, 'iam-scope.json') });
      for (const entry of ['handler', 'alarm']) {
        const file = join(outdir, `${entry}.cjs`);
        const times = Array.from({ length: runs }, () => requireTimeMs(file));
        results.push({
          sdk,
          entry: `${entry}.cjs`,
          bytes: sizes[relative(root, file)] ?? 0,
          mapBytes: sizes[`${relative(root, file)}.map`] ?? 0,
          runs,
          medianMs: median(times),
          minMs: Math.min(...times),
          maxMs: Math.max(...times),
        });
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return results;
}

if (require.main === module) {
  const runs = Number(/^--runs=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 15);
  measure(runs).then(
    (rows) => {
      console.log('| SDK | file | bytes | map bytes | require median (ms) | min–max (ms) | runs |');
      console.log('|---|---|---:|---:|---:|---|---:|');
      for (const r of rows) {
        console.log(
          `| ${r.sdk} | ${r.entry} | ${r.bytes.toLocaleString('en')} | ${r.mapBytes.toLocaleString('en')} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)}–${r.maxMs.toFixed(1)} | ${r.runs} |`,
        );
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
