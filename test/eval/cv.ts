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
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import type { Artifact } from '../../src/runbooks/model/model';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { createSearch, DEFAULT_TUNING, type SearchTuning } from '../../src/runbooks/search/search';
import { RUNBOOKS_DIR } from '../helpers/artifact';
import {
  type Case,
  coordinateAscent,
  foldNames,
  type Outcomes,
  objective,
  type ParamSpace,
  paramSpace,
  tally,
} from './cv-procedure';
import incidentDev from './incident-dev.json';
import queries from './queries.json';

const out = (text: string) => process.stdout.write(`${text}\n`);

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg?.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg ? '' : undefined;
}

/** The development and tuned sets as cases, each in its fold. */
export function cases(): Case[] {
  const dev = incidentDev as {
    inScope: { q: string; expect: string[]; batch?: number }[];
    outOfScope: { q: string; batch?: number }[];
  };
  const tuned = (queries as { tuned: { q: string; expect: string[] }[] }).tuned;
  const fold = (batch: number | undefined) => (batch === undefined ? 'first' : String(batch));
  return [
    ...dev.inScope.map((c) => ({ q: c.q, expect: c.expect, fold: fold(c.batch) })),
    ...dev.outOfScope.map((c) => ({ q: c.q, fold: fold(c.batch) })),
    ...tuned.map((c) => ({ q: c.q, expect: c.expect, fold: 'tuned' })),
  ];
}

/** Each case's outcome under a tuning: the rank of the first expected section (-1: none), or answered. */
export function outcomesOf(artifact: Artifact, all: readonly Case[]): (t: SearchTuning) => Outcomes {
  const memo = new Map<string, Outcomes>();
  return (t) => {
    const key = JSON.stringify(t);
    const hit = memo.get(key);
    if (hit) return hit;
    const search = createSearch(artifact, t);
    const result = new Int8Array(all.length);
    all.forEach((c, i) => {
      const got = search.search(c.q, { limit: 3 }).results.map((r) => r.section.id);
      result[i] = c.expect ? got.findIndex((id) => c.expect!.includes(id)) : got.length > 0 ? 1 : 0;
    });
    memo.set(key, result);
    return result;
  };
}

const pct = (a: number, b: number) => `${b ? ((100 * a) / b).toFixed(1) : '-'}%`;

function line(label: string, s: ReturnType<typeof tally>): string {
  return (
    `${label.padEnd(10)} top-1 ${`${s.top1}/${s.n}`.padStart(8)} ${pct(s.top1, s.n).padStart(6)}` +
    `  top-3 ${`${s.top3}/${s.n}`.padStart(8)} ${pct(s.top3, s.n).padStart(6)}` +
    `  out-of-scope rejected ${`${s.rejected}/${s.oos}`.padStart(7)} ${pct(s.rejected, s.oos).padStart(6)}`
  );
}

function changed(t: SearchTuning): string {
  const diff = Object.entries(t)
    .filter(([k, v]) => DEFAULT_TUNING[k as keyof SearchTuning] !== v)
    .map(([k, v]) => `${k} ${DEFAULT_TUNING[k as keyof SearchTuning]} → ${v}`);
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
  const space: ParamSpace = paramSpace(DEFAULT_TUNING, names);
  const sizes = folds.map((f) => `${f} ${all.filter((c) => c.fold === f).length}`).join(', ');
  out(`Cross-validation by batch: ${folds.length} folds (${sizes}); ${space.length} numbers tuned, ${sweeps} sweeps`);
  out('objective: top-1 + 0.5 × top-3 + 1.5 × out-of-scope rejected, minus 10 per rejection below 95 %\n');

  // The baseline: main's numbers, scored on each fold.
  const base = evalAt(DEFAULT_TUNING);
  out("Main's numbers, per fold (trained on every fold by hand, so this flatters them):");
  for (const f of folds) out(line(f, tally(all, base, (c) => c.fold === f)));
  const baseTotal = tally(all, base, () => true);
  out(line('pooled', baseTotal));

  // The procedure, cross-validated: tuned without the fold, scored on it.
  out('\nThe procedure, cross-validated (tuned on the other folds, scored on the one held out):');
  const heldOut = new Int8Array(all.length);
  const chosen: Record<string, SearchTuning> = {};
  for (const f of folds) {
    if (only && !only.includes(f)) continue;
    const train = (c: Case) => c.fold !== f;
    const t = coordinateAscent(DEFAULT_TUNING, space, sweeps, (x) => objective(all, evalAt(x), train));
    chosen[f] = t;
    const o = evalAt(t);
    all.forEach((c, i) => {
      if (c.fold === f) heldOut[i] = o[i]!;
    });
    const before = tally(all, base, (c) => c.fold === f);
    out(`${line(f, tally(all, o, (c) => c.fold === f))}   (main ${before.top1}/${before.top3}/${before.rejected})`);
    out(`           ${changed(t)}`);
  }
  const inFolds = (c: Case) => !only || only.includes(c.fold);
  const cv = tally(all, heldOut, inFolds);
  out(line('pooled CV', cv));
  out(line('main', tally(all, base, inFolds)));

  // The candidates to adopt: the same ascent over every fold.
  const final = only ? undefined : coordinateAscent(DEFAULT_TUNING, space, sweeps, (x) => objective(all, evalAt(x), () => true));
  if (final) {
    out('\nTuned on every fold (a training score, not a generalisation measure):');
    out(line('all', tally(all, evalAt(final), () => true)));
    out(`           ${changed(final)}`);
    out(`objective: main ${objective(all, base, () => true)}, tuned ${objective(all, evalAt(final), () => true)}`);
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

function perFold(all: readonly Case[], o: Outcomes, folds: readonly string[]) {
  return Object.fromEntries(folds.map((f) => [f, tally(all, o, (c) => c.fold === f)]));
}

if (require.main === module) {
  runCv().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
