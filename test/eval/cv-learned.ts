/**
 * `npm run eval -- --cv-learned`: how well what the search learns from runbooks/phrasings.json
 * (compile/learn.ts, search/learned.ts) answers queries it never saw. Each batch of the file (`batch`; the
 * unnumbered first one is `first`, the tuned set's copy `tuned`) is one fold: the model is learned from
 * every other batch and scores that one, and the folds' results pooled are the cross-validated top-1,
 * top-3 and out-of-scope rejection, beside the ranking alone (nothing learned) on the same queries. With
 * `--fresh=N`, batches numbered N and above are scored by a model learned only from the batches before
 * them (as the next batch people write will be). With `--cases=FILE`, every case as scored goes to FILE, one
 * JSON line each, to compare two commits case by case.
 *
 * Only runbooks/phrasings.json is read: never the incident set, the held-out, blind or nonsense queries.
 */

import { writeFileSync } from 'node:fs';
import phrasings from '../../runbooks/phrasings.json';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import { type LearnCase, learnFrom, phrasingFeatures } from '../../src/runbooks/compile/learn';
import type { Artifact } from '../../src/runbooks/model/model';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { createSearch } from '../../src/runbooks/search/search';
import { RUNBOOKS_DIR } from '../helpers/artifact';

export interface Case {
  q: string;
  expect: string[];
  fold: string;
}

export interface Tally {
  inScope: number;
  top1: number;
  top3: number;
  outOfScope: number;
  rejected: number;
}

const empty = (): Tally => ({ inScope: 0, top1: 0, top3: 0, outOfScope: 0, rejected: 0 });

function foldCases(): Case[] {
  const fold = (b: unknown) => (b === undefined ? 'first' : String(b));
  return [
    ...(phrasings.inScope as { q: string; expect: string[]; batch?: unknown }[]).map((c) => ({
      q: c.q,
      expect: c.expect,
      fold: fold(c.batch),
    })),
    ...(phrasings.outOfScope as { q: string; batch?: unknown }[]).map((c) => ({
      q: c.q,
      expect: [],
      fold: fold(c.batch),
    })),
  ];
}

function score(t: Tally, c: Case, got: string[]): void {
  const { top1, top3 } = scoredCase(c, got);
  if (c.expect.length === 0) {
    t.outOfScope++;
    if (top1) t.rejected++;
    return;
  }
  t.inScope++;
  if (top1) t.top1++;
  if (top3) t.top3++;
}

/**
 * Per fold, a model learned from the cases `trainOn` keeps; scored on the fold. Returns the pooled tallies
 * of the ranking alone and with the model.
 */
/** One case as scored (`--cases=FILE`): what two runs on different commits compare case by case. */
export interface ScoredCase {
  fold: string;
  q: string;
  expect: string[];
  /** The learned search's first three answers ([] for no good match). */
  got: string[];
  top1: boolean;
  top3: boolean;
}

export function scoredCase(c: Case, got: string[]): ScoredCase {
  const rank = got.findIndex((id) => c.expect.includes(id));
  const rejected = c.expect.length === 0 && got.length === 0;
  return {
    fold: c.fold,
    q: c.q,
    expect: c.expect,
    got,
    top1: rejected || rank === 0,
    top3: rejected || (rank >= 0 && rank < 3),
  };
}

export async function crossValidateLearned(
  options: { fresh?: number; onCase?: (scored: ScoredCase) => void } = {},
): Promise<{ alone: Tally; learned: Tally; folds: number }> {
  const base: Artifact = await compileRunbookSources(await readRunbookSources(RUNBOOKS_DIR), {
    skipTrees: true,
  });
  const cases = foldCases().filter((c) => c.expect.every((id) => base.search.ids.includes(id)));
  const features = phrasingFeatures(base.search, cases);
  const learnCases: LearnCase[] = cases.map((c, i) => ({ features: features[i]!, answers: c.expect }));
  const number = (fold: string) => (/^\d+$/.test(fold) ? Number(fold) : -1);
  const folds = [...new Set(cases.map((c) => c.fold))].filter(
    (f) => options.fresh === undefined || number(f) >= options.fresh,
  );
  const aloneSearch = createSearch(base);
  const ids = (s: ReturnType<typeof createSearch>, q: string) =>
    s.search(q, { limit: 3 }).results.map((r) => r.section.id);
  const alone = empty();
  const learned = empty();
  for (const fold of folds) {
    const train = learnCases.filter((_, i) =>
      options.fresh === undefined ? cases[i]!.fold !== fold : number(cases[i]!.fold) < number(fold),
    );
    const search = createSearch({ ...base, search: { ...base.search, learned: learnFrom(train) } });
    cases.forEach((c) => {
      if (c.fold !== fold) return;
      score(alone, c, ids(aloneSearch, c.q));
      const got = ids(search, c.q);
      score(learned, c, got);
      options.onCase?.(scoredCase(c, got));
    });
  }
  return { alone, learned, folds: folds.length };
}

export function formatTally(name: string, t: Tally): string {
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
  return (
    `${name.padEnd(34)} top-1 ${t.top1}/${t.inScope} (${pct(t.top1, t.inScope)})  ` +
    `top-3 ${t.top3}/${t.inScope} (${pct(t.top3, t.inScope)})  ` +
    `out of scope rejected ${t.rejected}/${t.outOfScope} (${pct(t.rejected, t.outOfScope)})`
  );
}

export async function runCvLearned(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--fresh='));
  const fresh = arg ? Number(arg.slice('--fresh='.length)) : undefined;
  // `--cases=FILE`: every case as scored with the learned model, one JSON line each (`ScoredCase`), to
  // compare two commits case by case: which queries a change gained and which it lost.
  const casesFile = process.argv.find((a) => a.startsWith('--cases='))?.slice('--cases='.length);
  const lines: string[] = [];
  const r = await crossValidateLearned({
    ...(fresh !== undefined ? { fresh } : {}),
    ...(casesFile ? { onCase: (c: ScoredCase) => lines.push(JSON.stringify(c)) } : {}),
  });
  if (casesFile) writeFileSync(casesFile, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const what =
    fresh !== undefined
      ? `batches ${fresh}+ (${r.folds}), each scored by a model learned from the batches before it`
      : `${r.folds} batches, each scored by a model learned from all the others`;
  process.stdout.write(`Cross-validated learning from runbooks/phrasings.json: ${what}\n`);
  process.stdout.write(`${formatTally('ranking alone (nothing learned)', r.alone)}\n`);
  process.stdout.write(`${formatTally('ranking + learned (never saw it)', r.learned)}\n`);
}
