/**
 * Runtime search over the compiled artifact. Loads the prebuilt fuse.js index (no Markdown, no index
 * building on the request path) and answers in four moves:
 * 1. normalise the query (query.ts): controls, length, case, punctuation, stop words, synonyms;
 * 2. per query word, fuse.js searches the sections (keys weighted title > symptom > keywords > path >
 *    body) for the word and for the corpus words it is a typo or inflection of (similarity.ts);
 * 3. the words' scores add up, each weighted by how rare it is: a word found everywhere says little;
 * 4. re-rank: an exact error message (quoted, or the whole query) lifts its symptom; a query covered by
 *    a section's headings lifts it; a symptom's sub-headings (What you see, Fix, ...) give way to the
 *    symptom heading unless the query asks for that part ("verify token expired").
 * Scores follow fuse's convention: 0 is a perfect match, 1 no match.
 */
import Fuse, { type FuseIndex } from 'fuse.js';
import type { Artifact, SearchDoc, Section } from './model';
import { normalizePhrase, type PreparedQuery, prepareQuery } from './query';
import { FUSE_OPTIONS, PART_WORDS, SYMPTOM_PARTS, SYMPTOM_TITLE } from './search-config';
import { SAME_WORD, Vocabulary } from './similarity';

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
  explain?: { id: string; relevance: number; coverage: number }[];
}

export interface SearchOptions {
  limit?: number;
  /** Adds `explain`: the top candidates' relevance and coverage, for tuning (`npm run eval`). */
  explain?: boolean;
}

export interface RunbookSearch {
  search(query: string, options?: SearchOptions): SearchResponse;
}

/** At least this share of the query's words must occur (or nearly) somewhere in the runbooks ... */
export const MIN_KNOWN_SHARE = 0.5;
/** ... the best section must contain this share of those words' weight ... */
export const MIN_COVERAGE = 0.5;
/** ... and reach this relevance. */
export const MIN_RELEVANCE = 0.25;
/** How much containing the query's words (anywhere in a section) adds to fuse's weighted relevance. */
const COVERAGE_WEIGHT = 0.4;
/** A synonym's match counts this much of a match on the user's own word. */
const SYNONYM_FACTOR = 0.8;
/** A fuse hit on a section that does not contain the word (a fuzzy accident in a long body). */
const ACCIDENT_FACTOR = 0.2;
/** Corpus words tried per query word besides the word itself (typo corrections, inflections). */
const CORRECTIONS = 3;
const EXACT_MESSAGE_BOOST = 0.5;
const HEADING_COVERAGE_BOOST = 0.15;
const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 50;
const SUGGESTIONS = 3;

interface Scored {
  idx: number;
  relevance: number;
  /** Share of the query's weight this section contains. */
  coverage: number;
}

/** A word's result per section: relevance 0..1, and whether the section contains the word. */
interface WordHits {
  rel: Map<number, number>;
  covered: Set<number>;
  inHeadings: Set<number>;
}

export function createSearch(artifact: Artifact): RunbookSearch {
  const { docs, index, synonyms, stopWords } = artifact.search;
  const fuse = new Fuse<SearchDoc>(
    docs,
    FUSE_OPTIONS,
    Fuse.parseIndex<SearchDoc>(index as Parameters<typeof Fuse.parseIndex>[0]) as FuseIndex<SearchDoc>,
  );
  const vocabulary = new Vocabulary(docs);
  const sections = new Map(artifact.sections.map((s) => [s.id, s]));
  const docSection = docs.map((d) => sections.get(d.id));
  const docIndex = new Map(docs.map((d, i) => [d.id, i]));
  const messages = docs.map((d) => normalizePhrase(SYMPTOM_TITLE.exec(d.title)?.[1] ?? ''));
  const n = docs.length;
  const entryPoints = artifact.runbooks
    .map((r) => sections.get(r.sections[0] ?? ''))
    .filter((s): s is Section => s !== undefined);

  function wordHits(word: string, cache: Map<string, WordHits>): WordHits {
    const cached = cache.get(word);
    if (cached) return cached;
    const variants = vocabulary.has(word) ? [{ word, sim: 1 }] : [];
    for (const v of vocabulary.similar(word)) {
      if (variants.length > CORRECTIONS) break;
      if (v.word !== word) variants.push(v);
    }
    const hits: WordHits = { rel: new Map(), covered: new Set(), inHeadings: new Set() };
    for (const v of variants) {
      for (const h of fuse.search(`'${v.word}`)) {
        const contains = vocabulary.docWords[h.refIndex]?.has(v.word) ?? false;
        const rel = (1 - (h.score ?? 1)) * v.sim * (contains ? 1 : ACCIDENT_FACTOR);
        if (rel > (hits.rel.get(h.refIndex) ?? 0)) hits.rel.set(h.refIndex, rel);
        if (contains && v.sim >= SAME_WORD) hits.covered.add(h.refIndex);
        if (vocabulary.headingWords[h.refIndex]?.has(v.word)) hits.inHeadings.add(h.refIndex);
      }
    }
    if (variants.length === 0) {
      // No near spelling anywhere: fuzzy bitap may still find something, but it cannot cover the word.
      for (const h of fuse.search(word)) {
        hits.rel.set(h.refIndex, (1 - (h.score ?? 1)) * ACCIDENT_FACTOR);
      }
    }
    cache.set(word, hits);
    return hits;
  }

  /** A synonym phrase matches where all its words do; its relevance is their mean. */
  function phraseHits(words: string[], cache: Map<string, WordHits>): WordHits {
    const each = words.map((w) => wordHits(w, cache));
    if (each.length === 1) return each[0]!;
    const out: WordHits = { rel: new Map(), covered: new Set(), inHeadings: new Set() };
    for (const [idx] of each[0]!.rel) {
      const rels = each.map((h) => h.rel.get(idx) ?? 0);
      out.rel.set(idx, rels.reduce((a, b) => a + b, 0) / rels.length);
      if (each.every((h) => h.covered.has(idx))) out.covered.add(idx);
      if (each.every((h) => h.inHeadings.has(idx))) out.inHeadings.add(idx);
    }
    return out;
  }

  function score(q: PreparedQuery): { scored: Scored[]; knownShare: number } {
    const cache = new Map<string, WordHits>();
    const relevance = new Float64Array(n);
    const coverage = new Float64Array(n);
    const headingGroups = new Uint16Array(n);
    let total = 0;
    let knownTotal = 0;
    let known = 0;
    for (const group of q.groups) {
      const own = wordHits(group.word, cache);
      const alts = group.alternatives.map((a) => phraseHits(a, cache));
      const rel = new Map(own.rel);
      const covered = new Set(own.covered);
      const inHeadings = new Set(own.inHeadings);
      for (const alt of alts) {
        for (const [idx, r] of alt.rel) rel.set(idx, Math.max(rel.get(idx) ?? 0, r * SYNONYM_FACTOR));
        for (const idx of alt.covered) covered.add(idx);
        for (const idx of alt.inHeadings) inHeadings.add(idx);
      }
      // Rare words decide; a word found in most sections barely counts.
      const idf = Math.log(1 + n / (1 + covered.size)) / Math.log(1 + n);
      total += idf;
      if (covered.size > 0) {
        known++;
        knownTotal += idf;
      }
      for (const [idx, r] of rel) relevance[idx] = (relevance[idx] ?? 0) + idf * r;
      for (const idx of covered) coverage[idx] = (coverage[idx] ?? 0) + idf;
      for (const idx of inHeadings) headingGroups[idx] = (headingGroups[idx] ?? 0) + 1;
    }
    const boost = exactMessageBoost(q);
    const out: Scored[] = [];
    for (let i = 0; i < n; i++) {
      const r = total > 0 ? (relevance[i] ?? 0) / total : 0;
      // Words the corpus does not know at all ("installed", "purple") cannot be covered by any section.
      const c = knownTotal > 0 ? (coverage[i] ?? 0) / knownTotal : 0;
      const headed = known > 0 && headingGroups[i] === known ? HEADING_COVERAGE_BOOST : 0;
      const b = (boost[i] ?? 0) + headed;
      if (r <= 0 && b <= 0) continue;
      out.push({ idx: i, relevance: r + COVERAGE_WEIGHT * c + b, coverage: c });
    }
    return { scored: preferSymptomHeadings(q, out), knownShare: q.groups.length > 0 ? known / q.groups.length : 0 };
  }

  /** An error message typed or pasted verbatim is the strongest signal there is. */
  function exactMessageBoost(q: PreparedQuery): number[] {
    const boost: number[] = [];
    const whole = ` ${q.words.join(' ')} `;
    messages.forEach((m, i) => {
      if (!m) return;
      const quoted = q.phrases.some((p) => p === m || (p.length >= 6 && m.includes(p)));
      const typed = m.includes(' ') && whole.includes(` ${m} `);
      if (quoted || typed) boost[i] = EXACT_MESSAGE_BOOST;
    });
    return boost;
  }

  function preferSymptomHeadings(q: PreparedQuery, scored: Scored[]): Scored[] {
    // The first part the query names ("verify the fix" → verify), if it also names something else.
    const partWords = q.groups.map((g) => PART_WORDS[g.word]);
    const askedPart = partWords.some((p) => p === undefined) ? partWords.find((p) => p !== undefined) : undefined;
    const byIdx = new Map(scored.map((s) => [s.idx, s]));
    for (const s of scored) {
      const section = docSection[s.idx];
      const part = section?.title.toLowerCase() ?? '';
      const parentIdx = section?.parent ? docIndex.get(section.parent) : undefined;
      if (parentIdx === undefined || !messages[parentIdx] || !(SYMPTOM_PARTS as readonly string[]).includes(part)) {
        continue;
      }
      const parent = byIdx.get(parentIdx) ?? { idx: parentIdx, relevance: 0, coverage: 0 };
      byIdx.set(parentIdx, parent);
      if (part === askedPart && parent.coverage >= MIN_COVERAGE) {
        // "verify token expired": the asked-for part, just ahead of its symptom.
        s.relevance = Math.max(s.relevance, parent.relevance) + 0.01;
      } else {
        parent.relevance = Math.max(parent.relevance, s.relevance);
        parent.coverage = Math.max(parent.coverage, s.coverage);
        s.relevance *= 0.5;
      }
    }
    return [...byIdx.values()];
  }

  return {
    search(raw, options = {}) {
      const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
      const q = prepareQuery(raw, { synonyms, stopWords });
      const base = { query: q.query, normalized: q.normalized };
      if (q.groups.length === 0) return { ...base, results: [], confident: false, suggestions: [] };
      const { scored, knownShare } = score(q);
      const ranked = scored.sort((a, b) => b.relevance - a.relevance || a.idx - b.idx);
      const best = ranked[0];
      const explain = options.explain
        ? ranked.slice(0, 10).map((r) => ({ id: docs[r.idx]?.id ?? '', relevance: r.relevance, coverage: r.coverage }))
        : undefined;
      const confident =
        best !== undefined &&
        knownShare >= MIN_KNOWN_SHARE &&
        best.coverage >= MIN_COVERAGE &&
        best.relevance >= MIN_RELEVANCE;
      const pick = (list: Scored[]) =>
        list.map((s) => ({ s, section: docSection[s.idx] })).filter((x) => x.section !== undefined);
      if (!confident) {
        const near = pick(ranked.filter((s) => s.coverage > 0).slice(0, SUGGESTIONS)).map((x) => x.section!);
        // Nothing even partly matched: offer the runbooks themselves rather than a random section.
        const suggestions = near.length > 0 ? near : entryPoints;
        return { ...base, results: [], confident, suggestions, ...(explain && { explain }) };
      }
      const results = pick(ranked.slice(0, limit)).map((x) => ({
        section: x.section!,
        score: toScore(x.s.relevance),
      }));
      return { ...base, results, confident, suggestions: [], ...(explain && { explain }) };
    },
  };
}

/** Relevance (higher better, boosts may pass 1) → fuse-style score in [0, 1], lower better. */
function toScore(relevance: number): number {
  const max = 1 + COVERAGE_WEIGHT + EXACT_MESSAGE_BOOST + HEADING_COVERAGE_BOOST;
  return Math.round(Math.max(0, 1 - relevance / max) * 1000) / 1000;
}
