/**
 * What the bot learned from use, for runbook authors (issue 20): the queries nothing answered well, and per
 * section the queries that people answered with it (Helpful, or the Other match they opened instead) and
 * those they rejected (Not this), with a suggested `keywords=` line made of the words those queries use
 * and the section does not. Pure: records and the artifact in, a report out (`runbook report`, playground).
 */
import type { Artifact } from '../runbooks/model/model';
import { INVISIBLE } from '../runbooks/search/letter-classes';
import { tokenize } from '../runbooks/search/query';

/**
 * One piece of search feedback, as stored (src/store/store.ts). Only Slack user ids and the query as
 * typed: never message text, names or anything else a user wrote.
 */
export interface FeedbackRecord {
  /** Unique per event: the Slack action (or the command's trigger), so a retry writes nothing new. */
  id: string;
  /** ISO time. */
  at: string;
  /**
   * `no-match`: no confident answer; `helpful` / `not-this`: the buttons on an answer; `chose-other`:
   * someone opened one of the "Other matches" (or a "Did you mean") instead of the answer shown.
   */
  kind: 'no-match' | 'helpful' | 'not-this' | 'chose-other';
  /** The query as the user typed it (capped), or '' when unknown. */
  query: string;
  /** The section the feedback is about (helpful, not-this) or the one chosen (chose-other). */
  sectionId: string | null;
  /** The answer that was shown first (not-this, chose-other), null after "no good match". */
  shownId: string | null;
  /** Slack user id (`U…`). */
  user: string;
}

export interface QueryCount {
  query: string;
  count: number;
  /** Different people who asked it. */
  users: number;
}

export interface SectionReport {
  id: string;
  title: string;
  /** Queries people answered with this section (Helpful, or chosen over the answer shown). */
  chosen: QueryCount[];
  /** Queries for which people said this section was not it. */
  rejected: QueryCount[];
  /** `keywords="…"`: the chosen queries' words the section does not hold yet; '' when none. */
  suggestedKeywords: string;
}

export interface FeedbackReport {
  since: string;
  until: string;
  records: number;
  /** No good match, most asked first; with what people opened afterwards, if anything. */
  unanswered: (QueryCount & { thenChose: string[] })[];
  sections: SectionReport[];
  /**
   * Entries for runbooks/phrasings.json's `inScope` (what the search learns from, compile/learn.ts): each
   * query people answered with a section (Helpful, or the match they opened instead, after an answer or
   * after "no good match") and never rejected it for; queries by first appearance, sections in order.
   */
  suggestedPhrasings: { q: string; expect: string[] }[];
}

/**
 * Queries compared as people mean them: case and spacing do not make another query. Control and bidi
 * characters go too (letter-classes.ts INVISIBLE): a query is anyone's text, and the report is printed in
 * an author's terminal, where ESC sequences would recolour, hide or rewrite lines.
 */
const normalize = (q: string) => q.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim().toLowerCase();

function counts(records: readonly FeedbackRecord[]): QueryCount[] {
  const byQuery = new Map<string, { count: number; users: Set<string> }>();
  for (const r of records) {
    const q = normalize(r.query);
    if (!q) continue;
    const entry = byQuery.get(q) ?? { count: 0, users: new Set<string>() };
    entry.count++;
    entry.users.add(r.user);
    byQuery.set(q, entry);
  }
  return [...byQuery]
    .map(([query, e]) => ({ query, count: e.count, users: e.users.size }))
    .sort((a, b) => b.count - a.count || a.query.localeCompare(b.query));
}

/** A Slack mention, broadcast or channel link as the query was recorded. */
const SLACK_TOKENS = /<[@#!][^<>]*>/g;

/** At most this many words in a suggested keywords line: hints, not a copy of every query. */
const MAX_KEYWORDS = 12;

export function buildFeedbackReport(
  records: readonly FeedbackRecord[],
  artifact: Pick<Artifact, 'sections'> & { search: Pick<Artifact['search'], 'stopWords'> },
  window: { since: string; until: string },
): FeedbackReport {
  const stop = new Set(artifact.search.stopWords);
  const byId = new Map(artifact.sections.map((s) => [s.id, s]));
  const noMatch = records.filter((r) => r.kind === 'no-match');
  const choseAfter = records.filter((r) => r.kind === 'chose-other' && r.shownId === null);
  const unanswered = counts(noMatch).map((c) => ({
    ...c,
    thenChose: [
      ...new Set(
        choseAfter
          .filter((r) => normalize(r.query) === c.query && r.sectionId)
          .map((r) => byId.get(r.sectionId ?? '')?.title ?? (r.sectionId as string)),
      ),
    ],
  }));

  const ids = new Set(records.flatMap((r) => (r.sectionId && r.kind !== 'no-match' ? [r.sectionId] : [])));
  const sections: SectionReport[] = [];
  for (const id of ids) {
    const s = byId.get(id);
    const chosen = counts(
      records.filter((r) => r.sectionId === id && (r.kind === 'helpful' || r.kind === 'chose-other')),
    );
    const rejected = counts(records.filter((r) => r.sectionId === id && r.kind === 'not-this'));
    const held = new Set(
      tokenize([s?.title ?? '', ...(s?.headings ?? []), s?.directives['keywords'] ?? ''].join(' ')),
    );
    const words: string[] = [];
    for (const { query } of chosen) {
      for (const w of tokenize(query)) {
        if (w.length < 3 || stop.has(w) || held.has(w) || /^\d+$/.test(w) || words.includes(w)) continue;
        words.push(w);
      }
    }
    const existing = s?.directives['keywords'] ?? '';
    const suggested = words.slice(0, MAX_KEYWORDS);
    sections.push({
      id,
      title: s?.title ?? id,
      chosen,
      rejected,
      suggestedKeywords:
        suggested.length > 0 ? `keywords="${[existing, ...suggested].filter(Boolean).join(' ')}"` : '',
    });
  }
  const rejectedFor = new Set(
    records.filter((r) => r.kind === 'not-this').map((r) => `${normalize(r.query)}\n${r.sectionId}`),
  );
  const taught = new Map<string, string[]>();
  for (const r of records) {
    // Without Slack's mentions and broadcasts (`<@U…>`, `<!here>`, `<#C…|name>`): the search never sees
    // them, and a member's id has no place in the runbooks' repository.
    const q = normalize(r.query.replace(SLACK_TOKENS, ' '));
    const id = r.sectionId;
    if (!q || !id || !byId.has(id) || (r.kind !== 'helpful' && r.kind !== 'chose-other')) continue;
    if (rejectedFor.has(`${q}\n${id}`)) continue;
    const expect = taught.get(q) ?? [];
    if (!expect.includes(id)) expect.push(id);
    taught.set(q, expect);
  }
  const suggestedPhrasings = [...taught].map(([q, expect]) => ({ q, expect }));
  const weight = (x: SectionReport) =>
    x.chosen.reduce((n, c) => n + c.count, 0) + x.rejected.reduce((n, c) => n + c.count, 0);
  sections.sort((a, b) => weight(b) - weight(a) || a.id.localeCompare(b.id));
  return { ...window, records: records.length, unanswered, sections, suggestedPhrasings };
}

/** The report as plain text, for a terminal or a code block. */
export function formatFeedbackReport(report: FeedbackReport): string {
  const lines: string[] = [
    `Search feedback ${report.since.slice(0, 10)} → ${report.until.slice(0, 10)}: ${report.records} record(s)`,
    '',
    `Unanswered queries (no good match): ${report.unanswered.length}`,
  ];
  const asked = (c: QueryCount) => `${c.count}× "${c.query}"${c.users > 1 ? ` (${c.users} people)` : ''}`;
  for (const u of report.unanswered) {
    lines.push(`  ${asked(u)}${u.thenChose.length > 0 ? ` → then opened: ${u.thenChose.join(', ')}` : ''}`);
  }
  lines.push('', `Sections people chose or rejected: ${report.sections.length}`);
  for (const s of report.sections) {
    lines.push(`  ${s.id} — ${s.title}`);
    for (const c of s.chosen) lines.push(`    chosen for ${asked(c)}`);
    for (const c of s.rejected) lines.push(`    not this, for ${asked(c)}`);
    if (s.suggestedKeywords) lines.push(`    suggested hint: <!-- bot: ${s.suggestedKeywords} -->`);
  }
  if (report.suggestedPhrasings.length > 0) {
    lines.push(
      '',
      'For runbooks/phrasings.json "inScope" (the search learns from it; review each before adding):',
    );
    for (const p of report.suggestedPhrasings) lines.push(`  ${JSON.stringify(p)},`);
  }
  if (report.records === 0)
    lines.push('', 'Nothing recorded yet: answers need Helpful / Not this clicks and searches.');
  return `${lines.join('\n')}\n`;
}
