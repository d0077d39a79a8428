/**
 * The exported timeline names people, never shows a raw mention: also in the reasons the bot wrote for a
 * refusal (authorize.ts writes `<@U…>` into them), in the thread messages the export falls back to.
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
    // Bug: reasons go through the user-text path (escaped, mentions kept as text): Slack shows the literal
    // "<@USEC>" in the log line and the Refused signatures table, though the name is known.
    expect(md).not.toContain('&lt;@USEC&gt;');
    expect(md).not.toContain('<@USEC>');
  });
});
