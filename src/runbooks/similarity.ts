/**
 * Word-level matching for the runtime search: a light stemmer, edit distance, and the corpus vocabulary
 * used to correct typos ("tokn" → "token") and to tell whether a section really contains a query word
 * (rather than a fuzzy accident in a long body).
 */

/** A word similar enough to count as "the same word, mistyped or inflected". */
export const SAME_WORD = 0.75;

const SUFFIXES = [
  'ations',
  'ation',
  'ments',
  'ment',
  'ings',
  'ing',
  'ions',
  'ion',
  'ers',
  'er',
  'edly',
  'ed',
  'es',
  's',
];

/** `expired`, `expiring`, `expires` → `expir`; short words are left alone. */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prevPrev[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** 1 for the same word; less for an inflection, a typed prefix or a typo; 0 when unrelated. */
export function wordSimilarity(term: string, word: string): number {
  if (term === word) return 1;
  if (term.length >= 4 && stem(term) === stem(word)) return 0.95;
  if (term.length >= 4 && word.startsWith(term) && word.length <= term.length * 2.5) return 0.85;
  if (term.length < 4 || /^\d+$/.test(term)) return 0;
  const allowed = term.length >= 8 ? 2 : 1;
  const d = editDistance(term, word, allowed);
  return d > allowed ? 0 : 1 - d / Math.max(term.length, word.length);
}

/** Remembered `similar()` and `containing()` answers; a bot sees the same words again and again. */
const SIMILAR_CACHE_SIZE = 2000;
/** Query words shorter than this match only whole words: inside other words they are accidents. */
const MIN_SUBSTRING = 3;

/** One term's documents, decoded from the artifact's delta-encoded postings on first use. */
export interface Postings {
  docs: Int32Array;
  /** Bit i: the term is in SEARCH_KEYS[i]. */
  masks: Int32Array;
  /** Occurrences, weighted by the fields' weights. */
  counts: Int32Array;
}

/**
 * The corpus vocabulary over the prebuilt inverted index (search-index.ts): which words exist, which are
 * near a query word (typos, inflections), which contain it, and the documents each is in.
 */
export class Vocabulary {
  /** Every distinct word of the corpus; its stem computed on first `similar()`. */
  private readonly words: readonly string[];
  private stems: string[] | undefined;
  private readonly ids: Map<string, number>;
  private readonly raw: readonly number[][];
  private readonly decoded: (Postings | undefined)[];
  private readonly cache = new Map<string, { word: string; sim: number }[]>();
  private readonly substrings = new Map<string, number[]>();

  constructor(terms: readonly string[], postings: readonly number[][]) {
    this.words = terms;
    this.raw = postings;
    this.ids = new Map(terms.map((t, i) => [t, i]));
    this.decoded = new Array(terms.length);
  }

  has(word: string): boolean {
    return this.ids.has(word);
  }

  /** The documents holding `word` as a word (or hyphenated part); undefined when none does. */
  postings(word: string): Postings | undefined {
    const id = this.ids.get(word);
    return id === undefined ? undefined : this.decode(id);
  }

  /** Terms that contain `word` (itself included): fuse.js's `'word` substring match, on whole words. */
  containing(word: string): Postings[] {
    let ids = this.substrings.get(word);
    if (!ids) {
      const own = this.ids.get(word);
      ids = own === undefined ? [] : [own];
      if (word.length >= MIN_SUBSTRING) {
        for (let i = 0; i < this.words.length; i++) {
          if (i !== own && this.words[i]!.includes(word)) ids.push(i);
        }
      }
      if (this.substrings.size >= SIMILAR_CACHE_SIZE) this.substrings.clear();
      this.substrings.set(word, ids);
    }
    return ids.map((i) => this.decode(i));
  }

  /** Corpus words that count as `term` (similarity ≥ SAME_WORD), best first. */
  similar(term: string): { word: string; sim: number }[] {
    const cached = this.cache.get(term);
    if (cached) return cached;
    this.stems ??= this.words.map(stem);
    const out: { word: string; sim: number }[] = [];
    const termStem = stem(term);
    for (let i = 0; i < this.words.length; i++) {
      const word = this.words[i]!;
      // Only an inflection, a typed prefix or a word of about the same length can be similar.
      if (Math.abs(word.length - term.length) > 2 && this.stems[i] !== termStem && !word.startsWith(term))
        continue;
      const sim = wordSimilarity(term, word);
      if (sim >= SAME_WORD) out.push({ word, sim });
    }
    out.sort((a, b) => b.sim - a.sim || a.word.localeCompare(b.word));
    if (this.cache.size >= SIMILAR_CACHE_SIZE) this.cache.clear();
    this.cache.set(term, out);
    return out;
  }

  private decode(id: number): Postings {
    const done = this.decoded[id];
    if (done) return done;
    const raw = this.raw[id] ?? [];
    const n = raw.length / 2;
    const p: Postings = { docs: new Int32Array(n), masks: new Int32Array(n), counts: new Int32Array(n) };
    let doc = 0;
    for (let i = 0; i < n; i++) {
      doc += raw[2 * i]!;
      const packed = raw[2 * i + 1]!;
      p.docs[i] = doc;
      p.masks[i] = packed & 31;
      p.counts[i] = Math.floor(packed / 32);
    }
    this.decoded[id] = p;
    return p;
  }
}
