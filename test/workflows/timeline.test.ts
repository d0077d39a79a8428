import { describe, expect, it } from 'vitest';
import { renderTimeline, timelineMessages } from '../../src/slack/render/checklist-timeline';
import { apply, type CommandContext, type RunCommand } from '../../src/workflows/checklist';
import type { RunEvent, RunState } from '../../src/workflows/run-state';
import { expectWithinLimits } from './block-limits';
import { newRun, STARTER } from './fixtures';

/** Apply commands at given minutes after 10:00, collecting events as the store would. */
function play(steps: [minute: number, user: string, command: RunCommand, roles?: string[]][]): {
  state: RunState;
  events: RunEvent[];
} {
  let state = newRun();
  const events: RunEvent[] = [];
  steps.forEach(([minute, user, command, roles = []], i) => {
    const at = new Date(Date.parse('2024-05-01T10:00:00.000Z') + minute * 60_000).toISOString();
    const ctx: CommandContext = { user, at, key: `k${i}`, roles, channel: 'C1' };
    const result = apply(state, command, ctx);
    events.push(...result.events);
    if (result.ok) state = result.state;
  });
  return { state, events };
}

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
  const md = renderTimeline({ state, events, names: { U01: 'Ana' } });

  it('lists steps with who, when and how long each took', () => {
    expect(md).toContain('| 1 | Step build | done | @Ana | 10:05:00 | 5m 00s |');
    expect(md).toContain('| 3 | Step release | done | @Ana | 10:50:00 | 5m 00s |');
    expect(md).toContain('|  | **Gate: Gate qa** | approved |  | 10:45:00 |  |');
  });

  it('records approvals, the rejection, and the refused signature with user, role and time', () => {
    expect(md).toContain('| Gate qa | Security | approved | <@USEC> | 10:20:00 |');
    expect(md).toContain('| Gate qa | Architecture | approved | <@UARCH> | 10:45:00 |');
    expect(md).toContain('| Gate go | Business Owner | rejected: customer freeze | <@UBIZ> | 10:55:00 |');
    expect(md).toMatch(/\| 10:13:00 \| <@UIC> \| security \| Gate qa \| approve \| You started this run/);
    expect(md).toContain('**Status:** halted by a rejection at 2024-05-01 10:55 UTC after 55m 00s');
  });

  it('neutralises links, table breaks and mentions in what users typed', () => {
    expect(md).toContain('skipped: ran \\[here\\](http://evil) \\| &lt;!channel&gt;');
    expect(md).not.toContain('<!channel>');
    expect(md).not.toContain('[here](');
  });

  it('splits a long timeline into messages within the markdown block limit', () => {
    const long = `${md}\n${'- 10:00:00 something happened\n'.repeat(1500)}`;
    const messages = timelineMessages(long, state.title);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expectWithinLimits(m);
    expect(messages.map((m) => (m.blocks[0] as { text: string }).text).join('\n')).toBe(long);
  });
});
