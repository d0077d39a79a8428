/**
 * Query normalisation, shared by the runtime search and the eval: reduce a pasted log line to its
 * informative part, strip control characters, cap the length, lower-case, drop punctuation and stop words,
 * attach synonyms. Pure and cheap.
 */
// Unicode letter classes only for a text that needs them (letter-classes.ts: up to 0.8 ms each on a cold start).

import type { SearchData } from '../model/model';
import { REGION_CODE, RELAYED_BY } from './config';
import { gated } from './gated';
import { HYPHENATED, INVISIBLE, NOT_WORD, POSSESSIVE } from './letter-classes';
import { camelWords, IDENTIFIER, informativeTokens, reduceLogLine } from './log-line';

/** Longer input is cut here, after a pasted log line is reduced: nobody types a 10,000-character question. */
export const MAX_QUERY_CHARS = 300;
/** What is read of pasted text before reducing it (a log line with its JSON, ids and stack). */
export const MAX_PASTE_CHARS = 4000;
/** The longest synonym key, in words (`time to first byte`); compile/terms/index.ts keeps to it. */
export const MAX_IDIOM_WORDS = 4;
/** Words beyond this are ignored (after stop words are removed). */
export const MAX_WORDS = 12;
/**
 * Longer "words" are IDs, hashes or pasted junk: they cannot be matched usefully (bitap's limit is 32),
 * except an exception name or error code (log-line.ts), which is looked up as written.
 */
export const MAX_WORD_CHARS = 32;
/** A resource's name may be longer (`sitecraft-prod-r53-primary-unhealthy`, 36). */
const MAX_NAME_CHARS = 64;

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
  /**
   * A unit after a number (`20 seconds`, `7 secs`): the query's measurement, not its subject; the runbooks
   * write their thresholds `2.5 s`, so the unit would only match unrelated durations. Or a count asked
   * for (`bump it to 45`).
   */
  measure?: boolean;
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
  /** Chat shorthand → the words it stands for (`ppl` → `people`; terms/shorthand.ts). */
  shorthand?: Readonly<Record<string, string>>;
  /**
   * `synonymStemTable(synonyms)`, made at build time (compile/search-index.ts) so no query stems the
   * table; absent (a vocabulary made by hand), it is made on first need.
   */
  synonymStems?: Readonly<Record<string, string>>;
  /**
   * Other products and platforms, and everyday subjects (`search.offTopic`): written in CamelCase (`GitLab`,
   * `WordPress`, `MongoDB`) they name a product, not an error, so they neither count as an error code nor
   * make the query pasted output.
   */
  products?: ReadonlySet<string>;
  /**
   * Whether the runbooks hold the word (engine.ts: the ranking's vocabulary; compile/learn.ts: the index's
   * terms, so the learned features are made as the search makes them): a dropped final g is put back where
   * that makes one of their words (`refreshin` → `refreshing`).
   */
  isTerm?: (word: string) => boolean;
  /**
   * Whether everyday English uses the word often, as written or inflected (`search.common`; engine.ts: the
   * ranking's own test): a long message keeps the runbooks' other words first (`wordsThatFit`).
   */
  isCommon?: (word: string) => boolean;
}

/** The vocabulary a compiled search normalises queries with (engine.ts, and compile/learn.ts at build time). */
export function searchVocabulary(
  search: Pick<SearchData, 'synonyms' | 'stopWords' | 'offTopic' | 'shorthand' | 'synonymStems'>,
): Vocabulary & { stopWords: ReadonlySet<string> } {
  const { synonyms, stopWords, offTopic, shorthand, synonymStems } = search;
  return {
    synonyms,
    stopWords: new Set(stopWords),
    ...(offTopic ? { products: new Set(offTopic) } : {}),
    ...(shorthand ? { shorthand } : {}),
    ...(synonymStems ? { synonymStems } : {}),
  };
}

export function cleanQuery(raw: string): string {
  return readQuery(raw).query;
}

/**
 * The query as searched, whether it was pasted output that lost noise (ids, times, paths) on the way, and
 * what a long paste had beyond the characters a query keeps (`rest`, '' when nothing was cut).
 */
function readQuery(raw: string): { query: string; reduced: boolean; rest: string } {
  const text = String(raw).slice(0, MAX_PASTE_CHARS);
  const reducedText = reduceLogLine(text);
  const flat = reducedText.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const reduced = reducedText !== text && flat !== text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_QUERY_CHARS) return { query: flat, reduced, rest: '' };
  const cut = flat.slice(0, MAX_QUERY_CHARS);
  const space = cut.lastIndexOf(' ');
  const query = space > MAX_QUERY_CHARS / 2 ? cut.slice(0, space) : cut;
  return { query, reduced, rest: flat.slice(query.length) };
}

/** Lower-case words of a text; `eu-west-1`, `v1.2` and `on-call` stay one word. */
export function tokenize(text: string): string[] {
  const lower = text
    .normalize('NFKC')
    .toLowerCase()
    // Written as escapes (’ ‘ ` ´ '): one character above U+00FF in the bundle makes V8 hold its whole source
    // two bytes a character (scripts/bundle.ts assertOneByteSource).
    .replace(/[\u2019\u2018`\u00b4']/g, '');
  return lower
    .split(NOT_WORD(lower))
    .map((w) => w.replace(/^[._-]+|[._-]+$/g, ''))
    .filter(Boolean);
}

/** Normalises a piece of text the same way as a query, for phrase comparison. */
export function normalizePhrase(text: string): string {
  return tokenize(text).join(' ');
}

export function prepareQuery(raw: string, vocabulary: Vocabulary): PreparedQuery {
  const { query, reduced, rest } = readQuery(raw);
  // A possessive is its noun (`TAM's number`, `the company's site`); other apostrophes join (`don't`).
  const { stopWords } = vocabulary;
  const stop: ReadonlySet<string> = stopWords instanceof Set ? stopWords : new Set(stopWords);
  // A question passed on ("marketing asks if …") is searched without who passed it on.
  // Exception names and error codes (log-line.ts), more of them below from past the characters kept.
  const named = informativeTokens(query);
  const relayed = withoutRelay(query);
  const identifier = IDENTIFIER.test(query);
  // What the asker rules out ("…on every generation, not throttling") is not what they ask about; pasted
  // output keeps its words (`NO DATA: not a pass` is what the check prints).
  const asked = reduced || identifier || named.size > 0 ? relayed : withoutRuledOut(relayed, query);
  const words = writtenOut(tokenize(asked.replace(POSSESSIVE(asked), '')), stop, vocabulary);
  // Straight or curly double quotes (" “ ”), as escapes: see tokenize.
  const phrases = [
    ...query.matchAll(/["\u201c\u201d]([^"\u201c\u201d]{2,})["\u201c\u201d]/g),
    ...query.matchAll(SINGLE_QUOTED),
  ]
    .map((m) => normalizePhrase(m[1] ?? ''))
    .filter(Boolean);

  // Exception names and error codes first: a long pasted line keeps its most telling words. A name may be
  // longer than any other word (`ProvisionedThroughputExceededException`, 38 characters).
  // An exception name or error code past the characters a query keeps (a long JSON response whose
  // `StatusReason` comes last) is still searched: it says more than the words before it.
  for (const [token, written] of informativeTokens(rest))
    if (!named.has(token) && !words.includes(token)) {
      named.set(token, written);
      words.push(token);
    }
  if (vocabulary.products)
    for (const token of [...named.keys()]) if (vocabulary.products.has(token)) named.delete(token);
  const usable = (w: string) =>
    w.length <= MAX_WORD_CHARS || named.has(w) || (w.length <= MAX_NAME_CHARS && isResourceName(w));
  const own = words.filter((w) => usable(w) && !stop.has(w));
  // Only stop words ("the and of") leave nothing to search for.
  const kept = own.filter((w, i, all) => all.indexOf(w) === i);
  // Then a resource's name (`sitecraft-prod-r53-primary-unhealthy`, three hyphenated parts or more): it
  // names what the output is about as an exception's name does. Then the words of the message an error
  // marker introduces (`aws: error: argument operation: Invalid choice`): the command echoed and its usage
  // text before it say less.
  const message = errorMessageWords(query);
  const resource = (w: string) => !named.has(w) && isResourceName(w);
  const first = [
    ...kept.filter((w) => named.has(w)),
    ...kept.filter(resource),
    ...kept.filter((w) => !named.has(w) && !resource(w) && message.has(w)),
  ];
  // Pasted: noise was stripped, or it names error codes or identifiers; its words are not a question.
  const pasted = reduced || named.size > 0 || identifier;
  const others = kept.filter((w) => !named.has(w) && !resource(w) && !message.has(w));
  const ordered = [
    ...first,
    ...(pasted ? others : wordsThatFit(others, MAX_WORDS - first.length, vocabulary)),
  ];
  let groups: QueryGroup[] = ordered.slice(0, MAX_WORDS).map((word) => ({
    word,
    words: [word],
    alternatives: [],
    sameAs: [],
    idiom: false,
    code: named.has(word),
    ...(isMeasure(words, word) && { measure: true }),
  }));
  const synonymsOf = (key: string) =>
    (synonymEntry(vocabulary, key)?.[1] ?? '')
      .split(',')
      .map((phrase) => ({ words: tokenize(phrase), same: phrase.trim().startsWith(SAME_AS) }))
      .filter((alt) => alt.words.length > 0);

  // An idiom in the synonym table (`fail over`, `switch back`, `too many requests`) becomes one group, the
  // longest first: as typed, then in the words left without stop words (`clear the cdn` is `clear cdn`,
  // `flip us over`, `move everything back`). Across stop words, only words still on their own: `smoke test
  // the DR side` is not `test dr`.
  const content = words.filter((w) => !stop.has(w));
  for (let n = MAX_IDIOM_WORDS; n >= 2; n--) {
    for (const [sequence, across] of [
      [words, false],
      [content, true],
    ] as const) {
      for (let i = 0; i + n <= sequence.length; i++) {
        const span = sequence.slice(i, i + n);
        const entry = synonymEntry(vocabulary, span.join(' '));
        const alternatives = synonymsOf(span.join(' '));
        if (!entry || alternatives.length === 0) continue;
        const members = groups.filter((g) => !g.idiom && span.includes(g.word));
        // An idiom of stop words only (`doesnt work`, `not at all`) still says something: it is a group.
        // Inflected (`state locked`), it stands for the idiom as the table writes it (`state lock`).
        // Inflected and of stop words only (`still getting` for `still get`), it keeps the table's words: a
        // group of no words would match nothing and break the ranking.
        const written = entry[0] === span.join(' ') ? span : entry[0].split(' ');
        let own: string[];
        if (written === span) own = members.length > 0 ? members.map((g) => g.word) : span;
        else {
          const spoken = written.filter((w) => !stop.has(w));
          own = spoken.length > 0 ? spoken : written;
        }
        // An idiom already holds one of its words (`task timed out` holds `timed out`): the first one found,
        // the longest, stands.
        const taken = groups.some((g) => g.idiom && span.some((w) => g.words.includes(w)));
        if (taken || (members.length === 0 && groups.length >= MAX_WORDS)) continue;
        if (across && members.length < span.length) continue;
        const merged: QueryGroup = {
          word: own.join(' '),
          words: own,
          alternatives: alternatives.map((a) => a.words),
          sameAs: alternatives.filter((a) => a.same).map((a) => a.words),
          idiom: true,
          code: members.some((g) => g.code),
        };
        groups =
          members.length === 0
            ? [...groups, merged]
            : groups.flatMap((g) => (g === members[0] ? [merged] : members.includes(g) ? [] : [g]));
      }
    }
  }
  groups = withSplitPhrasalVerbs(groups, content, synonymsOf);
  for (const g of groups) {
    if (g.idiom) continue;
    const synonyms = synonymsOf(g.word).filter((alt) => alt.words.join(' ') !== g.word);
    g.alternatives.push(...synonyms.map((a) => a.words));
    g.sameAs.push(...synonyms.filter((a) => a.same).map((a) => a.words));
    // `post-deploy`, `sign-in`: also the words on their own.
    if (HYPHENATED(g.word).test(g.word)) g.alternatives.push(g.word.split('-'));
    // `ProvisionedThroughputExceededException`, `Runtime.OutOfMemory`: also its words, all of them; unless
    // the synonym table says what the name means (it holds the words too, except where they mislead:
    // terms/aws-errors.ts NOT_BY_ITS_WORDS, `ExpiredToken` is not a user's expired token).
    const written = named.get(g.word);
    const parts = written && synonyms.length === 0 ? tokenize(camelWords(written)) : [];
    if (parts.length > 1) g.alternatives.push(parts);
    // `EventSource.onerror`, `Runtime.OutOfMemory`: each dotted part on its own too, unless the synonym
    // table says what the name means (`Runtime.ExitError` is Lambda's, not any other runtime's).
    if (g.word.includes('.') && !/\d/.test(g.word) && synonyms.length === 0)
      for (const part of g.word.split('.')) if (part.length >= 4) g.alternatives.push([part]);
  }
  return { query, normalized: kept.join(' '), groups, phrases, words, pasted };
}

/**
 * A long message's words, at most `room` of them (typed, not pasted: a paste keeps its order): first the
 * words of the runbooks or the term table that everyday English does not use often, with everyday subjects
 * and other platforms (which say a question is not ours), then the runbooks' everyday words, then the rest,
 * each in the order typed; kept in the order typed. The question often comes last, after the asker's story
 * ("…marketing launched the summer campaign, traffic tripled, the dashboards look green, but since eleven
 * every generation comes back with too many requests from bedrock, what do we do").
 */
function wordsThatFit(
  words: readonly string[],
  room: number,
  vocabulary: Pick<Vocabulary, 'isTerm' | 'isCommon' | 'synonyms' | 'products'>,
): readonly string[] {
  const { isTerm, isCommon, synonyms, products } = vocabulary;
  if (words.length <= room || !isTerm || !isCommon) return words;
  const known = (w: string) => products?.has(w) === true || isOurWord({ isTerm, synonyms }, w);
  const chosen = new Set<string>();
  for (const tier of [(w: string) => known(w) && !isCommon(w), known, () => true])
    for (const w of words) if (chosen.size < room && tier(w)) chosen.add(w);
  return words.filter((w) => chosen.has(w));
}

/**
 * A "not" that opens a clause (after punctuation, `and` or `but`, or first): what follows rules something
 * out ("every generation fails, not throttling", "not the drill schedule, the RTO"), unless it says "not
 * only" ("not just at peak", "not all of them") or reports a symptom ("…, not loading").
 */
const RULED_OUT = gated(
  /(?:^|[,;:.!?()\u2014]|\s-\s|\b(?:and|but|it['\u2019]?s|that['\u2019]?s|it is)\b)\s*not\s+([^,;:.!?()\u2014]+)/gi,
  ['not '],
);
/** Words after a clause's "not" that say "not only", or a symptom, rather than "not this". */
const NOT_ONLY = new Set(
  (
    'just only all even yet sure every everyone everything always much many really quite single one once ' +
    'entirely fully completely exactly necessarily anymore enough working loading responding updating ' +
    'refreshing showing opening saving publishing finishing starting sending firing coming happening able ' +
    'allowed found authorized getting reachable available'
  ).split(' '),
);
/** Where a ruled-out phrase ends: the next clause's first word ("not a 500 its a 403"). */
const CLAUSE_WORDS = new Set(
  'and but or so its it i we they he she you because since which who that is are was were has have'.split(
    ' ',
  ),
);
const ARTICLES = new Set(['a', 'an', 'the', 'some']);
/** At most this many words after "not" (an article aside) are ruled out. */
const RULED_OUT_WORDS = 4;

/**
 * The text without the phrases it rules out (`RULED_OUT`), unless little would be left, or the query names a
 * resource (`sitecraft-prod-users NO DATA: not a pass`: output, not a question). Only a query that holds a
 * clause's "not" is split into words for that.
 */
function withoutRuledOut(text: string, query: string): string {
  const matches = RULED_OUT.matchAll(text);
  if (matches.length === 0 || tokenize(query).some(isResourceName)) return text;
  let out = text;
  // Last first: each cut leaves the earlier matches where they were.
  for (const m of matches.reverse()) {
    const span = (m[1] ?? '').trim().split(/\s+/);
    let i = ARTICLES.has(span[0]!.toLowerCase()) ? 1 : 0;
    const first = span[i]?.toLowerCase().replace(/[^a-z0-9]/g, '') ?? '';
    // A state as output prints it ("not READY after 10 minutes") is quoted, not ruled out.
    if (first === '' || NOT_ONLY.has(first) || /^[A-Z_]{2,}$/.test(span[i]!)) continue;
    const start = i;
    while (
      i < span.length &&
      i - start < RULED_OUT_WORDS &&
      !CLAUSE_WORDS.has(span[i]!.toLowerCase().replace(/['\u2019]/g, ''))
    )
      i++;
    // The phrase as written (its spaces kept); its "not" stays, a problem reported (kinds.ts NEGATION).
    const at = (m.index ?? 0) + m[0].length - (m[1] ?? '').length;
    let end = at;
    for (let w = 0; w < i; w++) {
      end = out.indexOf(span[w]!, end) + span[w]!.length;
    }
    out = `${out.slice(0, at)} ${out.slice(end)}`;
  }
  return tokenize(out).length >= 2 ? out : text;
}

/** The question without who passed it on (config.ts RELAYED_BY), unless little would be left of it. */
function withoutRelay(query: string): string {
  const relay = RELAYED_BY.exec(query);
  if (!relay) return query;
  const rest = query.slice(relay[0].length);
  return tokenize(rest).length >= 2 ? rest : query;
}

/** The particles of phrasal verbs (`scale down`, `roll back`, `fail over`, `bring home`). */
const PARTICLES = new Set(['back', 'down', 'up', 'over', 'out', 'off', 'home']);
/** How many words may stand between a verb and its particle ("scale *Ireland* back down"). */
const PHRASAL_GAP = 2;

/**
 * A phrasal verb of the synonym table split by its object ("scale Ireland back down", "roll the frontend
 * back"): one idiom, as if written together, and the object stays a word of its own. When the particle is
 * already an idiom's word that means the same ("back down"), the verb joins that idiom; a verb left alone
 * ("scale") would match whatever else its own word names.
 */
function withSplitPhrasalVerbs(
  groups: QueryGroup[],
  content: readonly string[],
  meaningOf: (key: string) => { words: string[]; same: boolean }[],
): QueryGroup[] {
  let out = groups;
  for (let i = 0; i < content.length; i++) {
    const verb = content[i]!;
    const own = out.find((g) => !g.idiom && g.word === verb);
    if (!own || PARTICLES.has(verb)) continue;
    let found = false;
    for (let j = i + 2; j <= i + 1 + PHRASAL_GAP && j < content.length && !found; j++) {
      if (PARTICLES.has(content[j - 1]!)) break;
      for (let k = j; k < j + 2 && k < content.length && PARTICLES.has(content[k]!) && !found; k++) {
        const particle = content[k]!;
        const meaning = meaningOf(`${verb} ${particle}`);
        if (meaning.length === 0) continue;
        const words = meaning.map((a) => a.words.join(' '));
        const holder = out.find((g) => g.words.includes(particle));
        if (holder?.idiom) {
          // The particle's idiom means the same: the verb is one of its words.
          const same = holder.alternatives.map((a) => a.join(' '));
          if (words.length !== same.length || words.some((w, n) => w !== same[n])) continue;
          const merged = { ...holder, word: `${verb} ${holder.word}`, words: [verb, ...holder.words] };
          out = out.flatMap((g) => (g === own ? [] : g === holder ? [merged] : [g]));
        } else {
          const merged: QueryGroup = {
            word: `${verb} ${particle}`,
            words: [verb, particle],
            alternatives: meaning.map((a) => a.words),
            sameAs: meaning.filter((a) => a.same).map((a) => a.words),
            idiom: true,
            code: false,
          };
          out = out.flatMap((g) => (g === own ? [merged] : g === holder ? [] : [g]));
        }
        found = true;
      }
    }
  }
  return out;
}

/** A hyphenated name of three parts or more (`sitecraft-prod-api`); region codes aside (`isResourceName`). */
const RESOURCE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+){2,}$/;

/** A resource's name, not a region code (`eu-west-1` has three parts too). */
function isResourceName(word: string): boolean {
  return RESOURCE_NAME.test(word) && !REGION_CODE.test(word);
}

/**
 * Single quotes (straight or curly) around words, as people quote a message ("users get 'Generation
 * timeout'"): opened after a space or at the start and closed before a space, punctuation or the end, so
 * that an apostrophe inside or after a word (`don't`, `users' sites`) opens nothing; one between letters
 * inside the quote stays in it ('we couldn't finish your site in time').
 */
const SINGLE_QUOTED =
  /(?<=^|[\s(:])['\u2018]((?:[^'\u2018\u2019]|(?<=[A-Za-z])['\u2019](?=[a-z]))(?:[^'\u2018\u2019]|(?<=[A-Za-z])['\u2019](?=[a-z]))+?)['\u2019](?=$|[\s.,;:!?)])/g;

/** `error:`, `Error:`, `fatal:`, `ERROR ` as output prints them before its message. */
const ERROR_MARKER = /\b(?:error|fatal)\b:|\bERROR\b/;

/** The words after a pasted output's first error marker (none when it has none). */
function errorMessageWords(query: string): ReadonlySet<string> {
  const m = ERROR_MARKER.exec(query);
  return m ? new Set(tokenize(query.slice(m.index + m[0].length))) : new Set();
}

/** Units of time a query measures in (`takes 10 seconds`, `is 7 secs`, `20 minutes`). */
const UNITS = new Set([
  'ms',
  'millisecond',
  'milliseconds',
  'sec',
  'secs',
  'second',
  'seconds',
  'min',
  'mins',
  'minute',
  'minutes',
]);
const NUMBER = /^\d+(\.\d+)?$/;
/**
 * A count set or moved to (`bump it to 45`, `raise by 10`): the value asked for, which no runbook can hold
 * (it names its own example), not what the question is about. Not a status code (`went from 200 to 503`).
 */
const SETTING = /^(?:\d{1,2}|[6-9]\d\d|\d{4,})$/;
const SET_TO = new Set(['to', 'by']);

/** A unit word that follows a number in the query, or a count that follows `to` or `by`. */
function isMeasure(words: readonly string[], word: string): boolean {
  if (SETTING.test(word))
    for (let i = 1; i < words.length; i++) if (words[i] === word && SET_TO.has(words[i - 1]!)) return true;
  if (!UNITS.has(word)) return false;
  for (let i = 1; i < words.length; i++) if (words[i] === word && NUMBER.test(words[i - 1]!)) return true;
  return false;
}

/**
 * The words as meant: chat shorthand written out (`ppl` → `people`), and a dropped final g put back where
 * that makes a stop word (`gettin` → `getting`, `tryin` → `trying`) or, for a word of five letters or more
 * the runbooks and the term table lack, one of their words as written or stemmed, or a term of the table
 * (`refreshin` → `refreshing`, `limitin` → `limiting`; not `login`).
 */
function writtenOut(
  words: readonly string[],
  stop: ReadonlySet<string>,
  { shorthand, isTerm, synonyms }: Pick<Vocabulary, 'shorthand' | 'isTerm' | 'synonyms'>,
): string[] {
  return words.flatMap((w) => {
    const long = shorthand && Object.hasOwn(shorthand, w) ? shorthand[w] : undefined;
    if (long !== undefined) return tokenize(long);
    if (w.endsWith('in') && !stop.has(w)) {
      if (stop.has(`${w}g`)) return [`${w}g`];
      if (w.length >= DROPPED_G_MIN && isTerm && !isTerm(w) && !Object.hasOwn(synonyms, w)) {
        const ing = `${w}g`;
        if (isOurWord({ isTerm, synonyms }, ing)) return [ing];
      }
    }
    return [w];
  });
}

/** A word of the runbooks, as written or stemmed, or a key of the term table. */
function isOurWord(
  { isTerm, synonyms }: { isTerm: (word: string) => boolean; synonyms: Vocabulary['synonyms'] },
  word: string,
): boolean {
  return isTerm(word) || isTerm(stemWord(word)) || Object.hasOwn(synonyms, word);
}

/** The shortest word read as an -ing form with its g dropped by the runbooks' words (`pin` is no `ping`). */
const DROPPED_G_MIN = 5;

/**
 * The table's phrase and synonyms for a word or phrase as typed; a phrase's also as inflected otherwise (`server errors` as
 * `server error`, `signs out` and `signing out` as `sign out`, `cutting out` as `cuts out`): each word
 * read as its stem, on both sides. A single word is left to the vocabulary's own inflections (`calls` is
 * not `call`).
 */
function synonymEntry(vocabulary: Vocabulary, key: string): [string, string] | undefined {
  const { synonyms } = vocabulary;
  if (Object.hasOwn(synonyms, key)) return [key, synonyms[key] ?? ''];
  if (!key.includes(' ')) return undefined;
  // Only an inflected phrase is read by its stem: `keep up` (the good work) is not `keeping up` (replication).
  if (!key.split(' ').some((w) => INFLECTED.test(w) && stemWord(w) !== w)) return undefined;
  const stem = stemPhrase(key);
  const stems = vocabulary.synonymStems ?? stemTableOf(synonyms);
  // The table holds only the stems that do not name their own phrase (see synonymStemTable).
  const phrase = Object.hasOwn(stems, stem)
    ? stems[stem]
    : Object.hasOwn(synonyms, stem) && stemPhrase(stem) === stem
      ? stem
      : undefined;
  return phrase === undefined ? undefined : [phrase, synonyms[phrase] ?? ''];
}

const INFLECTED = /(?:s|ed|ing|er|est|ly)$/;

/**
 * The synonym table's phrases by their stemmed form, the first phrase of each stem (`sign out` for `signs
 * out` and `signing out`), left out where the stem is that phrase itself, which the lookup finds in the
 * table: what a query's inflected phrase is matched against. Made once, at build time.
 */
export function synonymStemTable(synonyms: Readonly<Record<string, string>>): Record<string, string> {
  const first = new Map<string, string>();
  for (const key of Object.keys(synonyms)) {
    if (!key.includes(' ')) continue;
    const stem = stemPhrase(key);
    if (!first.has(stem)) first.set(stem, key);
  }
  return Object.fromEntries([...first].filter(([stem, key]) => stem !== key));
}

const STEM_TABLES = new WeakMap<object, Record<string, string>>();

/** A hand-made vocabulary's stem table, made once per synonym table. */
function stemTableOf(synonyms: Readonly<Record<string, string>>): Record<string, string> {
  let table = STEM_TABLES.get(synonyms);
  if (!table) {
    table = synonymStemTable(synonyms);
    STEM_TABLES.set(synonyms, table);
  }
  return table;
}

/** Each word by its stem (`signing` and `signs` → `sign`, `cuts` and `cutting` → `cut`, `tries` → `tri`). */
function stemPhrase(phrase: string): string {
  return phrase.split(' ').map(stemWord).join(' ');
}

const STEM_SUFFIXES = ['ing', 'est', 'ed', 'er', 'ly'];

/**
 * A crude stem, the same for a word's inflections: a plural `s` off, then the longest other common suffix,
 * a doubled last letter and a final `e` or `y` evened out. Cheap: the table's phrases are stemmed at build
 * time.
 */
function stemWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
  for (const suffix of STEM_SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length >= 3 && w.at(-1) === w.at(-2)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}
