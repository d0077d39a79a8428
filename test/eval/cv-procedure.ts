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

/**
 * What the ascent moves: the tuning's numbers, and each search field's weight as `field.<name>` (the index's
 * weighted counts are built with them, config.ts SEARCH_KEYS).
 */
export type Point = Record<string, number>;

export const FIELD_PREFIX = 'field.';

/** The tuning and field weights as one point. */
export function pointOf(t: SearchTuning, fields: readonly { name: string; weight: number }[]): Point {
  const p: Point = {};
  for (const [k, v] of Object.entries(t)) if (typeof v === 'number') p[k] = v;
  for (const f of fields) p[FIELD_PREFIX + f.name] = f.weight;
  return p;
}

/** A point's tuning (over `base`) and field weights (in `fields`' order). */
export function splitPoint(
  p: Point,
  base: SearchTuning,
  fields: readonly { name: string }[],
): { tuning: SearchTuning; weights: number[] } {
  const tuning = { ...base };
  for (const k of Object.keys(base)) if (k in p) (tuning as unknown as Point)[k] = p[k]!;
  return { tuning, weights: fields.map((f) => p[FIELD_PREFIX + f.name]!) };
}

/** A number of the point and how the ascent moves it: the next value one step down or up (undefined: a bound). */
export interface Param {
  name: string;
  move(current: number, direction: -1 | 1): number | undefined;
}
export type ParamSpace = Param[];

/** Numbers that are shares or thresholds (0..1 by meaning, or compared with a relevance): moved by steps. */
const STEPPED = new Set<string>([
  'minKnownShare',
  'incidentalWeight',
  'fillerWeight',
  'treeDemotion',
  'minCoverage',
  'longMinCoverage',
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
  'stepCoverageLead',
  'coverageRescue',
]);
/** Shares that cannot exceed 1. */
const AT_MOST_ONE = new Set<string>(
  [...STEPPED].filter((k) => !k.endsWith('MinRelevance') && k !== 'minRelevance'),
);

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Every number of the point (or those named), with its step: shares and thresholds 0.05; counts and field
 * weights 1 (a field weight at least 1: the index counts whole occurrences); the rest (boosts, weights)
 * × 4/3 up, × 3/4 down, and from 0 up to 0.05 (then doubling), down to 0 below 0.05.
 */
export function paramSpace(p: Point, names?: readonly string[]): ParamSpace {
  const keys = Object.keys(p).filter((k) => !names || names.includes(k));
  return keys.map((name) => ({
    name,
    move(v: number, direction: -1 | 1): number | undefined {
      let x: number;
      if (name.startsWith(FIELD_PREFIX)) x = Math.max(1, v + direction);
      else if (name === 'corrections' || name === 'longQueryGroups') x = Math.max(0, v + direction);
      else if (STEPPED.has(name)) x = v + 0.05 * direction;
      else if (v === 0) x = direction > 0 ? 0.05 : 0;
      else if (direction < 0 && v <= 0.05) x = 0;
      else x = direction > 0 ? v * (4 / 3) : v * 0.75;
      x = round(Math.min(AT_MOST_ONE.has(name) ? 1 : Number.POSITIVE_INFINITY, Math.max(0, x)));
      return x === v ? undefined : x;
    },
  }));
}

/** Steps taken in one direction at most, per number and sweep. */
const MAX_STEPS = 4;

/**
 * Coordinate ascent from `start`: each number in turn is stepped down, else up, and keeps stepping that way
 * while the objective strictly rises (a tie keeps the current value, so numbers move only for a measured
 * gain); `sweeps` passes, or until a pass changes nothing.
 */
export function coordinateAscent(
  start: Point,
  space: ParamSpace,
  sweeps: number,
  score: (p: Point) => number,
  onMove?: (name: string, value: number, score: number) => void,
): Point {
  let current = { ...start };
  let best = score(current);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = false;
    for (const p of space) {
      for (const direction of [-1, 1] as const) {
        let steps = 0;
        for (let x = p.move(current[p.name]!, direction); x !== undefined && steps < MAX_STEPS; steps++) {
          const next = { ...current, [p.name]: x };
          const s = score(next);
          if (s <= best) break;
          best = s;
          current = next;
          x = p.move(x, direction);
        }
        if (steps > 0) {
          moved = true;
          onMove?.(p.name, current[p.name]!, best);
          break;
        }
      }
    }
    if (!moved) break;
  }
  return current;
}
