/**
 * What the search reads at scale changes nothing it answers: over the split artifact (postings read by
 * runs of terms, a section's symptom part and checklist root found on first ask, the ranking over the
 * sections some word touched) it answers exactly as over the whole artifact (each term's postings decoded
 * on its own), at 1× and at 100× the corpus (the benchmark's generator, bench/search-scale.ts), answers,
 * scores, suggestions and the ten best candidates alike. And a "What you see" run found by growing the
 * query's runs per start is the one a look at every run finds.
 */
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCorpus } from '../../../bench/search-scale';
import { writeRuntimeArtifact } from '../../../scripts/bundle';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { loadArtifact, runtimeArtifact } from '../../../src/runbooks/model/artifact';
import type { Artifact } from '../../../src/runbooks/model/model';
import { readRunbookSources } from '../../../src/runbooks/model/source-hash';
import { postingsReader } from '../../../src/runbooks/model/split';
import { prepareQuery } from '../../../src/runbooks/search/query';
import { wordRuns } from '../../../src/runbooks/search/rank';
import { createSearch } from '../../../src/runbooks/search/search';
import { EVAL_SET, INCIDENT_DEV_SET } from '../../eval/metrics';
import { loadTestArtifact, openSplitInMemory, RUNBOOKS_DIR } from '../../helpers/artifact';

/** The queries this checks with (not the held-out sets: those are only scored, never looked at). */
const QUERIES = [
  ...EVAL_SET.tuned.map((q) => q.q),
  ...EVAL_SET.blind.map((q) => q.q),
  ...EVAL_SET.nonsense,
  ...INCIDENT_DEV_SET.inScope.map((q) => q.q),
  ...INCIDENT_DEV_SET.outOfScope.map((q) => q.q),
];

/** Everything a search answers, to compare two searches by. */
function answers(artifact: Artifact, queries: readonly string[]): unknown[] {
  const search = createSearch(artifact);
  return queries.map((q) => {
    const r = search.search(q, { limit: 10, explain: true });
    return {
      q,
      normalized: r.normalized,
      confident: r.confident,
      results: r.results.map((x) => [x.section.id, x.score]),
      suggestions: r.suggestions.map((s) => s.id),
      explain: r.explain,
      shares: r.shares,
    };
  });
}

describe('search over the split artifact', () => {
  it('answers every query exactly as the whole artifact does, at 1×', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { opened } = openSplitInMemory(whole);
    const got = answers(opened, QUERIES);
    expect(got).toEqual(answers(whole, QUERIES));
    // Not a vacuous comparison: most queries are answered.
    expect(got.filter((a) => (a as { confident: boolean }).confident).length).toBeGreaterThan(
      QUERIES.length / 2,
    );
  }, 120_000);

  it("finds the longest query run a symptom's What you see holds, as a look at every run does", async () => {
    const whole = await loadTestArtifact();
    const stop = new Set(whole.search.stopWords);
    const texts = (whole.search.seen ?? []).filter(Boolean);
    expect(texts.length).toBeGreaterThan(5);
    let found = 0;
    for (const q of QUERIES) {
      const words = prepareQuery(q, { synonyms: {}, stopWords: stop }).words;
      // Every run of 3 to 8 words with two that are not stop words, each looked for.
      const every: string[][] = [];
      for (let n = Math.min(8, words.length); n >= 3; n--)
        for (let i = 0; i + n <= words.length; i++) {
          const run = words.slice(i, i + n);
          if (run.filter((w) => !stop.has(w)).length >= 2) every.push(run);
        }
      const runs = wordRuns(words, stop);
      expect(runs.length).toBe(every.length);
      for (const text of texts) {
        const longest = Math.max(
          0,
          ...every.filter((r) => text.includes(` ${r.join(' ')} `)).map((r) => r.length),
        );
        expect(runs.longestIn(text), `${q} in ${text}`).toBe(longest);
        if (longest > 0) found++;
      }
    }
    // Some queries do repeat a symptom's words.
    expect(found).toBeGreaterThan(3);
    // A limit, not a measurement: every query's every run against every symptom's text, one expect each
    // (22 s on a machine shared with five evaluations).
  }, 120_000);
});

describe('search over the split artifact at 100× the corpus', () => {
  let scaled: Artifact;
  beforeAll(async () => {
    const real = await readRunbookSources(RUNBOOKS_DIR);
    scaled = runtimeArtifact(await compileRunbookSources(syntheticCorpus(real, 100), { skipTrees: true }));
  }, 300_000);

  it('answers the tuned, blind and nonsense queries exactly as the whole artifact does, at 100×', () => {
    expect(scaled.sections.length).toBeGreaterThan(20_000);
    const { opened } = openSplitInMemory(scaled);
    const queries = [
      ...EVAL_SET.tuned.map((q) => q.q),
      ...EVAL_SET.blind.map((q) => q.q),
      ...EVAL_SET.nonsense,
    ];
    expect(answers(opened, queries)).toEqual(answers(scaled, queries));
  }, 300_000);
});

describe('a split artifact on disk whose postings are read by parts (10× the corpus)', () => {
  let scaled: Artifact;
  let dir: string;
  beforeAll(async () => {
    const real = await readRunbookSources(RUNBOOKS_DIR);
    scaled = runtimeArtifact(await compileRunbookSources(syntheticCorpus(real, 10), { skipTrees: true }));
    dir = mkdtempSync(join(tmpdir(), 'runbook-scale-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as the whole artifact does, and a truncated postings file is an error that says rebuild', async () => {
    const file = writeRuntimeArtifact(scaled, dir);
    const opened = await loadArtifact(file, { blocking: true });
    const queries = EVAL_SET.tuned.map((q) => q.q);
    expect(answers(opened, queries)).toEqual(answers(scaled, queries));
    // Over 1 MiB: read by parts, not whole (model/split.ts WHOLE_POSTINGS_BYTES).
    const postings = join(dir, 'artifact', 'postings.bin');
    expect(statSync(postings).size).toBeGreaterThan(1024 * 1024);
    truncateSync(postings, statSync(postings).size - 1);
    const cut = await loadArtifact(file, { blocking: true });
    const last = cut.search.terms.length - 1;
    expect(() => postingsReader(cut)!.range(last, last + 1)).toThrow(/postings\.bin truncated; run .*build/);
  }, 120_000);
});
