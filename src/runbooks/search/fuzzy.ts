/**
 * fuse.js over the words of headings and keywords, from the index the build serialised: it proposes the
 * words a query word the runbooks do not contain may be a typo of; similarity.ts then keeps those within an
 * edit distance of 1 (2 for long words). fuse.js matches words rather than whole sections so that query cost
 * stays flat as the runbooks grow (measured in bench/search-scale.ts: whole-section fuse.js searches took
 * 1.6 s p99 at 100×). Its own module so that the bot can load it only when a query needs it (lazy.ts).
 */
import Fuse from 'fuse.js';
import type { SearchData } from '../model/model';

/** fuse.js candidates checked per unknown query word. */
const FUZZY_CANDIDATES = 25;

/** Proposes corpus words `word` may be a typo of, best first; undefined when the artifact has no fuzzy index. */
export function fuzzyMatcher(fuzzy: SearchData['fuzzy']): ((word: string) => string[]) | undefined {
  if (!fuzzy) return undefined;
  const fuse = new Fuse<string>(
    fuzzy.words,
    { includeScore: true, ignoreLocation: true, isCaseSensitive: true, threshold: 0.4, shouldSort: true },
    Fuse.parseIndex<string>(fuzzy.index as Parameters<typeof Fuse.parseIndex>[0]),
  );
  return (word) => fuse.search(word, { limit: FUZZY_CANDIDATES }).map((r) => r.item);
}
