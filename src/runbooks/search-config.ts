/**
 * Fuse.js keys and options: one definition for the index built at compile time and the searcher that
 * loads it, so the two cannot drift apart.
 */
import type { IFuseOptions } from 'fuse.js';
import type { SearchDoc } from './model';

/** Heading words and error messages say most about a section; its body least. */
export const SEARCH_KEYS = [
  { name: 'title', weight: 4 },
  { name: 'symptom', weight: 3 },
  { name: 'keywords', weight: 3 },
  { name: 'path', weight: 2 },
  { name: 'body', weight: 1 },
] as const satisfies readonly { name: keyof SearchDoc; weight: number }[];

export const FUSE_OPTIONS: IFuseOptions<SearchDoc> = {
  keys: SEARCH_KEYS.map((k) => ({ ...k })),
  includeScore: true,
  // Words can stand anywhere in a body; bitap's location/distance model is for short strings.
  ignoreLocation: true,
  threshold: 0.3,
  minMatchCharLength: 2,
  shouldSort: true,
  // Words the corpus is known to contain are searched as `'word` (substring, no bitap: fast and exact);
  // only words with no near spelling in the corpus fall back to fuzzy bitap search.
  useExtendedSearch: true,
};

/** Sub-headings of a troubleshooting symptom: the symptom heading is the better answer to show. */
export const SYMPTOM_PARTS = [
  'what you see',
  'likely causes',
  'diagnosis',
  'fix',
  'verify',
  'escalate',
] as const;

/** `"Token expired" — Cognito refresh` → message `Token expired`, cause `Cognito refresh`. */
export const SYMPTOM_TITLE = /^["“](.+?)["”]\s*[—–-]+\s*(.+)$/;
