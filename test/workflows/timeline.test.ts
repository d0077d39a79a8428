import { describe, expect, it } from 'vitest';
import { renderTimeline, timelineMessages } from '../../src/slack/render/checklist-timeline';
import type { RunEvent } from '../../src/workflows/run-state';
import { expectWithinLimits } from './block-limits';
import { play, STARTER } from './fixtures';

describe('renderTimeline', () => {
  const { state, events } = play([
    [5, 'U01', { type: 'done', stepId: 'build' }],
    [12, 'U02', { type: 'skip', stepId: 'test', reason: 'ran [here](http://evil) | <!channel>' }],
    [13, STARTER, { type: 'approve', gateId: 'qa' }, ['security']],
    [20, 'USEC', { type: 'approve', gateId: 'qa' }, ['security']],
    [45, 'UARCH', { type: 'approve', gateId: 'qa' }, ['architecture']],
    [50, 'U01', { type: 'done', stepId: 'release' }],
    [55, 'UBIZ', { type: 'reject', gateId: 'go', reason: 'customer freeze' }, ['business-owner']],
  ]);
  const md = renderTimeline({
    state,
    events: [
      ...events,
      {
        id: 'n1',
        runId: state.runId,
        type: 'note',
        at: '2024-05-01T10:56:00.000Z',
        user: 'U01',
        version: 9,
        text: 'Route 53 failover applied by <@U01>, approved by <@USEC> &lt;approver&gt;: {"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.","Type":"A","Failover":"PRIMARY","AliasTarget":{"DNSName":"d-eu.example."}}}]}',
      } as RunEvent,
    ],
    names: { U01: 'Ana' },
  });

  it('lists steps with who, when and how long each took, as an aligned table people can read', () => {
    expect(md).toMatch(/```\n# {2}Step +Status/);
    expect(md).toMatch(/\n1 {2}Step build +done +@Ana +10:05:00 +5m 00s\n/);
    expect(md).toMatch(/\n3 {2}Step release +done +@Ana +10:50:00 +5m 00s\n/);
    expect(md).toMatch(/\n {3}Gate: Gate qa +approved +10:45:00/);
    expect(md).not.toContain('| --- |');
  });

  it('records approvals, the rejection, and the refused signature with user, role and time, by name', () => {
    expect(md).toMatch(/Gate qa +Security +approved +USEC +10:20:00/);
    expect(md).toMatch(/Gate go +Business Owner +rejected: customer freeze +UBIZ +10:55:00/);
    expect(md).toMatch(/10:13:00 +UIC +Security +Gate qa +approve +You started this run/);
    expect(md).toContain('halted by a rejection at 2024-05-01 10:55 UTC after 55m 00s');
    expect(md).not.toMatch(/<@U/);
  });

  it('neutralises what users typed, without escaping twice', () => {
    // U02 has no display name: shown as its id, as text (issue 15's ids; no mention, nothing escaped twice).
    expect(md).toContain('skipped by U02 at 10:12:00: ran [here](http://evil) | &lt;!channel&gt;');
    expect(md).not.toContain('<@U02>');
    expect(md).not.toContain('<!channel>');
    expect(md).not.toContain('&amp;lt;');
  });

  it('summarises a Route 53 change in the log, names instead of mentions, the JSON attached', () => {
    expect(md).toContain(
      'Route 53 failover applied by @Ana, approved by USEC &lt;approver&gt;: UPSERT api.example. A PRIMARY → d-eu.example. (JSON: attachment 1)',
    );
    expect(md).toMatch(/\*Attachment 1: Route 53 change batch\*\n```\n\{\n {2}"Changes"/);
  });

  it('splits a long timeline into messages within Slack’s limits, code blocks whole', () => {
    const long = `${md}\n${'• 10:00:00 something happened\n'.repeat(1500)}`;
    const messages = timelineMessages(long, state.title);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expectWithinLimits(m);
      for (const b of m.blocks) {
        const text = (b as { text: { text: string } }).text.text;
        expect((text.match(/```/g) ?? []).length % 2).toBe(0);
      }
    }
    const shown = messages.flatMap((m) => m.blocks.map((b) => (b as { text: { text: string } }).text.text));
    expect(shown.join('\n').match(/something happened/g)).toHaveLength(1500);
  });
});
