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

/**
 * How much a long field is discounted (fuse: 1 / tokens^(0.5 × weight)). Fuse's default 1 all but ignores
 * a match in a long body; a lower value lets a body that holds every query word compete with a title.
 * Stored in the index (`n` of each record), so it applies at build time.
 */
export const FIELD_NORM_WEIGHT = 1;

export const FUSE_OPTIONS: IFuseOptions<SearchDoc> = {
  keys: SEARCH_KEYS.map((k) => ({ ...k })),
  fieldNormWeight: FIELD_NORM_WEIGHT,
  includeScore: true,
  // Words can stand anywhere in a body; bitap's location/distance model is for short strings.
  ignoreLocation: true,
  threshold: 0.3,
  minMatchCharLength: 2,
  shouldSort: true,
  // Words the corpus is known to contain are searched as `'word` (substring, no bitap: fast and exact);
  // only words with no near spelling in the corpus fall back to fuzzy bitap search.
  useExtendedSearch: true,
  // Docs are lower-cased at build time (search-index.ts), so fuse need not lower-case them per search.
  isCaseSensitive: true,
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

/** Query words that ask for one part of a symptom ("verify token expired" → its Verify). */
export const PART_WORDS: Readonly<Record<string, string>> = {
  fix: 'fix',
  fixes: 'fix',
  resolve: 'fix',
  workaround: 'fix',
  verify: 'verify',
  verification: 'verify',
  diagnose: 'diagnosis',
  diagnosis: 'diagnosis',
  investigate: 'diagnosis',
  cause: 'likely causes',
  causes: 'likely causes',
  escalate: 'escalate',
  escalation: 'escalate',
};

/** "how do I …", "steps to …": the asker wants a procedure (a checklist), not a description. */
export const PROCEDURE_INTENT =
  /^(how (do|can|should) (i|we)|how to|steps to|procedure (for|to)|what are the steps)\b/;

/** Keys searched with fuzzy bitap for a word the corpus has no near spelling of. */
export const FUZZY_KEYS = ['title', 'symptom', 'keywords', 'path'] as const;
