/**
 * Search at scale: the real runbooks copied 1×, 10× and 100× into a synthetic corpus, compiled the way
 * `npm run build:artifact` does (decision trees aside), written as the Lambda bundle ships it (split,
 * scripts/bundle.ts `writeRuntimeArtifact`), then the artifact's load time as the bot loads it
 * (`loadArtifact` + `createLazySearch`: the index and the search's own set-up) and the query latency over
 * the eval queries (test/eval/queries.json) on the artifact so opened.
 *
 * Each pass over the queries uses a freshly created search, so the search's caches (similar words, ...)
 * start empty every pass, as on a new Lambda container: repeating the query set must not turn the
 * measurement into one of cache hits. The JIT is warmed by an untimed pass (its cost is the cold start's).
 *
 * Copies are not identical: every heading gets a copy tag and a share of the body words are swapped for
 * words drawn from the corpus, so the index sees distinct, realistic-looking sections.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeRuntimeArtifact } from '../scripts/bundle';
import { compileRunbookSources } from '../src/runbooks/compile/compile';
import { loadArtifact } from '../src/runbooks/model/artifact';
import type { Artifact } from '../src/runbooks/model/model';
import { type RunbookSource, readRunbookSources } from '../src/runbooks/model/source-hash';
import { createLazySearch } from '../src/runbooks/search/lazy';
import { createSearch } from '../src/runbooks/search/search';
import { EVAL_SET } from '../test/eval/metrics';
import { loadTestArtifact, RUNBOOKS_DIR } from '../test/helpers/artifact';
import { BENCH_EXPECT, BENCH_QUERY } from './fixtures';
import { median, percentile, round } from './stats';

export interface ScaleResult {
  scale: number;
  files: number;
  sections: number;
  artifactBytes: number;
  /** What a cold start parses: the split artifact's index file. */
  indexBytes: number;
  buildMs: number;
  loadMsMedian: number;
  queryP50Ms: number;
  queryP99Ms: number;
  queries: number;
  /** The title of the first answer to `/runbook token expired` (checked: a "Token expired" section). */
  topAnswer: string;
}

export interface ScaleOptions {
  /** Index loads timed per scale. */
  loads: number;
  /** Passes over the query set... */
  rounds: number;
  /** ...but no new pass once this much time went into queries at one scale (at least one pass). */
  budgetMs: number;
  /** Only the first n eval queries (smoke). */
  maxQueries?: number;
  /** Where the split artifacts are written (a temporary folder, removed after each scale). */
  workDir?: string;
}

/** Deterministic PRNG (mulberry32) so every run builds the same corpus. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIRECTIVE = /<!--\s*bot:[^>]*-->/g;

/** One synthetic copy of a runbook: tagged headings, some words swapped, no bot directives (ids collide). */
function synthesize(
  src: RunbookSource,
  copy: number,
  vocabulary: string[],
  rand: () => number,
): RunbookSource {
  const tag = `variant ${copy}`;
  const lines = src.source.replace(DIRECTIVE, '').split('\n');
  let inFence = false;
  const out = lines.map((line) => {
    if (line.startsWith('```')) {
      inFence = !inFence;
      // Mermaid is for decision trees, which this benchmark does not compile; keep the block as text.
      return line.replace('```mermaid', '```text');
    }
    if (inFence) return line;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) return `${heading[1]} ${heading[2]} (${tag})`;
    return line.replace(/[A-Za-z]{5,}/g, (w) =>
      rand() < 0.3 ? (vocabulary[Math.floor(rand() * vocabulary.length)] ?? w) : w,
    );
  });
  return { file: src.file.replace(/\.md$/, `-${copy}.md`), source: out.join('\n') };
}

export function syntheticCorpus(real: RunbookSource[], scale: number): RunbookSource[] {
  const rand = prng(20261126 + scale);
  const vocabulary = [...new Set(real.flatMap((s) => s.source.match(/[A-Za-z]{5,}/g) ?? []))];
  const out = [...real];
  for (let copy = 1; copy < scale; copy++) {
    for (const src of real) out.push(synthesize(src, copy, vocabulary, rand));
  }
  return out;
}

/** The synthetic corpus at `scale`, compiled (decision trees aside); shared with the cold-start bench. */
export interface ScaledCorpus {
  scale: number;
  files: number;
  compiled: Artifact;
  buildMs: number;
}

/** The artifact a warm bench serves: the test artifact at 1×, else the generated corpus at `scale`. */
export async function benchArtifact(scale: number): Promise<Artifact> {
  if (scale === 1) return loadTestArtifact();
  return (await compileScaled(await readRunbookSources(RUNBOOKS_DIR), scale)).compiled;
}

export async function compileScaled(real: RunbookSource[], scale: number): Promise<ScaledCorpus> {
  const sources = syntheticCorpus(real, scale);
  const t0 = performance.now();
  const compiled = await compileRunbookSources(sources, { skipTrees: true });
  return { scale, files: sources.length, compiled, buildMs: performance.now() - t0 };
}

export async function measureScale(
  real: RunbookSource[],
  scale: number,
  opts: ScaleOptions,
  corpus?: ScaledCorpus,
): Promise<ScaleResult> {
  const { compiled, buildMs, files } = corpus ?? (await compileScaled(real, scale));
  const json = JSON.stringify(compiled);
  // As the bundle ships it (split: the index, then files read on first need), loaded as the bot loads it.
  const dir = mkdtempSync(join(opts.workDir ?? tmpdir(), `scale-${scale}x-`));
  const file = writeRuntimeArtifact(compiled, dir);
  const indexBytes = statSync(file).size;

  const loads: number[] = [];
  let artifact = compiled;
  try {
    for (let i = 0; i < opts.loads; i++) {
      const t = performance.now();
      artifact = await loadArtifact(file);
      createLazySearch(artifact);
      loads.push(performance.now() - t);
    }
  } finally {
    // The opened artifact reads section files on first need: keep them until the queries are done.
  }

  const top =
    createSearch(artifact).search(BENCH_QUERY, { limit: 5 }).results[0]?.section.title ?? '(no answer)';
  if (!top.includes(BENCH_EXPECT))
    throw new Error(
      `search at ${scale}×: "${BENCH_QUERY}" answered "${top}", not a "${BENCH_EXPECT}" section`,
    );

  const all = [...EVAL_SET.tuned, ...EVAL_SET.heldOut].map((q) => q.q);
  const queries = all.slice(0, opts.maxQueries ?? all.length);
  // One untimed pass first: the JIT's warm-up belongs to the cold start (measured there), not to this table.
  const warm = createSearch(artifact);
  for (const q of queries) warm.search(q, { limit: 5 });
  const times: number[] = [];
  const started = performance.now();
  for (let r = 0; r < opts.rounds && (r === 0 || performance.now() - started < opts.budgetMs); r++) {
    const search = createSearch(artifact);
    for (const q of queries) {
      const t = performance.now();
      search.search(q, { limit: 5 });
      times.push(performance.now() - t);
    }
  }
  // Every answer's section body read (as rendering it would), then the folder goes.
  for (const q of queries) for (const r of warm.search(q, { limit: 1 }).results) void r.section.markdown;
  rmSync(dir, { recursive: true, force: true });
  return {
    scale,
    files,
    indexBytes,
    sections: compiled.sections.length,
    artifactBytes: Buffer.byteLength(json),
    buildMs: round(buildMs),
    loadMsMedian: round(median(loads), 2),
    queryP50Ms: round(percentile(times, 50), 2),
    queryP99Ms: round(percentile(times, 99), 2),
    queries: times.length,
    topAnswer: top,
  };
}

export async function searchScale(
  dir: string,
  scales: number[],
  opts: ScaleOptions,
  corpora: Record<number, ScaledCorpus> = {},
): Promise<ScaleResult[]> {
  const real = await readRunbookSources(dir);
  const results: ScaleResult[] = [];
  for (const scale of scales) results.push(await measureScale(real, scale, opts, corpora[scale]));
  return results;
}
