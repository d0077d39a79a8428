/**
 * The runbook search (engine.ts) with fuse.js proposing typo candidates, ready at once: for the CLI,
 * the evaluation and the benchmarks. The bot loads fuse.js only when a query needs it (lazy.ts).
 */
import type { Artifact } from '../model/model';
import { createSearchEngine, DEFAULT_TUNING, type RunbookSearch, type SearchTuning } from './engine';
import { fuzzyMatcher } from './fuzzy';

export {
  DEFAULT_TUNING,
  type RunbookSearch,
  type SearchHit,
  type SearchOptions,
  type SearchResponse,
  type SearchTuning,
} from './engine';

export function createSearch(artifact: Artifact, tuning: SearchTuning = DEFAULT_TUNING): RunbookSearch {
  return createSearchEngine(artifact, tuning, fuzzyMatcher(artifact.search.fuzzy));
}
