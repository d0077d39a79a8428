/**
 * runbooks/phrasings.json → what the search learns from it (`SearchData.learned`, read by
 * search/learned.ts). Build time only.
 *
 * The file holds queries as people on call typed them, each with the sections that answer it, and
 * questions that are none of the runbooks' business. Each query is normalised exactly as the search will
 * normalise a live one (query.ts, with the artifact's own synonyms and stop words), its features counted
 * per answer; features that occur fewer than `MIN_COUNT` times are dropped (one query's accident says
 * nothing). A query naming a section the runbooks no longer have (a heading renamed) teaches no section, only
 * that it was asked of the runbooks, and is reported, so `runbook lint` can say which.
 *
 * The numbers below were chosen by cross-validation grouped by the batch each query was written in
 * (`npm run eval -- --cv-learned`, test/eval/cv-learned.ts): every batch scored by a model that never saw
 * it; they sit on a plateau (temperature 2-5, weight 0.5-2 move top-1 by under 1 %); weight 0.7, not 1, keeps
 * three more of the tuned set's plain questions ("af-south-1 is down, what do we do" stayed the failover
 * procedure) at no cost on fresh batches. `notOursAbove`,
 * `within` and `atLeast` trade a little of it (batches 110+: top-1 91.0 → 90.8 %, out of scope 97.5 → 96.4 %)
 * for answers a review found wrong or withdrawn in an incident: "who do I call for a leaked token" withdrawn
 * at 0.2, a learned opinion of 0.13 turning "after rollback errors still high" to Slow generation, a section
 * of half the best's relevance lifted over a failover step (test/runbooks/search/learned-*.test.ts).
 * `confirm` (stop 47): a question the ranking found plausible but covered too weakly is answered when the
 * model agrees with one of its first three candidates at 0.5 or more, that section is the one shown first, and
 * every word the runbooks lack was learned, per asker, more from askers they answered: all batches top-1
 * 87.4 → 88.0 %, top-3 92.7 → 93.3 %, out of scope 1,716 → 1,715 of 1,763; batches 110+ 90.9 → 91.5 %,
 * 93.7 → 94.3 %, out of scope 270/280 both. Without the words' condition, 89.1 % but 17 more out-of-scope
 * questions answered ("how do i mute a datadog monitor for the maintenance window"); comparing the words by
 * raw weight instead of per asker, 88.3 % but "my github actions workflow for a python library fails on
 * windows runners" answered (helper-226); 0.3 and 0.7 and lower floors sit on the same plateau.
 */
import type { LearnedData, SearchData } from '../model/model';
import { writeTextTable } from '../model/text-table';
import { NOT_OURS, queryFeatures } from '../search/learned';
import { prepareQuery, searchVocabulary } from '../search/query';
import { isEverydayWord } from '../search/similarity';

/** runbooks/phrasings.json. `expect`: the section ids (`FILE.md#anchor`) that answer `q`. */
export interface Phrasings {
  inScope: { q: string; expect: string[]; kind?: string; batch?: number | string }[];
  outOfScope: { q: string; kind?: string; batch?: number | string }[];
}

/** The class of asked queries whose sections the runbooks no longer have: in scope, no answer. */
export const UNKNOWN_SECTION = '?';

export interface LearnSettings {
  alpha: number;
  vocabulary: number;
  temperature: number;
  weight: number;
  notOursAbove: number;
  /** Only candidates with at least this share of the best's relevance are re-ordered. */
  within: number;
  /** A section less probable than this gets nothing learned (a weak opinion is noise). */
  atLeast: number;
  /** A feature weighing less than this over every query is dropped. */
  minCount: number;
  /** When the model confirms a plausible question the ranking covers too weakly (`LearnedData.confirm`). */
  confirm: NonNullable<LearnedData['confirm']>;
}

export const LEARN_SETTINGS: Readonly<LearnSettings> = {
  alpha: 0.03,
  vocabulary: 20000,
  temperature: 3,
  weight: 0.7,
  notOursAbove: 0.5,
  within: 0.5,
  atLeast: 0.2,
  minCount: 2,
  confirm: { above: 0.5, among: 3, coverage: 0.2, relevance: 0.25, notOursBelow: 0.2 },
};

/** A query of the file that names a section the runbooks do not have. */
export interface StalePhrasing {
  q: string;
  id: string;
}

/** Each query's features, as the search will make them (exported for the cross-validation). */
export function phrasingFeatures(search: SearchData, queries: readonly { q: string }[]): string[][] {
  // As the search reads them (engine.ts `queryVocabulary`): the index's terms, everyday English.
  const terms = new Set(search.terms);
  const common = new Set(search.common);
  const vocabulary = {
    ...searchVocabulary(search),
    isTerm: (w: string) => terms.has(w),
    isCommon: (w: string) => isEverydayWord(common, w),
  };
  return queries.map((x) => queryFeatures(prepareQuery(x.q, vocabulary).groups));
}

/** A labelled query, its features made: `answers` empty is "not ours". */
export interface LearnCase {
  features: readonly string[];
  answers: readonly string[];
}

/** The model over `cases` (classes in first-seen order, '' last); its table as text. */
export function learnFrom(
  cases: readonly LearnCase[],
  settings: Readonly<LearnSettings> = LEARN_SETTINGS,
): LearnedData & { table: string } {
  const classIndex = new Map<string, number>();
  const classes: string[] = [];
  const counts: number[] = [];
  const totals: number[] = [];
  const byFeature = new Map<string, Map<number, number>>();
  const featureTotal = new Map<string, number>();
  const classOf = (id: string) => {
    let c = classIndex.get(id);
    if (c === undefined) {
      c = classes.length;
      classIndex.set(id, c);
      classes.push(id);
      counts.push(0);
      totals.push(0);
    }
    return c;
  };
  let asked = 0;
  let notOurs = 0;
  for (const x of cases) {
    const answers = x.answers.length > 0 ? x.answers : [NOT_OURS];
    if (x.answers.length > 0) asked++;
    else notOurs++;
    const share = 1 / answers.length;
    for (const id of answers) {
      const c = classOf(id);
      counts[c]! += share;
      totals[c]! += share * x.features.length;
      for (const f of x.features) {
        const m = byFeature.get(f) ?? new Map<number, number>();
        byFeature.set(f, m);
        m.set(c, (m.get(c) ?? 0) + share);
        featureTotal.set(f, (featureTotal.get(f) ?? 0) + share);
      }
    }
  }
  const kept = [...byFeature.keys()]
    .filter((f) => (featureTotal.get(f) ?? 0) >= settings.minCount - 1e-9)
    .sort();
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    classes,
    counts: counts.map(round),
    totals: totals.map(round),
    // Read in place by binary search (model/text-table.ts), as the table writes it: sorted, ASCII alone, a
    // feature holding a tab or a newline refused.
    table: writeTextTable(
      Object.fromEntries(
        kept.map((f) => [
          f,
          [...byFeature.get(f)!]
            .sort((a, b) => a[0] - b[0])
            .map(([c, w]) => `${c}:${round(w)}`)
            .join(' '),
        ]),
      ),
    ),
    alpha: settings.alpha,
    vocabulary: settings.vocabulary,
    temperature: settings.temperature,
    weight: settings.weight,
    notOursAbove: settings.notOursAbove,
    within: settings.within,
    atLeast: settings.atLeast,
    confirm: { ...settings.confirm },
    learnedFrom: { asked, notOurs },
  };
}

/**
 * The model the search reads, from the phrasings file, over the sections `search` indexes; with the
 * queries that name a section it does not have (learned as asked of no known section).
 */
export function learnPhrasings(
  phrasings: Phrasings,
  search: SearchData,
): { learned: LearnedData; stale: StalePhrasing[] } {
  const known = new Set(search.ids);
  const stale: StalePhrasing[] = [];
  // A query whose sections are all gone (a heading or a whole runbook renamed) was still asked of the
  // runbooks: it stays in, answered by `UNKNOWN_SECTION`, which no search answers with. Left out, a renamed
  // runbook would leave its questions only the out-of-scope ones to resemble, and every answer withdrawn.
  const inScope = phrasings.inScope.map((x) => {
    const answers = x.expect.filter((id) => known.has(id));
    for (const id of x.expect) if (!known.has(id)) stale.push({ q: x.q, id });
    return { q: x.q, answers: answers.length > 0 ? answers : [UNKNOWN_SECTION] };
  });
  const all = [...inScope, ...phrasings.outOfScope.map((x) => ({ q: x.q, answers: [] as string[] }))];
  const features = phrasingFeatures(search, all);
  return {
    learned: learnFrom(all.map((x, i) => ({ features: features[i]!, answers: x.answers }))),
    stale,
  };
}

/** The phrasings file's shape, checked: a file that is not one fails the build (file:line style message). */
export function parsePhrasings(text: string): Phrasings {
  const data = JSON.parse(text) as unknown;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObj(data) || !Array.isArray(data['inScope']) || !Array.isArray(data['outOfScope']))
    throw new Error('expected { "inScope": [...], "outOfScope": [...] }');
  data['inScope'].forEach((x, i) => {
    if (!isObj(x) || typeof x['q'] !== 'string' || !Array.isArray(x['expect']))
      throw new Error(`inScope[${i}]: expected { "q": "...", "expect": ["FILE.md#anchor", ...] }`);
    if (!x['expect'].every((id) => typeof id === 'string'))
      throw new Error(`inScope[${i}]: "expect" lists section ids (strings)`);
  });
  data['outOfScope'].forEach((x, i) => {
    if (!isObj(x) || typeof x['q'] !== 'string') throw new Error(`outOfScope[${i}]: expected { "q": "..." }`);
  });
  return data as unknown as Phrasings;
}
