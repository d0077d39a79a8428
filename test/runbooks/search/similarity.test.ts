/**
 * `compareWords` orders words exactly as `localeCompare` does (the typo candidates' tie order, and so the
 * ranking, must not change), taking the ICU-free path only where the orders are the same. `baseForms`
 * guesses what a word is an inflection of, for word-list look-ups.
 */
import { describe, expect, it } from 'vitest';
import { baseForms, compareWords, stem, Vocabulary } from '../../../src/runbooks/search/similarity';
import { loadTestArtifact } from '../../helpers/artifact';

describe('compareWords', () => {
  it('orders every pair of neighbouring corpus words, and mixed words, as localeCompare does', async () => {
    const terms = (await loadTestArtifact()).search.terms;
    const words = [
      ...terms,
      'a',
      'a1',
      '1a',
      '10',
      '9',
      'z',
      'Zebra',
      'café',
      'cafe',
      'co-op',
      'coop',
      'e2e',
      'e-2',
      'a-b',
      'ab',
      'a--b',
      '-a',
      'a-',
      'a-0',
      '0-a',
      'token',
      'token-expired',
      'tokens',
      'token-',
      'token_id',
      'token_',
      '_token',
      'a_b',
      'a_-b',
      'a-_b',
      'a_1',
      'a_z',
      'token.json',
      'token.md',
      'a.b',
      'a.-b',
      'a._b',
      '.a',
      'a.0',
      '_',
      '__',
      '',
    ];
    const sign = (n: number) => Math.sign(n);
    let plain = 0;
    for (let i = 0; i < words.length; i++) {
      for (const j of [i + 1, i + 7, words.length - 1 - i]) {
        const a = words[i]!;
        const b = words[j % words.length]!;
        if (/^[a-z0-9]+$/.test(a) && /^[a-z0-9]+$/.test(b)) plain++;
        expect(sign(compareWords(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b)));
        expect(sign(compareWords(b, a)), `${b} vs ${a}`).toBe(sign(b.localeCompare(a)));
      }
    }
    expect(plain).toBeGreaterThan(1000);
  });

  it('orders random words of lowercase letters, digits, hyphens, dots and underscores as localeCompare does', () => {
    const alphabet = '_-.0123456789abcxyz';
    let seed = 21;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const word = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 6) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    for (let k = 0; k < 20000; k++) {
      const a = word();
      const b = word();
      expect(Math.sign(compareWords(a, b)), `${a} vs ${b}`).toBe(Math.sign(a.localeCompare(b)));
    }
  });

  it('sorts the corpus words as localeCompare sorts them', async () => {
    const terms = [...(await loadTestArtifact()).search.terms].reverse();
    expect([...terms].sort(compareWords)).toEqual([...terms].sort((a, b) => a.localeCompare(b)));
  });
});

describe('Vocabulary', () => {
  it('finds every corpus word and its postings by binary search over the sorted terms, as a map would', async () => {
    const { terms, postings } = (await loadTestArtifact()).search;
    // The compiler's order: a binary search applies (no map built at set-up).
    expect(terms.every((t, i) => i === 0 || terms[i - 1]! < t)).toBe(true);
    const sorted = new Vocabulary(terms, postings);
    // The same words shuffled (and their postings with them): the map's answers.
    const order = terms.map((_, i) => i).reverse();
    const shuffled = new Vocabulary(
      order.map((i) => terms[i]!),
      order.map((i) => postings[i]!),
    );
    for (const word of [...terms, 'zzz-not-a-word', '', 'a', terms[0]!.slice(0, -1), `${terms.at(-1)}z`]) {
      expect(sorted.has(word)).toBe(shuffled.has(word));
      expect(sorted.asksTypoMatcher(word)).toBe(shuffled.asksTypoMatcher(word));
      expect(sorted.postings(word)).toEqual(shuffled.postings(word));
    }
    expect(terms.filter((w) => sorted.has(w))).toHaveLength(terms.length);
    expect(sorted.has('zzz-not-a-word')).toBe(false);
  });
});

describe('baseForms', () => {
  it('offers the word and what it may be inflected from', () => {
    expect(baseForms('hitting')).toEqual(expect.arrayContaining(['hitting', 'hit']));
    expect(baseForms('serving')).toContain('serve');
    expect(baseForms('slowly')).toContain('slow');
    expect(baseForms('yesterdays')).toContain('yesterday');
    expect(baseForms('tries')).toContain('try');
    expect(baseForms('api')).toEqual(['api']);
    expect(baseForms('504s')).toEqual(['504s']);
  });
});

describe('stem', () => {
  it("gives every inflection of a root ending in -er the root's stem", () => {
    for (const family of [
      ['answer', 'answers', 'answering', 'answered'],
      ['trigger', 'triggers', 'triggering', 'triggered'],
      ['filter', 'filters', 'filtering', 'filtered'],
      ['expired', 'expiring', 'expires'],
    ])
      expect(new Set(family.map(stem)), family.join(' ')).toHaveLength(1);
    // A root too short to lose -er keeps it in every form.
    expect(['order', 'ordering', 'orders'].map(stem)).toEqual(['order', 'order', 'order']);
  });
});
