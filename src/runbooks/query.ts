/**
 * Query normalisation, shared by the runtime search and the eval: strip control characters, cap the
 * length, lower-case, drop punctuation and stop words, attach synonyms. Pure and cheap.
 */

/** Longer input is cut here: nobody types a 10,000-character question, and bitap cost grows with it. */
export const MAX_QUERY_CHARS = 200;
/** Words beyond this are ignored (after stop words are removed). */
export const MAX_WORDS = 12;
/** Longer "words" are IDs, hashes or pasted junk: they cannot be matched usefully (bitap's limit is 32). */
export const MAX_WORD_CHARS = 32;

/** One word the user typed, with the phrases the synonym table says mean the same. */
export interface QueryGroup {
  word: string;
  /** Synonym phrases, each a list of words (`dns` → `[['route', '53']]`). */
  alternatives: string[][];
}

export interface PreparedQuery {
  /** The query as searched: control characters removed, whitespace collapsed, length capped. */
  query: string;
  /** The user's own words after normalisation and stop-word removal, joined by spaces. */
  normalized: string;
  groups: QueryGroup[];
  /** Quoted parts of the query (`"Token expired"`), normalised: matched exactly against error messages. */
  phrases: string[];
  /** All the user's words (stop words included), normalised: for whole-message matching. */
  words: string[];
}

export interface Vocabulary {
  /** word or phrase → comma-separated phrases that mean the same in the runbooks. */
  synonyms: Record<string, string>;
  stopWords: readonly string[];
}

// C0/C1 controls, zero-width characters and bidi overrides.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

export function cleanQuery(raw: string): string {
  const flat = String(raw)
    .slice(0, MAX_QUERY_CHARS * 4)
    .replace(CONTROLS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= MAX_QUERY_CHARS) return flat;
  const cut = flat.slice(0, MAX_QUERY_CHARS);
  const space = cut.lastIndexOf(' ');
  return space > MAX_QUERY_CHARS / 2 ? cut.slice(0, space) : cut;
}

/** Lower-case words of a text; `eu-west-1`, `v1.2` and `on-call` stay one word. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´']/g, '')
    .split(/[^\p{L}\p{N}._-]+/u)
    .map((w) => w.replace(/^[._-]+|[._-]+$/g, ''))
    .filter(Boolean);
}

/** Normalises a piece of text the same way as a query, for phrase comparison. */
export function normalizePhrase(text: string): string {
  return tokenize(text).join(' ');
}

export function prepareQuery(raw: string, vocabulary: Vocabulary): PreparedQuery {
  const query = cleanQuery(raw);
  const words = tokenize(query);
  const stop = new Set(vocabulary.stopWords);
  const phrases = [...query.matchAll(/["“”]([^"“”]{2,})["“”]/g)]
    .map((m) => normalizePhrase(m[1] ?? ''))
    .filter(Boolean);

  const usable = (w: string) => w.length <= MAX_WORD_CHARS;
  const own = words.filter((w) => usable(w) && !stop.has(w));
  const kept = (own.length > 0 ? own : words.filter(usable)).filter((w, i, all) => all.indexOf(w) === i);
  const groups = new Map<string, QueryGroup>(
    kept.slice(0, MAX_WORDS).map((word) => [word, { word, alternatives: [] }]),
  );

  // `post-deploy`, `sign-in`: also the words on their own.
  for (const g of groups.values()) {
    if (/^\p{L}+(-\p{L}+)+$/u.test(g.word)) g.alternatives.push(g.word.split('-'));
  }
  // Longest phrases first; a phrase's synonyms attach to each of its kept words.
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const key = words.slice(i, i + n).join(' ');
      const value = Object.hasOwn(vocabulary.synonyms, key) ? vocabulary.synonyms[key] : undefined;
      if (!value) continue;
      const targets = words
        .slice(i, i + n)
        .map((w) => groups.get(w))
        .filter((g) => g !== undefined);
      for (const phrase of value.split(',')) {
        const alt = tokenize(phrase);
        if (alt.length === 0) continue;
        for (const g of targets) {
          const same = (a: string[]) => a.join(' ') === alt.join(' ');
          if (alt.join(' ') !== g.word && !g.alternatives.some(same)) g.alternatives.push(alt);
        }
      }
    }
  }
  return { query, normalized: kept.join(' '), groups: [...groups.values()], phrases, words };
}
