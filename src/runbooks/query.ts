/**
 * Query normalisation, shared by the runtime search and the eval: strip control characters, cap the
 * length, lower-case, drop punctuation and stop words, expand synonyms. Pure and cheap.
 */

/** Longer input is cut here: nobody types a 10,000-character question, and bitap cost grows with it. */
export const MAX_QUERY_CHARS = 200;
/** Terms beyond this are ignored (after stop words are removed). */
export const MAX_TERMS = 12;
/** Weight of a word added by a synonym, relative to a word the user typed. */
export const SYNONYM_WEIGHT = 0.6;

export interface QueryTerm {
  text: string;
  weight: number;
  /** True when the term came from a synonym, not from the user's words. */
  expanded: boolean;
}

export interface PreparedQuery {
  /** The query as searched: control characters removed, whitespace collapsed, length capped. */
  query: string;
  /** The user's own words after normalisation and stop-word removal, joined by spaces. */
  normalized: string;
  terms: QueryTerm[];
  /** Quoted parts of the query (`"Token expired"`), normalised: matched exactly against error messages. */
  phrases: string[];
  /** All the user's words (stop words included), normalised: for whole-message matching. */
  words: string[];
}

export interface Vocabulary {
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
    .replace(/[’‘`´]/g, "'")
    .replace(/'/g, '')
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

  const own = words.filter((w) => !stop.has(w));
  const kept = own.length > 0 ? own : words;
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const add = (text: string, weight: number, expanded: boolean) => {
    if (seen.has(text) || (expanded && stop.has(text))) return;
    seen.add(text);
    terms.push({ text, weight, expanded });
  };
  for (const w of kept) add(w, 1, false);
  for (const expansion of synonymExpansions(words, vocabulary.synonyms)) {
    for (const w of tokenize(expansion)) add(w, SYNONYM_WEIGHT, true);
  }
  return { query, normalized: kept.join(' '), terms: terms.slice(0, MAX_TERMS), phrases, words };
}

/** Expansions of every one-, two- and three-word phrase of the query found in the synonym table. */
function synonymExpansions(words: string[], synonyms: Record<string, string>): string[] {
  const out: string[] = [];
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const key = words.slice(i, i + n).join(' ');
      const hit = Object.hasOwn(synonyms, key) ? synonyms[key] : undefined;
      if (hit) out.push(hit);
    }
  }
  return out;
}
