import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/runbooks/model/model';
import {
  buildFeedbackReport,
  type FeedbackRecord,
  formatFeedbackReport,
} from '../../src/workflows/feedback-report';

const section = (id: string, title: string, keywords = ''): Section => ({
  id,
  file: id.split('#')[0]!,
  anchor: id.split('#')[1]!,
  level: 3,
  title,
  headings: ['Issues', title],
  line: 1,
  markdown: '',
  text: '',
  summary: '',
  code: [],
  tables: [],
  directives: keywords ? { keywords } : {},
  parent: null,
  children: [],
});

const artifact = {
  sections: [
    section('T.md#token', '"Token expired" — Cognito refresh', 'jwt 401'),
    section('T.md#cold', 'API timeout'),
  ],
  search: { stopWords: ['the', 'my', 'after', 'get'] },
};
const window = { since: '2031-01-01T00:00:00.000Z', until: '2031-01-31T00:00:00.000Z' };
let n = 0;
const rec = (
  kind: FeedbackRecord['kind'],
  query: string,
  sectionId: string | null,
  user = 'U1',
  shownId: string | null = null,
): FeedbackRecord => ({
  id: `r${n++}`,
  at: '2031-01-02T00:00:00.000Z',
  kind,
  query,
  sectionId,
  shownId,
  user,
});

describe('the feedback report', () => {
  it('prints no terminal control or bidi characters from a query, and groups the query without them', () => {
    const report = buildFeedbackReport(
      [
        rec('no-match', 'kicked out\u202e hourly', null, 'U1'),
        rec('no-match', 'Kicked out hourly', null, 'U2'),
        rec('no-match', 'weird\u001b[2K\u001b[1A\rthing\u009b31m', null, 'U3'),
      ],
      artifact as never,
      window,
    );
    const text = formatFeedbackReport(report);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(report.unanswered).toEqual([
      expect.objectContaining({ query: 'kicked out hourly', count: 2, users: 2 }),
      expect.objectContaining({ query: 'weird [2k [1a thing 31m', count: 1 }),
    ]);
  });

  it('groups unanswered queries, most asked first, with what people opened afterwards', () => {
    const report = buildFeedbackReport(
      [
        rec('no-match', 'Kicked out hourly', null, 'U1'),
        rec('no-match', 'kicked  out hourly', null, 'U2'),
        rec('no-match', 'weird thing', null),
        rec('chose-other', 'kicked out hourly', 'T.md#token', 'U2'),
      ],
      artifact,
      window,
    );
    expect(report.unanswered).toEqual([
      { query: 'kicked out hourly', count: 2, users: 2, thenChose: ['"Token expired" — Cognito refresh'] },
      { query: 'weird thing', count: 1, users: 1, thenChose: [] },
    ]);
  });

  it('lists per section the queries it answered and those it did not, with a keywords line of the new words', () => {
    const report = buildFeedbackReport(
      [
        rec('helpful', 'jwt expired after login', 'T.md#token'),
        rec('chose-other', 'my session keeps dropping', 'T.md#token', 'U3', 'T.md#cold'),
        rec('not-this', 'first call slow', 'T.md#token'),
      ],
      artifact,
      window,
    );
    const token = report.sections.find((s) => s.id === 'T.md#token')!;
    expect(token.chosen.map((c) => c.query)).toEqual([
      'jwt expired after login',
      'my session keeps dropping',
    ]);
    expect(token.rejected.map((c) => c.query)).toEqual(['first call slow']);
    // Words the section holds (title, keywords) and stop words are left out; the existing hint is kept.
    expect(token.suggestedKeywords).toBe('keywords="jwt 401 login session keeps dropping"');
    const text = formatFeedbackReport(report);
    expect(text).toContain('suggested hint: <!-- bot: keywords="jwt 401 login session keeps dropping" -->');
    expect(text).toContain('not this, for 1× "first call slow"');
  });
});

describe('the feedback report, for phrasings.json', () => {
  it('suggests each query people answered with a section and never rejected it for, as an inScope entry', () => {
    const report = buildFeedbackReport(
      [
        rec('no-match', 'Kicked out hourly', null, 'U1'),
        rec('chose-other', 'kicked out hourly', 'T.md#token', 'U2'),
        rec('helpful', 'first call slow', 'T.md#cold', 'U1'),
        rec('helpful', 'first call slow', 'T.md#cold', 'U3'),
        rec('chose-other', 'jwt dead', 'T.md#cold', 'U1', 'T.md#token'),
        rec('not-this', 'jwt dead', 'T.md#cold', 'U2'),
        rec('helpful', 'gone section', 'T.md#renamed', 'U1'),
        rec('helpful', '<@U123ABC> <!here> API timeout again', 'T.md#cold', 'U4'),
      ],
      artifact,
      window,
    );
    expect(report.suggestedPhrasings).toEqual([
      { q: 'kicked out hourly', expect: ['T.md#token'] },
      { q: 'first call slow', expect: ['T.md#cold'] },
      // Without the mention and the broadcast: no member's id goes into the repository.
      { q: 'api timeout again', expect: ['T.md#cold'] },
    ]);
    expect(formatFeedbackReport(report)).toContain(
      'For runbooks/phrasings.json "inScope" (the search learns from it; review each before adding):\n' +
        '  {"q":"kicked out hourly","expect":["T.md#token"]},\n' +
        '  {"q":"first call slow","expect":["T.md#cold"]},\n',
    );
  });
});
