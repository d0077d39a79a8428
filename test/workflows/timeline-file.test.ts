/** The exported timeline as files (issue 20): plain text people can read anywhere, the JSON beside it. */
import { describe, expect, it } from 'vitest';
import { renderTimelineExport } from '../../src/slack/render/checklist-timeline-file';
import { escapeMrkdwn } from '../../src/slack/render/escape';
import type { RunEvent, RunState } from '../../src/workflows/run-state';
import { expectWithinLimits } from './block-limits';
import { play, ROUTE53_BATCH, RUN } from './fixtures';

const note = (state: RunState, text: string, at = '2024-05-01T10:56:00.000Z'): RunEvent =>
  ({ id: `n-${at}`, runId: state.runId, type: 'note', at, user: 'U01', version: 9, text }) as RunEvent;

describe('renderTimelineExport', () => {
  const reason = 'ran <!channel> *here* [x](http://evil.example) | <@U01> `code`';
  const { state, events } = play([
    [5, 'U01', { type: 'done', stepId: 'build' }],
    [12, 'U02', { type: 'skip', stepId: 'test', reason }],
    [20, 'USEC', { type: 'approve', gateId: 'qa' }, ['security']],
  ]);
  const exported = renderTimelineExport({
    state,
    events: [
      ...events,
      note(
        state,
        `Route 53 failover applied by <@U01>, approved by <@USEC> &lt;approver&gt;: ${JSON.stringify(ROUTE53_BATCH)}`,
      ),
    ],
    names: { U01: 'Ana', USEC: 'Sam' },
  });
  const [file, json, ...more] = exported.files;
  const text = file!.content;

  it('is a plain-text file named after the checklist and run, with aligned tables and every time in UTC', () => {
    expect(more).toHaveLength(0);
    expect(file!.filename).toBe(`timeline-${state.checklistId}-${RUN.toLowerCase()}.txt`);
    expect(file!.snippetType).toBe('text');
    expect(text).toMatch(/^.+: timeline\n=+\nAll times are UTC\.\n/);
    expect(text).toMatch(/\nSteps\n-----\n# {2}Step +Status +By +At \(UTC\) +Took\n/);
    expect(text).toMatch(/\n1 {2}Step build +done +@Ana +10:05:00 +5m 00s\n/);
    expect(text).toMatch(/Gate qa +Security +approved +@Sam +10:20:00/);
    expect(text).toContain('Started 2024-05-01 10:00 UTC');
    // No Slack markup: no code fences, no bold markers of our own, no escapes, no mentions.
    expect(text).not.toMatch(/```|&lt;|&gt;|&amp;|<@U/);
    expect(text).not.toContain('*Steps*');
  });

  it('keeps what people typed as they typed it (plain text: a file is never parsed as mrkdwn)', () => {
    expect(text).toContain(
      'skipped by U02 at 10:12:00: ran <!channel> *here* [x](http://evil.example) | @Ana `code`',
    );
  });

  it('summarises the Route 53 change in the log and attaches its JSON as a file of its own', () => {
    expect(text).toContain(
      'Route 53 failover applied by @Ana, approved by @Sam <approver>: UPSERT api.example. A PRIMARY → d-eu.example. (JSON: attachment 1)',
    );
    expect(json!.filename).toBe(`route53-change-1-${state.checklistId}-${RUN.toLowerCase()}.json`);
    expect(json!.snippetType).toBe('json');
    expect(JSON.parse(json!.content)).toEqual(ROUTE53_BATCH);
    expect(text).toContain(
      `\nAttachments\n-----------\n1. ${json!.filename}: Route 53 change batch (JSON)\n`,
    );
  });

  it('goes with a short summary message: escaped, verbatim, naming the files, within Slack limits', () => {
    const { summary } = exported;
    expectWithinLimits(summary);
    expect(summary.blocks).toHaveLength(1);
    const block = summary.blocks[0] as { text: { text: string; verbatim?: boolean } };
    expect(block.text.verbatim).toBe(true);
    expect(block.text.text).toContain(file!.filename);
    expect(block.text.text).toContain(json!.filename);
    expect(block.text.text).toContain('2 of 4 steps');
    // Nothing a user typed reaches the summary.
    expect(JSON.stringify(summary)).not.toMatch(/evil|<!channel>|<@/);
  });

  it('escapes a hostile title in the summary and keeps file names safe', () => {
    const hostile = renderTimelineExport({
      state: { ...state, title: 'Deploy <!here> & <@U9> *now*', checklistId: '../../etc/passwd' },
      events: [],
    });
    const summary = JSON.stringify(hostile.summary);
    expect(summary).toContain('Deploy &lt;!here&gt; &amp; &lt;@U9&gt;');
    expect(summary).not.toMatch(/<!here>|<@U9>/);
    expect(hostile.files[0]!.filename).toMatch(/^timeline-etc-passwd-[a-z0-9-]+\.txt$/);
  });

  it('has no JSON file and no Attachments section when the log has no change batch', () => {
    const plain = renderTimelineExport({ state, events, names: {} });
    expect(plain.files).toHaveLength(1);
    expect(plain.files[0]!.content).not.toContain('Attachments');
    expect(JSON.stringify(plain.summary)).not.toContain('.json');
  });

  it('reads the bot’s notes as plain text: no emoji codes, no markup, names, links and typed text as typed', () => {
    // As the AWS steps write them: markup of their own around escaped user text and IDs.
    const typed = 'see <this> & &lt;that&gt;';
    const hostile = renderTimelineExport({
      state,
      events: [
        note(
          state,
          `:test_tube: *SIMULATED* :white_check_mark: Failover approved by <@USEC> for <!subteam^S0DBA|@dba-oncall>: _${escapeMrkdwn(typed)}_ (\`arn:aws:s3:::b\`, <https://status.example/?a=1&amp;b=2|status page>)`,
        ),
        note(state, ':warning: <@U0NOBODY> was asked in <#C0OPS|ops> <!here>', '2024-05-01T10:57:00.000Z'),
      ],
      names: { USEC: 'Sam' },
    });
    const text = hostile.files[0]!.content;
    expect(text).toContain(
      'SIMULATED [OK] Failover approved by @Sam for @dba-oncall: see <this> & &lt;that&gt; (arn:aws:s3:::b, status page (https://status.example/?a=1&b=2))',
    );
    expect(text).toContain('[WARNING] U0NOBODY was asked in #ops @here');
    const notes = text.split('\n').filter((l) => / 10:5[67]:00 /.test(l));
    expect(notes).toHaveLength(2);
    expect(notes.join('\n')).not.toMatch(/:test_tube:|:warning:|\*SIMULATED\*|<@|<!|<#|<https|&amp;|`/);
  });
});
