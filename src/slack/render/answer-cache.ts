/**
 * What an answer shows of a section that is the same for every question and every answer: its symptom
 * parts, the variables its commands use, and its first-screen summary at each level (render/answer.ts).
 * Made on a section's first answer and kept for the last `CACHED_SECTIONS` sections answered (a bounded
 * LRU keyed by the section object, so another artifact's sections never meet these entries). Nothing here
 * depends on the query: a warm answer re-ranks and re-renders its buttons, it only stops re-reading the
 * same Markdown. Kept blocks are frozen, since every later answer of that section shares them.
 */
import type { Section } from '../../runbooks/model/model';
import type { SectionLookup } from '../../runbooks/model/split';
import { type PartKey, partsOf, variablesFor } from './answer-parts';
import type { Block } from './blocks';

/** Enough for the sections a team asks about in an incident; each entry is a few KiB. */
export const CACHED_SECTIONS = 64;

export interface SectionRender {
  parts: ReadonlyMap<PartKey, Section>;
  variables: ReadonlyMap<string, string>;
  /** A symptom's first-screen summary per level, with the screen lines it takes (filled as needed). */
  summaries: Array<{ blocks: readonly Block[]; lines: number } | undefined>;
  /** A text of the section's answers that no question changes (its link, path, fallback), made once. */
  text(key: 'url' | 'path' | 'fallback', make: () => string): string;
}

const cache = new Map<Section, SectionRender & { repoUrl: string }>();

export function sectionRender(s: Section, byId: SectionLookup, repoUrl: string): SectionRender {
  const hit = cache.get(s);
  if (hit) cache.delete(s);
  const entry = hit?.repoUrl === repoUrl ? hit : newEntry(s, byId, repoUrl);
  cache.set(s, entry);
  if (cache.size > CACHED_SECTIONS) cache.delete(cache.keys().next().value as Section);
  return entry;
}

function newEntry(s: Section, byId: SectionLookup, repoUrl: string): SectionRender & { repoUrl: string } {
  const texts = new Map<string, string>();
  let variables: ReadonlyMap<string, string> | undefined;
  return {
    repoUrl,
    parts: partsOf(s, byId),
    // Read from the section's and its ancestors' Markdown when an answer first needs them: not on a first
    // screen that comes from the section's answer card (answer.ts `answerCard`).
    get variables() {
      variables ??= variablesFor(s, byId);
      return variables;
    },
    summaries: [],
    text: (key, make) => {
      let value = texts.get(key);
      if (value === undefined) {
        value = make();
        texts.set(key, value);
      }
      return value;
    },
  };
}

/** `value` and everything in it frozen: a shared block cannot be changed by one answer for the next. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** How many sections are kept (for tests of the bound). */
export function cachedSections(): number {
  return cache.size;
}
