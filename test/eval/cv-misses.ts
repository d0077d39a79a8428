/**
 * `npm run eval -- --cv --misses` (dev and tuned sets only): why each query of each fold misses under
 * main's numbers: rejected though the right section ranked first (a threshold), rejected and outranked,
 * answered but outranked, or the right section not among the ten best at all (vocabulary, not weights).
 */
import type { Artifact } from '../../src/runbooks/model/model';
import { createSearch, DEFAULT_TUNING, type SearchTuning } from '../../src/runbooks/search/search';
import type { Case } from './cv-procedure';

export type MissKind = 'rejected-first' | 'rejected-outranked' | 'outranked' | 'absent' | 'oos-answered';

export interface Miss {
  q: string;
  fold: string;
  kind: MissKind;
  expect?: string[];
  got: string[];
  /** Where the first expected section stands among the ten best candidates (-1: not there). */
  at: number;
}

export function misses(artifact: Artifact, all: readonly Case[], t: SearchTuning = DEFAULT_TUNING): Miss[] {
  const search = createSearch(artifact, t);
  const out: Miss[] = [];
  for (const c of all) {
    const r = search.search(c.q, { limit: 3, explain: true });
    const candidates = (r.explain ?? []).map((e) => e.id);
    const got = r.results.map((h) => h.section.id);
    if (!c.expect) {
      if (got.length > 0) out.push({ q: c.q, fold: c.fold, kind: 'oos-answered', got, at: -1 });
      continue;
    }
    if (got.length > 0 && c.expect.includes(got[0]!)) continue;
    // A symptom's sub-heading counts as its symptom (the ranking lifts the symptom in its place).
    const at = candidates.findIndex((id) => c.expect!.includes(id));
    const kind: MissKind = r.confident
      ? at >= 0
        ? 'outranked'
        : 'absent'
      : at === 0
        ? 'rejected-first'
        : at > 0
          ? 'rejected-outranked'
          : 'absent';
    out.push({
      q: c.q,
      fold: c.fold,
      kind,
      expect: c.expect,
      got: got.length ? got : candidates.slice(0, 3),
      at,
    });
  }
  return out;
}
