/**
 * Found in a review (helper-210): the exported timeline as thread messages (Export's fallback when the
 * upload fails) must be as readable as the file: people by name, never a raw mention, also in the reasons
 * the bot wrote for a refusal (authorize.ts writes `<@U…>` into them, which showed as the literal text);
 * tables aligned as Slack shows them (padding counted `&gt;` as four characters where Slack shows one).
 */
import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../src/slack/render/checklist-timeline';
import { renderTimelineExport } from '../../src/slack/render/checklist-timeline-file';
import { play } from './fixtures';

describe('timeline: a refusal reason that names someone', () => {
  // USEC marks build done; U03 tries to undo it: refused, and the reason the bot records names USEC as a
  // mention ("Only <@USEC> (who marked step 1 …) or <@UIC> (who started this run) can undo it.").
  const { state, events } = play([
    [5, 'USEC', { type: 'done', stepId: 'build' }],
    [11, 'U03', { type: 'undo', stepId: 'build' }],
  ]);
  const names = { USEC: 'Sam', U03: 'Kim' };
  const refused = events.find((e) => (e.type === 'refused' || e.type === 'gate_refused') && e.user === 'U03');

  it('the file shows the name (control: the plain-text export reads the mention)', () => {
    expect(refused?.reason).toContain('<@USEC>');
    const file = renderTimelineExport({ state, events, names }).files[0]!.content;
    expect(file).not.toContain('USEC');
    expect(file).toContain('@Sam');
  });

  it('the thread messages show the name, not the raw `<@USEC>` as text', () => {
    const md = renderTimeline({ state, events, names });
    // In the log line and the Refused signatures table alike: the name, as the file has it.
    expect(md).not.toContain('&lt;@USEC&gt;');
    expect(md).not.toContain('<@USEC>');
    expect(md).toContain('Only @Sam (who marked');
  });
});

describe('timeline thread messages: tables stay aligned as Slack shows them', () => {
  // A skip reason with a character Slack needs escaped ("p99 > 2s & rising"): the table pads the escaped
  // text (`&gt;`, `&amp;`), but Slack shows one character for each, so the columns after it shift left.
  const { state, events } = play([
    [5, 'USEC', { type: 'done', stepId: 'build' }],
    [12, 'U03', { type: 'skip', stepId: 'test', reason: 'p99 > 2s & rising' }],
  ]);
  const names = { USEC: 'Sam', U03: 'Kim' };

  it('the By column starts at the same place on every row of the Steps table', () => {
    const md = renderTimeline({ state, events, names });
    const table = md.split('```')[1]!;
    const shown = (line: string) => line.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const rows = table
      .split('\n')
      .map(shown)
      .filter((l) => /@Sam|@Kim/.test(l));
    expect(rows).toHaveLength(2);
    const at = rows.map((l) => l.search(/@Sam|@Kim/));
    // Padding counts what Slack shows, not the escapes (which would put "@Kim" 7 characters left of "@Sam").
    expect(at[1]).toBe(at[0]);
  });
});
