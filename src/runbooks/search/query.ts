/**
 * Query normalisation, shared by the runtime search and the eval: reduce a pasted log line to its
 * informative part, strip control characters, cap the length, lower-case, drop punctuation and stop words,
 * attach synonyms. Pure and cheap.
 */
import { camelWords, IDENTIFIER, informativeTokens, reduceLogLine } from './log-line';

/** Longer input is cut here, after a pasted log line is reduced: nobody types a 10,000-character question. */
export const MAX_QUERY_CHARS = 300;
/** What is read of pasted text before reducing it (a log line with its JSON, ids and stack). */
export const MAX_PASTE_CHARS = 4000;
/** The longest synonym key, in words (`time to first byte`); compile/terms/index.ts keeps to it. */
export const MAX_IDIOM_WORDS = 4;
/** Words beyond this are ignored (after stop words are removed). */
export const MAX_WORDS = 12;
/** Longer "words" are IDs, hashes or pasted junk: they cannot be matched usefully (bitap's limit is 32). */
export const MAX_WORD_CHARS = 32;

/** One word the user typed (or an idiom of several), with the phrases that mean the same. */
export interface QueryGroup {
  /** The user's word(s), space-separated. */
  word: string;
  words: string[];
  /** Synonym phrases, each a list of words (`dns` → `[['route', '53']]`). */
  alternatives: string[][];
  /**
   * The alternatives that name the very same thing (`ireland` → `eu-west-1`, marked `=` in the synonym
   * table): the word is as common in the runbooks as they are.
   */
  sameAs: string[][];
  /** An idiom from the synonym table (`fail over` → `failover`): its alternatives count in full. */
  idiom: boolean;
  /** An exception name or error code (`ThrottlingException`, `ERESOLVE`): it says more than a word. */
  code: boolean;
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
  /** Pasted output (a log line, an error with codes), not words typed as a question. */
  pasted: boolean;
}

/** Marks a synonym phrase that names the very same thing as its key (`ireland` → `=eu-west-1`). */
export const SAME_AS = '=';

export interface Vocabulary {
  /** word or phrase → comma-separated phrases that mean the same in the runbooks. */
  synonyms: Record<string, string>;
  /** A set when the caller searches often (engine.ts builds it once). */
  stopWords: readonly string[] | ReadonlySet<string>;
}

// C0/C1 controls, zero-width characters and bidi overrides.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

export function cleanQuery(raw: string): string {
  return readQuery(raw).query;
}

/** The query as searched, and whether it was pasted output that lost noise (ids, times, paths) on the way. */
function readQuery(raw: string): { query: string; reduced: boolean } {
  const text = String(raw).slice(0, MAX_PASTE_CHARS);
  const reducedText = reduceLogLine(text);
  const flat = reducedText.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  const reduced = reducedText !== text && flat !== text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_QUERY_CHARS) return { query: flat, reduced };
  const cut = flat.slice(0, MAX_QUERY_CHARS);
  const space = cut.lastIndexOf(' ');
  return { query: space > MAX_QUERY_CHARS / 2 ? cut.slice(0, space) : cut, reduced };
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
  const { query, reduced } = readQuery(raw);
  // A possessive is its noun (`TAM's number`, `the company's site`); other apostrophes join (`don't`).
  const words = tokenize(query.replace(/(?<=\p{L})[’']s(?!\p{L})/gu, ''));
  const { stopWords } = vocabulary;
  const stop: ReadonlySet<string> = stopWords instanceof Set ? stopWords : new Set(stopWords);
  const phrases = [...query.matchAll(/["“”]([^"“”]{2,})["“”]/g)]
    .map((m) => normalizePhrase(m[1] ?? ''))
    .filter(Boolean);

  const usable = (w: string) => w.length <= MAX_WORD_CHARS;
  const own = words.filter((w) => usable(w) && !stop.has(w));
  // Only stop words ("the and of") leave nothing to search for.
  const kept = own.filter((w, i, all) => all.indexOf(w) === i);
  // Exception names and error codes first: a long pasted line keeps its most telling words.
  const named = informativeTokens(query);
  const ordered = [...kept.filter((w) => named.has(w)), ...kept.filter((w) => !named.has(w))];
  let groups: QueryGroup[] = ordered.slice(0, MAX_WORDS).map((word) => ({
    word,
    words: [word],
    alternatives: [],
    sameAs: [],
    idiom: false,
    code: named.has(word),
  }));
  const synonymsOf = (key: string) =>
    (Object.hasOwn(vocabulary.synonyms, key) ? (vocabulary.synonyms[key] ?? '') : '')
      .split(',')
      .map((phrase) => ({ words: tokenize(phrase), same: phrase.trim().startsWith(SAME_AS) }))
      .filter((alt) => alt.words.length > 0);

  // An idiom in the synonym table (`fail over`, `switch back`, `too many requests`) becomes one group; also
  // with stop words between its words (`flip us over`, `move everything back`), after the idioms as typed.
  // Across stop words, only words still on their own: `smoke test the DR side` is not `test dr`.
  const spans = (n: number) => [
    ...Array.from({ length: Math.max(0, words.length - n + 1) }, (_, i) => ({
      span: words.slice(i, i + n),
      all: false,
    })),
    ...Array.from({ length: Math.max(0, own.length - n + 1) }, (_, i) => ({
      span: own.slice(i, i + n),
      all: true,
    })),
  ];
  for (let n = MAX_IDIOM_WORDS; n >= 2; n--) {
    for (const { span, all } of spans(n)) {
      const alternatives = synonymsOf(span.join(' '));
      const members = groups.filter((g) => !g.idiom && span.includes(g.word));
      if (alternatives.length === 0 || members.length === 0 || (all && members.length < span.length))
        continue;
      const merged: QueryGroup = {
        word: members.map((g) => g.word).join(' '),
        words: members.map((g) => g.word),
        alternatives: alternatives.map((a) => a.words),
        sameAs: alternatives.filter((a) => a.same).map((a) => a.words),
        idiom: true,
        code: members.some((g) => g.code),
      };
      groups = groups.flatMap((g) => (g === members[0] ? [merged] : members.includes(g) ? [] : [g]));
    }
  }
  for (const g of groups) {
    if (g.idiom) continue;
    const synonyms = synonymsOf(g.word).filter((alt) => alt.words.join(' ') !== g.word);
    g.alternatives.push(...synonyms.map((a) => a.words));
    g.sameAs.push(...synonyms.filter((a) => a.same).map((a) => a.words));
    // `post-deploy`, `sign-in`: also the words on their own.
    if (/^\p{L}+(-\p{L}+)+$/u.test(g.word)) g.alternatives.push(g.word.split('-'));
    // `ProvisionedThroughputExceededException`, `Runtime.OutOfMemory`: also its words, all of them.
    const written = named.get(g.word);
    const parts = written ? tokenize(camelWords(written)) : [];
    if (parts.length > 1) g.alternatives.push(parts);
    // `EventSource.onerror`, `Runtime.OutOfMemory`: each dotted part on its own too, unless the synonym
    // table says what the name means (`Runtime.ExitError` is Lambda's, not any other runtime's).
    if (g.word.includes('.') && !/\d/.test(g.word) && synonyms.length === 0)
      for (const part of g.word.split('.')) if (part.length >= 4) g.alternatives.push([part]);
  }
  // Pasted: noise was stripped, or it names error codes or identifiers; its words are not a question.
  const pasted = reduced || named.size > 0 || IDENTIFIER.test(query);
  return { query, normalized: kept.join(' '), groups, phrases, words, pasted };
}
