/**
 * The runbook search for the bot: fuse.js (fuzzy.ts, 26 KiB) is imported only when a query has a word
 * the runbooks do not contain, so a cold start answering a query the runbooks know loads no typo matcher.
 * `prepare(query)` loads it when `query` needs it; callers on the Slack path await it before `search()`,
 * which then answers exactly as search.ts's `createSearch` does. A `search()` that needs the matcher before
 * it is loaded checks every corpus word of a similar length instead (a wider, slower net; not remembered)
 * and starts loading it.
 */
import type { Artifact } from '../model/model';
import { hasTypoIndex } from '../model/split';
import { createSearchEngine, DEFAULT_TUNING, type RunbookSearch, type SearchTuning } from './engine';

export function createLazySearch(artifact: Artifact, tuning: SearchTuning = DEFAULT_TUNING): RunbookSearch {
  // Read when first needed: a split artifact parses the typo index's file then (model/split.ts).
  const fuzzy = hasTypoIndex(artifact);
  let matcher: ((word: string) => string[]) | undefined;
  let loading: Promise<void> | undefined;
  const load = (): Promise<void> => {
    loading ??= import('./fuzzy.js').then(
      (m) => {
        matcher = m.fuzzyMatcher(artifact.search.fuzzy);
      },
      (error: unknown) => {
        loading = undefined; // let a later query retry
        throw error;
      },
    );
    return loading;
  };
  const engine = createSearchEngine(
    artifact,
    tuning,
    fuzzy
      ? (word) => {
          if (matcher) return matcher(word);
          load().catch(() => undefined);
          return undefined;
        }
      : undefined,
  );
  return {
    search: (query, options) => engine.search(query, options),
    async prepare(query) {
      if (fuzzy && !matcher && engine.typoWords(query).length > 0) await load();
    },
  };
}
