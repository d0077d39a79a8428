/**
 * What the askers taught the search (runbooks/phrasings.json, learned by compile/learn.ts): for one
 * query, how probable each section is as its answer, and how probable it is that the question is none
 * of the runbooks' business. The ranking's rules (rank.ts) know the runbooks' words; this knows how
 * people on call actually phrase things ("users get booted every few minutes", "the Irish replica"),
 * learned from thousands of asked queries and the sections that answered them.
 *
 * A multinomial naive Bayes: score(c) = log P(c) + Σ over the query's kept features f of
 * log((w(c,f) + α) / (total(c) + α·V)), softmax over the classes at a temperature. Features the asked
 * queries did not hold at least twice count for no class (they say nothing learned).
 */
import type { LearnedData } from '../model/model';
import { findInTextTable } from '../model/text-table';
import type { QueryGroup } from './query';

/** The class of questions that are none of the runbooks' business. */
export const NOT_OURS = '';

/**
 * The features of a prepared query: each of its words, each word of the synonym phrases it stands for
 * (marked `~`), and each pair of neighbouring groups (`a|b`). Made the same way at build time and at
 * query time, from the same normalisation (query.ts), so they agree.
 */
export function queryFeatures(groups: readonly Pick<QueryGroup, 'words' | 'alternatives'>[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    out.push(...g.words);
    for (const alt of g.alternatives) for (const w of alt) out.push(`~${w}`);
  }
  for (let i = 1; i < groups.length; i++)
    out.push(`${groups[i - 1]!.words.join(' ')}|${groups[i]!.words.join(' ')}`);
  return out;
}

export interface Learned {
  /** Per class (`LearnedData.classes` order), its probability for these features. Sums to 1. */
  probabilities(features: readonly string[]): Float64Array;
  /**
   * Whether askers the runbooks answered used `word` more than askers they did not, per asker (weights
   * summed over the classes, divided by how many queries each side learned from): false for a word the
   * model never kept. "datadog" or "litter" say the question is about
   * something else; "proxy" or "rush", that it is one of ours in words the runbooks do not use.
   */
  saidByOurs(word: string): boolean;
  readonly classes: readonly string[];
}

/** Each `class:weight` pair of a table line's weights (as `findInTextTable` returns them). */
function eachWeight(weights: string, use: (c: number, w: number) => void): void {
  for (const pair of weights.split(' ')) {
    const cut = pair.indexOf(':');
    use(Number(pair.slice(0, cut)), Number(pair.slice(cut + 1)));
  }
}

/** The model over `data`; its table is read in place (a feature found by binary search). */
export function learnedModel(data: LearnedData): Learned {
  const n = data.classes.length;
  const all = data.counts.reduce((a, b) => a + b, 0);
  const notOurs = data.classes.indexOf(NOT_OURS);
  // How many asked queries each side learned from: a word is compared per asker, not in raw weight (in-scope
  // askers outnumber the out-of-scope ones about 3.5 to 1).
  const notOursAsked = notOurs >= 0 ? data.counts[notOurs]! : 0;
  const oursAsked = all - notOursAsked;
  // Per class: log P(c), and the log of a feature it never saw (the smoothing's share).
  const prior = new Float64Array(n);
  const unseen = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    prior[c] = Math.log(Math.max(data.counts[c]!, 1e-9) / all);
    unseen[c] = Math.log(data.alpha / (data.totals[c]! + data.alpha * data.vocabulary));
  }
  return {
    classes: data.classes,
    saidByOurs(word) {
      const weights = findInTextTable(data.table, word);
      if (weights === undefined) return false;
      let ours = 0;
      let not = 0;
      eachWeight(weights, (c, w) => {
        if (c === notOurs) not += w;
        else ours += w;
      });
      return ours * Math.max(notOursAsked, 1) > not * Math.max(oursAsked, 1);
    },
    probabilities(features) {
      const score = Float64Array.from(prior);
      let kept = 0;
      for (const f of features) {
        const weights = findInTextTable(data.table, f);
        if (weights === undefined) continue;
        kept++;
        // A class that saw the feature gains log((w + α) / α) over one that did not.
        eachWeight(weights, (c, w) => {
          if (c >= 0 && c < n) score[c]! += Math.log((w + data.alpha) / data.alpha);
        });
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < n; c++) {
        score[c]! += kept * unseen[c]!;
        if (score[c]! > max) max = score[c]!;
      }
      let sum = 0;
      for (let c = 0; c < n; c++) {
        score[c] = Math.exp((score[c]! - max) / data.temperature);
        sum += score[c]!;
      }
      for (let c = 0; c < n; c++) score[c]! /= sum;
      return score;
    },
  };
}
