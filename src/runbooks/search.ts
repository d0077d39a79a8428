/**
 * Runtime search over the compiled artifact: loads the prebuilt fuse.js index (no Markdown, no index
 * building here), runs one fuse search per query word and combines them, then re-ranks:
 * - each word counts by how rare it is across sections (a word found everywhere says little);
 * - an exact error message (quoted, or the whole query) lifts its symptom;
 * - a symptom's sub-headings (What you see, Fix, ...) give way to the symptom heading itself, unless the
 *   query asks for that part ("verify token expired").
 * Scores follow fuse's convention: 0 is a perfect match, 1 no match.
 */
import Fuse, { type FuseIndex } from 'fuse.js';
import type { Artifact, SearchDoc, Section } from './model';
import { normalizePhrase, type PreparedQuery, prepareQuery } from './query';
import { FUSE_OPTIONS, SYMPTOM_PARTS, SYMPTOM_TITLE } from './search-config';

export interface SearchHit {
  section: Section;
  /** 0 (best) to 1, lower is better. */
  score: number;
}

export interface SearchResponse {
  /** The query as searched (controls stripped, length capped). */
  query: string;
  normalized: string;
  /** Best first; empty when nothing matched well enough (`confident` false). */
  results: SearchHit[];
  confident: boolean;
  /** When not confident: sections worth offering instead ("Did you mean ..."). */
  suggestions: Section[];
}

export interface SearchOptions {
  limit?: number;
}

export interface RunbookSearch {
  search(query: string, options?: SearchOptions): SearchResponse;
}

/** Below this relevance (0..1) the best hit is a guess: answer "no good match" with suggestions. */
export const CONFIDENCE_MIN = 0.3;
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
const SUGGESTIONS = 3;

interface Scored {
  idx: number;
  relevance: number;
  /** Share of the query's weight this section matched. */
  coverage: number;
}

export function createSearch(artifact: Artifact): RunbookSearch {
  const { docs, index, synonyms, stopWords } = artifact.search;
  const fuse = new Fuse<SearchDoc>(
    docs,
    FUSE_OPTIONS,
    Fuse.parseIndex<SearchDoc>(index as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<SearchDoc>,
  );
  const sections = new Map(artifact.sections.map((s) => [s.id, s]));
  const docSection = docs.map((d) => sections.get(d.id));
  const docIndex = new Map(docs.map((d, i) => [d.id, i]));
  const messages = docs.map((d) => {
    const m = SYMPTOM_TITLE.exec(d.title);
    return m ? normalizePhrase(m[1] ?? '') : '';
  });
  const vocabulary = { synonyms, stopWords };

  function score(q: PreparedQuery): Scored[] {
    const relevance = new Float64Array(docs.length);
    const matched = new Float64Array(docs.length);
    let total = 0;
    for (const term of q.terms) {
      const hits = fuse.search(term.text);
      // Rare words decide; a word (or a fuzzy pattern) that hits most sections barely counts.
      const idf = Math.log(1 + docs.length / (1 + hits.length)) / Math.log(1 + docs.length);
      const w = term.weight * idf;
      total += w;
      for (const h of hits) {
        const rel = 1 - (h.score ?? 1);
        relevance[h.refIndex] = (relevance[h.refIndex] ?? 0) + w * rel;
        if (rel > 0.3) matched[h.refIndex] = (matched[h.refIndex] ?? 0) + w;
      }
    }
    const phraseBoost = exactMessageBoost(q);
    const out: Scored[] = [];
    for (let i = 0; i < docs.length; i++) {
      const base = total > 0 ? (relevance[i] ?? 0) / total : 0;
      const boost = phraseBoost[i] ?? 0;
      if (base <= 0 && boost <= 0) continue;
      out.push({
        idx: i,
        relevance: Math.min(1, base + boost),
        coverage: total > 0 ? (matched[i] ?? 0) / total : 0,
      });
    }
    return preferSymptomHeadings(q, out);
  }

  /** An error message typed or pasted verbatim is the strongest signal there is. */
  function exactMessageBoost(q: PreparedQuery): number[] {
    const boost: number[] = [];
    const whole = q.words.join(' ');
    messages.forEach((m, i) => {
      if (!m) return;
      const quoted = q.phrases.some((p) => p === m || (p.length >= 6 && m.includes(p)));
      const typed = m.split(' ').length >= 2 && ` ${whole} `.includes(` ${m} `);
      if (quoted || typed) boost[i] = 0.5;
    });
    return boost;
  }

  function preferSymptomHeadings(q: PreparedQuery, scored: Scored[]): Scored[] {
    const asksForPart = q.words.some((w) => SYMPTOM_PARTS.some((p) => p.split(' ').includes(w)));
    if (asksForPart) return scored;
    const byIdx = new Map(scored.map((s) => [s.idx, s]));
    for (const s of scored) {
      const section = docSection[s.idx];
      const parentIdx = section?.parent ? docIndex.get(section.parent) : undefined;
      if (parentIdx === undefined || !messages[parentIdx]) continue;
      if (!(SYMPTOM_PARTS as readonly string[]).includes((section?.title ?? '').toLowerCase())) continue;
      const parent = byIdx.get(parentIdx);
      if (parent) {
        parent.relevance = Math.max(parent.relevance, s.relevance);
        parent.coverage = Math.max(parent.coverage, s.coverage);
      } else {
        byIdx.set(parentIdx, { idx: parentIdx, relevance: s.relevance, coverage: s.coverage });
      }
      s.relevance *= 0.5;
    }
    return [...byIdx.values()];
  }

  return {
    search(raw, options = {}) {
      const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
      const q = prepareQuery(raw, vocabulary);
      const empty = {
        query: q.query,
        normalized: q.normalized,
        results: [],
        confident: false,
        suggestions: [],
      };
      if (q.terms.length === 0) return empty;
      const ranked = score(q).sort((a, b) => b.relevance - a.relevance || a.idx - b.idx);
      const toHit = (s: Scored): SearchHit | null => {
        const section = docSection[s.idx];
        return section ? { section, score: round(1 - s.relevance) } : null;
      };
      const best = ranked[0];
      const confident = best !== undefined && best.relevance >= CONFIDENCE_MIN && best.coverage >= 0.5;
      if (!confident) {
        const suggestions = ranked
          .slice(0, SUGGESTIONS)
          .map((s) => docSection[s.idx])
          .filter((s): s is Section => s !== undefined);
        return { ...empty, suggestions };
      }
      const results = ranked
        .slice(0, limit)
        .map(toHit)
        .filter((h): h is SearchHit => h !== null);
      return { query: q.query, normalized: q.normalized, results, confident, suggestions: [] };
    },
  };
}

function round(n: number): number {
  return Math.round(Math.max(0, Math.min(1, n)) * 1000) / 1000;
}
