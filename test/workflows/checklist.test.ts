import { describe, expect, it } from 'vitest';
import { type ApplyResult, apply, type CommandContext, type RunCommand } from '../../src/workflows/checklist';
import { actionableSteps, openGate, progress, type RunState } from '../../src/workflows/run-state';
import { ctx, newRun, RUN, STARTER } from './fixtures';

function ok(result: ApplyResult): Extract<ApplyResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got refusal: ${result.reason}`);
  return result;
}

function refused(result: ApplyResult): Extract<ApplyResult, { ok: false }> {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

/** Apply commands in order, each must succeed. */
function run(state: RunState, ...steps: [RunCommand, CommandContext][]): RunState {
  return steps.reduce((s, [command, c]) => ok(apply(s, command, c)).state, state);
}

const done = (stepId: string): RunCommand => ({ type: 'done', stepId });
const approve = (gateId: string, role?: string): RunCommand => ({
  type: 'approve',
  gateId,
  ...(role ? { role } : {}),
});

/** build and test done by the starter: the qa gate is open. */
const atQaGate = () => run(newRun(), [done('build'), ctx(STARTER)], [done('test'), ctx(STARTER)]);

describe('done', () => {
  it('marks a step done with who and when, bumps the version, and records one event', () => {
    const c = ctx('U1');
    const result = ok(apply(newRun(), done('build'), c));
    expect(result.state.steps['build']).toEqual({ status: 'done', by: 'U1', at: c.at });
    expect(result.state.version).toBe(2);
    expect(result.events).toEqual([
      {
        id: `${c.at}#${c.key}#0`,
        runId: RUN,
        type: 'step_done',
        stepId: 'build',
        at: c.at,
        user: 'U1',
        version: 2,
      },
    ]);
  });

  it('refuses a step already done, naming who did it, and changes nothing', () => {
    const state = run(newRun(), [done('build'), ctx('U1')]);
    const result = refused(apply(state, done('build'), ctx('U2')));
    expect(result.code).toBe('already_resolved');
    expect(result.reason).toContain('<@U1>');
    expect(result.events).toEqual([]);
  });

  it('refuses a step after an unresolved one without a reason, and records the jump with one', () => {
    const early = refused(apply(newRun(), done('test'), ctx('U1')));
    expect(early.code).toBe('out_of_order');
    expect(early.reason).toContain('step 1 "Step build" is not done yet');
    const jumped = ok(
      apply(newRun(), { type: 'done', stepId: 'test', override: 'build verified by hand' }, ctx('U1')),
    );
    expect(jumped.events[0]).toMatchObject({
      stepId: 'test',
      override: 'build verified by hand',
      jumped: ['build'],
    });
    const state = run(jumped.state, [done('build'), ctx('U2')]);
    expect(progress(state).stepsResolved).toBe(2);
  });

  it('allows the steps of one parallel group in any order, and keeps the group in order with the rest', () => {
    const parallel = newRun();
    for (const it of parallel.items)
      if (it.type === 'step' && ['build', 'test'].includes(it.id)) it.parallel = 'ci';
    const state = run(parallel, [done('test'), ctx('U1')], [done('build'), ctx('U2')]);
    expect(progress(state).stepsResolved).toBe(2);
  });

  it('keeps steps after an incomplete gate locked', () => {
    const result = refused(apply(atQaGate(), done('release'), ctx('U1')));
    expect(result.code).toBe('locked');
    expect(result.reason).toContain('Gate qa');
  });

  it('records an override reason given against a guard', () => {
    const result = ok(
      apply(newRun(), { type: 'done', stepId: 'build', override: ' primary already down ' }, ctx('U1')),
    );
    expect(result.state.steps['build']?.override).toBe('primary already down');
    expect(result.events[0]?.override).toBe('primary already down');
  });

  it('refuses an item that is not in the run', () => {
    expect(refused(apply(newRun(), done('nope'), ctx('U1'))).code).toBe('unknown_item');
    expect(refused(apply(newRun(), done('qa'), ctx('U1'))).code).toBe('unknown_item');
  });
});

describe('skip', () => {
  it('needs a reason', () => {
    expect(refused(apply(newRun(), { type: 'skip', stepId: 'build', reason: '  ' }, ctx('U1'))).code).toBe(
      'reason_required',
    );
  });

  it('records the reason and counts as resolved', () => {
    const result = ok(
      apply(newRun(), { type: 'skip', stepId: 'build', reason: 'built yesterday' }, ctx('U1')),
    );
    expect(result.state.steps['build']).toMatchObject({
      status: 'skipped',
      by: 'U1',
      reason: 'built yesterday',
    });
    expect(result.events[0]).toMatchObject({ type: 'step_skipped', reason: 'built yesterday' });
    expect(progress(result.state).stepsResolved).toBe(1);
  });

  it('cannot skip a locked step', () => {
    expect(refused(apply(atQaGate(), { type: 'skip', stepId: 'release', reason: 'x' }, ctx('U1'))).code).toBe(
      'locked',
    );
  });
});

describe('undo', () => {
  it('is allowed to the person who did the step', () => {
    const state = run(newRun(), [done('build'), ctx('U1')]);
    const result = ok(apply(state, { type: 'undo', stepId: 'build' }, ctx('U1')));
    expect(result.state.steps['build']).toEqual({ status: 'pending' });
    expect(result.events[0]).toMatchObject({ type: 'step_undone', stepId: 'build', user: 'U1' });
  });

  it('is allowed to the starter, and undoes a skip too', () => {
    const state = run(newRun(), [{ type: 'skip', stepId: 'build', reason: 'r' }, ctx('U1')]);
    expect(
      ok(apply(state, { type: 'undo', stepId: 'build' }, ctx(STARTER))).state.steps['build']?.status,
    ).toBe('pending');
  });

  it('is refused to anyone else', () => {
    const state = run(newRun(), [done('build'), ctx('U1')]);
    const result = refused(apply(state, { type: 'undo', stepId: 'build' }, ctx('U2')));
    expect(result.code).toBe('not_allowed');
    expect(result.reason).toContain('<@U1>');
    expect(result.reason).toContain(`<@${STARTER}>`);
  });

  it('is refused for a pending step', () => {
    expect(refused(apply(newRun(), { type: 'undo', stepId: 'build' }, ctx(STARTER))).code).toBe(
      'not_resolved',
    );
  });

  it('is refused once a later gate has a signature', () => {
    const state = run(atQaGate(), [approve('qa'), ctx('USEC', ['security'])]);
    const result = refused(apply(state, { type: 'undo', stepId: 'test' }, ctx(STARTER)));
    expect(result.code).toBe('locked');
  });
});

describe('approve', () => {
  it('is not open before the steps ahead of the gate are resolved', () => {
    const state = run(newRun(), [done('build'), ctx(STARTER)]);
    const result = refused(apply(state, approve('qa'), ctx('USEC', ['security'])));
    expect(result.code).toBe('gate_not_open');
    expect(result.reason).toContain('step 2 "Step test"');
  });

  it('refuses the person who started the run, even when in the role, and records the refusal', () => {
    const c = ctx(STARTER, ['security']);
    const result = refused(apply(atQaGate(), approve('qa'), c));
    expect(result.code).toBe('separation_of_duties');
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'refused',
        action: 'approve_gate',
        code: 'separation_of_duties',
        gateId: 'qa',
        user: STARTER,
        role: 'security',
        at: c.at,
      }),
    ]);
  });

  it('refuses a non-member, names the roles still needed, and records the refusal', () => {
    const result = refused(apply(atQaGate(), approve('qa'), ctx('UOUT', ['devops'])));
    expect(result.code).toBe('not_approver');
    expect(result.reason).toContain('Security, Architecture');
    expect(result.events[0]).toMatchObject({ type: 'refused', action: 'approve_gate', user: 'UOUT' });
  });

  it('lets a member sign for a missing role, recording user, role and time', () => {
    const c = ctx('USEC', ['security']);
    const result = ok(apply(atQaGate(), approve('qa'), c));
    expect(result.state.gates['qa']?.approvals).toEqual([{ role: 'security', user: 'USEC', at: c.at }]);
    expect(result.events).toEqual([
      expect.objectContaining({ type: 'gate_approved', role: 'security', user: 'USEC', at: c.at }),
    ]);
  });

  it('refuses a second member of a role that has already signed', () => {
    const state = run(atQaGate(), [approve('qa'), ctx('USEC', ['security'])]);
    const result = refused(apply(state, approve('qa'), ctx('USEC2', ['security'])));
    expect(result.code).toBe('role_signed');
    expect(result.reason).toContain('Architecture');
  });

  it('lets one person sign for at most one role per gate', () => {
    const state = run(atQaGate(), [approve('qa'), ctx('UBOTH', ['security', 'architecture'])]);
    expect(state.gates['qa']?.approvals.map((a) => a.role)).toEqual(['security']);
    const result = refused(apply(state, approve('qa'), ctx('UBOTH', ['security', 'architecture'])));
    expect(result.code).toBe('already_signed');
  });

  it('signs for the role asked for, when the signer holds it', () => {
    const state = run(atQaGate(), [
      approve('qa', 'architecture'),
      ctx('UBOTH', ['security', 'architecture']),
    ]);
    expect(state.gates['qa']?.approvals.map((a) => a.role)).toEqual(['architecture']);
    expect(refused(apply(state, approve('qa', 'business-owner'), ctx('UX', ['security']))).code).toBe(
      'not_approver',
    );
  });

  it('passes the gate when every role has signed, unlocking the steps after it', () => {
    const before = run(atQaGate(), [approve('qa'), ctx('USEC', ['security'])]);
    expect(openGate(before)?.id).toBe('qa');
    const result = ok(apply(before, approve('qa'), ctx('UARCH', ['architecture'])));
    expect(result.events.map((e) => e.type)).toEqual(['gate_approved', 'gate_passed']);
    expect(actionableSteps(result.state).map((s) => s.id)).toEqual(['release']);
    expect(ok(apply(result.state, done('release'), ctx('U1'))).state.steps['release']?.status).toBe('done');
  });

  it('refuses signatures on a gate already passed', () => {
    const state = run(
      atQaGate(),
      [approve('qa'), ctx('USEC', ['security'])],
      [approve('qa'), ctx('UARCH', ['architecture'])],
    );
    expect(refused(apply(state, approve('qa'), ctx('UARCH2', ['architecture']))).code).toBe('gate_closed');
  });

  it('keeps a later gate closed until the earlier gate has passed', () => {
    const result = refused(apply(atQaGate(), approve('go'), ctx('UBIZ', ['business-owner'])));
    expect(result.code).toBe('gate_not_open');
    expect(result.reason).toContain('Gate qa');
  });
});

describe('reject', () => {
  it('needs a reason', () => {
    expect(
      refused(apply(atQaGate(), { type: 'reject', gateId: 'qa', reason: '' }, ctx('USEC', ['security'])))
        .code,
    ).toBe('reason_required');
  });

  it('is refused to non-members and to the starter, and each refusal is recorded', () => {
    const outsider = refused(apply(atQaGate(), { type: 'reject', gateId: 'qa', reason: 'no' }, ctx('UOUT')));
    expect(outsider.code).toBe('not_approver');
    expect(outsider.events[0]).toMatchObject({ type: 'refused', action: 'reject_gate', user: 'UOUT' });
    const starter = refused(
      apply(atQaGate(), { type: 'reject', gateId: 'qa', reason: 'no' }, ctx(STARTER, ['security'])),
    );
    expect(starter.code).toBe('separation_of_duties');
  });

  it('halts the run with the reason, and nothing changes afterwards', () => {
    const c = ctx('USEC', ['security']);
    const result = ok(apply(atQaGate(), { type: 'reject', gateId: 'qa', reason: 'pen test open' }, c));
    expect(result.state.status).toBe('halted');
    expect(result.state.gates['qa']?.rejected).toEqual({
      user: 'USEC',
      at: c.at,
      reason: 'pen test open',
      role: 'security',
    });
    expect(result.events.map((e) => e.type)).toEqual(['gate_rejected', 'halted']);
    const after = refused(apply(result.state, approve('qa'), ctx('UARCH', ['architecture'])));
    expect(after.code).toBe('not_active');
    expect(refused(apply(result.state, { type: 'undo', stepId: 'build' }, ctx(STARTER))).code).toBe(
      'not_active',
    );
  });
});

describe('completion and cancellation', () => {
  it('completes when every step is resolved and every gate passed', () => {
    const state = run(
      atQaGate(),
      [approve('qa'), ctx('USEC', ['security'])],
      [approve('qa'), ctx('UARCH', ['architecture'])],
      [{ type: 'skip', stepId: 'release', reason: 'already released' }, ctx('U1')],
      [approve('go'), ctx('UBIZ', ['business-owner'])],
    );
    const c = ctx('U1');
    const result = ok(apply(state, done('verify'), c));
    expect(result.state.status).toBe('completed');
    expect(result.state.endedAt).toBe(c.at);
    expect(result.events.map((e) => e.type)).toEqual(['step_done', 'completed']);
    expect(refused(apply(result.state, { type: 'undo', stepId: 'verify' }, ctx('U1'))).reason).toContain(
      'already complete',
    );
  });

  it('lets only the starter (or the bot, superseding) cancel', () => {
    expect(refused(apply(newRun(), { type: 'cancel', reason: 'x' }, ctx('U1'))).code).toBe('not_allowed');
    const superseded = ok(
      apply(
        newRun(),
        { type: 'cancel', reason: 'newer run', supersededBy: 'run-2' },
        ctx('U9', [], { system: true }),
      ),
    );
    expect(superseded.state).toMatchObject({ status: 'cancelled', supersededBy: 'run-2' });
    expect(refused(apply(superseded.state, done('build'), ctx('U1'))).reason).toContain('taken over');
  });

  it('cancels for its starter only with a reason, kept trimmed for the thread and the timeline', () => {
    expect(refused(apply(newRun(), { type: 'cancel', reason: '  ' }, ctx(STARTER))).code).toBe(
      'reason_required',
    );
    const cancelled = ok(apply(newRun(), { type: 'cancel', reason: ' started by mistake ' }, ctx(STARTER)));
    expect(cancelled.state).toMatchObject({
      status: 'cancelled',
      endedBy: STARTER,
      endReason: 'started by mistake',
    });
  });

  it('lets whoever the runbook puts in charge (takeover=) cancel a run someone else started', () => {
    const run = newRun({ takeoverRoles: ['incident-commander'] });
    const byIc = ok(
      apply(run, { type: 'cancel', reason: 'not needed' }, ctx('U0IC', ['incident-commander'])),
    );
    expect(byIc.state).toMatchObject({ status: 'cancelled', endedBy: 'U0IC' });
    const other = refused(apply(run, { type: 'cancel', reason: 'not needed' }, ctx('U0OPS', ['devops'])));
    expect(other.reason).toContain('or a member of Incident Commander, can cancel it');
  });

  it('attaches the message without an event, whatever the status', () => {
    const result = ok(
      apply(
        newRun({ status: 'completed' }),
        { type: 'attach', messageTs: '171.1' },
        ctx(STARTER, [], { system: true }),
      ),
    );
    expect(result.state.messageTs).toBe('171.1');
    expect(result.events).toEqual([]);
    // Only the bot records where its message is.
    expect(refused(apply(newRun(), { type: 'attach', messageTs: '171.2' }, ctx(STARTER))).code).toBe(
      'not_allowed',
    );
  });
});

describe('determinism', () => {
  it('gives a redelivered action the same event ids', () => {
    const c = ctx('U1');
    const a = ok(apply(newRun(), done('build'), c));
    const b = ok(apply(newRun(), done('build'), { ...c }));
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
  });

  it('never mutates the state it is given', () => {
    const state = atQaGate();
    const copy = structuredClone(state);
    apply(state, approve('qa'), ctx('USEC', ['security']));
    apply(state, { type: 'reject', gateId: 'qa', reason: 'r' }, ctx('USEC', ['security']));
    expect(state).toEqual(copy);
  });
});
