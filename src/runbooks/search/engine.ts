/**
 * Runtime search over the compiled artifact's inverted index (built by compile/search-index.ts: no
 * Markdown, no tokenising of documents, no index building on the request path). It answers in three moves:
 * 1. normalise the query (query.ts): control characters, length, case, punctuation, stop words, synonyms;
 * 2. per query word, score the sections that hold it, or the corpus words it is a typo or inflection of
 *    (similarity.ts), by a weighted sum of two lexical signals (rank.ts): fuse.js's field-weighted
 *    match score (title > symptom > keywords > path > body, config.ts) and BM25;
 * 3. combine and re-rank (rank.ts): rare words count most, containing all the words counts, an
 *    exact error message lifts its symptom, headings that hold every word lift a section, and a symptom's
 *    sub-headings give way to the symptom itself.
 * Below a confidence threshold the answer is "no good match" with suggestions, never a random section.
 * Scores follow fuse's convention: 0 is a perfect match, 1 no match.
 */
import type { Artifact, Section } from '../model/model';
import {
  checklistCommands,
  type DocumentIndex,
  directivesByNumber,
  documentFields,
  documentIndex,
  documentNumbers,
  documentParents,
  postingsReader,
  termsKnownSorted,
} from '../model/split';
import { NEXT_STEP } from './config';
import { everydaySubjectIsContext, namesStrayPlace, ownsEverydaySubject, reportsProblem } from './kinds';
import { type Learned, learnedModel, NOT_OURS, queryFeatures } from './learned';
import { type PreparedQuery, prepareQuery, searchVocabulary, tokenize } from './query';
import {
  DEFAULT_TUNING,
  fieldWeights,
  isCommon,
  maxRelevance,
  type RankContext,
  type Ranking,
  rank,
  type Scored,
  Scratch,
  type SearchTuning,
  symptomParts,
} from './rank';
import { Vocabulary } from './similarity';

export { DEFAULT_TUNING, type SearchTuning } from './rank';

export interface SearchHit {
  section: Section;
  /** 0 (best) to 1, lower is better. */
  score: number;
}

export interface SearchResponse {
  /** The query as searched (controls stripped, length capped). */
  query: string;
  /** The words searched for, after normalisation and stop-word removal. */
  normalized: string;
  /** Best first; empty when nothing matched well enough (`confident` false). */
  results: SearchHit[];
  confident: boolean;
  /** When not confident: sections worth offering instead ("Did you mean ..."). */
  suggestions: Section[];
  /** With `explain`: the top candidates' relevance and coverage, for tuning. */
  explain?: { id: string; relevance: number; coverage: number; learned?: number }[];
  /** With `explain`: the query's known and informed shares (rank.ts `RankOutcome`), for tuning. */
  shares?: { known: number; informed: number; subjects: number };
}

export interface SearchOptions {
  /** Results to return, 1-50 (default 5). */
  limit?: number;
  explain?: boolean;
}

export interface RunbookSearch {
  search(query: string, options?: SearchOptions): SearchResponse;
  /**
   * Resolves once `search(query)` can answer exactly: a search that loads its typo matcher (fuse.js) on
   * first need loads it here when the query has a word the runbooks do not contain. Absent: always ready.
   */
  prepare?(query: string): Promise<void>;
}

/**
 * Proposes the corpus words an unknown query word may be a typo of, or undefined when it cannot now (a
 * lazily loaded matcher not loaded yet): the vocabulary then checks every word of a similar length.
 */
export type TypoMatcher = (word: string) => string[] | undefined;

/** The engine's parts a caller may look at before searching (see lazy.ts). */
export interface SearchEngine extends RunbookSearch {
  /** The query words that would ask the typo matcher for candidates. */
  typoWords(query: string): string[];
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
const SUGGESTIONS = 4;
const EXPLAIN = 10;

/**
 * The search over `artifact`, with `typo` proposing typo candidates for words the runbooks do not contain
 * (search.ts passes fuse.js; lazy.ts a matcher loaded on first need).
 */
export function createSearchEngine(
  artifact: Artifact,
  tuning: SearchTuning = DEFAULT_TUNING,
  typo?: TypoMatcher,
): SearchEngine {
  const { ids, messages, seen, quotedBy, terms, postings, problemWords, common, primaryRegion } =
    artifact.search;
  // A split artifact whose documents are its sections in order (each id once, as the compiler makes
  // them) gives each one's parent by number and finds a document by id through its runbook: no map from
  // id to section or number is built at set-up (at 100× the corpus, 20,600 entries hashed and walked),
  // and a section's handle is made when the ranking first reads it.
  const parents = documentParents(artifact);
  const numbered = parents ? documentIndex(artifact) : undefined;
  const byNumber = numbered ? undefined : new Map(ids.map((id, i) => [id, i]));
  const docIndex: DocumentIndex = numbered ?? byNumber!;
  let byId: Map<string, Section> | undefined;
  const sectionById = (id: string): Section | undefined => {
    byId ??= new Map(artifact.sections.map((s) => [s.id, s]));
    return byId.get(id);
  };
  const docSection: (Section | undefined)[] = numbered ? artifact.sections : ids.map(sectionById);
  // Read per candidate by the ranking's passes: from the index when it has them (no section handle made).
  const fields = numbered ? documentFields(artifact) : undefined;
  const titleOf = fields?.titleOf ?? ((i: number) => docSection[i]?.title);
  const directivesOf = fields?.directivesOf ?? ((i: number) => docSection[i]?.directives);
  const parentOf = parents
    ? (i: number) => (parents[i]! >= 0 ? parents[i] : undefined)
    : (i: number) => {
        const parent = docSection[i]?.parent;
        return parent ? byNumber?.get(parent) : undefined;
      };
  // Not destructured above: a split artifact's plain-array copies are made on first read, and the ranking
  // reads the stored float64 numbers instead.
  const { norms, lengths } = documentNumbers(artifact) ?? artifact.search;
  let totalLength = 0;
  for (let i = 0; i < lengths.length; i++) totalLength += lengths[i]!;
  const vocabulary = searchVocabulary(artifact.search);
  const stop = vocabulary.stopWords;
  const offTopicSet = vocabulary.products;
  let alarms: Map<string, number> | undefined;
  // A symptom has a message (its quoted title) or a "What you see" (compile/search-index.ts symptomOf).
  const isSymptom = (i: number): boolean => Boolean(messages[i] || seen?.[i]);
  const ctx: RankContext = {
    vocabulary: new Vocabulary(terms, postings, typo, termsKnownSorted(artifact), postingsReader(artifact)),
    norms,
    lengths,
    fieldWeights: fieldWeights(artifact.search.fieldWeights),
    avgLength: totalLength / Math.max(1, lengths.length),
    docSection,
    titleOf,
    directivesOf,
    parentOf,
    docIndex,
    messages,
    ...(seen ? { seen } : {}),
    isSymptom,
    ...(quotedBy ? { quotedBy } : {}),
    ...(problemWords ? { problemWords: new Set(problemWords) } : {}),
    ...(common ? { common: new Set(common) } : {}),
    ...(offTopicSet ? { offTopic: offTopicSet } : {}),
    ...(primaryRegion ? { primaryRegion: new Set(primaryRegion) } : {}),
    stop,
    alarmSections: () => (alarms ??= alarmSections(artifact, docSection)),
    ...symptomParts(ids.length, parentOf, titleOf, isSymptom),
    scratch: new Scratch(ids.length),
    ...procedures(artifact, ids, parents, sectionById, docIndex, stop),
    tuning,
  };
  // A dropped g is put back, and a long message's telling words kept, by the ranking's own vocabulary and
  // everyday English (query.ts writtenOut, wordsThatFit).
  const queryVocabulary = {
    ...vocabulary,
    isTerm: (w: string) => ctx.vocabulary.has(w),
    isCommon: (w: string) => isCommon(ctx, w),
  };
  // Offered when nothing matched at all: the runbooks themselves, the one with most symptoms first.
  // Computed on first need (a no-match with nothing close): counting over every section costs at scale.
  let entryPoints: Section[] | undefined;
  const entryPointsOf = (): Section[] => {
    if (entryPoints) return entryPoints;
    // Symptoms per file, in one pass: an id is `${file}#${anchor}` and an anchor holds no '#'.
    const symptoms = new Map<string, number>();
    // Over the symptoms only: a split artifact decodes an id when it is read.
    for (let i = 0; i < ids.length; i++) {
      if (!isSymptom(i)) continue;
      const id = ids[i]!;
      const cut = id.lastIndexOf('#');
      if (cut >= 0) symptoms.set(id.slice(0, cut), (symptoms.get(id.slice(0, cut)) ?? 0) + 1);
    }
    const symptomsIn = (file: string) => symptoms.get(file) ?? 0;
    entryPoints = [...artifact.runbooks]
      .sort((a, b) => symptomsIn(b.file) - symptomsIn(a.file))
      .map((r) => {
        const first = r.sections[0] ?? '';
        const i = parents ? docIndex.get(first) : undefined;
        return i !== undefined ? docSection[i] : sectionById(first);
      })
      .filter((s): s is Section => s !== undefined);
    return entryPoints;
  };
  const withSection = (list: Scored[]) =>
    list.flatMap((s) => {
      const section = ctx.docSection[s.idx];
      return section ? [{ s, section }] : [];
    });

  // The learned model (learned.ts), made on the first confident search. Its classes are found as documents
  // one at a time, only those probable enough to count (at most 1 / atLeast per query): mapping every class
  // at once looked up ~250 ids through their runbooks on a cold start, a loop V8 then compiled (peak RSS).
  let model: { learned: Learned; docOf(c: number): number | undefined; notOurs: number } | undefined;
  const modelOf = () => {
    const data = artifact.search.learned;
    if (!data) return undefined;
    if (!model) {
      const learned = learnedModel(data);
      const docs = new Map<number, number | undefined>();
      model = {
        learned,
        docOf(c) {
          if (!docs.has(c)) {
            const id = learned.classes[c];
            docs.set(c, id === undefined || id === NOT_OURS ? undefined : docIndex.get(id));
          }
          return docs.get(c);
        },
        notOurs: learned.classes.indexOf(NOT_OURS),
      };
    }
    return model;
  };
  // The model's probabilities for the query last asked: a confirmed question (`learnedConfirms`) is then
  // re-ordered (`learnedOrder`) on the same numbers, not scored twice.
  let scored: { q: PreparedQuery; p: Float64Array } | undefined;
  const probabilitiesOf = (learned: Learned, q: PreparedQuery): Float64Array => {
    if (scored?.q !== q) scored = { q, p: learned.probabilities(queryFeatures(q.groups)) };
    return scored.p;
  };
  /**
   * The candidates re-ordered by relevance (as a share of the best's) plus the learned weight times each
   * one's probability, with the sections the model finds most probable among them; or `notOurs` when the
   * model finds the question likely none of the runbooks' business (`LearnedData.notOursAbove`). With
   * `reorder` false only that: the ranking's order is kept.
   */
  const learnedOrder = (q: PreparedQuery, ranked: Scored[], ranking: Ranking, reorder: boolean) => {
    const m = modelOf();
    if (!m || ranked.length === 0) return undefined;
    const data = artifact.search.learned!;
    const p = probabilitiesOf(m.learned, q);
    const notOurs = m.notOurs >= 0 && p[m.notOurs]! > data.notOursAbove;
    if (!reorder) return { order: ranked, notOurs, probability: new Map<number, number>() };
    const probability = new Map<number, number>();
    p.forEach((pc, c) => {
      if (pc < data.atLeast) return;
      const doc = m.docOf(c);
      if (doc !== undefined) probability.set(doc, pc);
    });
    const top = Math.max(...ranked.map((r) => r.relevance));
    // Only candidates of comparable relevance are re-ordered; the rest follow in the ranking's order.
    const floor = data.within * top;
    // ... and of comparable coverage: a parent holding a third of what its step holds of the query is not
    // lifted over the step ("notify stakeholders that we have failed back" is Step 6, not the procedure).
    const covered = data.within * (ranked[0]?.coverage ?? 0);
    const comparable = (relevance: number, coverage: number) => relevance >= floor && coverage >= covered;
    const candidates = new Map(
      ranked.filter((r) => comparable(r.relevance, r.coverage)).map((r) => [r.idx, r]),
    );
    for (const doc of probability.keys())
      if (
        !candidates.has(doc) &&
        ctx.docSection[doc] &&
        comparable(ranking.relevance[doc] ?? 0, ranking.coverage[doc] ?? 0)
      )
        candidates.set(doc, {
          idx: doc,
          relevance: ranking.relevance[doc] ?? 0,
          coverage: ranking.coverage[doc] ?? 0,
        });
    const score = (r: Scored) =>
      (top > 0 ? r.relevance / top : 0) + data.weight * (probability.get(r.idx) ?? 0);
    const order = [...candidates.values()].sort((a, b) => score(b) - score(a) || a.idx - b.idx);
    for (const r of ranked) if (!candidates.has(r.idx)) order.push(r);
    return { order, notOurs, probability };
  };

  /**
   * The step after section `i` in its procedure (a checklist's, `procedureOf`): its next sibling, or its
   * parent's when it is the last of its parent's parts (a step's "Warm-up targets" is followed by the next
   * step); none after the procedure's last step or for the procedure itself. Sections are numbered in
   * document order, so a sibling is the first later section with the same parent, before the parent's part
   * of the document ends.
   */
  const nextStep = (i: number): number | undefined => {
    const root = ctx.procedureOf(i);
    if (root === undefined) return undefined;
    for (let s = i; s !== root; ) {
      const parent = ctx.parentOf(s);
      if (parent === undefined) return undefined;
      for (let j = s + 1; j < ids.length && j <= s + MAX_NEXT_STEP_SCAN; j++) {
        const p = ctx.parentOf(j);
        if (p === parent) return ctx.docSection[j] ? j : undefined;
        if (p === undefined || p < parent) break;
      }
      s = parent;
    }
    return undefined;
  };

  /**
   * Whether the learned model confirms a plausible question whose best candidate the ranking found too
   * weak (`LearnedData.confirm`): one of the first candidates is probable enough, the best is not far
   * off, nothing says the question is none of ours, and every word of it the runbooks lack was said by
   * askers they answered ("datadog" in "how do i mute a datadog monitor for the maintenance window" was
   * not: that one stays "no good match").
   */
  const learnedConfirms = (
    q: PreparedQuery,
    ranked: Scored[],
    bestCovered: number,
    unknownWords: readonly string[],
  ): Set<number> | undefined => {
    const confirm = artifact.search.learned?.confirm;
    const best = ranked[0];
    if (!confirm || !best || bestCovered < confirm.coverage || best.relevance < confirm.relevance)
      return undefined;
    const m = modelOf();
    if (!m || !unknownWords.every((w) => m.learned.saidByOurs(w))) return undefined;
    const p = probabilitiesOf(m.learned, q);
    if (m.notOurs >= 0 && p[m.notOurs]! >= confirm.notOursBelow) return undefined;
    const first = new Set(ranked.slice(0, confirm.among).map((r) => r.idx));
    const confirmed = new Set<number>();
    for (let c = 0; c < p.length; c++) {
      if (p[c]! < confirm.above) continue;
      const doc = m.docOf(c);
      if (doc !== undefined && first.has(doc)) confirmed.add(doc);
    }
    return confirmed.size > 0 ? confirmed : undefined;
  };

  // The bot asks `typoWords` (lazy.ts `prepare`) and then `search` for the same text: prepared once.
  let last: { raw: string; q: PreparedQuery } | undefined;
  const prepared = (raw: string): PreparedQuery => {
    if (last?.raw !== raw) last = { raw, q: prepareQuery(raw, queryVocabulary) };
    return last.q;
  };

  return {
    typoWords(raw) {
      const q = prepared(raw);
      const words = q.groups.flatMap((g) => [...g.words, ...g.alternatives.flat()]);
      return [...new Set(words)].filter((w) => ctx.vocabulary.asksTypoMatcher(w));
    },
    search(raw, options = {}) {
      const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
      const q = prepared(raw);
      const base = { query: q.query, normalized: q.normalized };
      if (q.groups.length === 0) return { ...base, results: [], confident: false, suggestions: [] };

      const {
        ranking,
        knownShare,
        informedShare,
        offTopic,
        offTopicHeld,
        codes,
        codeHits,
        subjects,
        topics,
        alarmed,
        verbatim,
        namedProcedures,
        instructed,
        asksDecision,
        asksExplanation,
        asksDiagnosis,
        unknownWords,
      } = rank(ctx, q);
      // Pasted output carries words nobody chose (a log line's own vocabulary: "billed", "datapoint"):
      // what it must cover is what the runbooks know of it, not every word the logger printed.
      const covered = (r: Scored) =>
        q.pasted && informedShare > 0 ? r.coverage / informedShare : r.coverage;
      const needed = coverageNeeded(tuning, q.groups.length);
      // A section the query names is the answer, whatever else the message says and however little of it
      // the section covers: pasted output whose error codes the runbooks know, all held by that section
      // (`TooManyInvalidationsInProgress: Processing your request will cause you to exceed ...`); an alarm
      // its `alarms=` lists, pasted (a CloudWatch alarm email) or typed ("first night on call, paged: ALARM
      // sitecraft-prod-r53-primary-unhealthy, what do i do first"); a symptom's message in quotes ("users
      // are receiving 'Generation timeout', what is the reason"), or a message the section quotes or
      // prints, whole ("it's on my laptop: The SSO session associated with this profile has expired or is
      // otherwise invalid"). Named by what it printed, it keeps its place (no coverage rescue); named by its
      // alarm, it may give way to a task about the alarm ("silence the bedrock-throttles alarm during
      // tonight's maintenance").
      const printed = (idx: number) =>
        (q.pasted && codes > 0 && codeHits[idx] === codes) || verbatim.includes(idx);
      const top = ranking.best(Math.max(limit, EXPLAIN));
      const ranked = top[0] && printed(top[0].idx) ? top : rescueCoverage(tuning, top, covered, needed);
      const best = ranked[0];
      const named = best !== undefined && (printed(best.idx) || alarmed.includes(best.idx));
      // An everyday subject is the question's unless the answer speaks of it, or when besides it the query
      // names at most one thing the runbooks know ("request a new laptop": a laptop named in passing in a
      // likely cause is no answer to it), or the asker's own ("approve *my holiday* request": the change
      // window's "public holidays" is no answer to it); unless a named section answers it. Pasted output
      // too: an error code beside another platform or an everyday subject is theirs ("kubernetes pod stuck
      // in CrashLoopBackOff", "Auth0 returns 429 on /oauth/token"); ours is named by its alarm or message.
      const elsewhere =
        best !== undefined &&
        offTopic > 0 &&
        (offTopicHeld[best.idx]! < offTopic || subjects < CONTEXT_SUBJECTS || ownsEverydaySubject(ctx, q)) &&
        !everydaySubjectIsContext(ctx, q, best.idx);
      // Plausibly the runbooks' business: about something they know, nothing that rules it out.
      const plausible =
        best !== undefined &&
        !(elsewhere && !named) &&
        (q.pasted || subjects > 0 || topics > 0) &&
        (q.pasted || !namesStrayPlace(ctx, q)) &&
        knownShare >= tuning.minKnownShare;
      // ... and answered strongly enough by the ranking alone; or, covered too weakly ("bump the provisioned
      // concurrency on generate before the morning rush"), confirmed by what askers taught: a question
      // asked like those one of its first candidates answered, in words askers of the runbooks use.
      const rankingSure =
        plausible &&
        (q.pasted || best.relevance >= subjectRelevance(tuning, subjects)) &&
        (named || (covered(best) >= needed && best.relevance >= tuning.minRelevance));
      // Only the section the model confirmed may be shown first (helper-226): confirmed on the second
      // candidate while the ranking's order shows the first (a decision or how-it-works question keeps it),
      // the answer would rest on evidence for another section.
      const confirmed =
        plausible && !rankingSure && offTopic === 0
          ? learnedConfirms(q, ranked, covered(best), unknownWords)
          : undefined;
      const confident = rankingSure || confirmed !== undefined;
      // What askers taught (learned.ts): among the candidates, a section people asking this way were
      // answered by moves up; a question like those that were none of the runbooks' business is withdrawn.
      // Not when the query names its section (an error it printed, its alarm), nor when the ranking answers
      // with the procedure the query tells the bot to run ("run the DR failover", "rollback after failed
      // deploy": rank.ts `instructed`): that is the answer, and what was learned of neighbouring sections
      // (the drills, the decision criteria) must not take a named procedure's place in an incident. A question
      // that only names it ("who makes the call to fail over", "can I approve a failover I started") takes
      // what its askers were answered by (over batches 4-137 scored fresh: top-1 5,703 → 5,726 of 6,602).
      // A question that names a procedure the ranking answers with one of its steps ("how long does a
      // failover take") is the runbooks' business: never withdrawn.
      // Nor when it asks whether to act ("cape town is down, should we fail over"): the ranking's decision
      // rules (kinds.ts) answer with the criteria, and the procedure learned beside them must not.
      // A question of how something works keeps the ranking's order (kinds.ts preferExplanations): what
      // was learned from people reporting a failure of the same thing would lift its symptom back ("how
      // does streaming generation work" is not "Connection lost — SSE failures"). Withdrawn all the same.
      // So does one that asks for the walk through the symptoms ("diagnose a login problem"): the tree or the
      // family heading that offers it, not the one symptom people most often reported.
      const procedure = best !== undefined ? ctx.procedureOf(best.idx) : undefined;
      const namesProcedure = procedure !== undefined && namedProcedures.has(procedure);
      const taught =
        confident && !named && !asksDecision && !(instructed && namesProcedure && best?.idx === procedure)
          ? learnedOrder(q, ranked, ranking, !asksExplanation && !asksDiagnosis)
          : undefined;
      if (taught && namesProcedure) taught.notOurs = false;
      const found = taught ? (taught.notOurs ? [] : taught.order) : ranked;
      // "…all READY after the warm-up, what's next": the step after the one the asker describes as done,
      // that one second; not when what they describe went wrong ("sync printed FAIL marker, next step?").
      const next =
        found[0] !== undefined && NEXT_STEP.test(q.query) && !q.pasted && !reportsProblem(ctx, q)
          ? nextStep(found[0].idx)
          : undefined;
      const answer =
        next === undefined
          ? found
          : [
              // In the place of the step it follows, with its numbers (the CLI's score reads them).
              { ...found[0]!, idx: next },
              ...found.filter((r) => r.idx !== next),
            ];
      const sure = confident && answer.length > 0 && (rankingSure || confirmed?.has(answer[0]!.idx) === true);
      const explain = options.explain
        ? (sure ? answer : ranked).slice(0, EXPLAIN).map((r) => ({
            id: ids[r.idx] ?? '',
            relevance: r.relevance,
            coverage: r.coverage,
            ...(taught ? { learned: Math.round((taught.probability.get(r.idx) ?? 0) * 1000) / 1000 } : {}),
          }))
        : undefined;
      const shares = options.explain ? { known: knownShare, informed: informedShare, subjects } : undefined;

      if (!sure) {
        // The closest sections, a symptom's part (Fix, Verify, ...) shown as its symptom.
        const close = ranking.best(SUGGESTIONS * 3, (i) => (ranking.coverage[i] ?? 0) > 0);
        const near = [...new Set(close.map((x) => (ctx.partOf(x.idx) >= 0 ? ctx.partOf(x.idx) : x.idx)))]
          .slice(0, SUGGESTIONS)
          .flatMap((idx) => ctx.docSection[idx] ?? []);
        const suggestions = near.length > 0 ? near : entryPointsOf();
        return { ...base, results: [], confident: false, suggestions, ...(explain && { explain, shares }) };
      }
      const max = maxRelevance(tuning);
      const results = withSection(answer.slice(0, limit)).map(({ s, section }) => ({
        section,
        score: Math.round(Math.max(0, 1 - s.relevance / max) * 1000) / 1000,
      }));
      return { ...base, results, confident: true, suggestions: [], ...(explain && { explain, shares }) };
    },
  };
}

/** How far past a step `nextStep` looks for the next one (a step's own parts lie between them). */
const MAX_NEXT_STEP_SCAN = 40;

/** How many sections after the best one may take its place when it covers too little (`coverageRescue`). */
const RESCUE_REACH = 2;

/**
 * The best section holds too little of the query (by the measure the confidence check uses), a close
 * runner-up holds enough: the runner-up goes first (`SearchTuning.coverageRescue`).
 */
function rescueCoverage(
  tuning: SearchTuning,
  ranked: Scored[],
  covered: (r: Scored) => number,
  needed: number,
): Scored[] {
  const best = ranked[0];
  if (!best || tuning.coverageRescue <= 0 || covered(best) >= needed) return ranked;
  const floor = Math.max(tuning.minRelevance, tuning.coverageRescue * best.relevance);
  const j = ranked.findIndex(
    (r, k) => k > 0 && k <= RESCUE_REACH && covered(r) >= needed && r.relevance >= floor,
  );
  if (j < 0) return ranked;
  return [ranked[j]!, ...ranked.slice(0, j), ...ranked.slice(j + 1)];
}

/** Subjects a query must name besides an everyday one for the everyday one to be its situation. */
const CONTEXT_SUBJECTS = 2;

/**
 * The fewer things a typed question names that the runbooks know (beyond everyday words), the stronger
 * the match must be: "order new business cards" or "request a new laptop" share a word or two with a
 * section by chance.
 */
function subjectRelevance(tuning: SearchTuning, subjects: number): number {
  if (subjects === 0) return tuning.everydayMinRelevance;
  if (subjects === 1) return tuning.oneSubjectMinRelevance;
  return tuning.minRelevance;
}

/**
 * The share of the query's informative weight the best section must hold: less for a long query, which tells
 * a story whose every word is a smaller part of what it asks (`SearchTuning.longQueryGroups`).
 */
function coverageNeeded(tuning: SearchTuning, groups: number): number {
  return groups > tuning.longQueryGroups ? tuning.longMinCoverage : tuning.minCoverage;
}

/** `alarms="api-5xx bedrock-throttles"` on a section → each alarm name → that section's document. */
function alarmSections(
  artifact: Artifact,
  docSection: readonly (Section | undefined)[],
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (names: string | undefined, i: number) => {
    if (typeof names !== 'string') return;
    for (const name of names.split(/[\s,]+/)) if (name) out.set(name.toLowerCase(), i);
  };
  // A split artifact lists the sections that have directives (in document order): no handle for the rest.
  const listed = directivesByNumber(artifact);
  if (listed) for (const [i, d] of listed) add(d['alarms'], i);
  else
    docSection.forEach((section, i) => {
      add(section?.directives['alarms'], i);
    });
  return out;
}

/** Which checklist each section belongs to, and each checklist's command phrases as words. */
function procedures(
  artifact: Artifact,
  ids: readonly string[],
  parents: ArrayLike<number> | undefined,
  sectionById: (id: string) => Section | undefined,
  docIndex: DocumentIndex,
  stop: ReadonlySet<string>,
): Pick<RankContext, 'procedureOf' | 'commands'> {
  const commands = new Map<number, string[][]>();
  // Not `artifact.checklists`: a split artifact would parse all of them (rest.json) to set up the search.
  for (const c of checklistCommands(artifact)) {
    const root = docIndex.get(c.sectionId);
    if (root !== undefined)
      commands.set(
        root,
        c.commands.map((p) => tokenize(p).filter((w) => !stop.has(w))),
      );
  }
  // Each document's found on first ask and kept (a walk from every section at set-up cost a cold start
  // ~8 ms at 100× the corpus): per document, 0 not asked yet, else its root + 2 (1: none).
  const known = new Int32Array(ids.length);
  const rootOf = (i: number): number | undefined => {
    if (parents) {
      // Over the parents' numbers (a document's index is its section's).
      for (let s = i; s >= 0; s = parents[s] ?? -1) if (commands.has(s)) return s;
      return undefined;
    }
    // Not `ids.map` up front: a split artifact's ids are decoded on first read.
    for (let s = sectionById(ids[i]!); s; s = s.parent ? sectionById(s.parent) : undefined) {
      const idx = docIndex.get(s.id);
      if (idx !== undefined && commands.has(idx)) return idx;
    }
    return undefined;
  };
  const procedureOf = (i: number): number | undefined => {
    if (!(i >= 0 && i < known.length)) return undefined;
    if (known[i] === 0) known[i] = (rootOf(i) ?? -1) + 2;
    return known[i]! >= 2 ? known[i]! - 2 : undefined;
  };
  return { procedureOf, commands };
}
