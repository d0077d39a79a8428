/**
 * Ranking for the runtime search (search.ts): each query word is scored per section from the prebuilt
 * inverted index by two lexical signals, fused by a weighted sum: fuse.js's field-weighted match score
 * (which fields hold the word, discounted by field length) and BM25 (how often, for the section's
 * length). The words' scores are then combined and re-ranked. Numbers live in `SearchTuning`, tuned with
 * `npm run eval`.
 */
import type { Section } from '../model/model';
import {
  ACTION_EFFECT,
  DECISION_INTENT,
  DEVICES,
  ECHO_GAP,
  HEADING_MASK,
  IMPERATIVE_PROCEDURE,
  isSymptomPart,
  PART_WORDS,
  PERSON_INTENT,
  PROCEDURE_INTENT,
  SEARCH_KEYS,
  STEP_TITLE,
  TITLE_MASK,
  YES_NO_QUESTION,
} from './config';
import {
  asksBareCommand,
  asksHowItWorks,
  criteriaSections,
  docsHolding,
  metAroundFailover,
  namesCommand,
  placedInSituation,
  preferAskedScales,
  preferCriteriaForDecisions,
  preferExplanations,
  preferReferenceForFacts,
  preferRegionTablesForRegionFacts,
  preferSightedSymptoms,
  preferTasksByTheirVerb,
  wordsInPassing,
  wordsOfTime,
  wordsSaid,
} from './kinds';
import { STEP_WORD_BREAK } from './letter-classes';
import { normalizePhrase, type PreparedQuery, type QueryGroup } from './query';
import { isEverydayWord, SAME_WORD, type Vocabulary } from './similarity';
import type { SearchTuning } from './tuning';

export { DEFAULT_TUNING, type SearchTuning } from './tuning';

export interface Scored {
  idx: number;
  relevance: number;
  /**
   * Share of the query's informative weight this section holds: each word weighs its idf, a word the
   * runbooks hold only in running text in part (`incidentalWeight`), a word they lack in part
   * (`foreignWeight`, never covered), an error code more (`codeWeight`).
   */
  coverage: number;
}

/**
 * One word's result per section, dense over the documents (cheap at 100× the corpus): relevance 0..1,
 * whether it contains the word (COVERED) and in its headings (IN_HEADINGS); `docs` lists those touched.
 */
interface WordHits {
  docs: number[];
  rel: Float64Array;
  flags: Uint8Array;
  /** Some section has the word in a heading-like field: a topic of the runbooks, not an incidental word. */
  topical: boolean;
}
/** No section: an idiom's own word left out of its match. */
const EMPTY_HITS: WordHits = { docs: [], rel: new Float64Array(0), flags: new Uint8Array(0), topical: false };
const TOUCHED = 1;
const COVERED = 2;
const IN_HEADINGS = 4;
/** The word is in the section's own title (not only its path or keywords). */
const IN_TITLE = 8;

/**
 * Dense per-document buffers, reused from query to query: allocating fresh ones per word would churn
 * megabytes of array buffers per query at 100× the corpus, and garbage collection would show in p99.
 */
export class Scratch {
  private readonly free: WordHits[] = [];
  private readonly used: WordHits[] = [];
  /** Per document: the fields a word variant is in, and its weighted count (zero between uses). */
  readonly fields: Int32Array;
  readonly counts: Int32Array;

  constructor(readonly n: number) {
    this.fields = new Int32Array(n);
    this.counts = new Int32Array(n);
  }

  hits(): WordHits {
    const h = this.free.pop() ?? {
      docs: [],
      rel: new Float64Array(this.n),
      flags: new Uint8Array(this.n),
      topical: false,
    };
    h.topical = false;
    this.used.push(h);
    return h;
  }

  /** After a query: every buffer back to zero and free. */
  release(): void {
    for (const h of this.used) {
      for (let j = 0; j < h.docs.length; j++) {
        const doc = h.docs[j]!;
        h.rel[doc] = 0;
        h.flags[doc] = 0;
      }
      h.docs.length = 0;
      this.free.push(h);
    }
    this.used.length = 0;
  }
}

function touch(h: WordHits, doc: number): void {
  if (!(h.flags[doc]! & TOUCHED)) {
    h.flags[doc] = h.flags[doc]! | TOUCHED;
    h.docs.push(doc);
  }
}

export interface RankContext {
  vocabulary: Vocabulary;
  /** Per document, per SEARCH_KEYS field (flattened): length norm 1/√tokens. */
  norms: ArrayLike<number>;
  /** Per SEARCH_KEYS field: its weight, normalised (`fieldWeights`). */
  fieldWeights: readonly number[];
  /** Per document: weighted token count; and its mean. */
  lengths: ArrayLike<number>;
  avgLength: number;
  docSection: (Section | undefined)[];
  /**
   * A document's directives, title and parent document, as its section has them: the passes over the
   * candidates read these, so a split artifact makes no section handle for them.
   */
  directivesOf(doc: number): Section['directives'] | undefined;
  titleOf(doc: number): string | undefined;
  parentOf(doc: number): number | undefined;
  /** A document's number by its section id (a `Map`, or a split artifact's look-up through the runbook). */
  docIndex: { get(id: string): number | undefined };
  /** Normalised error message of each symptom section (`token expired`), else ''. */
  messages: string[];
  /** Each symptom's "What you see", normalised and space-padded, else '' (absent in older artifacts). */
  seen?: readonly string[];
  /** Whether a document is a troubleshooting symptom: it has a message or a "What you see". */
  isSymptom(doc: number): boolean;
  /** First word → message → the documents that quote or print it (absent in older artifacts). */
  quotedBy?: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  stop: ReadonlySet<string>;
  /** Words that say something is wrong (absent in older artifacts). */
  problemWords?: ReadonlySet<string>;
  /** The most frequent English words (absent in older artifacts). */
  common?: ReadonlySet<string>;
  /** Everyday-life subjects, never an incident's (absent in older artifacts). */
  offTopic?: ReadonlySet<string>;
  /**
   * CloudWatch alarm name (without the stage prefix) → the section that answers it, from the sections'
   * `alarms=` directives; built on first need (a query with a hyphenated word).
   */
  alarmSections?: () => ReadonlyMap<string, number>;
  /** The names of the primary region (absent in older artifacts and runbooks that state no roles). */
  primaryRegion?: ReadonlySet<string>;
  /** Per section: the checklist root whose subtree holds it, if any (found on first ask, then kept). */
  procedureOf(doc: number): number | undefined;
  /** Per checklist root: its command phrases as word lists (stop words removed). */
  commands: Map<number, string[][]>;
  /**
   * Per section that is a symptom's sub-heading (What you see, Fix, ...): its part name, else ''; found on
   * first ask and kept (a pass over every section at set-up cost a cold start ~6 ms at 100× the corpus).
   */
  partName(doc: number): string;
  /** ... and its symptom's document, else -1. */
  partOf(doc: number): number;
  scratch: Scratch;
  tuning: SearchTuning;
}

/**
 * Every section's score for one query, dense over the documents: the sections that scored at all are
 * listed in document order; only the best few become `Scored` objects (`best`).
 */
export class Ranking {
  constructor(
    readonly list: number[],
    readonly relevance: Float64Array,
    readonly coverage: Float64Array,
  ) {}

  /** The k best (that pass `keep`), best first; ties in document order. No sort of every section. */
  best(k: number, keep: (idx: number) => boolean = () => true): Scored[] {
    const rel = this.relevance;
    const better = (a: number, b: number) => rel[a]! > rel[b]! || (rel[a] === rel[b] && a < b);
    const top: number[] = [];
    for (let j = 0; j < this.list.length; j++) {
      const idx = this.list[j]!;
      if (top.length === k && !better(idx, top[k - 1]!)) continue;
      if (!keep(idx)) continue;
      let i = Math.min(top.length, k - 1);
      top[i] = idx;
      while (i > 0 && better(idx, top[i - 1]!)) {
        top[i] = top[i - 1]!;
        top[i - 1] = idx;
        i--;
      }
    }
    return top.map((idx) => ({ idx, relevance: rel[idx]!, coverage: this.coverage[idx]! }));
  }
}

export interface RankOutcome {
  ranking: Ranking;
  /** Share of the query's words the runbooks contain (or nearly). */
  knownShare: number;
  /** Share of the query's informative weight (see `Scored.coverage`) that some section holds. */
  informedShare: number;
  /**
   * Everyday-life subjects the query names ("my *holiday* request", "my *laptop* password"): it is about
   * them, whatever else it shares with the runbooks, unless the answer itself speaks of them ("the stream
   * drops when the *laptop* sleeps"). How many, and per section whether it holds them all (= `offTopic`).
   */
  offTopic: number;
  offTopicHeld: Uint8Array;
  /** Pasted output's error codes the runbooks know, and how many of them each section holds. */
  codes: number;
  codeHits: Uint8Array;
  /**
   * The query's groups that say what it is about: known to the runbooks and not an everyday filler (an
   * everyday English word that is no topic of theirs, or an everyday-life subject). None: a question made
   * only of everyday words ("order new business cards"), which no section answers with confidence.
   */
  subjects: number;
  /** The query's groups the runbooks hold in a heading-like field (title, symptom, keywords, path). */
  topics: number;
  /** The sections an alarm the query names answers (their `alarms=` directive lists it). */
  alarmed: readonly number[];
  /**
   * The sections whose message the query holds verbatim: a symptom's message in quotes ("users get
   * 'Generation timeout'"), or a message of three words or more that a section quotes or prints, whole or
   * with its values (`still IN_PROGRESS after 15 minutes`).
   */
  verbatim: readonly number[];
  /** The procedures (checklist roots) the query names, not in passing ("run the failover", "roll it back"). */
  namedProcedures: ReadonlySet<number>;
  /** Whether a clause tells the bot to run a procedure ("roll it back", "fail over to ireland now"). */
  instructed: boolean;
  /** Whether the query asks whether to act ("should we fail over", "…, fail over or not"), not how. */
  asksDecision: boolean;
  /** Whether it asks how something works ("how does the cognito login work"), reporting no problem. */
  asksExplanation: boolean;
  /**
   * The query's words the runbooks lack (each group's words, error codes aside; everyday words too): what
   * a learned confirmation must have seen askers of the runbooks use (engine.ts `learnedConfirms`).
   */
  unknownWords: string[];
  /** Whether it asks for the walk through the symptoms ("diagnose a login problem"): a decision tree's. */
  asksDiagnosis: boolean;
}

/** `titleSaid` counts a query's groups in a title in these units (a word of the query's own: all of them). */
const SAID_UNITS = 4;

/** A word with a digit that the runbooks lack is an id, a count or a version: noise, not meaning. */
const NOISE = /\d/;

export function rank(ctx: RankContext, q: PreparedQuery): RankOutcome {
  const { tuning: t } = ctx;
  const n = ctx.docSection.length;
  const cache = new Map<string, WordHits>();
  ctx.scratch.release();
  const relevance = new Float64Array(n);
  const coverage = new Float64Array(n);
  const headingGroups = new Uint16Array(n);
  // How much of each section's title the query says, in quarters of a group: a word of its own in full, a
  // synonym in part (`stepSynonymShare`, at least a quarter so that any match shows), unless the query asks
  // whether that state holds ("is Cape Town healthy enough"). One dense array per query (at 100× the corpus).
  const titleSaid = new Uint16Array(n);
  const synonymSays = YES_NO_QUESTION.test(q.words.join(' '))
    ? SAID_UNITS
    : Math.max(1, Math.round(SAID_UNITS * t.stepSynonymShare));
  // The query's weight each section holds in its headings and in its title (graded heading match); only
  // when a tuning uses it: two dense arrays per query cost at 100× the corpus.
  const headingIdf = t.headingShareBoost > 0 ? new Float64Array(n) : undefined;
  const titleIdf = t.titleShareBoost > 0 ? new Float64Array(n) : undefined;
  let total = 0;
  // What the runbooks know of the query, and its error codes: pasted output is judged on that (its other
  // words nobody chose), so a log line's own vocabulary ("billed", "elapsed") does not dilute it.
  let knownTotal = 0;
  let known = 0;
  let counted = 0;
  // What a section must cover: known words by their idf (incidental ones in part), foreign ones in part.
  let informative = 0;
  let informed = 0;
  // A foreign word weighs at most about what the query's weightiest known word does: in "hotfix straight
  // to prod", "straight" says less than "hotfix", however rare it is.
  const foreign: number[] = [];
  const unknownWords: string[] = [];
  let heaviest = 0;
  let offTopic = 0;
  const offTopicHeld = new Uint8Array(n);
  let codes = 0;
  let subjects = 0;
  let topics = 0;
  const codeHits = new Uint8Array(n);
  // The sections some word touched (in `candidates`, in the order met).
  const touched = new Uint8Array(n);
  const candidates: number[] = [];
  const times = ctx.offTopic ? wordsOfTime(q) : undefined;
  for (const group of q.groups) {
    // An everyday subject ("laptop") barely chooses the answer (it weighs as a filler): the answer must
    // speak of it, or the query is about something else ("my laptop keeps asking me to sign in").
    const everyday =
      !group.code && !group.idiom && group.words.length === 1 && ctx.offTopic?.has(group.word) === true;
    // ... unless it says when ("after lunch"): a filler still, but no subject of the question.
    // ... or is the device where the problem was met ("loads fine *from my laptop*", "customers *on*
    // older laptops"): a device named for itself ("request a new laptop") is still the subject.
    if (everyday && !times?.has(group.word) && !placedDevice(q, group.word)) {
      offTopic++;
      holdOffTopic(ctx, heldAs(ctx, group.word), offTopicHeld, offTopic);
    }
    const own = phraseHits(ctx, group.words, cache);
    const alternatives = group.alternatives.map((a) => phraseHits(ctx, a, cache));
    const alarm = alarmHits(ctx, group);
    if (alarm) alternatives.push(alarm);
    // An idiom's synonyms count in full (`fail over` is written `failover`), unless its own words stand
    // somewhere as written (`task timed out`): there they are the better match.
    const ownDf = coveredCount(own);
    const literal = group.idiom && group.words.length > 1 && ownDf > 0;
    const factor = group.idiom && !literal ? 1 : t.synonymFactor;
    // An idiom left with one word of its own once its stop words are gone ("who do I *call*", "on *fire*")
    // means what the table says; that word alone, as written, is another sense ("API calls").
    const lone = group.idiom && !literal && group.words.length === 1 && alternatives.length > 0;
    const hits = mergeAlternatives(ctx, lone ? EMPTY_HITS : own, alternatives, factor);
    // BM25's idf: rare words decide, a word found in most sections barely counts. A word weighs as itself,
    // not as the union of its synonyms (`504s` → `timeout` is everywhere), or, when the runbooks lack it,
    // as its most specific synonym; but a name is as common as what it names (`ireland` is eu-west-1).
    // (An idiom of one word and stop words, `too many requests`, weighs as what it means.)
    const wordDf = group.idiom && !literal ? 0 : ownDf;
    const sameDf =
      group.sameAs.length > 0 ? specificCount(group.sameAs.map((a) => phraseHits(ctx, a, cache))) : 0;
    const df = Math.max(wordDf > 0 ? wordDf : specificCount(alternatives), sameDf);
    if (df === 0 && NOISE.test(group.word)) continue;
    // An error code weighs more, as named or unknown; known only by what it means, it is a word.
    const named = group.code && (ownDf > 0 || df === 0);
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (named ? t.codeWeight : 1);
    counted++;
    total += idf;
    // An everyday English word that is not a topic of the runbooks is a filler, not a subject.
    // An idiom is a topic when what it means is one ("this morning" means "recently", none is).
    const topical = group.idiom && !literal ? alternatives.some((a) => a.topical) : hits.topical;
    const filler =
      everyday || group.measure === true || (!topical && group.words.every((w) => isCommon(ctx, w)));
    // A phrase of the vocabulary (`login hook`, `signed out`) says its subject as surely as two words do.
    if (df > 0 && topical) topics++;
    if (df > 0 && group.idiom && topical) subjects += 2;
    else if (df > 0 && (group.code || !everydayWords(ctx, group))) subjects++;
    if (df === 0) {
      // An error code the runbooks lack still says what the pasted output is about: it is not ours.
      if (group.code) knownTotal += idf;
      foreign.push(idf * t.foreignWeight * (filler ? t.fillerWeight : 1));
      if (!group.code) unknownWords.push(...group.words);
      continue;
    }
    knownTotal += idf;
    const weight = idf * (topical ? 1 : t.incidentalWeight) * (filler ? t.fillerWeight : 1);
    informative += weight;
    known++;
    informed += weight;
    heaviest = Math.max(heaviest, weight);
    if (group.code) codes++;
    for (let j = 0; j < hits.docs.length; j++) {
      const idx = hits.docs[j]!;
      if (!touched[idx]) {
        touched[idx] = 1;
        candidates.push(idx);
      }
      const flags = hits.flags[idx]!;
      if (group.code && flags & COVERED) codeHits[idx] = (codeHits[idx] ?? 0) + 1;
      relevance[idx] = (relevance[idx] ?? 0) + idf * hits.rel[idx]!;
      if (flags & COVERED) coverage[idx] = (coverage[idx] ?? 0) + weight;
      if (flags & IN_HEADINGS) {
        headingGroups[idx] = (headingGroups[idx] ?? 0) + 1;
        if (headingIdf) headingIdf[idx] = headingIdf[idx]! + idf;
      }
      if (flags & IN_TITLE) {
        titleSaid[idx] = titleSaid[idx]! + ((own.flags[idx] ?? 0) & IN_TITLE ? SAID_UNITS : synonymSays);
        if (titleIdf) titleIdf[idx] = titleIdf[idx]! + idf;
      }
    }
  }
  offTopic = offTopicPhrases(ctx, q, offTopicHeld, offTopic);
  for (const w of foreign) informative += Math.min(w, heaviest * t.foreignCap);
  const norm = q.pasted ? knownTotal : total;
  const alarmed = alarmedDocs(ctx, q);
  const verbatim: number[] = [];
  const boost = exactMessageBoost(ctx, q, alarmed, verbatim, candidates);
  for (const i of boost.keys())
    if (!touched[i]) {
      touched[i] = 1;
      candidates.push(i);
    }
  const list: number[] = [];
  const present = new Uint8Array(n);
  // Only the sections some word or boost touched, in document order (the rest score 0 and are left out,
  // as a pass over every section would leave them): at 100× the corpus, a quarter of them or fewer.
  const order = new Int32Array(candidates.length);
  for (let j = 0; j < candidates.length; j++) order[j] = candidates[j]!;
  order.sort();
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const r = norm > 0 ? (relevance[i] ?? 0) / norm : 0;
    // Words the corpus does not know at all ("purple") cannot be covered by any section.
    const c = informative > 0 ? (coverage[i] ?? 0) / informative : 0;
    let headed = known > 0 && headingGroups[i] === known ? t.headingBoost : 0;
    if (norm > 0 && headingIdf) headed += (t.headingShareBoost * headingIdf[i]!) / norm;
    if (norm > 0 && titleIdf) headed += (t.titleShareBoost * titleIdf[i]!) / norm;
    const b = (boost.get(i) ?? 0) + headed;
    relevance[i] = 0;
    coverage[i] = 0;
    if (r <= 0 && b <= 0) continue;
    relevance[i] = r + t.coverageWeight * c + b;
    coverage[i] = c;
    list.push(i);
    present[i] = 1;
  }
  const ranking = new Ranking(list, relevance, coverage);
  const asksDiagnosis = asksToDiagnose(q);
  demoteTrees(ctx, ranking, asksDiagnosis);
  preferSymptomsForProblems(ctx, q, ranking);
  preferSightedSymptoms(ctx, q, ranking);
  preferReferenceForFacts(ctx, q, ranking);
  const asksExplanation = asksHowItWorks(ctx, q);
  preferExplanations(ctx, ranking, asksExplanation);
  // Whether to act, asked in words or by "…, fail over?" (which is then no instruction to run it).
  const bareAsk = asksBareCommand(ctx, q);
  const asksDecision = bareAsk || DECISION_INTENT.test(q.words.join(' '));
  preferCriteriaForDecisions(ctx, ranking, asksDecision);
  preferAskedScales(ctx, q, ranking);
  preferRegionTablesForRegionFacts(ctx, q, ranking);
  preferContactsForPeople(ctx, q, ranking);
  preferTasksByTheirVerb(ctx, q, ranking, present);
  // A question whether to act ("cape town is down, fail over or not") is no instruction to run it.
  const instruction = asksDecision ? null : IMPERATIVE_PROCEDURE.exec(q.query.toLowerCase());
  const asksHow = PROCEDURE_INTENT.test(q.words.join(' '));
  const namedRoots = preferNamedProcedures(ctx, q, ranking, instruction !== null, asksHow, asksDecision);
  preferWholeProcedures(ctx, ranking, titleSaid, namedRoots, present, asksHow);
  preferSymptomHeadings(ctx, q, ranking, present);
  if (instruction) obeyInstructions(ctx, q, ranking, namedRoots, present, instruction[0]);
  return {
    ranking,
    unknownWords,
    knownShare: counted > 0 ? known / counted : 0,
    informedShare: informative > 0 ? informed / informative : 0,
    offTopic,
    offTopicHeld,
    codes,
    codeHits,
    subjects,
    topics,
    alarmed,
    verbatim,
    namedProcedures: namedRoots,
    instructed: instruction !== null,
    asksDecision,
    asksExplanation,
    asksDiagnosis,
  };
}

/** A device (`DEVICES`) the query places a problem on or comes from ("from my laptop", "on hotel wifi"). */
function placedDevice(q: PreparedQuery, word: string): boolean {
  if (!DEVICES.has(word)) return false;
  const at = q.words.indexOf(word);
  return at >= 0 && placedInSituation(q.words, at);
}

/**
 * The sections holding an everyday subject as a word, singular or plural: "a public *holiday* on monday"
 * is what the change window's "no PROD releases on ... public *holidays*" speaks of.
 */
function heldAs(ctx: RankContext, word: string): number[] {
  const docs = new Set<number>();
  for (const form of [word, `${word}s`])
    for (const doc of ctx.vocabulary.postings(form)?.docs ?? []) docs.add(doc);
  return [...docs];
}

/**
 * Marks the sections that hold every off-topic word so far, the `nth` included (`held` is `nth`), as
 * written or in its plural (`heldAs`): `printer` is not held by a section that says `print`. A symptom
 * holds what its sub-headings (What you see, Likely causes, ...) hold, since it answers for them.
 */
function holdOffTopic(
  ctx: RankContext,
  docs: Iterable<number> | undefined,
  held: Uint8Array,
  nth: number,
): void {
  for (const idx of docs ?? []) {
    const parent = ctx.partOf(idx);
    for (const doc of parent >= 0 ? [idx, parent] : [idx]) if (held[doc] === nth - 1) held[doc] = nth;
  }
}

/**
 * Words of everyday English that say nothing is wrong (`new`, `time`, `close`), or an everyday-life
 * subject: what a question about anything at all is made of, even where the runbooks use the word too.
 */
function everydayWords(ctx: RankContext, group: QueryGroup): boolean {
  if (group.words.length === 1 && ctx.offTopic?.has(group.word)) return true;
  return group.words.every((w) => isCommon(ctx, w) && !ctx.problemWords?.has(w));
}

/** A number, version or build (`11`, `2019`, `17.4`, `v2`, `24h2`) standing between a phrase's words. */
const VERSION_NUMBER = /\d/;

/**
 * Everyday-life subjects named by a phrase ("time off", "business cards", "out of office"), as typed,
 * without stop words or without a version between its words ("windows 11 update"): each counts as an
 * off-topic word does, held by the sections that hold all its other words. Returns the count of off-topic
 * subjects so far.
 */
function offTopicPhrases(ctx: RankContext, q: PreparedQuery, held: Uint8Array, count: number): number {
  const phrases = ctx.offTopic;
  if (!phrases) return count;
  const content = q.words.filter((w) => !ctx.stop.has(w));
  const unnumbered = content.filter((w) => !VERSION_NUMBER.test(w));
  const found = new Set<string>();
  for (const sequence of [q.words, content, unnumbered])
    for (let n = 2; n <= 3; n++)
      for (let i = 0; i + n <= sequence.length; i++) {
        const phrase = sequence.slice(i, i + n).join(' ');
        if (phrases.has(phrase)) found.add(phrase);
      }
  let nth = count;
  for (const phrase of found) {
    nth++;
    const lists = phrase
      .split(' ')
      .filter((w) => !ctx.stop.has(w))
      .map((w) => ctx.vocabulary.postings(w)?.docs ?? []);
    const [first, ...rest] = lists;
    const others = rest.map((docs) => new Set(docs));
    holdOffTopic(
      ctx,
      [...(first ?? [])].filter((doc) => others.every((o) => o.has(doc))),
      held,
      nth,
    );
  }
  return nth;
}

/** An everyday English word, as written or inflected (`hitting`, `slowly`, `yesterdays`). */
export function isCommon(ctx: RankContext, word: string): boolean {
  const common = ctx.common;
  if (common === undefined) return false;
  // Remembered per word list, as the vocabulary remembers `similar()`: the same words come again and again.
  let known = commonWords.get(common);
  if (!known) {
    known = new Map();
    commonWords.set(common, known);
  }
  let answer = known.get(word);
  if (answer === undefined) {
    answer = isEverydayWord(common, word);
    if (known.size >= COMMON_CACHE_SIZE) known.clear();
    known.set(word, answer);
  }
  return answer;
}

const COMMON_CACHE_SIZE = 2000;
const commonWords = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

/** The most a section can score (for turning relevance into a 0..1 score). */
export function maxRelevance(t: SearchTuning): number {
  return (
    1 + t.coverageWeight + t.exactMessageBoost + t.headingBoost + t.headingShareBoost + t.titleShareBoost
  );
}

/**
 * Field weights as fuse.js normalises them (sum 1), in SEARCH_KEYS order: those the index was built with
 * (its weighted counts and lengths), or SEARCH_KEYS' for an artifact that does not say.
 */
export function fieldWeights(built?: readonly number[]): number[] {
  const weights = built?.length === SEARCH_KEYS.length ? built : SEARCH_KEYS.map((k) => k.weight);
  const total = weights.reduce((a, w) => a + w, 0);
  return weights.map((w) => w / total);
}
const FIELDS = SEARCH_KEYS.length;
const LN_EPSILON = Math.log(Number.EPSILON);

/**
 * fuse.js's score for a word found in these fields (its `'word` match): each field multiplies in
 * ε^(weight × norm), so a short title counts for nearly everything and a long body for little.
 */
function fieldScore(weights: readonly number[], norms: ArrayLike<number>, doc: number, mask: number): number {
  let exponent = 0;
  for (let k = 0; k < FIELDS; k++) {
    if (mask & (1 << k)) exponent += weights[k]! * (norms[doc * FIELDS + k] ?? 1);
  }
  return 1 - Math.exp(LN_EPSILON * exponent);
}

function wordHits(ctx: RankContext, word: string, cache: Map<string, WordHits>): WordHits {
  const cached = cache.get(word);
  if (cached) return cached;
  const { vocabulary, tuning } = ctx;
  const variants = vocabulary.has(word) ? [{ word, sim: 1 }] : [];
  for (const v of vocabulary.similar(word)) {
    if (variants.length > tuning.corrections) break;
    if (v.word !== word) variants.push(v);
  }
  const hits = ctx.scratch.hits();
  const { fields, counts } = ctx.scratch;
  // Read once, not per document: this runs once per candidate, in code a cold start has not compiled.
  const { norms, lengths, avgLength, fieldWeights: weights } = ctx;
  const { accidentFactor, bm25Weight, bm25K1: k1, bm25B: b } = tuning;
  const seen: number[] = [];
  for (const v of variants) {
    // Fields holding the word, as a word or inside one (`dr` in `address`, a fuse.js-style accident).
    for (let j = 0; j < seen.length; j++) fields[seen[j]!] = 0;
    seen.length = 0;
    for (const p of vocabulary.containing(v.word)) {
      const { docs, masks } = p;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        if (fields[doc] === 0) seen.push(doc);
        fields[doc] = fields[doc]! | masks[i]!;
      }
    }
    const own = vocabulary.postings(v.word);
    if (own) {
      const same = v.sim >= SAME_WORD;
      const flags = hits.flags;
      for (let i = 0; i < own.docs.length; i++) {
        const doc = own.docs[i]!;
        const mask = own.masks[i]!;
        counts[doc] = own.counts[i]!;
        touch(hits, doc);
        if (same) flags[doc] = flags[doc]! | COVERED;
        if (mask & 1 && same) flags[doc] = flags[doc]! | IN_TITLE;
        if (mask & HEADING_MASK) {
          flags[doc] = flags[doc]! | IN_HEADINGS;
          if (same) hits.topical = true;
        }
      }
    }
    const sim = v.sim;
    const rels = hits.rel;
    for (let j = 0; j < seen.length; j++) {
      const doc = seen[j]!;
      const count = counts[doc]!;
      const field = fieldScore(weights, norms, doc, fields[doc]!);
      // BM25's term-frequency part, scaled to 0..1: more occurrences help, with diminishing returns.
      const lexical =
        count === 0
          ? field * accidentFactor
          : (1 - bm25Weight) * field +
            bm25Weight *
              (count / (count + k1 * (1 - b + b * ((lengths[doc] ?? avgLength) / (avgLength || 1)))));
      const rel = lexical * sim;
      if (rel > rels[doc]!) {
        touch(hits, doc);
        rels[doc] = rel;
      }
    }
    if (own) for (let i = 0; i < own.docs.length; i++) counts[own.docs[i]!] = 0;
  }
  for (let j = 0; j < seen.length; j++) fields[seen[j]!] = 0;
  cache.set(word, hits);
  return hits;
}

/** A synonym phrase (`route 53`) matches where all its words do; its relevance is their mean. */
function phraseHits(ctx: RankContext, words: string[], cache: Map<string, WordHits>): WordHits {
  const each = words.map((w) => wordHits(ctx, w, cache));
  if (each.length === 1) return each[0]!;
  const out = ctx.scratch.hits();
  out.topical = each.some((h) => h.topical);
  const first = each[0]!.docs;
  for (let j = 0; j < first.length; j++) {
    const idx = first[j]!;
    let sum = 0;
    let all = COVERED | IN_HEADINGS | IN_TITLE;
    for (const h of each) {
      sum += h.rel[idx]!;
      all &= h.flags[idx]!;
    }
    touch(out, idx);
    out.rel[idx] = sum / each.length;
    out.flags[idx] = out.flags[idx]! | all;
  }
  return out;
}

/** How many sections contain the word (or phrase), as a word. */
function coveredCount(h: WordHits): number {
  let df = 0;
  for (let j = 0; j < h.docs.length; j++) if (h.flags[h.docs[j]!]! & COVERED) df++;
  return df;
}

/** The fewest sections any of the phrases is in (0 when none is anywhere). */
function specificCount(list: readonly WordHits[]): number {
  let best = 0;
  for (const h of list) {
    const df = coveredCount(h);
    if (df > 0 && (best === 0 || df < best)) best = df;
  }
  return best;
}

function mergeAlternatives(ctx: RankContext, own: WordHits, alts: WordHits[], factor: number): WordHits {
  if (alts.length === 0) return own;
  const out = ctx.scratch.hits();
  out.topical = own.topical || alts.some((a) => a.topical);
  for (let j = 0; j < own.docs.length; j++) {
    const idx = own.docs[j]!;
    touch(out, idx);
    out.rel[idx] = own.rel[idx]!;
    out.flags[idx] = own.flags[idx]!;
  }
  for (const alt of alts) {
    for (let j = 0; j < alt.docs.length; j++) {
      const idx = alt.docs[j]!;
      touch(out, idx);
      out.rel[idx] = Math.max(out.rel[idx]!, alt.rel[idx]! * factor);
      out.flags[idx] = out.flags[idx]! | (alt.flags[idx]! & (COVERED | IN_HEADINGS | IN_TITLE));
    }
  }
  return out;
}

/** The sections whose `alarms=` directive names an alarm the query names, whatever its stage prefix. */
export function alarmedDocs(ctx: RankContext, q: PreparedQuery): number[] {
  const hyphenated = q.words.filter((w) => w.includes('-'));
  if (hyphenated.length === 0 || !ctx.alarmSections) return [];
  const out: number[] = [];
  for (const [alarm, i] of ctx.alarmSections()) if (hyphenated.some((w) => namesAlarm(w, alarm))) out.push(i);
  return out;
}

/** A word that is the alarm's name, whatever its stage prefix (`sitecraft-prod-api-5xx` is `api-5xx`). */
function namesAlarm(word: string, alarm: string): boolean {
  return word === alarm || word.endsWith(`-${alarm}`);
}

/** The section whose `alarms=` directive names the word (`sitecraft-prod-bedrock-throttles`), as holding it. */
function alarmHits(ctx: RankContext, group: QueryGroup): WordHits | undefined {
  const word = group.word;
  if (!word.includes('-') || group.words.length > 1 || !ctx.alarmSections) return undefined;
  let doc = -1;
  for (const [alarm, i] of ctx.alarmSections()) if (namesAlarm(word, alarm)) doc = i;
  if (doc < 0) return undefined;
  const hits = ctx.scratch.hits();
  touch(hits, doc);
  hits.rel[doc] = 1;
  hits.flags[doc] = hits.flags[doc]! | COVERED | IN_HEADINGS;
  hits.topical = true;
  return hits;
}

/**
 * Whether message `m`, which the query types (the caller's check), is part of a longer run of another
 * section's title than `own`'s: the title holds it beside a word (not a stop word) the query says too.
 */
function typedInLongerTitle(ctx: RankContext, q: PreparedQuery, m: string, own: number): boolean {
  const messageWords = m.split(' ');
  // The word next to the message in that title may stand anywhere in the query: "access denied from bedrock"
  // names the title "Bedrock access denied" too. Only the titles holding one of the query's other words are
  // read (their postings' title bit): none when the query is the message alone, as most are.
  const others = new Set(q.words.filter((w) => !ctx.stop.has(w) && !messageWords.includes(w)));
  for (const word of others)
    for (const doc of docsHolding(ctx, word, TITLE_MASK)) {
      if (doc === own) continue;
      const title = ` ${normalizePhrase(ctx.titleOf(doc) ?? '')} `;
      if (title.includes(` ${word} ${m} `) || title.includes(` ${m} ${word} `)) return true;
    }
  return false;
}

/** A quote of a message's opening words names its section from this many words (`exactMessageBoost`). */
const QUOTED_OPENING_WORDS = 3;

/**
 * An error message typed or pasted verbatim (quoted or not) is the strongest signal there is; a run of
 * words from a symptom's "What you see" ("try again in a minute") is a strong one. By document, only the
 * symptoms the query's words touched, not every section.
 */
function exactMessageBoost(
  ctx: RankContext,
  q: PreparedQuery,
  alarmed: readonly number[],
  verbatim: number[],
  touched: readonly number[],
): Map<number, number> {
  const boost = new Map<number, number>();
  const whole = ` ${q.words.join(' ')} `;
  // Only the symptoms some word of the query touched, in document order: a message or a run of its What
  // you see found in the query is made of words the symptom holds (its parts' words are its own), so no
  // other symptom can match, and none is read (at 100× the corpus, a pass over 2,500 symptoms per query).
  const symptoms = touched.filter((i) => ctx.isSymptom(i)).sort((a, b) => a - b);
  const typedOnly: number[] = [];
  for (const i of symptoms) {
    const m = ctx.messages[i];
    if (!m) continue;
    // A quoted part of the message counts only as words of it, two or more: a pasted JSON value in quotes
    // ("FAILED") is no quote of "Build failed".
    const quoted = q.phrases.some((p) => p === m || (p.includes(' ') && ` ${m} `.includes(` ${p} `)));
    const typed = m.includes(' ') && whole.includes(` ${m} `);
    if (quoted || typed) boost.set(i, ctx.tuning.exactMessageBoost);
    if (quoted) verbatim.push(i);
    if (typed && !quoted) typedOnly.push(i);
  }
  // A message a symptom's What you see, or a section's prose, quotes, or a section's script echoes, pasted
  // or typed whole (`... operation: User is disabled.`): only the messages that begin with a word of the
  // query are tested (a message found in it begins at one of its words; an echo's gaps never open one),
  // each once however many sections hold it; those sections in document order.
  const printed: number[] = [];
  if (ctx.quotedBy) {
    for (const word of new Set(q.words.join(' ').split(' '))) {
      if (!Object.hasOwn(ctx.quotedBy, word)) continue;
      const byMessage = ctx.quotedBy[word]!;
      for (const m in byMessage)
        if (m.includes(ECHO_GAP) ? gapped(m).test(whole) : whole.includes(` ${m} `))
          printed.push(...byMessage[m]!);
    }
    // Its opening words in quotes, as people quote what they saw ("got 'we couldn't finish your site in
    // time' three times"): the message cut short, three words or more.
    for (const p of q.phrases) {
      const first = p.slice(0, p.indexOf(' '));
      if (p.split(' ').length < QUOTED_OPENING_WORDS || !Object.hasOwn(ctx.quotedBy, first)) continue;
      const byMessage = ctx.quotedBy[first]!;
      for (const m in byMessage)
        if (!m.includes(ECHO_GAP) && `${m} `.startsWith(`${p} `)) printed.push(...byMessage[m]!);
    }
  }
  if (printed.length > 0)
    for (const doc of new Set(printed.sort((a, b) => a - b))) {
      boost.set(doc, ctx.tuning.exactMessageBoost);
      verbatim.push(doc);
    }
  // Typed, unquoted, as part of a longer name another section's title holds ("bedrock access denied" is
  // the title "Bedrock access denied — model access and IAM", not the message "Access denied"): the
  // message is a word of that name, not the error seen. Only the sections whose title holds the neighbour
  // word are read (its postings' title bit), once per message: at 100× the corpus a message has 100 copies.
  const decided = new Map<string, boolean>();
  for (const i of typedOnly) {
    const m = ctx.messages[i]!;
    let inLonger = decided.get(m);
    if (inLonger === undefined) {
      inLonger = typedInLongerTitle(ctx, q, m, i);
      decided.set(m, inLonger);
    }
    if (inLonger) boost.delete(i);
  }
  // A pasted alarm (`ALARM: "sitecraft-prod-bedrock-throttles" in EU (Ireland)`) names its section: the
  // one whose `alarms=` directive lists it, whatever the stage prefix.
  for (const i of alarmed) boost.set(i, ctx.tuning.exactMessageBoost);
  if (!ctx.seen) return boost;
  const runs = wordRuns(q.words, ctx.stop);
  if (runs.length === 0) return boost;
  for (const i of symptoms) {
    const text = ctx.seen[i];
    if (!text) continue;
    const longest = runs.longestIn(text);
    if (longest >= SEEN_RUN) {
      const share = Math.min(1, (longest - SEEN_RUN + 1) / SEEN_RUN);
      boost.set(i, Math.max(boost.get(i) ?? 0, ctx.tuning.seenBoost * share));
    }
  }
  return boost;
}

/** An echoed message with gaps as a pattern over the query's words (one to three words in each gap). */
function gapped(message: string): RegExp {
  let re = GAPPED.get(message);
  if (!re) {
    const words = message
      .split(' ')
      .map((w) => (w === ECHO_GAP ? '(?:\\S+ ){1,3}' : `${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    re = new RegExp(` ${words.join('')}`);
    GAPPED.set(message, re);
  }
  return re;
}
const GAPPED = new Map<string, RegExp>();

/** Words in a row, at least this many, repeat what a symptom's "What you see" says. */
const SEEN_RUN = 3;

/** Runs of SEEN_RUN to SEEN_RUN_MAX consecutive query words with at least two that are not stop words. */
const SEEN_RUN_MAX = 8;

/**
 * The query's word runs (`wordRuns`): `length` of them, and `longestIn(text)` the length of the longest
 * one a space-padded text holds (0: none). Per start, the runs grow one word at a time, and a text that
 * lacks a run lacks every longer run from the same start (it begins with the shorter one): so a text is
 * asked about a few runs per start, the first of which it mostly lacks, rather than about every run.
 */
export function wordRuns(
  words: readonly string[],
  stop: ReadonlySet<string>,
): { length: number; longestIn(text: string): number } {
  // Per start: the padded runs of SEEN_RUN, SEEN_RUN + 1, ... words, and from which length on they have
  // two words that are not stop words (more words never have fewer).
  const starts: { padded: string[]; from: number }[] = [];
  let length = 0;
  for (let i = 0; i + SEEN_RUN <= words.length; i++) {
    const padded: string[] = [];
    let from = -1;
    let content = 0;
    for (let n = 1; n <= SEEN_RUN_MAX && i + n <= words.length; n++) {
      if (!stop.has(words[i + n - 1]!)) content++;
      if (n < SEEN_RUN) continue;
      padded.push(` ${words.slice(i, i + n).join(' ')} `);
      if (content >= 2 && from < 0) from = n;
    }
    if (from < 0) continue;
    length += padded.length - (from - SEEN_RUN);
    starts.push({ padded, from });
  }
  return {
    length,
    longestIn(text) {
      let longest = 0;
      for (const { padded, from } of starts) {
        let n = 0;
        while (n < padded.length && text.includes(padded[n]!)) n++;
        // n runs from this start are in the text, the longest SEEN_RUN + n − 1 words.
        const words = SEEN_RUN + n - 1;
        if (n > 0 && words >= from && words > longest) longest = words;
      }
      return longest;
    },
  };
}

/** "diagnose a login problem", "troubleshoot the deploy": the asker wants the walk (a decision tree). */
function asksToDiagnose(q: PreparedQuery): boolean {
  // Not pasted output ("unable to resolve dependency tree" is npm's message, not a request).
  return !q.pasted && q.groups.some((g) => [...g.words, ...g.alternatives.flat()].includes('tree'));
}

/**
 * A decision tree names every symptom it leads to, so it matches symptom words about as well as the
 * symptom does; the symptom is the answer, and the answer offers the walk. Unless the query asks to diagnose.
 */
function demoteTrees(ctx: RankContext, r: Ranking, asksDiagnosis: boolean): void {
  if (asksDiagnosis) return;
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    if (ctx.directivesOf(idx)?.['tree'] !== undefined)
      r.relevance[idx] = r.relevance[idx]! * ctx.tuning.treeDemotion;
  }
}

/**
 * "LCP regressed", "deploy is stuck": the query reports a problem, so symptom sections gain. A problem in
 * the primary region ("Cape Town is throwing 503s") is the DR trigger's symptom: its checklist gains too.
 * Not a problem met around a failover or failback (`metAroundFailover`): the DR runbook's sections answer it.
 */
function preferSymptomsForProblems(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  if (!ctx.problemWords || !q.words.some((w) => ctx.problemWords?.has(w))) return;
  if (metAroundFailover(q)) return;
  const regional = q.groups.some((g) => ctx.primaryRegion?.has(g.word));
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    const trigger = regional && ctx.directivesOf(idx)?.['dr-trigger'] !== undefined;
    if (ctx.isSymptom(idx) || trigger) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.problemBoost;
  }
}

/**
 * "who do I wake up for a sev1": the query asks for people, so the runbooks' contacts tables gain. An
 * escalation path for one kind of problem (`escalation=generation`) answers only a query that names its
 * kind ("who do I call about generation failures"); "who do I call when everything is broken" is the
 * contacts table's, however many problem words the path shares with it.
 */
function preferContactsForPeople(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  if (!PERSON_INTENT.test(q.words.join(' '))) return;
  let said: Set<string> | undefined;
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    const directives = ctx.directivesOf(idx);
    if (directives?.['contacts'] !== undefined)
      r.relevance[idx] = r.relevance[idx]! + ctx.tuning.personIntentBoost;
    const kind = directives?.['escalation'];
    if (kind === undefined) continue;
    said ??= wordsSaid(q.groups);
    if (!namesKind(said, kind)) r.relevance[idx] = r.relevance[idx]! - ctx.tuning.personIntentBoost;
  }
}

/** "failover", "promote dev to sit", "rollback": the query names a procedure, so prefer its checklist. */
function preferNamedProcedures(
  ctx: RankContext,
  q: PreparedQuery,
  r: Ranking,
  instructed: boolean,
  wantsProcedure: boolean,
  asksDecision: boolean,
): Set<number> {
  const said = wordsSaid(q.groups);
  // A word after "after" or "since" is in passing ("broke after the rollback"), unless a clause tells to run
  // the procedure ("broke after the release, roll it back").
  if (!instructed) for (const w of wordsInPassing(q)) said.delete(w);
  for (const w of titleOpeners(ctx, q)) said.delete(w);
  const named = new Set<number>();
  for (const root of ctx.commands.keys()) if (namesCommand(ctx, root, said)) named.add(root);
  if (named.size === 0 && !wantsProcedure) return named;
  const weighed = weighedProcedures(ctx, q, named, instructed || wantsProcedure, asksDecision);
  const best = new Map<number, number>();
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    const root = ctx.procedureOf(idx);
    if (root === undefined) continue;
    if (wantsProcedure) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.procedureIntentBoost;
    if (!named.has(root) || weighed.has(root)) continue;
    r.relevance[idx] = r.relevance[idx]! + ctx.tuning.procedureBoost;
    if (root !== idx) best.set(root, Math.max(best.get(root) ?? 0, r.relevance[idx]!));
  }
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    const inherited = best.get(idx);
    if (inherited !== undefined)
      r.relevance[idx] = Math.max(r.relevance[idx]!, inherited * ctx.tuning.procedureInherit);
  }
  return named;
}

/**
 * "explain the failover switch", "send the failover notification template": a word followed in the query by
 * the next word of a title it opens, of a section outside every procedure, names that section; the
 * procedure the word is a command of is not asked for.
 */
function titleOpeners(ctx: RankContext, q: PreparedQuery): string[] {
  const out: string[] = [];
  const commands = commandWords(ctx);
  for (let i = 0; i + 1 < q.groups.length; i++) {
    const word = q.groups[i]!.word;
    const next = q.groups[i + 1]!.word;
    // Only a procedure's command word can be read as naming it: no title is read for any other word.
    if (!commands.has(word) || next.includes(' ')) continue;
    const opens = docsHolding(ctx, next, TITLE_MASK).some(
      (doc) =>
        ctx.procedureOf(doc) === undefined &&
        normalizePhrase(ctx.titleOf(doc) ?? '').startsWith(`${word} ${next}`),
    );
    if (opens) out.push(word);
  }
  return out;
}

/** Every word of the procedures' command phrases, found once per set of commands. */
const COMMAND_WORDS = new WeakMap<RankContext['commands'], ReadonlySet<string>>();
function commandWords(ctx: RankContext): ReadonlySet<string> {
  let words = COMMAND_WORDS.get(ctx.commands);
  if (!words) {
    words = new Set([...ctx.commands.values()].flat(2));
    COMMAND_WORDS.set(ctx.commands, words);
  }
  return words;
}

/** A kind of problem named by its word or one it begins or ends ("deploy" names `deployment`). */
function namesKind(said: ReadonlySet<string>, kind: string): boolean {
  for (const w of said)
    if (w === kind || (w.length >= 5 && (kind.startsWith(w) || w.startsWith(kind)))) return true;
  return false;
}

/**
 * "bedrock is throttling hard, should we just fail over?": asked whether to run a procedure whose criteria a
 * section holds (a heading of decision or criteria whose headings name the procedure's command), the
 * procedure is weighed, not run: it gains nothing for being named. "when do we go back" names the failback,
 * which no criteria section names: it gains as before.
 */
function weighedProcedures(
  ctx: RankContext,
  q: PreparedQuery,
  named: ReadonlySet<number>,
  toRun: boolean,
  asksDecision: boolean,
): ReadonlySet<number> {
  if (toRun || named.size === 0 || !(asksDecision || ACTION_EFFECT.test(q.words.join(' ')))) return NONE;
  const weighable = weighableProcedures(ctx);
  return new Set([...named].filter((root) => weighable.has(root)));
}
const NONE: ReadonlySet<number> = new Set();

/** The procedures a criteria section names (every word of a command in its headings), found once per search. */
const WEIGHABLE = new WeakMap<RankContext['commands'], ReadonlySet<number>>();
function weighableProcedures(ctx: RankContext): ReadonlySet<number> {
  let roots = WEIGHABLE.get(ctx.commands);
  if (!roots) {
    const criteria = criteriaSections(ctx);
    // Per command word, the criteria sections whose headings hold it (read once: at scale a word such as
    // `failover` commands a hundred procedures).
    const headed = new Map<string, ReadonlySet<number>>();
    const criteriaHolding = (w: string) => {
      let docs = headed.get(w);
      if (!docs) {
        docs = new Set(docsHolding(ctx, w, HEADING_MASK).filter((doc) => criteria.has(doc)));
        headed.set(w, docs);
      }
      return docs;
    };
    const found = new Set<number>();
    for (const [root, commands] of ctx.commands)
      for (const p of commands) {
        if (p.length === 0) continue;
        const [first, ...rest] = p.map(criteriaHolding);
        if ([...(first ?? [])].some((doc) => rest.every((docs) => docs.has(doc)))) found.add(root);
      }
    roots = found;
    WEIGHABLE.set(ctx.commands, roots);
  }
  return roots;
}

/**
 * Told to run it ("builder is borked after the release, roll it back", "prod is on fire, back it out"): the
 * named procedure answers first, whatever symptom the rest of the query describes, with the coverage of
 * its best-covered step (the symptom's words are why, not what is asked).
 */
function obeyInstructions(
  ctx: RankContext,
  q: PreparedQuery,
  r: Ranking,
  named: ReadonlySet<number>,
  present: Uint8Array,
  clause: string,
): void {
  if (named.size === 0) return;
  // The procedure the instruction names ("back it out" is the rollback), not one named elsewhere ("after the
  // push" names the deploy).
  const told = new Set(clause.split(/[^a-z]+/).filter(Boolean));
  const said = wordsSaid(q.groups.filter((g) => g.words.every((w) => told.has(w))));
  let top = 0;
  const covered = new Map<number, number>();
  for (const idx of r.list) {
    top = Math.max(top, r.relevance[idx]!);
    const root = ctx.procedureOf(idx);
    if (root !== undefined && named.has(root))
      covered.set(root, Math.max(covered.get(root) ?? 0, r.coverage[idx]!));
  }
  for (const root of named) {
    if (!covered.has(root) || !namesCommand(ctx, root, said)) continue;
    if (!present[root]) {
      present[root] = 1;
      r.list.push(root);
    }
    r.relevance[root] = top + ctx.tuning.procedureBoost;
    r.coverage[root] = Math.max(r.coverage[root]!, covered.get(root)!);
  }
}

/**
 * "fail back to Cape Town": the query names a procedure and none of its steps, so the whole procedure
 * answers (the checklist), not the step that happens to share a word or two. A step stands when the query
 * says most of its own title ("update route 53 during the failover"), its synonyms counting in part
 * (`titleSaid`): "South Africa is healthy again, bring the traffic back home" reports what Step 1 confirms
 * ("Confirm the primary region is healthy") and asks for the failback.
 */
function preferWholeProcedures(
  ctx: RankContext,
  r: Ranking,
  titleSaid: Uint16Array,
  named: ReadonlySet<number>,
  present: Uint8Array,
  asksHow: boolean,
): void {
  const { relevance: rel, coverage: cov } = r;
  const count = r.list.length;
  for (let j = 0; j < count; j++) {
    const idx = r.list[j]!;
    // The parent first: a candidate's title is read (decoded, at scale) only under a procedure's root.
    const parent = ctx.parentOf(idx);
    if (parent === undefined || ctx.procedureOf(parent) !== parent) continue;
    if (!named.has(parent) && !titleSaid[parent]) continue;
    const title = ctx.titleOf(idx);
    const step = title !== undefined ? STEP_TITLE.exec(title) : null;
    if (!step) continue;
    const stepTitle = (step[1] ?? '').toLowerCase();
    const words = stepTitle
      .split(STEP_WORD_BREAK(stepTitle))
      .filter((w) => w && !ctx.stop.has(w) && !/^\d+$/.test(w));
    if (words.length > 0 && titleSaid[idx]! / SAID_UNITS / words.length >= ctx.tuning.stepNamedShare)
      continue;
    // ... or when it holds much more of what the query asks than the procedure's own text does ("failover:
    // writing the off body to the switch bucket times out"): the question is the step's, the procedure only
    // its setting. Not when the query asks how to do it ("how do I run the failover"): that is the procedure.
    if (!asksHow && present[parent] && cov[idx]! > cov[parent]! + ctx.tuning.stepCoverageLead) continue;
    if (!present[parent]) {
      present[parent] = 1;
      r.list.push(parent);
    }
    if (rel[idx]! >= rel[parent]!) {
      rel[parent] = rel[idx]! + 0.01;
      cov[parent] = Math.max(cov[parent]!, cov[idx]!);
    }
    rel[idx] = rel[idx]! * ctx.tuning.stepDemotion;
  }
}

/**
 * Which sections are a symptom's sub-headings (What you see, Fix, ...), and whose: over `n` documents,
 * each one's parent document (undefined: none) and title read through the accessors, each document's
 * found when first asked and kept, so a split artifact reads the titles of its candidates only.
 */
export function symptomParts(
  n: number,
  parentOf: (doc: number) => number | undefined,
  titleOf: (doc: number) => string | undefined,
  isSymptom: (doc: number) => boolean,
): Pick<RankContext, 'partName' | 'partOf'> {
  // Per document: 0 not asked yet, else its symptom's document + 2 (1: none).
  const known = new Int32Array(n);
  const names = new Map<number, string>();
  const partOf = (i: number): number => {
    if (!(i >= 0 && i < n)) return -1;
    if (known[i] === 0) {
      known[i] = 1;
      const parentIdx = parentOf(i);
      if (parentIdx !== undefined && isSymptom(parentIdx)) {
        const part = titleOf(i)?.toLowerCase() ?? '';
        if (isSymptomPart(part)) {
          known[i] = parentIdx + 2;
          names.set(i, part);
        }
      }
    }
    return known[i]! - 2;
  };
  return { partOf, partName: (i) => (partOf(i) >= 0 ? (names.get(i) ?? '') : '') };
}

/**
 * A symptom's sub-headings (What you see, Fix, ...) give way to the symptom heading, which takes their
 * best score; unless the query names that part and the symptom ("verify the token expired fix").
 */
function preferSymptomHeadings(ctx: RankContext, q: PreparedQuery, r: Ranking, present: Uint8Array): void {
  // A pasted error's "could not resolve" asks for no part.
  const partWords = q.groups.map((g) => (q.pasted ? undefined : PART_WORDS[g.word]));
  const partOnly = partWords.every((p) => p !== undefined);
  const askedPart = partOnly ? undefined : partWords.find((p) => p !== undefined);
  const { relevance: rel, coverage: cov } = r;
  const count = r.list.length;
  // A part gives its symptom its score and coverage, and keeps a share of its score.
  const giveToSymptom = (idx: number, parent: number) => {
    rel[parent] = Math.max(rel[parent]!, rel[idx]!);
    cov[parent] = Math.max(cov[parent]!, cov[idx]!);
    rel[idx] = rel[idx]! * ctx.tuning.partDemotion;
  };
  // The asked parts go above their symptoms once every other part has given its score to its symptom.
  const asked: number[] = [];
  for (let j = 0; j < count; j++) {
    const idx = r.list[j]!;
    const part = ctx.partName(idx);
    const parent = ctx.partOf(idx);
    if (!part || parent < 0) continue;
    if (!present[parent]) {
      present[parent] = 1;
      r.list.push(parent);
    }
    if (part === askedPart) asked.push(idx);
    // "who do I escalate to" names no symptom: every symptom's Escalate matching says nothing.
    else if (partOnly) rel[idx] = rel[idx]! * ctx.tuning.partDemotion;
    else giveToSymptom(idx, parent);
  }
  for (const idx of asked) {
    const parent = ctx.partOf(idx);
    if (cov[parent]! >= ctx.tuning.minCoverage) rel[idx] = Math.max(rel[idx]!, rel[parent]!) + 0.01;
    else giveToSymptom(idx, parent);
  }
}
