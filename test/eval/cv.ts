/**
 * `npm run eval -- --cv`: how well the search's numbers (`SearchTuning`, rank.ts) generalise, measured by
 * cross-validation grouped by batch, and the procedure that chose them.
 *
 * Every earlier round tuned by hand on the batches it had and gained on them, little on fresh ones. Here
 * each batch of the incident development set (test/eval/incident-dev.json, `batch`; the unnumbered first
 * one is `first`) and the tuned set (test/eval/queries.json `tuned`) is one fold: the numbers are tuned by
 * coordinate ascent on all folds but one and scored on the one left out, and the held-out folds' results
 * pooled are the cross-validated top-1 / top-3 / out-of-scope rejection. The fixed numbers on main are
 * scored per fold too (the baseline: trained on all of it, so if anything it flatters main). Finally the
 * ascent runs on every fold together: those numbers are the candidates to adopt, if the procedure's
 * cross-validated score beats the baseline.
 *
 * Only the development and tuned sets are read: never the incident set, the held-out, blind or nonsense
 * queries (this file does not import test/eval/metrics.ts, which loads them for `npm run eval`).
 *
 * Options: `--sweeps=N` (ascent passes, default 2), `--params=a,b` (tune only these), `--json=FILE`
 * (write the result), `--folds=first,4` (only these held out, for a quick look).
 */
import { writeFileSync } from 'node:fs';
import phrasings from '../../runbooks/phrasings.json';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import { buildSearchData } from '../../src/runbooks/compile/search-index';
import type { Artifact } from '../../src/runbooks/model/model';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { SEARCH_KEYS } from '../../src/runbooks/search/config';
import { createSearchEngine } from '../../src/runbooks/search/engine';
import { fuzzyMatcher } from '../../src/runbooks/search/fuzzy';
import { DEFAULT_TUNING } from '../../src/runbooks/search/search';
import { RUNBOOKS_DIR } from '../helpers/artifact';
import { type MissKind, misses } from './cv-misses';
import {
  type Case,
  coordinateAscent,
  foldNames,
  type Outcomes,
  objective,
  type ParamSpace,
  type Point,
  paramSpace,
  pointOf,
  splitPoint,
  tally,
} from './cv-procedure';
import queries from './queries.json';

const out = (text: string) => process.stdout.write(`${text}\n`);
/** Progress on stderr: a full run takes tens of minutes on a busy machine. */
const progress = (text: string) =>
  process.stderr.write(`[cv ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg?.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg ? '' : undefined;
}

/** The development and tuned sets as cases, each in its fold. */
export function cases(): Case[] {
  // runbooks/phrasings.json also holds the tuned set (batch "tuned"), read below from queries.json.
  const all = phrasings as {
    inScope: { q: string; expect: string[]; batch?: number | string }[];
    outOfScope: { q: string; batch?: number }[];
  };
  const dev = {
    inScope: all.inScope.filter(
      (c): c is { q: string; expect: string[]; batch?: number } => c.batch !== 'tuned',
    ),
    outOfScope: all.outOfScope,
  };
  const tuned = (queries as { tuned: { q: string; expect: string[] }[] }).tuned;
  const fold = (batch: number | undefined) => (batch === undefined ? 'first' : String(batch));
  return [
    ...dev.inScope.map((c) => ({ q: c.q, expect: c.expect, fold: fold(c.batch) })),
    ...dev.outOfScope.map((c) => ({ q: c.q, fold: fold(c.batch) })),
    ...tuned.map((c) => ({ q: c.q, expect: c.expect, fold: 'tuned' })),
  ];
}

/**
 * Each case's outcome at a point (cv-procedure.ts `Outcomes`), memoised: the folds' ascents start from the
 * same point and share most of their path. Other field weights rebuild the index (as the compiler would).
 */
export function outcomesOf(artifact: Artifact, all: readonly Case[]): (p: Point) => Outcomes {
  const memo = new Map<string, Outcomes>();
  const indexes = new Map<string, { artifact: Artifact; typo: (word: string) => string[] }>();
  // fuse.js's typo candidates for a word depend on the index only, not on the numbers: asked once per
  // word and index (they were most of an evaluation's time).
  const typoOf = (a: Artifact) => {
    const matcher = fuzzyMatcher(a.search.fuzzy);
    const known = new Map<string, string[]>();
    return (word: string) => {
      const got = known.get(word) ?? matcher?.(word) ?? [];
      known.set(word, got);
      return got;
    };
  };
  const records = Object.values(artifact.records).flat();
  return (p) => {
    const key = JSON.stringify(p);
    const hit = memo.get(key);
    if (hit) return hit;
    const { tuning, weights } = splitPoint(p, DEFAULT_TUNING, SEARCH_KEYS);
    const same = weights.every((w, i) => w === SEARCH_KEYS[i]!.weight);
    const wkey = weights.join(',');
    let indexed = indexes.get(wkey);
    if (!indexed) {
      const keys = SEARCH_KEYS.map((k, i) => ({ name: k.name, weight: weights[i]! }));
      const a = same
        ? artifact
        : { ...artifact, search: buildSearchData(artifact.sections, artifact.runbooks, { keys, records }) };
      indexed = { artifact: a, typo: typoOf(a) };
      indexes.set(wkey, indexed);
    }
    const search = createSearchEngine(indexed.artifact, tuning, indexed.typo);
    const result = new Int8Array(all.length);
    all.forEach((c, i) => {
      const got = search.search(c.q, { limit: 3 }).results.map((r) => r.section.id);
      result[i] = c.expect ? got.findIndex((id) => c.expect!.includes(id)) : got.length > 0 ? 1 : 0;
    });
    memo.set(key, result);
    evaluations++;
    return result;
  };
}

let evaluations = 0;

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '-'}%`;

function line(label: string, s: ReturnType<typeof tally>): string {
  return (
    `${label.padEnd(10)} top-1 ${`${s.top1}/${s.n}`.padStart(8)} ${pct(s.top1, s.n).padStart(6)}` +
    `  top-3 ${`${s.top3}/${s.n}`.padStart(8)} ${pct(s.top3, s.n).padStart(6)}` +
    `  out-of-scope rejected ${`${s.rejected}/${s.oos}`.padStart(7)} ${pct(s.rejected, s.oos).padStart(6)}`
  );
}

/** Main's numbers and field weights. */
const MAIN: Point = pointOf(DEFAULT_TUNING, SEARCH_KEYS);

function changed(p: Point): string {
  const diff = Object.entries(p)
    .filter(([k, v]) => MAIN[k] !== v)
    .map(([k, v]) => `${k} ${MAIN[k]} → ${v}`);
  return diff.length > 0 ? diff.join(', ') : '(main unchanged)';
}

export async function runCv(): Promise<void> {
  const started = Date.now();
  const sources = await readRunbookSources(RUNBOOKS_DIR);
  const artifact = await compileRunbookSources(sources, { skipTrees: true });
  const all = cases();
  const evalAt = outcomesOf(artifact, all);
  const folds = foldNames(all);
  const only = flag('folds')?.split(',').filter(Boolean);
  const sweeps = Number(flag('sweeps') ?? 2);
  const names = flag('params')?.split(',').filter(Boolean);
  const space: ParamSpace = paramSpace(MAIN, names);
  if (flag('misses') !== undefined) {
    printMisses(artifact, all, folds);
    return;
  }
  const sizes = folds.map((f) => `${f} ${all.filter((c) => c.fold === f).length}`).join(', ');
  out(
    `Cross-validation by batch: ${folds.length} folds (${sizes}); ${space.length} numbers tuned, ${sweeps} sweeps`,
  );
  out('objective: top-1 + 0.5 × top-3 + 1.5 × out-of-scope rejected, minus 10 per rejection below 95 %\n');

  // The baseline: main's numbers, scored on each fold.
  const base = evalAt(MAIN);
  out("Main's numbers, per fold (trained on every fold by hand, so this flatters them):");
  for (const f of folds)
    out(
      line(
        f,
        tally(all, base, (c) => c.fold === f),
      ),
    );
  const baseTotal = tally(all, base, () => true);
  out(line('pooled', baseTotal));

  // The procedure, cross-validated: tuned without the fold, scored on it.
  out('\nThe procedure, cross-validated (tuned on the other folds, scored on the one held out):');
  const heldOut = new Int8Array(all.length);
  const chosen: Record<string, Point> = {};
  for (const f of folds) {
    if (only && !only.includes(f)) continue;
    const train = (c: Case) => c.fold !== f;
    const t = coordinateAscent(
      MAIN,
      space,
      sweeps,
      (x) => objective(all, evalAt(x), train),
      (name, v, score) => progress(`without ${f}: ${name} → ${v} (${score}; ${evaluations} evaluations)`),
    );
    chosen[f] = t;
    const o = evalAt(t);
    all.forEach((c, i) => {
      if (c.fold === f) heldOut[i] = o[i]!;
    });
    const before = tally(all, base, (c) => c.fold === f);
    out(
      `${line(
        f,
        tally(all, o, (c) => c.fold === f),
      )}   (main ${before.top1}/${before.top3}/${before.rejected})`,
    );
    // What tuning gained where it was measured, and where it was not: the gap is overfitting.
    const gain = (keep: (c: Case) => boolean) => objective(all, o, keep) - objective(all, base, keep);
    const heldGain = gain((c) => c.fold === f);
    out(`           objective gain: training ${gain(train)}, held out ${heldGain}`);
    out(`           ${changed(t)}`);
    progress(`fold ${f} done, ${evaluations} evaluations`);
  }
  const inFolds = (c: Case) => !only || only.includes(c.fold);
  const cv = tally(all, heldOut, inFolds);
  out(line('pooled CV', cv));
  out(line('main', tally(all, base, inFolds)));

  // The candidates to adopt: the same ascent over every fold.
  const final = only
    ? undefined
    : coordinateAscent(MAIN, space, sweeps, (x) => objective(all, evalAt(x), () => true));
  if (final) {
    out('\nTuned on every fold (a training score, not a generalisation measure):');
    out(
      line(
        'all',
        tally(all, evalAt(final), () => true),
      ),
    );
    out(`           ${changed(final)}`);
    out(
      `objective: main ${objective(all, base, () => true)}, tuned ${objective(all, evalAt(final), () => true)}`,
    );
  }
  out(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
  const json = flag('json');
  if (json)
    writeFileSync(
      json,
      `${JSON.stringify(
        { folds, main: { perFold: perFold(all, base, folds), pooled: baseTotal }, cv, chosen, final },
        null,
        1,
      )}\n`,
    );
}

/** Per fold, how many queries miss and why (cv-misses.ts), then each miss. */
function printMisses(artifact: Artifact, all: readonly Case[], folds: readonly string[]): void {
  const list = misses(artifact, all);
  const kinds: MissKind[] = ['rejected-first', 'rejected-outranked', 'outranked', 'absent', 'oos-answered'];
  out(`fold       ${kinds.join('  ')}`);
  for (const f of [...folds, 'all']) {
    const mine = list.filter((m) => f === 'all' || m.fold === f);
    out(
      `${f.padEnd(10)} ${kinds.map((k) => String(mine.filter((m) => m.kind === k).length).padStart(k.length)).join('  ')}`,
    );
  }
  for (const m of list) {
    out(`\n[${m.fold}] ${m.kind}${m.at > 0 ? ` (${m.at + 1})` : ''}: ${m.q}`);
    if (m.expect) out(`  expected ${m.expect.join(' | ')}`);
    out(`  got      ${m.got.join(' | ')}`);
  }
}

function perFold(all: readonly Case[], o: Outcomes, folds: readonly string[]) {
  return Object.fromEntries(folds.map((f) => [f, tally(all, o, (c) => c.fold === f)]));
}

if (require.main === module) {
  runCv().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
