/**
 * Word-level matching for the runtime search: a light stemmer, edit distance, and the corpus vocabulary
 * used to correct typos ("tokn" → "token") and to tell whether a section really contains a query word
 * (rather than a fuzzy accident in a long body).
 */
import { MAX_WORD_CHARS } from './query';

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
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
      const base = word.slice(0, -suffix.length);
      // `answering` → `answer` → `answ`, as `answer` and `answers` stem: a root ending in -er is cut once more.
      return base.endsWith('er') && base.length - 2 >= 4 && !suffix.startsWith('er')
        ? base.slice(0, -2)
        : base;
    }
  }
  return word;
}

/**
 * The forms a word may be an inflection of, itself first: `hitting` → `hit`, `serving` → `serve`,
 * `slowly` → `slow`, `yesterdays` → `yesterday`, `tries` → `try`. Guesses, for looking a word up in a
 * word list (is it an everyday word?), never for matching the corpus.
 */
/** Whether everyday English uses `word` often, as written or inflected (`common`: `search.common`). */
export function isEverydayWord(common: ReadonlySet<string>, word: string): boolean {
  return baseForms(word).some((w) => common.has(w));
}

export function baseForms(word: string): string[] {
  const out = [word];
  if (word.length <= 3 || /\d/.test(word)) return out;
  const strip = (suffix: string) => {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) return;
    const base = word.slice(0, -suffix.length);
    out.push(base, `${base}e`);
    // `hitting` → `hit`, `stopped` → `stop`.
    if (base.length >= 3 && base.at(-1) === base.at(-2)) out.push(base.slice(0, -1));
  };
  if (word.endsWith('ies')) out.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ied')) out.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ily')) out.push(`${word.slice(0, -3)}y`);
  for (const suffix of ['ing', 'ed', 'es', 's', 'ly', 'er', 'est']) strip(suffix);
  return out;
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

/**
 * A typo's similarity: 1 − distance / length within the allowed distance (1, or 2 from 8 letters), else 0.
 * A typo keeps its first letter: "iphone" is not a mistyped "phone", nor "vending" one of "pending".
 */
function typoSimilarity(term: string, word: string): number {
  const allowed = term.length >= 8 ? 2 : 1;
  if (Math.abs(term.length - word.length) > allowed || /^\d+$/.test(term) || term[0] !== word[0]) return 0;
  // Cheap rejections before the quadratic distance: an edit changes at most two letter counts ...
  if (letterDifference(term, word) > 2 * allowed) return 0;
  const d = editDistance(term, word, allowed);
  return d > allowed ? 0 : 1 - d / Math.max(term.length, word.length);
}

const counts = new Int16Array(128);
/** How many letters differ between the two words' letter counts (an anagram scores 0). */
function letterDifference(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) counts[a.charCodeAt(i) & 127]!++;
  for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i) & 127]!--;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i) & 127;
    diff += Math.abs(counts[c]!);
    counts[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i) & 127;
    diff += Math.abs(counts[c]!);
    counts[c] = 0;
  }
  return diff;
}

/** Endings that make a 4-letter word another form of itself (`logs`, `timed`), not another word (`rotation`). */
const SHORT_WORD_ENDINGS = /^(s|es|ed|d|ing|er|ers)$/;

/** `word` begins with `term` and is that word grown (`deploy` → `deployment`); 4-letter terms only inflect. */
function extendsWord(term: string, word: string): boolean {
  return term.length > 4 || SHORT_WORD_ENDINGS.test(word.slice(term.length));
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** Remembered `similar()` and `containing()` answers; a bot sees the same words again and again. */
const SIMILAR_CACHE_SIZE = 2000;
/** Query words shorter than this match only whole words: as the start of others they are accidents. */
const MIN_SUBSTRING = 3;

/** One term's documents (or a run of terms', one after the other), decoded on first use. */
export interface Postings {
  docs: Int32Array;
  /** Bit i: the term is in SEARCH_KEYS[i]. */
  masks: Int32Array | Uint8Array;
  /** Occurrences, weighted by the fields' weights. */
  counts: Int32Array;
}

/**
 * Postings read by runs of terms (a split artifact's `postingsReader`): `range(lo, hi)` the rows of terms
 * lo to hi − 1, term after term; `start(t)` where term t's rows begin.
 */
export interface PostingsRuns {
  range(lo: number, hi: number): Postings;
  start(term: number): number;
}

/** Rows of postings runs kept for `containing()` (about 9 bytes each): past it, the kept runs are dropped. */
const RUN_ROWS_KEPT = 1_000_000;
/** The last runs read, looked in for a term's own postings before reading them. */
const RECENT_RUNS = 8;

/**
 * The corpus vocabulary over the prebuilt inverted index (compile/search-index.ts): which words exist,
 * which are near a query word (typos, inflections), which contain it, and the documents each is in.
 */
export class Vocabulary {
  /** Every distinct word of the corpus; its stem computed on first `similar()`. */
  private readonly words: readonly string[];
  /** Built on first use: term ids by length (for typo look-ups); stems of the terms looked at. */
  private byLength: number[][] | undefined;
  private stems: (string | undefined)[] = [];
  /**
   * Term → id, only for terms not sorted and distinct (hand-made vocabularies): the compiler sorts them, and
   * a binary search over them answers the same without hashing every word at set-up (60,000 at 100× the
   * corpus: a cold start's cost that grew with it).
   */
  private readonly ids: Map<string, number> | undefined;
  private readonly raw: readonly number[][];
  /** Postings decoded so far, by term id (a map: an array of every term cost a cold start at scale). */
  private readonly decoded = new Map<number, Postings>();
  private readonly cache = new Map<string, { word: string; sim: number }[]>();
  /** Word → the terms it begins, itself first when it is one: `[lo, hi)` in the sorted terms. */
  private readonly substrings = new Map<string, readonly [number, number]>();
  /** Runs of postings read for `containing()`, by their terms `lo:hi`, and how many rows they hold. */
  private readonly runs = new Map<string, Postings>();
  private runRows = 0;
  private readonly recent: { lo: number; hi: number; p: Postings }[] = [];

  /**
   * @param typoCandidates corpus words that may be a typo of a word (fuse.js over the vocabulary, see
   *   search.ts); without it, or when it returns undefined (not loaded yet, lazy.ts), every term of
   *   a similar length is checked, and that answer is not remembered.
   * @param knownSorted whether `terms` are known sorted and distinct (a split artifact's build checked
   *   them; its terms are decoded one by one when read): undefined, they are compared here.
   * @param reader postings read by runs of terms from the artifact's file (a split artifact's
   *   `postingsReader`): then `postings` is not read; the same documents, masks and counts, and the terms
   *   a word begins come as one run (`containing`).
   */
  constructor(
    terms: readonly string[],
    postings: readonly number[][],
    private readonly typoCandidates?: (word: string) => string[] | undefined,
    knownSorted?: boolean,
    private readonly reader?: PostingsRuns,
  ) {
    this.words = terms;
    this.raw = postings;
    let sorted = knownSorted ?? true;
    if (knownSorted === undefined)
      for (let i = 1; i < terms.length && sorted; i++) sorted = terms[i - 1]! < terms[i]!;
    this.ids = sorted ? undefined : new Map(terms.map((t, i) => [t, i]));
  }

  /** The id of the term `word`, if it is one. */
  private idOf(word: string): number | undefined {
    if (this.ids) return this.ids.get(word);
    const i = this.lowerBound(word);
    return this.words[i] === word ? i : undefined;
  }

  has(word: string): boolean {
    return this.idOf(word) !== undefined;
  }

  /**
   * Whether `similar(term)` asks the typo matcher: a word of 4 to 32 characters (bitap's limit), not a
   * number, not in the corpus.
   */
  asksTypoMatcher(term: string): boolean {
    return (
      term.length >= 4 &&
      term.length <= MAX_WORD_CHARS &&
      !/^\d+$/.test(term) &&
      this.idOf(term) === undefined
    );
  }

  /** The documents holding `word` as a word (or hyphenated part); undefined when none does. */
  postings(word: string): Postings | undefined {
    const id = this.idOf(word);
    return id === undefined ? undefined : this.decode(id);
  }

  /**
   * The term `word` and the terms it begins: where fuse.js's `'word` substring match mostly lands. Their
   * postings, one list per term, or (read by runs) one list for them all: the same rows either way.
   */
  containing(word: string): Postings[] {
    if (this.ids) return this.containingUnsorted(word);
    let span = this.substrings.get(word);
    if (!span) {
      const own = this.idOf(word);
      const lo = own ?? this.lowerBound(word);
      // Words it begins (`deploy` → `deployment`); a word inside another is mostly an accident (`dr` in
      // `address`), and the parts of hyphenated words are terms of their own. They sort together, just
      // after the word itself: a run of terms, found by binary search (not by reading each).
      const hi = word.length >= MIN_SUBSTRING ? this.prefixEnd(word, lo) : own === undefined ? lo : lo + 1;
      span = [lo, hi];
      if (this.substrings.size >= SIMILAR_CACHE_SIZE) this.substrings.clear();
      this.substrings.set(word, span);
    }
    const [lo, hi] = span;
    if (lo >= hi) return [];
    if (this.reader) return [this.run(lo, hi)];
    const out: Postings[] = [];
    for (let i = lo; i < hi; i++) out.push(this.decode(i));
    return out;
  }

  /** `containing` over terms not sorted (a hand-made vocabulary): the word, then those after it it begins. */
  private containingUnsorted(word: string): Postings[] {
    const own = this.idOf(word);
    const ids = own === undefined ? [] : [own];
    if (word.length >= MIN_SUBSTRING)
      for (let i = this.lowerBound(word); i < this.words.length; i++) {
        if (!this.words[i]!.startsWith(word)) break;
        if (i !== own) ids.push(i);
      }
    return ids.map((i) => this.decode(i));
  }

  /** The end of the run of terms that begin with `prefix`, the first of which is `lo`. */
  private prefixEnd(prefix: string, lo: number): number {
    // Every term from `prefix` up to `prefix` + U+FFFF begins with it; a term with U+FFFF after the prefix
    // (none in practice) follows, checked one by one.
    let hi = Math.max(lo, this.lowerBound(`${prefix}\uffff`));
    while (hi < this.words.length && this.words[hi]!.startsWith(prefix)) hi++;
    return hi;
  }

  /** The postings of terms lo to hi − 1 as one list, read once and kept within RUN_ROWS_KEPT rows. */
  private run(lo: number, hi: number): Postings {
    const key = `${lo}:${hi}`;
    let p = this.runs.get(key);
    if (!p) {
      p = this.reader!.range(lo, hi);
      if (this.runRows + p.docs.length > RUN_ROWS_KEPT) {
        this.runs.clear();
        this.runRows = 0;
      }
      this.runs.set(key, p);
      this.runRows += p.docs.length;
      this.recent.push({ lo, hi, p });
      if (this.recent.length > RECENT_RUNS) this.recent.shift();
    }
    return p;
  }

  /**
   * Corpus words that count as `term`, best first: itself (1), the same stem (0.95), `term` as their start
   * (0.85, up to 2.5× its length) or a typo (`typoSimilarity`), for terms of 4+ letters; those ≥ SAME_WORD.
   */
  similar(term: string): { word: string; sim: number }[] {
    const cached = this.cache.get(term);
    if (cached) return cached;
    const out: { word: string; sim: number }[] = [];
    let remember = true;
    const own = this.idOf(term);
    if (own !== undefined) out.push({ word: term, sim: 1 });
    if (term.length >= 4) {
      const termStem = stem(term);
      // Words with the same stem, or the term as prefix, share this prefix (`policy` ~ `polic|ies`).
      let prefix = commonPrefix(term, termStem);
      if (prefix.endsWith('y')) prefix = prefix.slice(0, -1);
      const seen = new Set<number>();
      for (let i = this.lowerBound(prefix); i < this.words.length; i++) {
        const word = this.words[i]!;
        if (!word.startsWith(prefix)) break;
        seen.add(i);
        if (i === own) continue;
        this.stems[i] ??= stem(word);
        const sim =
          this.stems[i] === termStem
            ? 0.95
            : word.startsWith(term) && word.length <= term.length * 2.5 && extendsWord(term, word)
              ? 0.85
              : typoSimilarity(term, word);
        if (sim >= SAME_WORD) out.push({ word, sim });
      }
      if (!/^\d+$/.test(term)) {
        const candidates = this.typoCandidateIds(term, own !== undefined);
        if (!candidates.complete) remember = false;
        for (const i of candidates.ids) {
          if (i === own || seen.has(i)) continue;
          const word = this.words[i]!;
          // A same-stem word always shares the prefix, so only a typo can be left.
          const sim = typoSimilarity(term, word);
          if (sim >= SAME_WORD) out.push({ word, sim });
        }
      }
    }
    out.sort((a, b) => b.sim - a.sim || compareWords(a.word, b.word));
    if (!remember) return out;
    if (this.cache.size >= SIMILAR_CACHE_SIZE) this.cache.clear();
    this.cache.set(term, out);
    return out;
  }

  /** First term id not alphabetically before `prefix` (terms are sorted at build time). */
  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Corpus words a query word may be a typo of. A word the runbooks contain is taken as typed: looking for
   * its near-spellings cost the first query of a cold start about 3.5 ms (a scan of every word of about its
   * length) and gained nothing measured (`npm run eval`). A word they do not contain is most likely mistyped:
   * fuse.js proposes what it may be; without fuse.js (not loaded yet, or a caller without it) every word of
   * about its length is checked, and that answer is not cached as complete.
   */
  private typoCandidateIds(term: string, known: boolean): { ids: number[]; complete: boolean } {
    if (known) return { ids: [], complete: true };
    const proposed = this.typoCandidates?.(term);
    if (proposed) return { ids: proposed.flatMap((w) => this.idOf(w) ?? []), complete: true };
    const allowed = term.length >= 8 ? 2 : 1;
    const byLength = this.lengthIndex();
    const ids: number[] = [];
    for (let len = term.length - allowed; len <= term.length + allowed; len++)
      ids.push(...(byLength[len] ?? []));
    return { ids, complete: !this.typoCandidates };
  }

  private lengthIndex(): number[][] {
    if (!this.byLength) {
      const byLength: number[][] = [];
      this.words.forEach((w, i) => {
        const list = byLength[w.length];
        if (list) list.push(i);
        else byLength[w.length] = [i];
      });
      this.byLength = byLength;
    }
    return this.byLength;
  }

  private decode(id: number): Postings {
    const done = this.decoded.get(id);
    if (done) return done;
    if (this.reader) {
      // A term of a run just read (a query word's variant is often a term the word begins): its rows,
      // copied out (a view would keep the whole run's buffer alive).
      const reader = this.reader;
      const within = this.recent.find((r) => r.lo <= id && id < r.hi);
      let p: Postings;
      if (within) {
        const from = reader.start(id) - reader.start(within.lo);
        const to = reader.start(id + 1) - reader.start(within.lo);
        p = {
          docs: within.p.docs.slice(from, to),
          masks: within.p.masks.slice(from, to),
          counts: within.p.counts.slice(from, to),
        };
      } else p = reader.range(id, id + 1);
      this.decoded.set(id, p);
      return p;
    }
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
    this.decoded.set(id, p);
    return p;
  }
}

const PLAIN_WORD = /^[a-z0-9._-]+$/;

/**
 * `a.localeCompare(b)`, without its first call's cost (ICU's collator is set up on first use: about 9 ms
 * of a cold start, and its memory) for the usual words: lowercase ASCII letters, digits, hyphens, dots and
 * underscores collate character by character (underscore, hyphen, dot, digits, letters; a shorter prefix
 * first), so the order is the same; other words ask ICU. Such words are common at scale
 * (`token-dr-breakglass`, `token_id`, `token.json`): a typo candidate's tie order among them set ICU up on
 * the first query at 100× the corpus.
 */
export function compareWords(a: string, b: string): number {
  if (!PLAIN_WORD.test(a) || !PLAIN_WORD.test(b)) return a.localeCompare(b);
  // The underscore collates before the hyphen; the rest in code-point order (checked against ICU in the
  // tests).
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = collationRank(a.charCodeAt(i));
    const y = collationRank(b.charCodeAt(i));
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** `_` (95) before `-` (45), `.` (46), digits and letters, which keep their code points' order. */
function collationRank(code: number): number {
  return code === 95 ? 0 : code === 45 ? 1 : code;
}
