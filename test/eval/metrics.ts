/**
 * Search quality, measured: top-1, top-3 and MRR of our search and, on the same sections, of fuse.js and
 * MiniSearch with their default options. Used by `npm run eval` (test/eval/run.ts) and the eval test.
 */
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import phrasings from '../../runbooks/phrasings.json';
import { buildSearchDocs } from '../../src/runbooks/compile/search-index';
import type { Artifact, SearchDoc } from '../../src/runbooks/model/model';
import { createSearch } from '../../src/runbooks/search/search';
import incidentQueries from './incident-queries.json';
import queries from './queries.json';

export interface EvalQuery {
  /** What an on-call person types. */
  q: string;
  /** Acceptable answers as `FILE.md#anchor`, best first; a hit on any counts. */
  expect: string[];
  kind: string;
}

export interface EvalSet {
  tuned: EvalQuery[];
  heldOut: EvalQuery[];
  /**
   * Written by someone who had not seen the tuned or held-out queries, after the search was tuned, and
   * never tuned on: the closest this repository has to the queries real on-call users will type.
   */
  blind: EvalQuery[];
  /** Queries with no answer in the runbooks: ours must say "no good match". */
  nonsense: string[];
}

export const EVAL_SET = queries as EvalSet;

/** The batch under which runbooks/phrasings.json holds a copy of the tuned set (so the search learns it). */
export const TUNED_BATCH = 'tuned';

/**
 * The incident set (issue 20): queries as an on-call engineer types or pastes them at 3 a.m. (raw error
 * lines, plain-words symptoms, regions as cities, acronyms, HTTP statuses, slang), written before search
 * was tuned for them and never tuned on. `expect` lists only sections that answer the query; a symptom
 * query expects its symptom section, not its What you see / Fix subsections. `outOfScope` questions
 * share everyday words with the runbooks but are not about this system: ours must say "no good match".
 */
export interface IncidentSet {
  inScope: EvalQuery[];
  outOfScope: { q: string; kind: string }[];
}

export const INCIDENT_SET = incidentQueries as IncidentSet;

/**
 * The incident development set: the same kinds of queries as the incident set, written by the search's
 * tuner before tuning, without reading the incident set. Tune on this one (and the tuned set), never on
 * the incident set; `npm run eval -- --misses` lists its misses. It lives in runbooks/phrasings.json (with
 * the tuned set, batch "tuned"), which the search also learns from (compile/learn.ts): its scores here are
 * scores on the training data; `npm run eval -- --cv-learned` scores each batch by a model that never saw it.
 */
export const INCIDENT_DEV_SET: IncidentSet = {
  inScope: (phrasings.inScope as (EvalQuery & { batch?: number | string })[]).filter(
    (q) => q.batch !== TUNED_BATCH,
  ),
  outOfScope: phrasings.outOfScope as IncidentSet['outOfScope'],
};

export interface Scores {
  top1: number;
  top3: number;
  mrr: number;
  n: number;
  misses: { q: string; expect: string[]; got: string[] }[];
}

/** A ranker answers a query with section ids, best first (empty for "no good match"). */
export type Ranker = (query: string) => string[];

export function rankers(artifact: Artifact): Record<string, Ranker> {
  const ours = createSearch(artifact);
  // The same documents our index is built from (the artifact ships only the index).
  const docs = buildSearchDocs(artifact.sections, artifact.runbooks);
  const fields = ['title', 'path', 'symptom', 'keywords', 'body'] satisfies (keyof SearchDoc)[];
  const fuse = new Fuse(docs, { keys: fields });
  const mini = new MiniSearch<SearchDoc>({ fields });
  mini.addAll(docs);
  return {
    ours: (q) => ours.search(q, { limit: 10 }).results.map((r) => r.section.id),
    'fuse.js default': (q) =>
      fuse
        .search(q)
        .slice(0, 10)
        .map((r) => r.item.id),
    'MiniSearch default': (q) =>
      mini
        .search(q)
        .slice(0, 10)
        .map((r) => String(r.id)),
  };
}

export function score(ranker: Ranker, set: readonly EvalQuery[]): Scores {
  let top1 = 0;
  let top3 = 0;
  let rr = 0;
  const misses: Scores['misses'] = [];
  for (const item of set) {
    const got = ranker(item.q);
    const rank = got.findIndex((id) => item.expect.includes(id));
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    if (rank >= 0) rr += 1 / (rank + 1);
    if (rank !== 0) misses.push({ q: item.q, expect: item.expect, got: got.slice(0, 3) });
  }
  const n = set.length;
  return { top1: top1 / n, top3: top3 / n, mrr: rr / n, n, misses };
}

export interface Evaluation {
  tuned: Record<string, Scores>;
  heldOut: Record<string, Scores>;
  blind: Record<string, Scores>;
  /** Nonsense queries ours answered with sections (should be none). */
  answeredNonsense: string[];
  incident: Record<string, Scores>;
  /** Ours' top-1 hits per kind of incident-set query. */
  incidentByKind: Record<string, { hits: number; n: number }>;
  /** Out-of-scope incident-set questions ours answered with sections instead of "no good match". */
  answeredOutOfScope: string[];
  /** The incident development set: scores, top-1 per kind, out-of-scope questions answered. */
  dev: Record<string, Scores>;
  devByKind: Record<string, { hits: number; n: number }>;
  devAnsweredOutOfScope: string[];
}

/** Ours answers "no good match" by returning no section: the queries it answered anyway. */
function answered(ours: Ranker, qs: readonly string[]): string[] {
  return qs.filter((q) => ours(q).length > 0);
}

export function evaluate(artifact: Artifact): Evaluation {
  const all = rankers(artifact);
  const run = (set: EvalQuery[]) =>
    Object.fromEntries(Object.entries(all).map(([name, ranker]) => [name, score(ranker, set)]));
  const ours = all['ours']!;
  const incident = run(INCIDENT_SET.inScope);
  const dev = run(INCIDENT_DEV_SET.inScope);
  return {
    tuned: run(EVAL_SET.tuned),
    heldOut: run(EVAL_SET.heldOut),
    blind: run(EVAL_SET.blind),
    answeredNonsense: answered(ours, EVAL_SET.nonsense),
    incident,
    incidentByKind: top1ByKind(INCIDENT_SET.inScope, incident['ours']!),
    answeredOutOfScope: answered(
      ours,
      INCIDENT_SET.outOfScope.map((o) => o.q),
    ),
    dev,
    devByKind: top1ByKind(INCIDENT_DEV_SET.inScope, dev['ours']!),
    devAnsweredOutOfScope: answered(
      ours,
      INCIDENT_DEV_SET.outOfScope.map((o) => o.q),
    ),
  };
}

/** Top-1 hits per query kind, from a score's misses: says where a ranker fails without listing queries. */
export function top1ByKind(
  set: readonly EvalQuery[],
  scores: Scores,
): Record<string, { hits: number; n: number }> {
  const missed = new Set(scores.misses.map((m) => m.q));
  const out: Record<string, { hits: number; n: number }> = {};
  for (const item of set) {
    const row = out[item.kind] ?? { hits: 0, n: 0 };
    out[item.kind] = row;
    row.n++;
    if (!missed.has(item.q)) row.hits++;
  }
  return out;
}

export function formatTable(title: string, rows: Record<string, Scores>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `${title}`,
    `${'ranker'.padEnd(20)}${'top-1'.padStart(7)}${'top-3'.padStart(7)}${'MRR'.padStart(7)}`,
  ];
  for (const [name, s] of Object.entries(rows)) {
    lines.push(`${name.padEnd(20)}${pct(s.top1)}${pct(s.top3)}${s.mrr.toFixed(3).padStart(7)}`);
  }
  return lines.join('\n');
}
