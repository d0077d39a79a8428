/**
 * Ranking for the runtime search (search.ts): each query word is scored per section from the prebuilt
 * inverted index by two lexical signals, fused by a weighted sum: fuse.js's field-weighted match score
 * (which fields hold the word, discounted by field length) and BM25 (how often, for the section's
 * length). The words' scores are then combined and re-ranked. Numbers live in `SearchTuning`, tuned with
 * `npm run eval`.
 */
import type { Section } from '../model/model';
import {
  PART_WORDS,
  PERSON_INTENT,
  PROCEDURE_INTENT,
  SEARCH_KEYS,
  STEP_TITLE,
  SYMPTOM_PARTS,
} from './config';
import {
  preferCriteriaForDecisions,
  preferReferenceForFacts,
  preferRegionTablesForRegionFacts,
  preferSightedSymptoms,
  wordsInPassing,
  wordsOfTime,
} from './kinds';
import { STEP_WORD_BREAK } from './letter-classes';
import type { PreparedQuery, QueryGroup } from './query';
import { baseForms, SAME_WORD, type Vocabulary } from './similarity';

export interface SearchTuning {
  /** At least this share of the query's words must occur (or nearly) somewhere in the runbooks ... */
  minKnownShare: number;
  /**
   * A word the runbooks lack (not even as a typo, inflection or synonym) weighs this share of a rare word's
   * weight in what the answer must cover: "approve my holiday request" is not about approvals.
   */
  foreignWeight: number;
  /** ... but at most this many times what the query's weightiest known word weighs. */
  foreignCap: number;
  /**
   * A word the runbooks hold only in running text, never in a heading, keywords or a symptom ("hand",
   * "record"), informs this share of its weight: it is incidental there, so it says little about a topic.
   */
  incidentalWeight: number;
  /** An everyday English word that is no topic of the runbooks weighs this share (foreign or incidental). */
  fillerWeight: number;
  /** An exception name or error code counts this many times a word (in relevance and coverage). */
  codeWeight: number;
  /** A decision tree's section keeps this share of its score unless the query asks to diagnose. */
  treeDemotion: number;
  /** ... the best section must contain this share of those words' weight ... */
  minCoverage: number;
  /** ... and reach this relevance; otherwise the answer is "no good match". */
  minRelevance: number;
  /** A query made only of everyday words (no subject, `RankOutcome.subjects`) must reach this relevance ... */
  everydayMinRelevance: number;
  /** ... one with a single subject ("request a new *laptop*"), this one. */
  oneSubjectMinRelevance: number;
  /** What containing the query's words (in any field) adds to fuse's weighted relevance. */
  coverageWeight: number;
  /** A synonym's match counts this much of a match on the user's own word. */
  synonymFactor: number;
  /** A fuse hit on a section that does not contain the word as a word (`dr` inside `address`). */
  accidentFactor: number;
  /** Corpus words tried per query word besides the word itself (typo corrections, inflections). */
  corrections: number;
  /** An error message typed or pasted verbatim. */
  exactMessageBoost: number;
  /** A run of words from a symptom's "What you see", at its longest. */
  seenBoost: number;
  /** A symptom section, when the query says something is wrong. */
  problemBoost: 0.1;
  /** Every query word is in the section's title, heading path or keywords. */
  headingBoost: number;
  /** A symptom whose "What you see" names a word of a query that reports a reading (kinds.ts). */
  sightedBoost: number;
  /** A numbered step or a decision tree keeps this share of its score for a question of fact (kinds.ts). */
  factStepDemotion: number;
  /** The section holding a decision's criteria, when the query asks whether to act (kinds.ts). */
  decisionBoost: number;
  /** A section stating the regions' roles, for a question of fact about the regions (kinds.ts). */
  regionFactBoost: number;
  /** A symptom's sub-heading keeps this share of its score when its symptom takes its place. */
  partDemotion: number;
  /** The query says a checklist's command phrase ("failover", "promote dev to sit"): its sections gain. */
  procedureBoost: number;
  /** Share of a word's relevance from BM25 (the rest from the field-weighted match score). */
  bm25Weight: number;
  /** BM25 term-frequency saturation. */
  bm25K1: number;
  /** BM25 length normalisation (0 none, 1 full). */
  bm25B: number;
  /** The query asks "how do I …": every checklist section gains. */
  procedureIntentBoost: number;
  /** The query asks "who …": every contacts table (`contacts` directive) gains. */
  personIntentBoost: number;
  /** A named checklist's section takes this share of its best step's or phase's relevance. */
  procedureInherit: number;
  /** A procedure's step stands on its own when the query says at least this share of its title's words. */
  stepNamedShare: number;
  /** ... otherwise, when the query names the procedure, the step keeps this share of its score. */
  stepDemotion: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  minKnownShare: 0.5,
  foreignWeight: 1,
  foreignCap: 3,
  incidentalWeight: 0.5,
  codeWeight: 2,
  fillerWeight: 0.3,
  treeDemotion: 0.75,
  minCoverage: 0.45,
  minRelevance: 0.4,
  everydayMinRelevance: 0.7,
  oneSubjectMinRelevance: 0.6,
  coverageWeight: 0.4,
  synonymFactor: 0.8,
  accidentFactor: 0.2,
  corrections: 3,
  exactMessageBoost: 0.5,
  seenBoost: 0.3,
  problemBoost: 0.1,
  headingBoost: 0.15,
  sightedBoost: 0.1,
  factStepDemotion: 0.85,
  decisionBoost: 0.2,
  regionFactBoost: 0.25,
  partDemotion: 0.5,
  procedureBoost: 0.2,
  bm25Weight: 0.3,
  bm25K1: 1.2,
  bm25B: 0.75,
  procedureIntentBoost: 0.1,
  personIntentBoost: 0.15,
  procedureInherit: 0.9,
  stepNamedShare: 0.5,
  stepDemotion: 0.9,
};

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
  /** The documents whose `fields` a word variant set (reused: emptied before each use). */
  readonly variantDocs: number[] = [];

  /**
   * A query's dense per-document results (`rank`): made once and zeroed for each query rather than
   * allocated per query (seven arrays of n: ~5 KiB a warm search at 1×, ~470 KiB at 100×). They stay valid
   * until the next query: the engine reads them before it returns and keeps none of them.
   */
  private perQuery?: QueryArrays;

  constructor(readonly n: number) {
    this.fields = new Int32Array(n);
    this.counts = new Int32Array(n);
  }

  /** The per-query arrays, every element zero. */
  query(): QueryArrays {
    const n = this.n;
    if (!this.perQuery)
      this.perQuery = {
        relevance: new Float64Array(n),
        coverage: new Float64Array(n),
        headingGroups: new Uint16Array(n),
        titleGroups: new Uint16Array(n),
        offTopicHeld: new Uint8Array(n),
        codeHits: new Uint8Array(n),
        present: new Uint8Array(n),
      };
    else for (const a of Object.values(this.perQuery)) a.fill(0);
    return this.perQuery;
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
      for (const doc of h.docs) {
        h.rel[doc] = 0;
        h.flags[doc] = 0;
      }
      h.docs.length = 0;
      this.free.push(h);
    }
    this.used.length = 0;
  }
}

interface QueryArrays {
  relevance: Float64Array;
  coverage: Float64Array;
  headingGroups: Uint16Array;
  titleGroups: Uint16Array;
  offTopicHeld: Uint8Array;
  codeHits: Uint8Array;
  present: Uint8Array;
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
  /** Per section: the checklist root whose subtree holds it, if any. */
  procedureOf: (number | undefined)[];
  /** Per checklist root: its command phrases as word lists (stop words removed). */
  commands: Map<number, string[][]>;
  /** Per section that is a symptom's sub-heading (What you see, Fix, ...): its part name, else ''. */
  partName: string[];
  /** ... and its symptom's document, else -1. */
  partOf: Int32Array;
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
    for (const idx of this.list) {
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
}

/** A word with a digit that the runbooks lack is an id, a count or a version: noise, not meaning. */
const NOISE = /\d/;

export function rank(ctx: RankContext, q: PreparedQuery): RankOutcome {
  const { tuning: t } = ctx;
  const n = ctx.docSection.length;
  const cache = new Map<string, WordHits>();
  ctx.scratch.release();
  const { relevance, coverage, headingGroups, titleGroups, offTopicHeld, codeHits, present } =
    ctx.scratch.query();
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
  let heaviest = 0;
  let offTopic = 0;
  let codes = 0;
  let subjects = 0;
  const times = ctx.offTopic ? wordsOfTime(q) : undefined;
  for (const group of q.groups) {
    // An everyday subject ("laptop") barely chooses the answer (it weighs as a filler): the answer must
    // speak of it, or the query is about something else ("my laptop keeps asking me to sign in").
    const everyday =
      !group.code && !group.idiom && group.words.length === 1 && ctx.offTopic?.has(group.word) === true;
    // ... unless it says when ("after lunch"): a filler still, but no subject of the question.
    if (everyday && !times?.has(group.word)) {
      offTopic++;
      holdOffTopic(ctx, ctx.vocabulary.postings(group.word)?.docs, offTopicHeld, offTopic);
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
    const hits = mergeAlternatives(ctx, own, alternatives, factor);
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
    const filler = everyday || (!topical && group.words.every((w) => isCommon(ctx, w)));
    // A phrase of the vocabulary (`login hook`, `signed out`) says its subject as surely as two words do.
    if (df > 0 && group.idiom && topical) subjects += 2;
    else if (df > 0 && (group.code || !everydayWords(ctx, group))) subjects++;
    if (df === 0) {
      // An error code the runbooks lack still says what the pasted output is about: it is not ours.
      if (group.code) knownTotal += idf;
      foreign.push(idf * t.foreignWeight * (filler ? t.fillerWeight : 1));
      continue;
    }
    knownTotal += idf;
    const weight = idf * (topical ? 1 : t.incidentalWeight) * (filler ? t.fillerWeight : 1);
    informative += weight;
    known++;
    informed += weight;
    heaviest = Math.max(heaviest, weight);
    if (group.code) codes++;
    for (const idx of hits.docs) {
      const flags = hits.flags[idx]!;
      if (group.code && flags & COVERED) codeHits[idx] = (codeHits[idx] ?? 0) + 1;
      relevance[idx] = (relevance[idx] ?? 0) + idf * hits.rel[idx]!;
      if (flags & COVERED) coverage[idx] = (coverage[idx] ?? 0) + weight;
      if (flags & IN_HEADINGS) headingGroups[idx] = (headingGroups[idx] ?? 0) + 1;
      if (flags & IN_TITLE) titleGroups[idx] = (titleGroups[idx] ?? 0) + 1;
    }
  }
  offTopic = offTopicPhrases(ctx, q, offTopicHeld, offTopic);
  for (const w of foreign) informative += Math.min(w, heaviest * t.foreignCap);
  const norm = q.pasted ? knownTotal : total;
  const boost = exactMessageBoost(ctx, q);
  const list: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = norm > 0 ? (relevance[i] ?? 0) / norm : 0;
    // Words the corpus does not know at all ("purple") cannot be covered by any section.
    const c = informative > 0 ? (coverage[i] ?? 0) / informative : 0;
    const headed = known > 0 && headingGroups[i] === known ? t.headingBoost : 0;
    const b = (boost[i] ?? 0) + headed;
    relevance[i] = 0;
    coverage[i] = 0;
    if (r <= 0 && b <= 0) continue;
    relevance[i] = r + t.coverageWeight * c + b;
    coverage[i] = c;
    list.push(i);
    present[i] = 1;
  }
  const ranking = new Ranking(list, relevance, coverage);
  demoteTrees(ctx, q, ranking);
  preferSymptomsForProblems(ctx, q, ranking);
  preferSightedSymptoms(ctx, q, ranking);
  preferReferenceForFacts(ctx, q, ranking);
  preferCriteriaForDecisions(ctx, q, ranking);
  preferRegionTablesForRegionFacts(ctx, q, ranking);
  preferContactsForPeople(ctx, q, ranking);
  const namedRoots = preferNamedProcedures(ctx, q, ranking);
  preferWholeProcedures(ctx, ranking, titleGroups, namedRoots, present);
  preferSymptomHeadings(ctx, q, ranking, present);
  return {
    ranking,
    knownShare: counted > 0 ? known / counted : 0,
    informedShare: informative > 0 ? informed / informative : 0,
    offTopic,
    offTopicHeld,
    codes,
    codeHits,
    subjects,
  };
}

/**
 * Marks the sections that hold every off-topic word so far, the `nth` included (`held` is `nth`), as
 * written: `printer` is not held by a section that says `print`. A symptom holds what its sub-headings
 * (What you see, Likely causes, ...) hold, since it answers for them.
 */
function holdOffTopic(
  ctx: RankContext,
  docs: Iterable<number> | undefined,
  held: Uint8Array,
  nth: number,
): void {
  for (const idx of docs ?? []) {
    const parent = ctx.partOf[idx] ?? -1;
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

/**
 * Everyday-life subjects named by a phrase ("time off", "business cards", "out of office"), as typed or
 * without stop words: each counts as an off-topic word does, held by the sections that hold all its other
 * words. Returns the count of off-topic subjects so far.
 */
function offTopicPhrases(ctx: RankContext, q: PreparedQuery, held: Uint8Array, count: number): number {
  const phrases = ctx.offTopic;
  if (!phrases) return count;
  const content = q.words.filter((w) => !ctx.stop.has(w));
  const found = new Set<string>();
  for (const sequence of [q.words, content])
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
function isCommon(ctx: RankContext, word: string): boolean {
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
    answer = baseForms(word).some((w) => common.has(w));
    if (known.size >= COMMON_CACHE_SIZE) known.clear();
    known.set(word, answer);
  }
  return answer;
}

const COMMON_CACHE_SIZE = 2000;
const commonWords = new WeakMap<ReadonlySet<string>, Map<string, boolean>>();

/** The most a section can score (for turning relevance into a 0..1 score). */
export function maxRelevance(t: SearchTuning): number {
  return 1 + t.coverageWeight + t.exactMessageBoost + t.headingBoost;
}

/** Field weights as fuse.js normalises them (sum 1), in SEARCH_KEYS order. */
const FIELD_WEIGHTS = (() => {
  const total = SEARCH_KEYS.reduce((a, k) => a + k.weight, 0);
  return SEARCH_KEYS.map((k) => k.weight / total);
})();
const FIELDS = SEARCH_KEYS.length;
const LN_EPSILON = Math.log(Number.EPSILON);
/** Title, symptom, keywords and path: the heading-like fields. */
const HEADING_MASK = SEARCH_KEYS.reduce((m, k, i) => (k.name === 'body' ? m : m | (1 << i)), 0);

/**
 * fuse.js's score for a word found in these fields (its `'word` match): each field multiplies in
 * ε^(weight × norm), so a short title counts for nearly everything and a long body for little.
 */
function fieldScore(ctx: RankContext, doc: number, mask: number): number {
  let exponent = 0;
  for (let k = 0; k < FIELDS; k++) {
    if (mask & (1 << k)) exponent += FIELD_WEIGHTS[k]! * (ctx.norms[doc * FIELDS + k] ?? 1);
  }
  return 1 - Math.exp(LN_EPSILON * exponent);
}

/** BM25's term-frequency part, scaled to 0..1: more occurrences help, with diminishing returns. */
function bm25(ctx: RankContext, doc: number, count: number): number {
  const { bm25K1: k1, bm25B: b } = ctx.tuning;
  const len = (ctx.lengths[doc] ?? ctx.avgLength) / (ctx.avgLength || 1);
  return count / (count + k1 * (1 - b + b * len));
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
  const { fields, counts, variantDocs: seen } = ctx.scratch;
  seen.length = 0;
  for (const v of variants) {
    // Fields holding the word, as a word or inside one (`dr` in `address`, a fuse.js-style accident).
    for (const doc of seen) fields[doc] = 0;
    seen.length = 0;
    for (const p of vocabulary.containing(v.word)) {
      for (let i = 0; i < p.docs.length; i++) {
        const doc = p.docs[i]!;
        if (fields[doc] === 0) seen.push(doc);
        fields[doc] = fields[doc]! | p.masks[i]!;
      }
    }
    const own = vocabulary.postings(v.word);
    if (own) {
      for (let i = 0; i < own.docs.length; i++) {
        const doc = own.docs[i]!;
        counts[doc] = own.counts[i]!;
        touch(hits, doc);
        if (v.sim >= SAME_WORD) hits.flags[doc] = hits.flags[doc]! | COVERED;
        if (own.masks[i]! & 1 && v.sim >= SAME_WORD) hits.flags[doc] = hits.flags[doc]! | IN_TITLE;
        if (own.masks[i]! & HEADING_MASK) {
          hits.flags[doc] = hits.flags[doc]! | IN_HEADINGS;
          if (v.sim >= SAME_WORD) hits.topical = true;
        }
      }
    }
    for (const doc of seen) {
      const count = counts[doc]!;
      const field = fieldScore(ctx, doc, fields[doc]!);
      const lexical =
        count === 0
          ? field * tuning.accidentFactor
          : (1 - tuning.bm25Weight) * field + tuning.bm25Weight * bm25(ctx, doc, count);
      const rel = lexical * v.sim;
      if (rel > hits.rel[doc]!) {
        touch(hits, doc);
        hits.rel[doc] = rel;
      }
    }
    if (own) for (let i = 0; i < own.docs.length; i++) counts[own.docs[i]!] = 0;
  }
  for (const doc of seen) fields[doc] = 0;
  cache.set(word, hits);
  return hits;
}

/** A synonym phrase (`route 53`) matches where all its words do; its relevance is their mean. */
function phraseHits(ctx: RankContext, words: string[], cache: Map<string, WordHits>): WordHits {
  const each = words.map((w) => wordHits(ctx, w, cache));
  if (each.length === 1) return each[0]!;
  const out = ctx.scratch.hits();
  out.topical = each.some((h) => h.topical);
  for (const idx of each[0]!.docs) {
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
  for (const idx of h.docs) if (h.flags[idx]! & COVERED) df++;
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
  for (const idx of own.docs) {
    touch(out, idx);
    out.rel[idx] = own.rel[idx]!;
    out.flags[idx] = own.flags[idx]!;
  }
  for (const alt of alts) {
    for (const idx of alt.docs) {
      touch(out, idx);
      out.rel[idx] = Math.max(out.rel[idx]!, alt.rel[idx]! * factor);
      out.flags[idx] = out.flags[idx]! | (alt.flags[idx]! & (COVERED | IN_HEADINGS | IN_TITLE));
    }
  }
  return out;
}

/** The section whose `alarms=` directive names the word (`sitecraft-prod-bedrock-throttles`), as holding it. */
function alarmHits(ctx: RankContext, group: QueryGroup): WordHits | undefined {
  const word = group.word;
  if (!word.includes('-') || group.words.length > 1 || !ctx.alarmSections) return undefined;
  let doc = -1;
  for (const [alarm, i] of ctx.alarmSections()) if (word === alarm || word.endsWith(`-${alarm}`)) doc = i;
  if (doc < 0) return undefined;
  const hits = ctx.scratch.hits();
  touch(hits, doc);
  hits.rel[doc] = 1;
  hits.flags[doc] = hits.flags[doc]! | COVERED | IN_HEADINGS;
  hits.topical = true;
  return hits;
}

/**
 * An error message typed or pasted verbatim (quoted or not) is the strongest signal there is; a run of
 * words from a symptom's "What you see" ("try again in a minute") is a strong one.
 */
function exactMessageBoost(ctx: RankContext, q: PreparedQuery): number[] {
  const boost: number[] = [];
  const whole = ` ${q.words.join(' ')} `;
  // Loops rather than closures and no string per section: this runs on every search, over every section.
  const { messages, tuning } = ctx;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m) continue;
    let quoted = false;
    for (const p of q.phrases)
      if (p === m || (p.length >= 6 && m.includes(p))) {
        quoted = true;
        break;
      }
    const typed = !quoted && m.includes(' ') && holdsWords(whole, m);
    if (quoted || typed) boost[i] = tuning.exactMessageBoost;
  }
  // A pasted alarm (`ALARM: "sitecraft-prod-bedrock-throttles" in EU (Ireland)`) names its section: the
  // one whose `alarms=` directive lists it, whatever the stage prefix.
  const hyphenated = q.words.filter((w) => w.includes('-'));
  if (hyphenated.length > 0 && ctx.alarmSections) {
    for (const [alarm, i] of ctx.alarmSections()) {
      if (hyphenated.some((w) => w === alarm || w.endsWith(`-${alarm}`))) boost[i] = tuning.exactMessageBoost;
    }
  }
  if (!ctx.seen) return boost;
  const runs = wordRuns(q.words, ctx.stop);
  if (runs.length === 0) return boost;
  // Longest first (wordRuns' order): the first run a text holds is its longest.
  const padded = runs.map((run) => ` ${run.join(' ')} `);
  const seen = ctx.seen;
  for (let i = 0; i < seen.length; i++) {
    const text = seen[i];
    if (!text) continue;
    let longest = 0;
    for (let k = 0; k < runs.length; k++)
      if (runs[k]!.length > longest && text.includes(padded[k]!)) longest = runs[k]!.length;
    if (longest >= SEEN_RUN) {
      const share = Math.min(1, (longest - SEEN_RUN + 1) / SEEN_RUN);
      boost[i] = Math.max(boost[i] ?? 0, tuning.seenBoost * share);
    }
  }
  return boost;
}

/** Whether `padded` (` w1 w2 … `) holds `words` as whole words: `padded.includes(` ${words} `)`, unallocated. */
function holdsWords(padded: string, words: string): boolean {
  for (let at = padded.indexOf(words, 1); at > 0; at = padded.indexOf(words, at + 1))
    if (padded.charCodeAt(at - 1) === 32 && padded.charCodeAt(at + words.length) === 32) return true;
  return false;
}

/** Words in a row, at least this many, repeat what a symptom's "What you see" says. */
const SEEN_RUN = 3;

/** Every run of SEEN_RUN to 8 consecutive query words with at least two that are not stop words. */
function wordRuns(words: readonly string[], stop: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  for (let n = Math.min(8, words.length); n >= SEEN_RUN; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      if (run.filter((w) => !stop.has(w)).length >= 2) out.push(run);
    }
  }
  return out;
}

/**
 * A decision tree names every symptom it leads to, so it matches symptom words about as well as the
 * symptom does; the symptom is the answer, and the answer offers the walk. Unless the query asks to diagnose.
 */
function demoteTrees(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  const wantsTree = q.groups.some((g) => [...g.words, ...g.alternatives.flat()].includes('tree'));
  if (wantsTree) return;
  for (const idx of r.list) {
    if (ctx.directivesOf(idx)?.['tree'] !== undefined)
      r.relevance[idx] = r.relevance[idx]! * ctx.tuning.treeDemotion;
  }
}

/**
 * "LCP regressed", "deploy is stuck": the query reports a problem, so symptom sections gain. A problem in
 * the primary region ("Cape Town is throwing 503s") is the DR trigger's symptom: its checklist gains too.
 */
function preferSymptomsForProblems(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  if (!ctx.problemWords || !q.words.some((w) => ctx.problemWords?.has(w))) return;
  const regional = q.groups.some((g) => ctx.primaryRegion?.has(g.word));
  for (const idx of r.list) {
    const trigger = regional && ctx.directivesOf(idx)?.['dr-trigger'] !== undefined;
    if (ctx.messages[idx] || trigger) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.problemBoost;
  }
}

/** "who do I wake up for a sev1": the query asks for people, so the runbooks' contacts tables gain. */
function preferContactsForPeople(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  if (!PERSON_INTENT.test(q.words.join(' '))) return;
  for (const idx of r.list) {
    if (ctx.directivesOf(idx)?.['contacts'] !== undefined)
      r.relevance[idx] = r.relevance[idx]! + ctx.tuning.personIntentBoost;
  }
}

/** "failover", "promote dev to sit", "rollback": the query names a procedure, so prefer its checklist. */
function preferNamedProcedures(ctx: RankContext, q: PreparedQuery, r: Ranking): Set<number> {
  const said = new Set<string>();
  for (const g of q.groups) for (const w of [...g.words, ...g.alternatives.flat()]) said.add(w);
  for (const w of wordsInPassing(q)) said.delete(w);
  const named = new Set<number>();
  for (const [root, phrases] of ctx.commands) {
    if (phrases.some((p) => p.length > 0 && p.every((w) => said.has(w)))) named.add(root);
  }
  const wantsProcedure = PROCEDURE_INTENT.test(q.words.join(' '));
  if (named.size === 0 && !wantsProcedure) return named;
  const best = new Map<number, number>();
  for (const idx of r.list) {
    const root = ctx.procedureOf[idx];
    if (root === undefined) continue;
    if (wantsProcedure) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.procedureIntentBoost;
    if (!named.has(root)) continue;
    r.relevance[idx] = r.relevance[idx]! + ctx.tuning.procedureBoost;
    if (root !== idx) best.set(root, Math.max(best.get(root) ?? 0, r.relevance[idx]!));
  }
  for (const idx of r.list) {
    const inherited = best.get(idx);
    if (inherited !== undefined)
      r.relevance[idx] = Math.max(r.relevance[idx]!, inherited * ctx.tuning.procedureInherit);
  }
  return named;
}

/**
 * "fail back to Cape Town": the query names a procedure and none of its steps, so the whole procedure
 * answers (the checklist), not the step that happens to share a word or two. A step stands when the query
 * says most of its own title ("update route 53 during the failover").
 */
function preferWholeProcedures(
  ctx: RankContext,
  r: Ranking,
  titleGroups: Uint16Array,
  named: ReadonlySet<number>,
  present: Uint8Array,
): void {
  const { relevance: rel, coverage: cov } = r;
  const count = r.list.length;
  for (let j = 0; j < count; j++) {
    const idx = r.list[j]!;
    // The parent first: a candidate's title is read (decoded, at scale) only under a procedure's root.
    const parent = ctx.parentOf(idx);
    if (parent === undefined || ctx.procedureOf[parent] !== parent) continue;
    if (!named.has(parent) && !titleGroups[parent]) continue;
    const title = ctx.titleOf(idx);
    const step = title !== undefined ? STEP_TITLE.exec(title) : null;
    if (!step) continue;
    const stepTitle = (step[1] ?? '').toLowerCase();
    const words = stepTitle
      .split(STEP_WORD_BREAK(stepTitle))
      .filter((w) => w && !ctx.stop.has(w) && !/^\d+$/.test(w));
    if (words.length > 0 && titleGroups[idx]! / words.length >= ctx.tuning.stepNamedShare) continue;
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
 * each one's parent document (undefined: none) and title read through the accessors, so a split artifact
 * reads the title only of a symptom's children.
 */
export function symptomParts(
  n: number,
  parentOf: (doc: number) => number | undefined,
  titleOf: (doc: number) => string | undefined,
  messages: readonly string[],
): Pick<RankContext, 'partName' | 'partOf'> {
  const partOf = new Int32Array(n).fill(-1);
  const partName = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    const parentIdx = parentOf(i);
    if (parentIdx === undefined || !messages[parentIdx]) continue;
    const part = titleOf(i)?.toLowerCase() ?? '';
    if (!(SYMPTOM_PARTS as readonly string[]).includes(part)) continue;
    partOf[i] = parentIdx;
    partName[i] = part;
  }
  return { partName, partOf };
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
  for (let j = 0; j < count; j++) {
    const idx = r.list[j]!;
    const part = ctx.partName[idx];
    const parent = ctx.partOf[idx] ?? -1;
    if (!part || parent < 0) continue;
    if (!present[parent]) {
      present[parent] = 1;
      r.list.push(parent);
    }
    if (part === askedPart && cov[parent]! >= ctx.tuning.minCoverage) {
      rel[idx] = Math.max(rel[idx]!, rel[parent]!) + 0.01;
    } else if (partOnly) {
      // "who do I escalate to" names no symptom: every symptom's Escalate matching says nothing.
      rel[idx] = rel[idx]! * ctx.tuning.partDemotion;
    } else {
      rel[parent] = Math.max(rel[parent]!, rel[idx]!);
      cov[parent] = Math.max(cov[parent]!, cov[idx]!);
      rel[idx] = rel[idx]! * ctx.tuning.partDemotion;
    }
  }
}
