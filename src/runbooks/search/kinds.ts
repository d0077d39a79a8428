/**
 * What kind of section a query wants, read from the runbooks' own structure: a symptom (a section with
 * "What you see") when the query reports what someone sees; a reference section, not a step of a
 * procedure, when it asks a question of fact ("which region is our primary"); the section that states a
 * procedure's criteria when it asks whether to run it ("should we fail over"). Each rule nudges the
 * ranking of rank.ts after the lexical scores; none names a section or a query.
 */
import {
  BARE_ASK,
  CLASS_QUESTION,
  DECISION_HEADING_WORDS,
  DR_PERIOD,
  DR_SIDE_WORDS,
  EXPLANATION_INTENT,
  FACT_INTENT,
  HEADING_MASK,
  HOSTING_WORDS,
  IMPACT_INTENT,
  KEYWORDS_MASK,
  MEASUREMENT,
  REGION_CODE,
  REGION_ROLES_TOPIC,
  REGION_WORDS,
  SERVED_FROM,
  SERVED_PEOPLE,
  SITUATION_CLAUSE,
  SITUATION_WORDS,
  STATE_QUESTION,
  STEP_TITLE,
  TASK_VERBS,
  TITLE_MASK,
} from './config';
import { normalizePhrase, type PreparedQuery, type QueryGroup } from './query';
import type { RankContext, Ranking } from './rank';

/** A numbered step (`Step 3: Update Route 53`) of a procedure the search knows. */
function isProcedureStep(ctx: RankContext, idx: number): boolean {
  if (ctx.procedureOf(idx) === undefined) return false;
  const title = ctx.titleOf(idx);
  return title !== undefined && STEP_TITLE.test(title);
}

/**
 * "LCP is 6s on mobile", "TTFT p95 is 4 seconds", "TTFB is terrible on the builder": the query reports a
 * reading (a problem word or a measured value), and a symptom whose "What you see" names one of its words
 * (or what they mean) is that reading; a reference page that lists the same metric (a baseline table) is
 * not what is wrong.
 */
export function preferSightedSymptoms(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  const seen = ctx.seen;
  if (!seen) return;
  // Waiting ("spins for ages", "text appears really late") is a reading of time; "could not finish",
  // "doesn't load" report a problem without a problem word.
  const waits = waitsTooLong(ctx, q);
  const reports = waits || reportsProblem(ctx, q);
  // "diagnose a login problem" asks for the walk through the symptoms (a decision tree), not one of them.
  const diagnoses = q.groups.some((g) => [...g.words, ...g.alternatives.flat()].includes('tree'));
  // Pasted output is matched on its error codes and messages (rank.ts), not read as a report.
  if (!reports || diagnoses || q.pasted) return;
  const phrases: string[] = [];
  for (const g of q.groups) {
    if (g.code) continue;
    for (const words of [g.words, ...g.alternatives]) {
      const content = words.filter((w) => !ctx.stop.has(w) && !ctx.problemWords?.has(w));
      if (content.length === words.length && !isEveryday(ctx, words)) phrases.push(` ${words.join(' ')} `);
    }
  }
  // An HTTP status ("unauthorized" is 401, "gateway timeout" 504) is the most exact reading a person
  // reports: the symptom whose What you see names that code gains more. Only the status named (or
  // its own name), not every code of its class (`5xx` is also 500, 502, 503, 504).
  const statuses = q.groups
    .flatMap((g) => [g.words, ...g.sameAs])
    .filter((w) => w.length === 1 && HTTP_CODE.test(w[0]!))
    .map((w) => ` ${w[0]} `);
  if (phrases.length === 0 && statuses.length === 0 && !waits) return;
  // Loops, not a closure per candidate: this runs over every candidate of most searches.
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    const text = seen[idx];
    if (!text) continue;
    // A wait is the symptom whose What you see states how long ("after about 90 seconds", "for 20 minutes").
    if (waits && DURATION.test(text)) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.sightedBoost;
    if (holdsAny(text, phrases)) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.sightedBoost;
    if (holdsAny(text, statuses))
      r.relevance[idx] = r.relevance[idx]! + STATUS_SIGHTED * ctx.tuning.sightedBoost;
  }
}

function holdsAny(text: string, parts: readonly string[]): boolean {
  for (const p of parts) if (text.includes(p)) return true;
  return false;
}

/** A problem word ("slow", "timeout", "cant"), a negation ("doesn't load") or a measured value ("7 s"). */
export function reportsProblem(ctx: RankContext, q: PreparedQuery): boolean {
  return q.words.some((w) => ctx.problemWords?.has(w) || NEGATION.has(w)) || MEASUREMENT.test(q.query);
}

/** "takes ages", "spins forever", "really late": a wait reported, not asked about ("how long does …"). */
function waitsTooLong(ctx: RankContext, q: PreparedQuery): boolean {
  // "for half an hour", "20 minutes": a duration said beside what is wrong is how long it has lasted;
  // beside a rate or a status ("5xx over 20% for fifteen minutes") it is the window of a threshold.
  const rate =
    q.query.includes('%') || q.groups.some((g) => HTTP_CODE.test(g.word) || /^\dxxs?$/.test(g.word));
  const lasted =
    !rate &&
    q.words.some((w) => TIME_UNITS.has(w)) &&
    q.words.some((w) => ctx.problemWords?.has(w) || NEGATION.has(w));
  if (!(lasted || q.words.some((w) => WAITING.has(w))) || asksFact(ctx, q)) return false;
  return !/^how (long|much|many|often|fast|quickly)\b/.test(q.words.join(' '));
}

/** Words of waiting too long, as people report it; what a What you see states as a duration. */
const WAITING: ReadonlySet<string> = new Set([
  'ages',
  'forever',
  'eternity',
  'late',
  'spins',
  'spinning',
  'spinner',
  'waiting',
  'takes',
  'taking',
  'long',
  'longer',
]);

const TIME_UNITS: ReadonlySet<string> = new Set([
  'seconds',
  'secs',
  'minute',
  'minutes',
  'mins',
  'hour',
  'hours',
]);

/** A duration in a What you see: "after about 90 seconds", "more than 5 s", "for 20 minutes", "an hour". */
const DURATION = /\b(\d+(\.\d+)?\s?(s|ms|sec|secs|seconds?|mins?|minutes?|hours?)|an? (minute|hour))\b/;

/** Negations that report something not working ("could not finish", "doesn't load", "never arrives"). */
const NEGATION: ReadonlySet<string> = new Set([
  'not',
  'never',
  'couldnt',
  'didnt',
  'doesnt',
  'dont',
  'wasnt',
  'werent',
  'isnt',
  'arent',
  'wont',
  'cant',
  'cannot',
  'nothing',
]);

/** A status seen counts as this many readings: a code is exact where a word ("request") may be chance. */
const STATUS_SIGHTED = 2;

/** An HTTP status code as the synonyms write it (`401`, `504`). */
const HTTP_CODE = /^[1-5]\d\d$/;

/** A single everyday English word (`builder` is not; `new`, `users` are) says nothing about a symptom. */
function isEveryday(ctx: RankContext, words: readonly string[]): boolean {
  return words.length === 1 && ctx.common?.has(words[0]!) === true;
}

/**
 * A question of fact: "which …", "where …", "why …", "what is …"; or a yes/no question about a state ("is
 * the standby on the same release", "are backups on") that reports no problem ("is Cape Town down?" does).
 */
function asksFact(ctx: RankContext, q: PreparedQuery): boolean {
  const text = q.words.join(' ');
  if (FACT_INTENT.test(text)) return true;
  return STATE_QUESTION.test(text) && !q.words.some((w) => ctx.problemWords?.has(w));
}

/**
 * "which region is our primary", "why does generation go to Ireland": a question of fact is answered by a
 * reference section (a table, an overview), not by a numbered step of a procedure that happens to use the
 * same words ("Step 1: Confirm the primary region is healthy"). Unless the query asks how to do something.
 */
export function preferReferenceForFacts(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  if (!asksFact(ctx, q)) return;
  for (const idx of r.list)
    if (isProcedureStep(ctx, idx) || ctx.directivesOf(idx)?.['tree'] !== undefined)
      r.relevance[idx] = r.relevance[idx]! * ctx.tuning.factStepDemotion;
}

/**
 * "how does the cognito login work", "explain how bedrock is called": the asker wants to understand how
 * something works, and reports no problem. A symptom (what is seen when it fails), the heading over a family
 * of symptoms ("Authentication issues"), a decision tree and a numbered step share its words but describe a
 * failure or a task; the pages that describe the system answer it.
 */
export function asksHowItWorks(ctx: RankContext, q: PreparedQuery): boolean {
  const text = q.words.join(' ');
  // Not pasted output nor an error named by its code ("explain ThrottlingException from bedrock"): what the
  // error means is its symptom's; nor a question asked in a situation ("… while af-south-1 is unavailable").
  return (
    EXPLANATION_INTENT.test(text) &&
    !q.pasted &&
    !q.groups.some((g) => g.code) &&
    !SITUATION_CLAUSE.test(text) &&
    !reportsProblem(ctx, q)
  );
}

export function preferExplanations(ctx: RankContext, r: Ranking, explains: boolean): void {
  if (!explains) return;
  const families = new Set<number>();
  for (const idx of r.list) {
    const parent = ctx.isSymptom(idx) ? ctx.parentOf(idx) : undefined;
    if (parent !== undefined && parent >= 0) families.add(parent);
  }
  for (const idx of r.list)
    if (
      ctx.isSymptom(idx) ||
      families.has(idx) ||
      ctx.partOf(idx) >= 0 ||
      isProcedureStep(ctx, idx) ||
      ctx.directivesOf(idx)?.['tree'] !== undefined
    )
      r.relevance[idx] = r.relevance[idx]! * ctx.tuning.factStepDemotion;
}

/**
 * "should we fail over for a bad deploy", "Bedrock throttling in Dublin, is that a failover?": the query
 * asks whether to act, so the section whose headings say it holds the decision (its criteria) gains over
 * the procedure itself and over sections that share the query's other words, and the procedure's numbered
 * steps (how, not whether) give way, and so does the procedure once a section of criteria is ranked at all
 * ("api throwing 5xx for 10 min and the fix isnt landing, do we fail over"); "what do we do" asks how.
 * Decision trees are diagnosis, not criteria.
 */
export function preferCriteriaForDecisions(ctx: RankContext, r: Ranking, asksDecision: boolean): void {
  if (!asksDecision) return;
  const sections = criteriaSections(ctx);
  const criteria = (idx: number) => sections.has(idx);
  const criteriaRanked = r.list.some(criteria);
  for (let j = 0; j < r.list.length; j++) {
    const idx = r.list[j]!;
    // Whether to act is not how: a numbered step of the procedure answers neither.
    // Nor does the procedure itself, once a section holding the criteria is among the answers.
    const gives = isProcedureStep(ctx, idx) || (ctx.procedureOf(idx) === idx && criteriaRanked);
    if (gives) r.relevance[idx] = r.relevance[idx]! * ctx.tuning.factStepDemotion;
    if (!criteria(idx)) continue;
    r.relevance[idx] = r.relevance[idx]! + ctx.tuning.decisionBoost;
  }
}

/**
 * "…, fail over?": a last clause asked with a question mark (`BARE_ASK`) whose words name a procedure's
 * command asks whether to run it, as "should we fail over" (`DECISION_INTENT`) does; it is no instruction.
 */
export function asksBareCommand(ctx: RankContext, q: PreparedQuery): boolean {
  const clause = BARE_ASK.exec(q.query.toLowerCase())?.[1];
  if (clause === undefined || /^(how|what|where|who|which|why|when)\b/.test(clause)) return false;
  const words = new Set(clause.split(/[^\w]+/).filter(Boolean));
  const said = wordsSaid(q.groups.filter((g) => g.words.some((w) => words.has(w))));
  for (const root of ctx.commands.keys()) if (namesCommand(ctx, root, said)) return true;
  return false;
}

/** Every word the groups say, as typed or through a synonym. */
export function wordsSaid(groups: readonly QueryGroup[]): Set<string> {
  const said = new Set<string>();
  for (const g of groups) for (const w of [...g.words, ...g.alternatives.flat()]) said.add(w);
  return said;
}

/** Whether `said` holds every word of one of the procedure's commands (`rollback`, `promote dev sit`). */
export function namesCommand(ctx: RankContext, root: number, said: ReadonlySet<string>): boolean {
  return (ctx.commands.get(root) ?? []).some((p) => p.length > 0 && p.every((w) => said.has(w)));
}

/** A group that means a region by its code, as typed (`eu-west-1`) or through a synonym (Ireland). */
function meansRegionCode(g: QueryGroup): boolean {
  return [g.words, ...g.alternatives].some((a) => a.length === 1 && REGION_CODE.test(a[0]!));
}

/**
 * The query places its problem around a failover or failback (`DR_PERIOD`) or while a region or the DR side
 * served (`SERVED_FROM` followed by a region: a word whose group means a region code, or `DR_SIDE_WORDS`).
 */
export function metAroundFailover(q: PreparedQuery): boolean {
  const text = q.words.join(' ');
  if (DR_PERIOD.test(text)) return true;
  const regional = (word: string) =>
    DR_SIDE_WORDS.has(word) || q.groups.some((g) => g.words.includes(word) && meansRegionCode(g));
  for (const m of SERVED_FROM.matchAll(text)) if ((m[2] ?? '').split(' ').some(regional)) return true;
  return false;
}

/**
 * The sections holding a decision's criteria: a heading of theirs says decision or criteria ("Manual:
 * operational decision"); decision trees are diagnosis, not criteria. A property of the corpus, found once
 * per search (keyed by its vocabulary), not per query.
 */
const CRITERIA = new WeakMap<RankContext['vocabulary'], ReadonlySet<number>>();
export function criteriaSections(ctx: RankContext): ReadonlySet<number> {
  let sections = CRITERIA.get(ctx.vocabulary);
  if (!sections) {
    const found = new Set<number>();
    for (const word of DECISION_HEADING_WORDS)
      for (const doc of docsHolding(ctx, word, HEADING_MASK))
        if (ctx.directivesOf(doc)?.['tree'] === undefined) found.add(doc);
    sections = found;
    CRITERIA.set(ctx.vocabulary, sections);
  }
  return sections;
}

/**
 * "what severity is it when more than half of the generations are failing", "error 130, done 370, what SEV
 * is that": the query describes a situation to ask which class of a scale it is, so the section titled by
 * the scale's name (or what the word means: sev → severity) answers, not the symptom the description
 * matches.
 */
export function preferAskedScales(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  const asked = CLASS_QUESTION.exec(q.words.join(' '))?.[1];
  if (asked === undefined) return;
  const group = q.groups.find((g) => g.words.includes(asked));
  if (!group) return;
  const names = [asked, ...group.alternatives.filter((a) => a.length === 1).map((a) => a[0]!)];
  const titled = new Set(names.flatMap((word) => docsHolding(ctx, word, TITLE_MASK)));
  for (const idx of r.list) if (titled.has(idx)) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.scaleBoost;
}

/**
 * "what do we actually run in Ireland", "which aws regions is sitecraft deployed in": a question of fact
 * about the regions is answered by the sections whose table states the regions' roles (the compiler marks
 * them with REGION_ROLES_TOPIC in their keywords), not by every procedure that names a region in passing.
 */
export function preferRegionTablesForRegionFacts(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  // A yes/no question about a state names its subject ("is the Irish copy of the directory complete");
  // one about what an outage affects asks what the region hosts.
  const text = q.words.join(' ');
  if (!FACT_INTENT.test(text) && !IMPACT_INTENT.test(text)) return;
  const namesRegion = q.groups.some((g) => meansRegionCode(g) || /^regions?$/.test(g.word));
  // "where does the model run", "where is cognito hosted": where a component is, whichever region.
  const asksWhere = q.words.includes('where') && q.words.some((w) => HOSTING_VERBS.has(w));
  if (!namesRegion && (!asksWhere || hasOwnSection(ctx, q, r))) return;
  let tables: Set<number> | undefined;
  for (const word of REGION_ROLES_TOPIC.split(' ')) {
    const within = tables;
    tables = new Set(docsHolding(ctx, word, KEYWORDS_MASK).filter((doc) => !within || within.has(doc)));
  }
  // A question that names a region in passing asks about something else ("which ECR region holds the agent
  // image", "what do we tell customers in south africa when we switch regions"): the table gains only when
  // it holds about as much of the query as the section that holds most of it.
  let most = 0;
  for (const idx of r.list) most = Math.max(most, r.coverage[idx]!);
  const enough = ctx.tuning.regionFactCoverage * most;
  for (const idx of r.list)
    if (tables?.has(idx) && r.coverage[idx]! >= enough)
      r.relevance[idx] = r.relevance[idx]! + ctx.tuning.regionFactBoost;
}

/**
 * "the time in Sydney", "moving to Canada": a place the runbooks never use (its synonyms lead only to the
 * regions' roles table, compile/region-roles.ts withUnusedRegions) named without any word of a question
 * about our regions or hosting, nor another region: the place is not about this system.
 */
export function namesStrayPlace(ctx: RankContext, q: PreparedQuery): boolean {
  const roles = (g: PreparedQuery['groups'][number]) =>
    g.alternatives.some((a) => a.join(' ') === REGION_ROLES_TOPIC);
  // A code or a short code (`eu-central-1`, `euc1`) is typed by someone asking about AWS.
  const place = (g: PreparedQuery['groups'][number]) => roles(g) && !/[\d-]/.test(g.word);
  if (!q.groups.some(place)) return false;
  // "london users say the builder is slow": where the users are who report a problem, not a region of ours
  // asked about ("are there customers in canada" still is a stray place).
  const served: readonly string[] = SERVED_PEOPLE;
  const near = (at: number) =>
    at >= 0 && q.words.slice(Math.max(0, at - 2), at + 3).some((w) => served.includes(w));
  if (reportsProblem(ctx, q) && q.groups.some((g) => place(g) && near(q.words.indexOf(g.words[0]!))))
    return false;
  const regional = (g: PreparedQuery['groups'][number]) => !place(g) && meansRegionCode(g);
  const words: readonly string[] = REGION_WORDS;
  return !q.words.some((w) => words.includes(w)) && !q.groups.some(regional);
}

/**
 * "where does the failover switch live": the thing asked about has a section of its own (a title holding
 * every word the query names it by), which says where it is better than a table row does.
 */
function hasOwnSection(ctx: RankContext, q: PreparedQuery, r: Ranking): boolean {
  const named = q.groups.flatMap((g) => g.words).filter((w) => !HOSTING_VERBS.has(w) && !ctx.stop.has(w));
  if (named.length === 0) return false;
  const said = ` ${q.words.filter((w) => !ctx.stop.has(w)).join(' ')} `;
  return r.list.some((idx) => {
    const words = (ctx.titleOf(idx) ?? '')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w && !ctx.stop.has(w));
    const title = ` ${words.join(' ')} `;
    // ... or whose whole title, two words or more, the query says in a row ("where does the failover
    // switch actually live? bucket + key": the rest is what the asker wants to know of it).
    return named.every((w) => title.includes(` ${w} `)) || (words.length >= 2 && said.includes(title));
  });
}

/** Verbs of where a thing is ("where does X run / live / sit", "where is X hosted"). */
const HOSTING_VERBS: ReadonlySet<string> = new Set([
  ...HOSTING_WORDS.filter((w) => w !== 'where'),
  'running',
  'host',
  'sit',
  'sits',
  'based',
]);

/** "my laptop", "our own wifi": the asker's own device or life, not a user's situation in an incident. */
const OWN = /(^|\s)(my|mine|our own)\s/;

/**
 * "approve *my holiday* request", "reset *my laptop* password": an everyday subject the asker owns is what
 * the question is about, unless a word places the problem in it ("*on* my laptop", "*whenever* my laptop
 * sleeps", `SITUATION_WORDS`).
 */
export function ownsEverydaySubject(ctx: RankContext, q: PreparedQuery): boolean {
  const words = q.words;
  const subject = (i: number) =>
    ctx.offTopic?.has(words[i]!) === true ||
    // ... or a phrase ("my *email password*", "my *phone bill*").
    [2, 3].some((n) => i + n <= words.length && ctx.offTopic?.has(words.slice(i, i + n).join(' ')) === true);
  for (let i = 1; i < words.length; i++)
    if (words[i - 1] === 'my' && subject(i) && !placedInSituation(words, i - 1)) return true;
  return false;
}

/** Whether a word within `SITUATION_REACH` before position `at` places what stands there in a situation. */
export function placedInSituation(words: readonly string[], at: number): boolean {
  for (let i = Math.max(0, at - SITUATION_REACH); i < at; i++)
    if (SITUATION_WORDS.has(words[i]!)) return true;
  return false;
}

/**
 * "generation stream drops on hotel wifi", "a customer behind a corporate VPN gets Connection lost": an
 * everyday subject named beside a reported problem that a symptom section answers is the situation the
 * problem happened in, not what the question is about; "my laptop keeps asking me to sign in" is the
 * asker's own device.
 */
export function everydaySubjectIsContext(ctx: RankContext, q: PreparedQuery, best: number): boolean {
  if (!ctx.isSymptom(best) || !q.words.some((w) => ctx.problemWords?.has(w))) return false;
  if (OWN.test(` ${q.words.join(' ')} `)) return false;
  // A situation is named after a word that places the problem in it ("drops *on* hotel wifi", "customers
  // *behind* a corporate VPN", "*when* the laptop sleeps"); an everyday subject that opens its own noun
  // phrase is what has the problem ("the kitchen coffee machine shows error 502", "the parking gate says
  // 403"): the question is about that thing.
  for (let i = 0; i < q.words.length; i++)
    if (ctx.offTopic?.has(q.words[i]!) && !placedInSituation(q.words, i)) return false;
  // The rest names the product: two words that are topics of the runbooks (in some heading), neither a
  // problem word nor everyday English ("generation stream drops", not "the office connection drops").
  const headed = (word: string) => docsHolding(ctx, word, HEADING_MASK).length > 0;
  // A status code reports a problem, and is as much the product's as its words ("get 403 access denied").
  const plain = (word: string) =>
    (!ctx.problemWords?.has(word) || HTTP_CODE.test(word)) &&
    !ctx.offTopic?.has(word) &&
    !ctx.common?.has(word);
  // An idiom ("access denied") counts when all its words are headings' words.
  const topics = q.groups.filter((g) =>
    g.words.length > 1 ? g.words.every(headed) : plain(g.word) && headed(g.word),
  ).length;
  return topics >= CONTEXT_TOPICS;
}

/** How many words before an everyday subject a situation word still places it ("behind a corporate VPN"). */
const SITUATION_REACH = 4;

/** Topic words of the runbooks a query needs beside an everyday subject for the subject to be context. */
const CONTEXT_TOPICS = 2;

/** Words that put what follows in the past or around the question: "once we've failed over". */
const TEMPORAL = new Set(['after', 'once', 'since', 'while', 'during', 'post']);
/** How many words before a procedure's name a temporal word still governs it ("after we had failed over"). */
const TEMPORAL_REACH = 3;

/**
 * "provisioned concurrency for europe once we've failed over", "smoke test the DR side after the cutover":
 * a procedure named after "after", "once", "since", "while" is when the question is asked, not what it
 * asks for. The words of such groups (with their synonyms), for rank.ts to leave out of the procedures the
 * query names.
 */
export function wordsInPassing(q: PreparedQuery): Set<string> {
  const out = new Set<string>();
  for (const g of q.groups) {
    const at = q.words.indexOf(g.words[0]!);
    if (at < 0) continue;
    const before = q.words.slice(Math.max(0, at - TEMPORAL_REACH), at);
    if (!before.some((w) => TEMPORAL.has(w))) continue;
    for (const w of [...g.words, ...g.alternatives.flat()]) out.add(w);
  }
  return out;
}

/** Prepositions that make the everyday word after them a time: "after lunch", "since the holidays". */
const WHEN = new Set([...TEMPORAL, 'before', 'until', 'till', 'around', 'over', 'by']);

/**
 * "unauthorized on every request after lunch", "broken since christmas": an everyday subject right after
 * a preposition of time (with at most one word between, "after the weekend") says when, not what the
 * question is about. The words of such groups, for rank.ts not to read them as an off-topic subject.
 */
export function wordsOfTime(q: PreparedQuery): Set<string> {
  const out = new Set<string>();
  // A preposition that is part of a phrase says no time: "fail *over* an azure sql database".
  const phrased = new Set(q.groups.flatMap((g) => (g.words.length > 1 ? g.words : [])));
  const when = (w: string | undefined) => w !== undefined && WHEN.has(w) && !phrased.has(w);
  for (const g of q.groups) {
    if (g.words.length !== 1) continue;
    const at = q.words.indexOf(g.word);
    if (at < 1) continue;
    if (when(q.words[at - 1]) || (at > 1 && when(q.words[at - 2]))) out.add(g.word);
  }
  return out;
}

/**
 * "purge the CDN", "prune old js bundles", "silence the canary alarm": a query that opens with the verb a
 * task's title opens with ("Invalidate the CloudFront cache"; an opening idiom by what it means, `purge the
 * cdn` is to invalidate) asks to do that task, not about the symptom or reference page that shares its
 * other words. Symptoms and numbered steps are no tasks; pasted output gives no orders.
 */
export function preferTasksByTheirVerb(
  ctx: RankContext,
  q: PreparedQuery,
  r: Ranking,
  present: Uint8Array,
): void {
  const first = q.words[0];
  if (q.pasted || first === undefined || ctx.stop.has(first)) return;
  const leads = new Set(TASK_VERBS.has(first) ? [first] : []);
  const opening = q.groups.find((g) => g.words[0] === first);
  if (opening?.idiom)
    for (const alternative of opening.alternatives)
      if (alternative[0] && TASK_VERBS.has(alternative[0])) leads.add(alternative[0]);
  // Only the candidates whose title holds the verb are read: at 100× the corpus the candidates run to
  // thousands, the titles holding "invalidate" to a hundred.
  for (const lead of leads)
    for (const idx of docsHolding(ctx, lead, TITLE_MASK)) {
      if (!present[idx] || ctx.isSymptom(idx) || isProcedureStep(ctx, idx)) continue;
      const title = normalizePhrase(ctx.titleOf(idx) ?? '');
      if (title.startsWith(`${lead} `)) r.relevance[idx] = r.relevance[idx]! + ctx.tuning.taskVerbBoost;
    }
}

/**
 * The sections holding `word` as a word in one of the fields of `mask` (config.ts TITLE_MASK, HEADING_MASK,
 * ...), from its postings' field bits: no section is read.
 */
export function docsHolding(ctx: RankContext, word: string, mask: number): number[] {
  const p = ctx.vocabulary.postings(word);
  const docs: number[] = [];
  for (let i = 0; i < (p?.docs.length ?? 0); i++) if (p!.masks[i]! & mask) docs.push(p!.docs[i]!);
  return docs;
}
