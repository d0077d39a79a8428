/**
 * helper-178's review: a live action's request invites its approvers (approval DMs, the Home tab) while it
 * waits on a step that is no longer current: an Undo of an earlier step put it out of order.
 * awaitingSignatures (src/workflows/invites.ts) skips only a locked or resolved step, while authorize()
 * refuses the approval (`stepCurrent`: out of order). Approvers are DMed, and reminded, to approve a change
 * the bot will refuse them.
 */
import { describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/runbooks/model/model';
import { authorize } from '../../src/workflows/authorize';
import { actorOf, apply, type RunCommand } from '../../src/workflows/checklist';
import { awaitingSignatures } from '../../src/workflows/invites';
import { createRunState, type RunState } from '../../src/workflows/run-state';
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
    step(2, 'switch', { action: 'route53-failover', approve: 'devops' }),
    step(3, 'verify'),
  ],
};

function must(state: RunState, command: RunCommand, user: string, roles: string[] = []): RunState {
  const result = apply(state, command, ctx(user, roles));
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

describe('a request waiting on a step that is out of order again ', () => {
  it('invites nobody to approve what authorize() would refuse', () => {
    let state = createRunState({
      runId: '20240501T100000-abc123',
      checklist,
      drill: false,
      startedBy: 'UIC',
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    state = must(state, { type: 'done', stepId: 'confirm' }, 'UIC');
    state = must(
      state,
      { type: 'request', stepId: 'switch', requestId: 'a1b2c3d4e5f60718', kind: 'route53-failover' },
      'UIC',
    );
    expect(awaitingSignatures(state).map((a) => a.kind)).toEqual(['request']);
    // The starter undoes step 1: step 2 is out of order, its request cannot be approved now.
    state = must(state, { type: 'undo', stepId: 'confirm' }, 'UIC');
    const c = ctx('UOPS', ['devops']);
    const verdict = authorize(
      state,
      { type: 'approve_request', requestId: 'a1b2c3d4e5f60718' },
      actorOf(c),
      c.at,
    );
    expect(verdict).toMatchObject({ ok: false, code: 'out_of_order' });
    // … yet it is still awaiting signatures: its approvers keep their DM and Home-tab Approve buttons.
    expect(awaitingSignatures(state).map((a) => a.kind)).toEqual([]);
  });
});
