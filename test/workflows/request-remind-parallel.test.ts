/**
 * Found in a review (helper-207) of 4dd0555: a request's wait is dated from "when it could last be approved"
 * (max(requestedAt, gateOpenedAt)), but gateOpenedAt counts every step before it, including the steps of its
 * own parallel group, which never made it wait (earlierUnresolved leaves them out). Each sibling done while
 * the request waits restarts its wait: its reminder (and escalation) is put off, and never sent while the
 * team keeps finishing sibling steps faster than the reminder interval.
 */
import { describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/runbooks/model/model';
import { apply, type RunCommand } from '../../src/workflows/checklist';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { dueTimers } from '../../src/workflows/timers';
import { ctx, step } from './fixtures';

const checklist: Checklist = {
  id: 'switch',
  title: 'Switch traffic',
  commands: ['switch'],
  sectionId: 'DR.md#switch',
  records: null,
  directives: {},
  items: [
    step(1, 'confirm'),
    { ...step(2, 'notify'), parallel: 'g' },
    { ...step(3, 'warm'), parallel: 'g' },
    { ...step(4, 'switch', { action: 'route53-failover', approve: 'devops', remind: '15m' }), parallel: 'g' },
    step(5, 'verify'),
  ],
};

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function must(state: RunState, command: RunCommand, user: string, when: string): RunState {
  const result = apply(state, command, ctx(user, [], { at: when }));
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

describe('a request whose parallel siblings are done while it waits', () => {
  it('is reminded 15 minutes after it was asked, whatever its siblings do', () => {
    let state = createRunState({
      runId: '20240501T100000-abc123',
      checklist,
      drill: false,
      startedBy: 'UIC',
      startedAt: at(0),
      channel: 'C1',
    });
    state = must(state, { type: 'done', stepId: 'confirm' }, 'UIC', at(1));
    state = must(
      state,
      { type: 'request', stepId: 'switch', requestId: 'a1b2c3d4e5f60718', kind: 'route53-failover' },
      'UIC',
      at(2),
    );
    // The request is approvable from 10:02 on; the siblings of its group are done meanwhile.
    state = must(state, { type: 'done', stepId: 'notify' }, 'UIC', at(10));
    state = must(state, { type: 'done', stepId: 'warm' }, 'UIC', at(16));
    const due = dueTimers(state, new Date(at(18)));
    expect(due.map((t) => t.kind)).toContain('remind');
  });
});
