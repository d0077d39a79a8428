/**
 * Found in a review (helper-205): a request's wait is dated from when it was asked for (`since: request.requestedAt`,
 * src/workflows/invites.ts awaitingSignatures), even when it could not be approved for most of that time: an
 * Undo of an earlier step put it out of order (no DMs, no reminders meanwhile: request-invite-out-of-order).
 * Once the step is current again, the first sweep reminds AND escalates (pages the escalation contact) at once,
 * for a request its approvers could approve only a minute ago. A gate's wait, by contrast, starts when it
 * opened again (gateOpenedAt).
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
    step(2, 'switch', { action: 'route53-failover', approve: 'devops', remind: '15m' }),
    step(3, 'verify'),
  ],
};

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function must(state: RunState, command: RunCommand, user: string, when: string): RunState {
  const result = apply(state, command, ctx(user, [], { at: when }));
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

describe('a request that waited out of order', () => {
  it('is not escalated the minute its step is current again', () => {
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
    // Step 1 undone at once: the request is out of order, nobody is asked (no DM, no reminder) for two hours.
    state = must(state, { type: 'undo', stepId: 'confirm' }, 'UIC', at(3));
    expect(dueTimers(state, new Date(at(60)))).toEqual([]);
    // Step 1 done again at 12:00: the request may be approved from now on.
    state = must(state, { type: 'done', stepId: 'confirm' }, 'UIC', at(120));
    const due = dueTimers(state, new Date(at(121)));
    // One minute of a 15-minute wait: nothing is due, least of all an escalation.
    expect(due.map((t) => t.kind)).toEqual([]);
  });
});
