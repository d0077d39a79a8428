import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNING } from '../../src/runbooks/search/search';
import {
  type Case,
  coordinateAscent,
  FIELD_PREFIX,
  foldNames,
  objective,
  paramSpace,
  pointOf,
  splitPoint,
  tally,
} from './cv-procedure';

const cases: Case[] = [
  { q: 'a', expect: ['x'], fold: 'first' },
  { q: 'b', expect: ['y'], fold: 'first' },
  { q: 'c', expect: ['z'], fold: '4' },
  { q: 'd', fold: '4' },
  { q: 'e', fold: '4' },
];

describe('cross-validation procedure (npm run eval -- --cv)', () => {
  it('scores a fold from the outcomes: top-1, top-3, rejected out-of-scope questions', () => {
    // a first, b third, c missed; d rejected, e answered.
    const o = Int8Array.from([0, 2, -1, 0, 1]);
    expect(foldNames(cases)).toEqual(['first', '4']);
    expect(tally(cases, o, (c) => c.fold === 'first')).toEqual({
      n: 2,
      top1: 1,
      top3: 2,
      oos: 0,
      rejected: 0,
    });
    expect(tally(cases, o, (c) => c.fold === '4')).toEqual({ n: 1, top1: 0, top3: 0, oos: 2, rejected: 1 });
    // 1 + 0.5 × 2 + 1.5 × 1, minus 10 for the one rejection short of 95 % of 2.
    expect(objective(cases, o, () => true)).toBe(1 + 1 + 1.5 - 10);
    expect(objective(cases, Int8Array.from([0, 2, -1, 0, 0]), () => true)).toBe(1 + 1 + 3);
  });

  it('moves each kind of number by its own step and keeps it in bounds', () => {
    const point = pointOf(DEFAULT_TUNING, [
      { name: 'title', weight: 4 },
      { name: 'body', weight: 1 },
    ]);
    const move = (name: string, v: number, d: -1 | 1) => paramSpace(point, [name])[0]!.move(v, d);
    expect(move('minCoverage', 0.45, 1)).toBe(0.5);
    expect(move('bm25B', 1, 1)).toBeUndefined();
    expect(move('headingBoost', 0.15, 1)).toBe(0.2);
    expect(move('headingShareBoost', 0, 1)).toBe(0.05);
    expect(move('headingShareBoost', 0, -1)).toBeUndefined();
    expect(move(`${FIELD_PREFIX}body`, 1, -1)).toBeUndefined();
    expect(move(`${FIELD_PREFIX}title`, 4, 1)).toBe(5);
    const { tuning, weights } = splitPoint(
      { ...point, minCoverage: 0.5, [`${FIELD_PREFIX}body`]: 2 },
      DEFAULT_TUNING,
      [{ name: 'title' }, { name: 'body' }],
    );
    expect(tuning.minCoverage).toBe(0.5);
    expect(tuning.minRelevance).toBe(DEFAULT_TUNING.minRelevance);
    expect(weights).toEqual([4, 2]);
  });

  it('climbs to the best value along each number and leaves a number whose moves do not gain', () => {
    const start = { a: 0.2, b: 0.5 };
    const space = paramSpace(start, ['a', 'b']);
    // Peak at a = 0.4 (a boost: steps × 4/3), b flat: b must not move.
    const score = (p: Record<string, number>) => -Math.abs(p['a']! - 0.4);
    const best = coordinateAscent(start, space, 2, score);
    expect(best['b']).toBe(0.5);
    expect(Math.abs(best['a']! - 0.4)).toBeLessThan(0.06);
    expect(score(best)).toBeGreaterThan(score(start));
  });
});
