/**
 * The compiled runbook model: what `npm run build` writes to `build/artifact.json` and what the bot
 * loads at start-up. Everything procedural the bot does (answers, checklists, gates, trees, contacts,
 * Route 53 records, notification templates) is derived from the Markdown in `runbooks/` into this shape.
 * See docs/runbook-format.md for the Markdown conventions that produce each part.
 *
 * Pure data: no Slack or AWS imports anywhere under src/runbooks/.
 */
import type { TextTable } from './text-table';

export const ARTIFACT_VERSION = 1;

export interface CodeBlock {
  /** Info string's first word (`bash`, `hcl`, `json`, `mermaid`, ...); empty when the fence has none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence in the source file. */
  line: number;
}

export interface Table {
  header: string[];
  rows: string[][];
  line: number;
}

/** Directives come from `<!-- bot: key=value key2="two words" -->` comments. */
export type Directives = Record<string, string>;

export interface Section {
  /** `${file}#${anchor}`: stable across builds while the heading text is unchanged. */
  id: string;
  file: string;
  /** GitHub-compatible anchor, de-duplicated within the file the way GitHub does (`-1`, `-2`). */
  anchor: string;
  /** Heading depth, 1-6. */
  level: number;
  /** Heading text as plain text (Markdown emphasis and code marks removed). */
  title: string;
  /**
   * Path from the top-level heading to this one. A file's single leading `#` title is the document title
   * and is not part of the path of its subsections (so `["Authentication issues", "\"Token expired\" ..."]`).
   */
  headings: string[];
  /** 1-based line of the heading. */
  line: number;
  /** Markdown of this section's own body, up to the next heading of any level. */
  markdown: string;
  /** Plain text of the body (code blocks kept, Markdown marks removed). */
  text: string;
  /** First paragraph as plain text, at most ~300 characters. */
  summary: string;
  code: CodeBlock[];
  tables: Table[];
  directives: Directives;
  parent: string | null;
  children: string[];
}

export interface RunbookFile {
  file: string;
  /** The document title (its `#` heading), or the file name when it has none. */
  title: string;
  /** Every section of the file in document order (ids). */
  sections: string[];
  /** Who keeps this runbook true (`<!-- bot: owner="@team" reviewed=2026-11-01 -->` under its title). */
  owner?: string | null;
  /** When it was last reviewed against the system, `YYYY-MM-DD`. */
  reviewed?: string | null;
}

export interface StepItem {
  type: 'step';
  /** Stable within the checklist: from a `step=` directive, else a slug of the title. */
  id: string;
  /** 1-based position among steps (gates not counted). */
  n: number;
  title: string;
  markdown: string;
  text: string;
  /** The section that holds the step (for "Details"). */
  sectionId: string;
  /** The sub-heading the step sits under, when a checklist spans several (e.g. "Backend (Lambda)"). */
  phase: string | null;
  /** e.g. { evidence: 'primary-health', action: 'route53-failover', notify: 'failover-notice' }. */
  directives: Directives;
  /**
   * The parallel group the step belongs to (`parallel=<name>` on the step, or `parallel` on the phase
   * heading that holds it), or null: steps are done in document order, except that the consecutive steps
   * of one group may be done in any order among themselves.
   */
  parallel?: string | null;
}

export interface GateItem {
  type: 'gate';
  id: string;
  title: string;
  /** Role slugs as used in approvers.yaml: `devops`, `security`, `architecture`, `business-owner`. */
  roles: string[];
  markdown: string;
  sectionId: string;
  /**
   * The gate's own bot hints, written inside its blockquote (or under its heading): `remind=10m` (how long it
   * may wait before its approvers are reminded), `escalate=L3` (the contact level named when it has waited
   * twice that). Absent in artifacts built before gates had hints.
   */
  directives?: Directives;
}

export type ChecklistItem = StepItem | GateItem;

export interface Checklist {
  /** `failover`, `failback`, `promote-dev-sit`, `promote-sit-prod`, `deploy`, `rollback`, ... */
  id: string;
  title: string;
  /** Normalised command phrases that start it: `failover`, `promote dev sit`. */
  commands: string[];
  sectionId: string;
  items: ChecklistItem[];
  /** The `records=` id of the Route 53 record set its failover/failback actions act on, if any. */
  records: string | null;
  /** All directives of the checklist's section (`checklist`, `command`, `title`, `records`, ...). */
  directives: Directives;
}

export type TreeNodeKind = 'question' | 'action' | 'leaf' | 'escalation';

export interface TreeEdge {
  /** Edge label as drawn (`Yes`, `No`, `429 errors`); empty only for the single edge of a non-question. */
  label: string;
  to: string;
}

export interface TreeNode {
  id: string;
  label: string;
  kind: TreeNodeKind;
  edges: TreeEdge[];
  /** Leaf: the troubleshooting section it points at (section id). */
  target: string | null;
  /** Escalation leaf: the escalation path id to post. */
  escalation: string | null;
}

export interface DecisionTree {
  id: string;
  title: string;
  /** The section that draws the tree. */
  sectionId: string;
  root: string;
  nodes: Record<string, TreeNode>;
  /** Extra words that pick this tree in `/runbook diagnose <words>`. */
  keywords: string[];
}

export interface Contact {
  level: string;
  role: string;
  /** Slack user group (`@platform-oncall`), handle, or `<!subteam^S…>` / `<@U…>` form as written. */
  who: string;
  phone: string;
  when: string;
}

export interface EscalationPath {
  id: string;
  title: string;
  /** Ordered levels, each naming a contact level (`L1`, `L2`, ...) with what to do there. */
  steps: {
    level: string;
    text: string;
    /** The bold lead without its level (`On-call engineer` from `**L1 — On-call engineer:**`). */
    label: string;
  }[];
  sectionId: string;
}

export interface FailoverRecord {
  hostedZoneId: string;
  name: string;
  type: string;
  setIdentifier: string;
  failover: 'PRIMARY' | 'SECONDARY';
  region: string;
  healthCheckId: string | null;
  /** Alias target or value, as written in the runbook table. */
  value: string;
}

/**
 * The failover switch (`<!-- bot: switch=<id> -->`): the records stay static and the PRIMARY record's
 * health check is a CALCULATED check that is healthy only while every child is healthy: the primary
 * region's endpoint check(s) and one health check per switch. Turning any switch Off fails over on the data
 * plane (docs/dr-failover.md).
 */
export interface FailoverSwitch {
  /** Row name, e.g. `dr-s3`. */
  id: string;
  kind: 's3-object' | 'arc-routing-control';
  /** s3-object: the bucket's region (written with a regional request there). arc: the control's home, informative. */
  region: string;
  /** s3-object only. */
  bucket: string | null;
  key: string | null;
  /** arc-routing-control only. */
  routingControlArn: string | null;
  /** arc-routing-control only: the cluster's five regional endpoints, tried in turn. */
  clusterEndpoints: { region: string; url: string }[];
  /** The Route 53 health check that reads this switch (a child of the calculated check). */
  healthCheckId: string;
  /** s3-object: the exact object bodies; arc: `On` / `Off`. */
  on: string;
  off: string;
  /** s3-object: the health check's SearchString (in `on`, not in `off`); null for arc. */
  searchString: string | null;
}

export interface FailoverSwitchSet {
  id: string;
  sectionId: string;
  /** In the order the bot tries them; any one Off fails over, all must be On for failback. */
  switches: FailoverSwitch[];
  /** The PRIMARY record's health check (CALCULATED). */
  calculatedHealthCheckId: string;
  /** The primary region's endpoint checks: children of the calculated check. */
  primaryHealthCheckIds: string[];
  /** The SECONDARY record's checks (if one is unhealthy, Route 53 answers PRIMARY whatever the switch says). */
  secondaryHealthCheckIds: string[];
  /** Child checks that must be healthy (all of them): the calculated check's HealthThreshold. */
  healthThreshold: number;
  primaryRegion: string;
  secondaryRegion: string;
}

/** `<!-- bot: warmup=<id> -->`: provisioned concurrency the DR region needs before traffic moves. */
export interface WarmupTarget {
  /** Function name or ARN, as the Lambda API takes it. */
  functionName: string;
  region: string;
  /** Alias or version (never `$LATEST`: provisioned concurrency needs one). */
  qualifier: string;
  /** Provisioned concurrency during a failover. */
  concurrency: number;
  /** What failback returns it to; null removes the configuration. */
  standby: number | null;
}

/** `<!-- bot: dns=<id> -->`: how to tell, from the zone's authoritative servers, which region answers. */
export interface DnsCheck {
  id: string;
  name: string;
  type: string;
  /** The zone's authoritative name servers (host names or addresses); empty: look up NS of the zone. */
  nameServers: string[];
  /** Per region, what its answer looks like: a host name whose addresses the answer shares, or literal values. */
  answers: { region: string; match: string }[];
}

/**
 * A canary's abort criteria (`<!-- bot: canary-criteria=<id> … -->` on the table people read, PROMOTION.md's
 * monitoring period): one row per signal, with where it comes from, when to abort and the minimum sample.
 * The bot applies exactly these rows; nothing in the code has thresholds of its own.
 */
export interface CanaryCriteria {
  id: string;
  sectionId: string;
  line: number;
  /** Where the canary runs (`region=`), the alias both versions share (`alias=`), and how a Function cell
   * names a Lambda function (`function-name="sitecraft-prod-{function}"`). */
  region: string;
  alias: string;
  functionName: string;
  rows: CanaryCriterion[];
}

export interface CanaryCriterion {
  /** The table's cells as written (plain text), for messages. */
  signal: string;
  /** The Function cell's first name (`api`, `pretoken`), or `all`. */
  function: string;
  sourceText: string;
  abortText: string;
  minimumText: string;
  source: CanarySource;
  /** Null only for a source the bot cannot measure (its abort text is then shown as written). */
  abort: AbortRule | null;
  /** Canary sample below this proves nothing (0: `none`). */
  minSample: number;
  /** `requests`, `invocations`, `generations`, as the table says. */
  sampleUnit: string;
  /** 1-based line of the row. */
  line: number;
}

export type CanarySource =
  /** Logs Insights: `<event>` lines by `<field>` class, per version; bad = class 5 (5xx). */
  | { kind: 'logs-status-class'; logGroup: string; event: string; field: string }
  /** Logs Insights: `<event>` lines by `<field>`, per version; bad = `<field> = "<errorValue>"`. */
  | { kind: 'logs-outcome'; logGroup: string; event: string; field: string; errorValue: string }
  /** Logs Insights: lines with `<field> = "<value>"`, all versions. */
  | { kind: 'logs-count'; logGroup: string; field: string; value: string }
  /** `AWS/Lambda` `Errors` (and `Invocations`) per `ExecutedVersion`. */
  | { kind: 'lambda-errors' }
  /** `AWS/Lambda` `Duration` at a percentile per `ExecutedVersion`. */
  | { kind: 'lambda-duration'; percentile: number }
  /** Alarms in ALARM whose names start with `prefix`, in `region`. */
  | { kind: 'alarms'; prefix: string; region: string }
  /** Not something the bot can read: checked by hand. */
  | { kind: 'unmeasured' };

export type AbortRule =
  /**
   * Rate above `above` (a fraction), combined (`join`) with, when set, more than `pointsAbovePrevious`
   * percentage points above the previous version: `or` aborts on either, `and` only on both.
   */
  | { kind: 'rate'; above: number; pointsAbovePrevious: number | null; join: 'and' | 'or' }
  /** More than `percent` % above the previous version; judged only from minute `fromMinute` of the period. */
  | { kind: 'ratio'; percent: number; fromMinute: number | null }
  /** Above `ms` milliseconds. */
  | { kind: 'above-ms'; ms: number }
  /** Any occurrence. */
  | { kind: 'any' };

export interface Template {
  id: string;
  text: string;
  /** `{{placeholder}}` names found in the text. */
  placeholders: string[];
  sectionId: string;
  /**
   * The template section's bot hints: `update=30m` (the cadence of stakeholder updates it promises),
   * `update-template=<id>` (the template of those updates), `owner=<role>` (who is reminded when one is due),
   * `local="SAST=Africa/Johannesburg"` (the audience's time zone, as the runbook names it). Absent in
   * artifacts built before templates had hints.
   */
  directives?: Directives;
}

/**
 * One searchable document per section (compile/search-index.ts `buildSearchDocs`). Fields are lower-cased
 * search text (the symptom's own body folded in, the runbook title in the path): show `Section`s to people, not
 * these. Not shipped in the artifact: only the inverted index built from them is.
 */
export interface SearchDoc {
  id: string;
  title: string;
  path: string;
  symptom: string;
  keywords: string;
  body: string;
}

/**
 * The search index, built at compile time so the runtime parses no Markdown and tokenises no text:
 * an inverted index over the SearchDocs' fields (compile/search-index.ts), read by search/engine.ts.
 */
export interface SearchData {
  /** Section id of each document. */
  ids: string[];
  /** Per document: its symptom's error message, normalised (`token expired`), else ''. */
  messages: string[];
  /**
   * Per document: its symptom's "What you see", normalised and space-padded (` the builder shows … `),
   * else '': a query that repeats a run of its words ("try again in a minute") describes that symptom.
   */
  seen?: string[];
  /**
   * The error messages a symptom's "What you see", or another section's prose, quotes in code marks, of
   * three words or more (`User is disabled.`), and those a section's own scripts echo, normalised (an
   * echo's substituted value is `ECHO_GAP`), by their first word: first word → message → the document
   * numbers that hold it, ascending (absent in older artifacts). Read with `Object.hasOwn`: a word may be
   * `constructor`.
   */
  quotedBy?: Record<string, Record<string, number[]>>;
  /** Every word of the documents (tokenised as queries are; a hyphenated word also as its parts), sorted. */
  terms: string[];
  /**
   * Per term, pairs `[doc − previous doc, fields + 32 × weighted count]`: the documents holding it, the
   * fields it is in (bit i = SEARCH_KEYS[i]) and its occurrences weighted by the fields' weights.
   */
  postings: number[][];
  /** Per document, per SEARCH_KEYS field (flattened): fuse.js-style length norm 1/√tokens. */
  norms: number[];
  /** Per document: its fields' token counts weighted by the fields' weights (BM25 length). */
  lengths: number[];
  /**
   * The field weights (SEARCH_KEYS order) the counts and lengths were weighted by: the ranking scores fields
   * with the same ones (absent in older artifacts: SEARCH_KEYS').
   */
  fieldWeights?: number[];
  /**
   * fuse.js's index over the words of titles, symptoms, keywords and paths (`headTerms` in
   * compile/search-index.ts; `Fuse.createIndex([], words).toJSON()`), loaded with `Fuse.parseIndex`:
   * fuse.js finds the word a mistyped query word may be ("expird" → "expired").
   */
  fuzzy: { words: string[]; index: unknown } | null;
  /** word or phrase → comma-separated phrases that mean the same (compile/search-terms.ts). */
  synonyms: Record<string, string>;
  stopWords: string[];
  /** Words that say something is wrong: a query holding one favours symptom sections (search-terms.ts). */
  problemWords?: string[];
  /** The most frequent English words (terms/common-english.ts): fillers unless the runbooks' topics. */
  common?: string[];
  /** Everyday-life subjects (terms/off-topic.ts): a query about one is out of scope unless a topic here. */
  offTopic?: string[];
  /** Chat shorthand → the words it stands for (terms/shorthand.ts), minus words the runbooks use. */
  shorthand?: Record<string, string>;
  /** Inflected synonym phrases by stem (search/query.ts `synonymStemTable`), made here so no query makes it. */
  synonymStems?: Record<string, string>;
  /**
   * Every way of naming the primary region (its code, places, role words; compile/region-roles.ts), as
   * synonym keys: a problem reported there ("Cape Town is throwing 503s") is the DR trigger's.
   */
  primaryRegion?: string[];
  /**
   * What the runbooks' askers taught the search (runbooks/phrasings.json: queries people typed and the
   * section that answered each, and questions that are none of the runbooks' business), learned at build
   * time by compile/learn.ts and read by search/learned.ts. Absent: the ranking alone answers.
   */
  learned?: LearnedData;
}

/**
 * A multinomial naive Bayes over the words of asked queries (search/learned.ts `queryFeatures`: each query
 * word, each synonym it stands for, each pair of neighbouring words), one class per section that answered
 * some, and one ('') for questions that are none of the runbooks' business. Stored as one string a cold
 * start parses as it is and searches in place.
 */
export interface LearnedData {
  /** Section ids, and '' for "not a question for these runbooks". */
  classes: string[];
  /** Per class: the asked queries it answered (a query with two answers counts half to each). */
  counts: number[];
  /** Per class: the weight of every feature of its queries (kept or not). */
  totals: number[];
  /**
   * One line per feature kept (weighing at least `minCount` over every query), sorted by feature:
   * `feature<TAB>class:weight class:weight…`, '\n'-joined (model/text-table.ts `writeTextTable`). Read in place
   * by binary search over the text: a cold start neither splits it nor indexes its lines. The split
   * artifact's is the bytes of its file, never decoded.
   */
  table: TextTable;
  /** Additive smoothing, the vocabulary size it assumes, the softmax temperature over log scores. */
  alpha: number;
  vocabulary: number;
  temperature: number;
  /** How much a class's probability adds to a candidate's relevance (as a share of the best's). */
  weight: number;
  /** A confident answer is withdrawn when '' is more probable than this. */
  notOursAbove: number;
  /**
   * Only candidates with at least this share of the best's relevance are re-ordered (the rest follow in
   * the ranking's order): what was learned never lifts a section the ranking finds far weaker.
   */
  within: number;
  /** A section less probable than this gets nothing learned: a weak learned opinion is noise. */
  atLeast: number;
  /**
   * When the ranking finds a question plausibly the runbooks' (its subjects known, nothing else ruled
   * out) but its best candidate covers too little of it: the model confirms it when one of the ranking's
   * first `among` candidates is at least `above` probable, the best covers at least `coverage` and scores
   * at least `relevance`, "not ours" is less than `notOursBelow` probable, and every word of the query the runbooks lack was said more by askers the
   * runbooks answered than by those they did not (search/engine.ts `learnedConfirms`). Absent in an
   * artifact built before it: nothing is confirmed.
   */
  confirm?: { above: number; among: number; coverage: number; relevance: number; notOursBelow: number };
  /** How many asked queries (and how many not ours) it learned from. */
  learnedFrom: { asked: number; notOurs: number };
}

export interface Artifact {
  version: typeof ARTIFACT_VERSION;
  /** sha256 of all runbook sources, so a stale artifact can be detected. */
  sourceHash: string;
  /** The git commit the runbooks were built from (short), when the build knew it. */
  commit?: string | null;
  runbooks: RunbookFile[];
  sections: Section[];
  checklists: Checklist[];
  /**
   * Numbered procedures no checklist declares ("Invalidate the CloudFront cache": steps with commands),
   * compiled the same way: started only by an answer's "Run as checklist", never by a typed command
   * (`commands` is empty), with no gates and no live actions. Absent in older artifacts.
   */
  procedures?: Checklist[];
  trees: DecisionTree[];
  contacts: Contact[];
  escalationPaths: EscalationPath[];
  /** keyed by the `records=` directive id, e.g. `route53-failover`. */
  records: Record<string, FailoverRecord[]>;
  templates: Record<string, Template>;
  /** keyed by the `switch=` id (optional: artifacts built before the switch existed lack it). */
  switches?: Record<string, FailoverSwitchSet>;
  /** keyed by the `warmup=` id. */
  warmups?: Record<string, WarmupTarget[]>;
  /** keyed by the `dns=` id. */
  dnsChecks?: Record<string, DnsCheck>;
  /**
   * CloudWatch alarm name (as infra/dr.yaml names it, without the stage prefix) → the id of the section that
   * answers it (`<!-- bot: alarms="api-5xx bedrock-throttles" -->`). The alarm handler uses nothing else.
   */
  alarms?: Record<string, string>;
  /** keyed by the `canary-criteria=` id. */
  canary?: Record<string, CanaryCriteria>;
  search: SearchData;
}

/**
 * Step `action=` values that change production under the two-person rule: one person asks, another
 * (a member of `approve=` roles, or of the gate before the step) approves. Other actions (`warmup`,
 * `warmup-release`) are carried out by the person who clicks, after the same authorization.
 */
export const TWO_PERSON_ACTIONS: ReadonlySet<string> = new Set(['route53-failover', 'route53-failback']);

/** Every `action=` value the bot carries out (docs/runbook-format.md); any other is a typo `runbook lint` names. */
export const KNOWN_ACTIONS: ReadonlySet<string> = new Set([
  ...TWO_PERSON_ACTIONS,
  'warmup',
  'warmup-release',
]);

/**
 * The `{{placeholders}}` the bot fills in a notification template (docs/runbook-format.md, "Templates").
 * Names, not Slack IDs; times in UTC and the template's `local=` zone. No internal run id: stakeholders
 * outside engineering read these (`runbook lint` refuses `{{run}}`).
 */
export const TEMPLATE_PLACEHOLDERS: ReadonlySet<string> = new Set([
  'incident',
  'title',
  'started_by',
  'started_at',
  'time',
  'posted_by',
  'posted_at',
  'user',
  'from_region',
  'to_region',
  'status',
  'channel',
  'changes',
  'next_update',
]);

/**
 * `takeover=incident-commander,devops` on a checklist: roles whose members may take an active run of it
 * over, besides its starter, its requesters and its gates' roles (docs/runbook-format.md).
 */
export function takeoverRolesOf(checklist: Pick<Checklist, 'directives'>): string[] {
  return (checklist.directives['takeover'] ?? '')
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
}
