/**
 * The gated intent patterns (search/gated.ts, config.ts): a gate may only skip a pattern that could not
 * have matched. Every gated pattern is run with and without its gate over every query of the evaluation
 * sets and runbooks/phrasings.json, as typed, lower-cased and as words (the forms the search runs them on).
 */
import { describe, expect, it } from 'vitest';
import phrasings from '../../../runbooks/phrasings.json';
import * as config from '../../../src/runbooks/search/config';
import { type Gated, gated } from '../../../src/runbooks/search/gated';
import queries from '../../eval/queries.json';

const GATED = Object.entries(config).filter(
  (e): e is [string, Gated] => typeof e[1] === 'object' && e[1] !== null && 'pieces' in e[1],
);

const texts = (() => {
  const raw = [
    ...phrasings.inScope.map((x) => x.q),
    ...phrasings.outOfScope.map((x) => x.q),
    ...queries.tuned.map((x) => x.q),
    ...queries.heldOut.map((x) => x.q),
    ...queries.blind.map((x) => x.q),
    ...queries.nonsense,
  ];
  return raw.flatMap((q) => {
    const lower = q.toLowerCase();
    return [
      q,
      lower,
      lower
        .split(/[^a-z0-9'-]+/)
        .filter(Boolean)
        .join(' '),
    ];
  });
})();

/** The pattern alone, from a fresh copy (no lastIndex carried over). */
const bare = (g: Gated) => new RegExp(g.pattern.source, g.pattern.flags);

describe('gated patterns', () => {
  it('gate the intent patterns the first search runs', () => {
    expect(GATED.map(([name]) => name).sort()).toEqual(
      [
        'ACTION_EFFECT',
        'CLASS_QUESTION',
        'DECISION_INTENT',
        'DR_PERIOD',
        'EXPLANATION_INTENT',
        'FACT_INTENT',
        'IMPACT_INTENT',
        'IMPERATIVE_PROCEDURE',
        'MEASUREMENT',
        'NEXT_STEP',
        'RELAYED_BY',
        'SERVED_FROM',
        'STATE_QUESTION',
      ].sort(),
    );
  });

  it("take their pieces from the pattern's own text", () => {
    for (const [name, g] of GATED)
      for (const piece of g.pieces) {
        const inSource =
          g.pattern.source.toLowerCase().includes(piece) ||
          (/^\d$/.test(piece) && g.pattern.source.includes('\\d'));
        expect(inSource, `${name}: ${piece}`).toBe(true);
      }
  });

  it(`answer as the pattern alone does on ${texts.length} texts`, () => {
    let matched = 0;
    for (const [name, g] of GATED)
      for (const text of texts) {
        if (g.pattern.global) {
          const want = [...text.matchAll(bare(g))].map((m) => m[0]);
          expect(
            g.matchAll(text).map((m) => m[0]),
            `${name}: ${text}`,
          ).toEqual(want);
          if (want.length > 0) matched++;
          continue;
        }
        const want = bare(g).exec(text);
        const got = g.exec(text);
        if (want) matched++;
        expect(got?.[0], `${name}: ${text}`).toBe(want?.[0]);
        expect(g.test(text), `${name}: ${text}`).toBe(want !== null);
      }
    // The texts exercise the patterns: thousands of matches, not a corpus none of them matches.
    expect(matched).toBeGreaterThan(2000);
  });

  it('skips a text holding none of the pieces, and would miss if a needed piece were left out', () => {
    const decision = config.DECISION_INTENT;
    expect(decision.test('token expired')).toBe(false);
    expect(decision.test('cape town is down, fail over or not')).toBe(true);
    const short = gated(decision.pattern, ['should']);
    expect(short.test('cape town is down, fail over or not')).toBe(false);
    expect(config.RELAYED_BY.exec('Support asking: are published sites up')?.[0]).toBe('Support asking');
  });
});
