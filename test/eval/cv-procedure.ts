/**
 * The parts of the cross-validated tuning (cv.ts) that do not search: folds, scores, the objective, the
 * candidate values of each number and coordinate ascent. Pure, so a test can check them on made-up
 * outcomes (test/eval/cv-procedure.test.ts).
 */
import type { SearchTuning } from '../../src/runbooks/search/search';

/** A query of the development or tuned set: in scope when it expects sections, else out of scope. */
export interface Case {
  q: string;
  expect?: string[];
  /** Its batch (`first` for the unnumbered one, `tuned` for the tuned set): the unit held out. */
  fold: string;
}

/** Per case: in scope, the rank of the first expected section in the top 3 (-1: not there); out of scope, 1 if answered. */
export type Outcomes = Int8Array;

export interface Tally {
  n: number;
  top1: number;
  top3: number;
  oos: number;
  rejected: number;
}

export function foldNames(all: readonly Case[]): string[] {
  return [...new Set(all.map((c) => c.fold))];
}

export function tally(all: readonly Case[], o: Outcomes, keep: (c: Case) => boolean): Tally {
  const s: Tally = { n: 0, top1: 0, top3: 0, oos: 0, rejected: 0 };
  all.forEach((c, i) => {
    if (!keep(c)) return;
    const r = o[i]!;
    if (c.expect) {
      s.n++;
      if (r === 0) s.top1++;
      if (r >= 0 && r < 3) s.top3++;
    } else {
      s.oos++;
      if (r === 0) s.rejected++;
    }
  });
  return s;
}

/** Out-of-scope rejection the bar asks for (issue 20); below it the objective falls steeply. */
export const REJECTION_FLOOR = 0.95;

/**
 * What the ascent maximises over the training folds: a top-1 answer counts 1, a top-3 one half more, an
 * out-of-scope question rejected 1.5 (as much as a query answered first), and each rejection missing
 * from the 95 % floor costs 10.
 */
export function objective(all: readonly Case[], o: Outcomes, keep: (c: Case) => boolean): number {
  const s = tally(all, o, keep);
  const short = Math.max(0, Math.ceil(REJECTION_FLOOR * s.oos) - s.rejected);
  return s.top1 + 0.5 * s.top3 + 1.5 * s.rejected - 10 * short;
}

type NumericKey = { [K in keyof SearchTuning]: SearchTuning[K] extends number ? K : never }[keyof SearchTuning];

/** A number of the tuning and the values the ascent tries for it, given its current value. */
export interface Param {
  name: NumericKey;
  candidates(current: number): number[];
}
export type ParamSpace = Param[];

/** Numbers that are shares or thresholds (0..1 by meaning, or compared with a relevance): moved by steps. */
const STEPPED = new Set<string>([
  'minKnownShare',
  'incidentalWeight',
  'fillerWeight',
  'treeDemotion',
  'minCoverage',
  'minRelevance',
  'everydayMinRelevance',
  'oneSubjectMinRelevance',
  'synonymFactor',
  'accidentFactor',
  'factStepDemotion',
  'partDemotion',
  'bm25Weight',
  'bm25B',
  'procedureInherit',
  'stepNamedShare',
  'stepDemotion',
]);
/** Shares that cannot exceed 1. */
const AT_MOST_ONE = new Set<string>([...STEPPED].filter((k) => !k.endsWith('MinRelevance') && k !== 'minRelevance'));

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Every numeric field of the tuning (or those named): shares and thresholds ±0.05 and ±0.15, counts ±1,
 * the rest (boosts, weights) × 0.5, 0.75, 1.33 and 2; nearest first, so a tie keeps the smaller move.
 */
export function paramSpace(t: SearchTuning, names?: readonly string[]): ParamSpace {
  const keys = Object.keys(t).filter(
    (k) => typeof t[k as keyof SearchTuning] === 'number' && (!names || names.includes(k)),
  ) as NumericKey[];
  return keys.map((name) => ({
    name,
    candidates(v: number): number[] {
      let xs: number[];
      if (name === 'corrections') xs = [v - 1, v + 1];
      else if (STEPPED.has(name)) xs = [v - 0.05, v + 0.05, v - 0.15, v + 0.15];
      else if (v === 0) xs = [0.05, 0.1, 0.2];
      else xs = [v * 0.75, v * 1.33, v * 0.5, v * 2];
      const max = AT_MOST_ONE.has(name) ? 1 : Number.POSITIVE_INFINITY;
      return [...new Set(xs.map(round))].filter((x) => x >= 0 && x <= max && x !== v);
    },
  }));
}

/**
 * Coordinate ascent from `start`: each number in turn takes the candidate value that raises the objective
 * most (strictly; a tie keeps the current value, so the numbers move only for a measured gain), for
 * `sweeps` passes or until a pass changes nothing.
 */
export function coordinateAscent(
  start: SearchTuning,
  space: ParamSpace,
  sweeps: number,
  score: (t: SearchTuning) => number,
): SearchTuning {
  let current = { ...start };
  let best = score(current);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = false;
    for (const p of space) {
      let pick: SearchTuning | undefined;
      for (const v of p.candidates(current[p.name])) {
        const next = { ...current, [p.name]: v };
        const s = score(next);
        if (s > best) {
          best = s;
          pick = next;
        }
      }
      if (pick) {
        current = pick;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return current;
}
