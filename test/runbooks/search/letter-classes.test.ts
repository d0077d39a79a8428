/**
 * The ASCII forms of the search's letter patterns (src/runbooks/search/letter-classes.ts) match exactly as
 * the Unicode forms on ASCII text: every ASCII character alone and in context, and many random texts; any
 * other text gets the Unicode form.
 */
import { describe, expect, it } from 'vitest';
import { isAscii, LETTER_PATTERNS, type LetterPattern } from '../../../src/runbooks/search/letter-classes';
import { tokenize } from '../../../src/runbooks/search/query';
import { normalizePhrase } from '../../../src/slack/features/checklists/phrase';

/** What a caller can observe of a pattern on a text: its split, its replace, its test, its matches. */
function uses(re: RegExp, text: string): unknown {
  const copy = () => new RegExp(re.source, re.flags);
  return {
    split: text.split(copy()),
    replace: text.replace(copy(), '|'),
    test: copy().test(text),
    all: [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))].map(
      (m) => [m.index, m[0]],
    ),
  };
}

/** A small deterministic generator (mulberry32), so a failure names a text that reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
// Characters the patterns care about come up more often than the rest.
const LIKELY = [..."aZs-'._ 09Ss--", ...ASCII];

const patterns = Object.entries(LETTER_PATTERNS) as [string, LetterPattern][];

describe('letter patterns', () => {
  it.each(patterns)(
    '%s: the ASCII form matches as the Unicode form, every ASCII character in context',
    (_, p) => {
      const unicode = p.unicode();
      for (const c of ASCII)
        for (const text of [c, `a${c}`, `${c}a`, `a${c}s`, `${c}s`, `a-${c}`, `x${c}${c}y`, `a'${c}`])
          expect(uses(p.ascii, text), JSON.stringify(text)).toEqual(uses(unicode, text));
    },
  );

  it.each(patterns)('%s: the ASCII form matches as the Unicode form on random ASCII texts', (_, p) => {
    const unicode = p.unicode();
    const next = random(21);
    for (let n = 0; n < 3000; n++) {
      const length = Math.floor(next() * 24);
      const text = Array.from({ length }, () => LIKELY[Math.floor(next() * LIKELY.length)]).join('');
      expect(uses(p.ascii, text), JSON.stringify(text)).toEqual(uses(unicode, text));
    }
  });

  it.each(patterns)('%s: picks the ASCII form for ASCII text only', (_, p) => {
    expect(p('token expired')).toBe(p.ascii);
    expect(p('café’s übergang')).not.toBe(p.ascii);
    expect(p('café’s übergang').source).toBe(p.unicode().source);
  });

  it('tells ASCII text from the rest', () => {
    expect(isAscii(ASCII.join(''))).toBe(true);
    expect(isAscii('')).toBe(true);
    for (const text of ['é', 'a\u0080', '’', '😀', 'ﬁ']) expect(isAscii(text), text).toBe(false);
  });

  it('keeps the words of non-ASCII text (tokenize, checklist phrases)', () => {
    expect(tokenize('Café’s Übergang eu-west-1, v1.2!')).toEqual(['cafés', 'übergang', 'eu-west-1', 'v1.2']);
    expect(tokenize('Token EXPIRED — again')).toEqual(['token', 'expired', 'again']);
    expect(normalizePhrase('Fail over — São Paulo!')).toBe('fail over são paulo');
    expect(normalizePhrase('Roll-back   NOW')).toBe('roll back now');
  });
});
