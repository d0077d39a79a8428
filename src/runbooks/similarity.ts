/**
 * Word-level matching for the runtime search: a light stemmer, edit distance, and the corpus vocabulary
 * used to correct typos ("tokn" → "token") and to tell whether a section really contains a query word
 * (rather than a fuzzy accident in a long body).
 */
import type { SearchDoc } from './model';
import { tokenize } from './query';

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

/** Remembered `similar()` answers; a bot sees the same words again and again. */
const SIMILAR_CACHE_SIZE = 2000;

export class Vocabulary {
  /** Every distinct word of the corpus, and its stem. */
  private readonly words: string[];
  private readonly stems: string[];
  private readonly all: Set<string>;
  private readonly cache = new Map<string, { word: string; sim: number }[]>();
  /** Per document: every word of all its fields; and of its heading-like fields only. */
  readonly docWords: Set<string>[];
  readonly headingWords: Set<string>[];

  constructor(docs: readonly SearchDoc[]) {
    this.docWords = docs.map((d) => wordSet(`${d.title} ${d.path} ${d.symptom} ${d.keywords} ${d.body}`));
    this.headingWords = docs.map((d) => wordSet(`${d.title} ${d.path} ${d.symptom} ${d.keywords}`));
    this.all = new Set<string>();
    for (const set of this.docWords) for (const w of set) this.all.add(w);
    this.words = [...this.all];
    this.stems = this.words.map(stem);
  }

  has(word: string): boolean {
    return this.all.has(word);
  }

  /** Corpus words that count as `term` (similarity ≥ SAME_WORD), best first. */
  similar(term: string): { word: string; sim: number }[] {
    const cached = this.cache.get(term);
    if (cached) return cached;
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
}

/** Words of a text; a hyphenated word also counts as its parts (`post-promotion` → `post`, `promotion`). */
function wordSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of tokenize(text)) {
    out.add(w);
    if (w.includes('-')) for (const part of w.split('-')) if (part) out.add(part);
  }
  return out;
}
