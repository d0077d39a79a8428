/**
 * Words a query says side by side that a section's title says side by side too ("provisioned
 * concurrency", "cache invalidation"): a phrase, better evidence than the same words apart. A general
 * signal, not a rule about any query: how much it counts is `SearchTuning.titlePhraseBoost`, chosen by the
 * cross-validated tuning (test/eval/cv.ts); 0 turns it off.
 */

import type { PreparedQuery } from './query';
import { tokenize } from './query';
import type { RankContext, Ranking } from './rank';

/** Only the best candidates' titles are read: a split artifact decodes a title when it is read. */
const CANDIDATES = 30;

export function preferTitlePhrases(ctx: RankContext, q: PreparedQuery, r: Ranking): void {
  const boost = ctx.tuning.titlePhraseBoost;
  if (!(boost > 0)) return;
  const pairs = adjacentPairs(q.words, ctx.stop);
  if (pairs.size === 0) return;
  for (const { idx } of r.best(CANDIDATES)) {
    const title = ctx.titleOf(idx);
    if (!title) continue;
    const said = adjacentPairs(tokenize(title), ctx.stop);
    let hits = 0;
    for (const p of pairs) if (said.has(p)) hits++;
    if (hits > 0) r.relevance[idx] = r.relevance[idx]! + (boost * hits) / pairs.size;
  }
}

/** Each two words next to each other once stop words are left out, a plural as its singular. */
function adjacentPairs(words: readonly string[], stop: ReadonlySet<string>): Set<string> {
  const content = words
    .filter((w) => !stop.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
  const out = new Set<string>();
  for (let i = 1; i < content.length; i++) out.add(`${content[i - 1]} ${content[i]}`);
  return out;
}
