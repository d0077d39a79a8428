/**
 * Ranking for the runtime search (search.ts): each query word is scored per section from the prebuilt
 * inverted index by two lexical signals, fused by a weighted sum: fuse.js's field-weighted match score
 * (which fields hold the word, discounted by field length) and BM25 (how often, for the section's
 * length). The words' scores are then combined and re-ranked. Numbers live in `SearchTuning`, tuned with
 * `npm run eval`.
 */
import type { Section } from './model';
import type { PreparedQuery } from './query';
import { PART_WORDS, PROCEDURE_INTENT, SEARCH_KEYS, SYMPTOM_PARTS } from './search-config';
import { SAME_WORD, type Vocabulary } from './similarity';

export interface SearchTuning {
  /** At least this share of the query's words must occur (or nearly) somewhere in the runbooks ... */
  minKnownShare: number;
  /** ... the best section must contain this share of those words' weight ... */
  minCoverage: number;
  /** ... and reach this relevance; otherwise the answer is "no good match". */
  minRelevance: number;
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
  /** Every query word is in the section's title, heading path or keywords. */
  headingBoost: number;
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
  /** A named checklist's section takes this share of its best step's or phase's relevance. */
  procedureInherit: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  minKnownShare: 0.5,
  minCoverage: 0.4,
  minRelevance: 0.45,
  coverageWeight: 0.4,
  synonymFactor: 0.8,
  accidentFactor: 0.2,
  corrections: 3,
  exactMessageBoost: 0.5,
  headingBoost: 0.15,
  partDemotion: 0.5,
  procedureBoost: 0.2,
  bm25Weight: 0.3,
  bm25K1: 1.2,
  bm25B: 0.75,
  procedureIntentBoost: 0.1,
  procedureInherit: 0.9,
};

export interface Scored {
  idx: number;
  relevance: number;
  /** Share of the known query words' weight this section contains. */
  coverage: number;
}

/** One word's result per section: relevance 0..1, whether it contains the word, and in its headings. */
interface WordHits {
  rel: Map<number, number>;
  covered: Set<number>;
  inHeadings: Set<number>;
}

export interface RankContext {
  vocabulary: Vocabulary;
  /** Per document, per SEARCH_KEYS field (flattened): length norm 1/√tokens. */
  norms: readonly number[];
  /** Per document: weighted token count; and its mean. */
  lengths: readonly number[];
  avgLength: number;
  docSection: (Section | undefined)[];
  docIndex: Map<string, number>;
  /** Normalised error message of each symptom section (`token expired`), else ''. */
  messages: string[];
  /** Per section: the checklist root whose subtree holds it, if any. */
  procedureOf: (number | undefined)[];
  /** Per checklist root: its command phrases as word lists (stop words removed). */
  commands: Map<number, string[][]>;
  tuning: SearchTuning;
}

export function rank(ctx: RankContext, q: PreparedQuery): { scored: Scored[]; knownShare: number } {
  const { tuning: t } = ctx;
  const n = ctx.docSection.length;
  const cache = new Map<string, WordHits>();
  const relevance = new Float64Array(n);
  const coverage = new Float64Array(n);
  const headingGroups = new Uint16Array(n);
  let total = 0;
  let knownTotal = 0;
  let known = 0;
  for (const group of q.groups) {
    const hits = mergeAlternatives(
      phraseHits(ctx, group.words, cache),
      group.alternatives.map((a) => phraseHits(ctx, a, cache)),
      group.idiom ? 1 : t.synonymFactor,
    );
    // BM25's idf: rare words decide, a word found in most sections barely counts.
    const df = hits.covered.size;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    total += idf;
    if (df > 0) {
      known++;
      knownTotal += idf;
    }
    for (const [idx, r] of hits.rel) relevance[idx] = (relevance[idx] ?? 0) + idf * r;
    for (const idx of hits.covered) coverage[idx] = (coverage[idx] ?? 0) + idf;
    for (const idx of hits.inHeadings) headingGroups[idx] = (headingGroups[idx] ?? 0) + 1;
  }
  const boost = exactMessageBoost(ctx, q);
  const out: Scored[] = [];
  for (let i = 0; i < n; i++) {
    const r = total > 0 ? (relevance[i] ?? 0) / total : 0;
    // Words the corpus does not know at all ("purple") cannot be covered by any section.
    const c = knownTotal > 0 ? (coverage[i] ?? 0) / knownTotal : 0;
    const headed = known > 0 && headingGroups[i] === known ? t.headingBoost : 0;
    const b = (boost[i] ?? 0) + headed;
    if (r <= 0 && b <= 0) continue;
    out.push({ idx: i, relevance: r + t.coverageWeight * c + b, coverage: c });
  }
  preferNamedProcedures(ctx, q, out);
  return {
    scored: preferSymptomHeadings(ctx, q, out),
    knownShare: q.groups.length > 0 ? known / q.groups.length : 0,
  };
}

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
  const hits: WordHits = { rel: new Map(), covered: new Set(), inHeadings: new Set() };
  const fields = new Map<number, number>();
  for (const v of variants) {
    // Fields holding the word, as a word or inside one (`dr` in `address`, a fuse.js-style accident).
    fields.clear();
    for (const p of vocabulary.containing(v.word)) {
      for (let i = 0; i < p.docs.length; i++) {
        const doc = p.docs[i]!;
        fields.set(doc, (fields.get(doc) ?? 0) | p.masks[i]!);
      }
    }
    const exact = new Map<number, number>();
    const own = vocabulary.postings(v.word);
    if (own) {
      for (let i = 0; i < own.docs.length; i++) {
        const doc = own.docs[i]!;
        exact.set(doc, own.counts[i]!);
        if (v.sim >= SAME_WORD) hits.covered.add(doc);
        if (own.masks[i]! & HEADING_MASK) hits.inHeadings.add(doc);
      }
    }
    for (const [doc, mask] of fields) {
      const count = exact.get(doc);
      const lexical =
        count === undefined
          ? fieldScore(ctx, doc, mask) * tuning.accidentFactor
          : (1 - tuning.bm25Weight) * fieldScore(ctx, doc, mask) + tuning.bm25Weight * bm25(ctx, doc, count);
      const rel = lexical * v.sim;
      if (rel > (hits.rel.get(doc) ?? 0)) hits.rel.set(doc, rel);
    }
  }
  cache.set(word, hits);
  return hits;
}

/** A synonym phrase (`route 53`) matches where all its words do; its relevance is their mean. */
function phraseHits(ctx: RankContext, words: string[], cache: Map<string, WordHits>): WordHits {
  const each = words.map((w) => wordHits(ctx, w, cache));
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

function mergeAlternatives(own: WordHits, alts: WordHits[], factor: number): WordHits {
  const out: WordHits = {
    rel: new Map(own.rel),
    covered: new Set(own.covered),
    inHeadings: new Set(own.inHeadings),
  };
  for (const alt of alts) {
    for (const [idx, r] of alt.rel) out.rel.set(idx, Math.max(out.rel.get(idx) ?? 0, r * factor));
    for (const idx of alt.covered) out.covered.add(idx);
    for (const idx of alt.inHeadings) out.inHeadings.add(idx);
  }
  return out;
}

/** An error message typed or pasted verbatim (quoted or not) is the strongest signal there is. */
function exactMessageBoost(ctx: RankContext, q: PreparedQuery): number[] {
  const boost: number[] = [];
  const whole = ` ${q.words.join(' ')} `;
  ctx.messages.forEach((m, i) => {
    if (!m) return;
    const quoted = q.phrases.some((p) => p === m || (p.length >= 6 && m.includes(p)));
    const typed = m.includes(' ') && whole.includes(` ${m} `);
    if (quoted || typed) boost[i] = ctx.tuning.exactMessageBoost;
  });
  return boost;
}

/** "failover", "promote dev to sit", "rollback": the query names a procedure, so prefer its checklist. */
function preferNamedProcedures(ctx: RankContext, q: PreparedQuery, scored: Scored[]): void {
  const said = new Set<string>();
  for (const g of q.groups) for (const w of [...g.words, ...g.alternatives.flat()]) said.add(w);
  const named = new Set<number>();
  for (const [root, phrases] of ctx.commands) {
    if (phrases.some((p) => p.length > 0 && p.every((w) => said.has(w)))) named.add(root);
  }
  const wantsProcedure = PROCEDURE_INTENT.test(q.words.join(' '));
  const best = new Map<number, number>();
  for (const s of scored) {
    const root = ctx.procedureOf[s.idx];
    if (root === undefined) continue;
    if (wantsProcedure) s.relevance += ctx.tuning.procedureIntentBoost;
    if (!named.has(root)) continue;
    s.relevance += ctx.tuning.procedureBoost;
    if (root !== s.idx) best.set(root, Math.max(best.get(root) ?? 0, s.relevance));
  }
  for (const s of scored) {
    const inherited = best.get(s.idx);
    if (inherited !== undefined) s.relevance = Math.max(s.relevance, inherited * ctx.tuning.procedureInherit);
  }
}

/**
 * A symptom's sub-headings (What you see, Fix, ...) give way to the symptom heading, which takes their
 * best score; unless the query names that part and the symptom ("verify the token expired fix").
 */
function preferSymptomHeadings(ctx: RankContext, q: PreparedQuery, scored: Scored[]): Scored[] {
  const partWords = q.groups.map((g) => PART_WORDS[g.word]);
  const partOnly = partWords.every((p) => p !== undefined);
  const askedPart = partOnly ? undefined : partWords.find((p) => p !== undefined);
  const byIdx = new Map(scored.map((s) => [s.idx, s]));
  for (const s of scored) {
    const section = ctx.docSection[s.idx];
    const part = section?.title.toLowerCase() ?? '';
    const parentIdx = section?.parent ? ctx.docIndex.get(section.parent) : undefined;
    if (parentIdx === undefined || !ctx.messages[parentIdx]) continue;
    if (!(SYMPTOM_PARTS as readonly string[]).includes(part)) continue;
    const parent = byIdx.get(parentIdx) ?? { idx: parentIdx, relevance: 0, coverage: 0 };
    byIdx.set(parentIdx, parent);
    if (part === askedPart && parent.coverage >= ctx.tuning.minCoverage) {
      s.relevance = Math.max(s.relevance, parent.relevance) + 0.01;
    } else if (partOnly) {
      // "who do I escalate to" names no symptom: every symptom's Escalate matching says nothing.
      s.relevance *= ctx.tuning.partDemotion;
    } else {
      parent.relevance = Math.max(parent.relevance, s.relevance);
      parent.coverage = Math.max(parent.coverage, s.coverage);
      s.relevance *= ctx.tuning.partDemotion;
    }
  }
  return [...byIdx.values()];
}
