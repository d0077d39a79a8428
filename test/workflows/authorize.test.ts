/**
 * authorize() and the request lifecycle through apply(): who may do what, where and when, read from the
 * run (and the roles the caller resolved from the approvers file), never from a payload.
 */
import { describe, expect, it } from 'vitest';
import { type Action, type Actor, authorize, RULES } from '../../src/workflows/authorize';
import { apply, type RunCommand } from '../../src/workflows/checklist';
import { approverRolesFor, isRetryable } from '../../src/workflows/requests';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { promotion, STARTER, step } from './fixtures';
import { advance, at, ctxOf, liveRun, ok, who } from './live-run';

/** The run at the failover step: build done, the gate signed by devops and the business owner. */
function atFailover(directives?: Record<string, string>): RunState {
  let s = liveRun(directives);
  s = ok(apply(s, { type: 'done', stepId: 'build' }, ctxOf(who(STARTER))));
  s = ok(apply(s, { type: 'approve', gateId: 'ops' }, ctxOf(who('UDEV', ['devops']))));
  return ok(apply(s, { type: 'approve', gateId: 'ops' }, ctxOf(who('UBIZ', ['business-owner']))));
}

const REQUEST = 'a1b2c3d4e5f60718';
const request = (s: RunState, by: Actor) =>
  apply(
    s,
    { type: 'request', stepId: 'failover', requestId: REQUEST, kind: 'route53-failover', plan: { p: 1 } },
    ctxOf(by),
  );

describe('the role a signer of two roles signs as', () => {
  const built = () => ok(apply(liveRun(), { type: 'done', stepId: 'build' }, ctxOf(who(STARTER))));
  const both = who('UBOTH', ['devops', 'business-owner']);

  it('is the first open role of the preference, else the gate order; a role not held is ignored', () => {
    const s = built();
    const as = (prefer?: string[]) =>
      authorize(s, { type: 'approve_gate', gateId: 'ops', ...(prefer ? { prefer } : {}) }, both, at());
    expect(as()).toMatchObject({ ok: true, role: 'devops' });
    expect(as(['business-owner', 'devops'])).toMatchObject({ ok: true, role: 'business-owner' });
    // The preference is no authority: a role the signer does not hold is skipped.
    expect(as(['security', 'devops'])).toMatchObject({ ok: true, role: 'devops' });
    const outsider = authorize(
      s,
      { type: 'approve_gate', gateId: 'ops', prefer: ['devops'] },
      who('UOUT', ['security']),
      at(),
    );
    expect(outsider).toMatchObject({ ok: false, code: 'not_approver' });
  });

  it('skips a preferred role already signed', () => {
    const s = ok(apply(built(), { type: 'approve', gateId: 'ops' }, ctxOf(who('UBIZ', ['business-owner']))));
    const r = authorize(
      s,
      { type: 'approve_gate', gateId: 'ops', prefer: ['business-owner', 'devops'] },
      both,
      at(),
    );
    expect(r).toMatchObject({ ok: true, role: 'devops' });
  });
});

describe('the table', () => {
  it('has a rule list for every action, and every action but start checks the run is live', () => {
    for (const [type, checks] of Object.entries(RULES)) {
      if (type === 'start') expect(checks).toEqual([]);
      else expect(checks.length, type).toBeGreaterThan(0);
    }
  });

  it.each([
    [{ type: 'done', stepId: 'build' }],
    [{ type: 'check_evidence', stepId: 'build' }],
    [{ type: 'export_timeline' }],
    [{ type: 'view_details', itemId: 'build' }],
  ] as Action[][])('%o: only from the run’s workspace, org and channel', (action) => {
    const run = liveRun();
    expect(authorize(run, action, who(STARTER), at())).toMatchObject({ ok: true });
    expect(authorize(run, action, who(STARTER, [], { team: 'T2' }), at())).toMatchObject({
      code: 'wrong_workspace',
    });
    expect(authorize(run, action, who(STARTER, [], { enterprise: 'E1' }), at())).toMatchObject({
      code: 'wrong_workspace',
    });
    expect(authorize(run, action, who(STARTER, [], { channel: 'C2' }), at())).toMatchObject({
      code: 'wrong_channel',
    });
    expect(authorize(run, action, who(STARTER, [], { channel: null }), at())).toMatchObject({
      code: 'wrong_channel',
    });
  });

  it('refuses a step action the step does not offer (a Preview or an evidence check on a plain step)', () => {
    const run = liveRun();
    expect(authorize(run, { type: 'check_evidence', stepId: 'notify' }, who(STARTER), at())).toMatchObject({
      code: 'unknown_item',
    });
    expect(authorize(run, { type: 'preview_action', stepId: 'build' }, who(STARTER), at())).toMatchObject({
      code: 'unknown_item',
    });
  });

  it('checks in the fixed order: a locked step in another channel is refused for the channel first', () => {
    const verdict = authorize(
      liveRun(),
      { type: 'done', stepId: 'failover' },
      who('UX', [], { channel: 'C2' }),
      at(),
    );
    expect(verdict).toMatchObject({ code: 'wrong_channel' });
    expect(authorize(liveRun(), { type: 'done', stepId: 'failover' }, who('UX'), at())).toMatchObject({
      code: 'locked',
    });
  });

  it('refuses everything on an ended run, with a sentence', () => {
    const ended = { ...liveRun(), status: 'completed' as const };
    expect(authorize(ended, { type: 'done', stepId: 'build' }, who(STARTER), at())).toMatchObject({
      ok: false,
      code: 'not_active',
      reason: 'This run is already complete; nothing changes.',
    });
  });
});

describe('warm-up and step checks', () => {
  /** build, [gate], warm-up (before the failover, as in the DR runbook), failover. */
  function warmRun(drill = false): RunState {
    const s = liveRun();
    const items = [
      s.items[0]!,
      { ...s.items[2]!, id: 'warm', directives: { action: 'warmup' } } as (typeof s.items)[number],
      s.items[1]!,
      s.items[2]!,
    ];
    // Warm up is offered on the current step only (issue 18, "Order"): the step before it is done.
    return ok(apply({ ...s, items, drill }, { type: 'done', stepId: s.items[0]!.id }, ctxOf(who(STARTER))));
  }
  const warm = (s: RunState, a: Actor) => authorize(s, { type: 'apply_warmup', stepId: 'warm' }, a, at());

  it('lets the starter or a gate role warm up, one click, in a drill too; nobody else', () => {
    expect(warm(warmRun(), who(STARTER))).toMatchObject({ ok: true });
    expect(warm(warmRun(), who('UDEV', ['devops']))).toMatchObject({ ok: true });
    expect(warm(warmRun(true), who(STARTER))).toMatchObject({ ok: true });
    expect(warm(warmRun(), who('UOUT'))).toMatchObject({ code: 'not_allowed' });
    expect(warm(warmRun(), who(STARTER, [], { channel: 'C2' }))).toMatchObject({ code: 'wrong_channel' });
    expect(warm({ ...warmRun(), status: 'cancelled' }, who(STARTER))).toMatchObject({ code: 'not_active' });
  });

  it('refuses Warm up on a step that is not a warm-up, and Execute on one that is', () => {
    const s = atFailover();
    expect(authorize(s, { type: 'apply_warmup', stepId: 'failover' }, who(STARTER), at())).toMatchObject({
      code: 'unknown_item',
    });
    const run = warmRun();
    expect(authorize(run, { type: 'request_action', stepId: 'warm' }, who(STARTER), at())).toMatchObject({
      code: 'unknown_item',
    });
  });

  it('refuses Warm up once the step is resolved; a check is a read, allowed on any unlocked action step', () => {
    const s = ok(
      apply(warmRun(), { type: 'done', stepId: 'warm', override: 'by hand' }, ctxOf(who(STARTER))),
    );
    expect(warm(s, who(STARTER))).toMatchObject({ code: 'not_current' });
    expect(authorize(s, { type: 'check_action', stepId: 'warm' }, who('UOUT'), at())).toMatchObject({
      ok: true,
    });
    expect(
      authorize(liveRun(), { type: 'check_action', stepId: 'failover' }, who(STARTER), at()),
    ).toMatchObject({ code: 'locked' });
    expect(authorize(liveRun(), { type: 'check_action', stepId: 'build' }, who(STARTER), at())).toMatchObject(
      {
        code: 'unknown_item',
      },
    );
  });
});

describe('live-action requests', () => {
  it('may be asked only on the current, unlocked step, by the starter or a gate role', () => {
    expect(request(liveRun(), who(STARTER))).toMatchObject({ ok: false, code: 'locked' });
    const s = atFailover();
    expect(request(s, who('UOUT'))).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(request(s, who('UOUT'))).toMatchObject({ events: [expect.objectContaining({ type: 'refused' })] });
    expect(ok(request(s, who(STARTER))).requests?.[REQUEST]).toMatchObject({
      requestedBy: STARTER,
      status: 'pending',
      plan: { p: 1 },
      attempts: 0,
    });
    expect(ok(request(s, who('UDEV', ['devops']))).requests?.[REQUEST]?.requestedBy).toBe('UDEV');
  });

  it('is asked and approved in a drill exactly as in a live run, and one request at a time per step', () => {
    const drill = { ...atFailover(), drill: true };
    expect(request(drill, who('UOUT'))).toMatchObject({ ok: false, code: 'not_allowed' });
    const asked = ok(request(drill, who(STARTER)));
    expect(asked.requests?.[REQUEST]).toMatchObject({ status: 'pending', requestedBy: STARTER });
    const decide: RunCommand = { type: 'decide_request', requestId: REQUEST, decision: 'approve' };
    expect(apply(asked, decide, ctxOf(who(STARTER, ['devops'])))).toMatchObject({
      code: 'separation_of_duties',
    });
    expect(apply(asked, decide, ctxOf(who('UOUT')))).toMatchObject({ code: 'not_approver' });
    expect(
      ok(apply(asked, decide, ctxOf(who('UBIZ', ['business-owner'])))).requests?.[REQUEST],
    ).toMatchObject({ status: 'approved', decidedBy: 'UBIZ' });
    const s = ok(request(atFailover(), who(STARTER)));
    const second = apply(
      s,
      { type: 'request', stepId: 'failover', requestId: 'ffffffffffffffff', kind: 'route53-failover' },
      ctxOf(who('UDEV', ['devops'])),
    );
    expect(second).toMatchObject({ ok: false, code: 'request_open' });
  });

  it('is neither approved nor executed once its requester no longer holds the role they asked with', () => {
    const s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const approve: RunCommand = { type: 'decide_request', requestId: REQUEST, decision: 'approve' };
    const left = { requesterRoles: [] };
    expect(apply(s, approve, ctxOf(who('UBIZ', ['business-owner'], left)))).toMatchObject({
      ok: false,
      code: 'not_allowed',
      reason: expect.stringContaining('no longer a member'),
    });
    // Approved while they held it, removed before it ran: the execution is refused too.
    const approved = ok(apply(s, approve, ctxOf(who('UBIZ', ['business-owner']))));
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    expect(apply(approved, begin, ctxOf(who('UBIZ', ['business-owner'], left)))).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
    // Roles not read at all count as none; the run's starter may always ask.
    const { requesterRoles: _r, ...unread } = ctxOf(who('UBIZ', ['business-owner']));
    expect(apply(s, approve, unread)).toMatchObject({ ok: false, code: 'not_allowed' });
    const byStarter = ok(request(atFailover(), who(STARTER)));
    expect(ok(apply(byStarter, approve, unread)).requests?.[REQUEST]?.status).toBe('approved');
  });

  it('is approved by a member of the guarding gate’s roles who did not ask, once', () => {
    const s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const decide = (a: Actor) =>
      apply(s, { type: 'decide_request', requestId: REQUEST, decision: 'approve' }, ctxOf(a));
    expect(decide(who('UDEV', ['devops']))).toMatchObject({ ok: false, code: 'separation_of_duties' });
    expect(decide(who('USEC', ['security']))).toMatchObject({ ok: false, code: 'not_approver' });
    expect(decide(who('UBIZ', ['business-owner'], { channel: 'C9' }))).toMatchObject({
      code: 'wrong_channel',
    });
    const approved = ok(decide(who('UBIZ', ['business-owner'])));
    expect(approved.requests?.[REQUEST]).toMatchObject({
      status: 'approved',
      decidedBy: 'UBIZ',
      decidedRole: 'business-owner',
    });
    expect(
      apply(
        approved,
        { type: 'decide_request', requestId: REQUEST, decision: 'approve' },
        ctxOf(who('UDEV2', ['devops'])),
      ),
    ).toMatchObject({ ok: false, code: 'request_not_pending', events: [] });
  });

  it('uses the roles a step declares with approve=, instead of the gate’s', () => {
    const s = atFailover({ action: 'route53-failover', approve: 'security' });
    expect(approverRolesFor(s, 'failover')).toEqual(['security']);
    const asked = ok(request(s, who('UDEV', ['devops'])));
    const by = (a: Actor) =>
      apply(asked, { type: 'decide_request', requestId: REQUEST, decision: 'approve' }, ctxOf(a));
    expect(by(who('UBIZ', ['business-owner']))).toMatchObject({ code: 'not_approver' });
    expect(by(who('USEC', ['security']))).toMatchObject({ ok: true });
  });

  it('refuses an unknown or malformed request id', () => {
    const s = ok(request(atFailover(), who('UDEV', ['devops'])));
    for (const requestId of ['0000000000000000', 'a1b2|c3', '<!channel>']) {
      expect(
        apply(
          s,
          { type: 'decide_request', requestId, decision: 'approve' },
          ctxOf(who('UBIZ', ['business-owner'])),
        ),
      ).toMatchObject({ ok: false, code: 'unknown_request' });
    }
  });

  it('executes under a lease: one delivery wins, a live lease turns others away, an expired one is taken over', () => {
    let s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const approver = who('UBIZ', ['business-owner']);
    s = ok(apply(s, { type: 'decide_request', requestId: REQUEST, decision: 'approve' }, ctxOf(approver)));
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    const first = ok(apply(s, begin, ctxOf(approver)));
    expect(first.requests?.[REQUEST]).toMatchObject({ status: 'executing', attempts: 1 });
    expect(apply(first, begin, ctxOf(approver))).toMatchObject({ ok: false, code: 'lease_held' });
    // Only the approver of record executes, and only while they still hold the role.
    expect(apply(s, begin, ctxOf(who('UDEV', ['devops'])))).toMatchObject({ code: 'separation_of_duties' });
    expect(apply(s, begin, ctxOf(who('UBIZ', [])))).toMatchObject({ code: 'not_approver' });
    // The first executor died; its lease ran out.
    advance(120);
    const second = ok(apply(first, begin, ctxOf(approver)));
    expect(second.requests?.[REQUEST]).toMatchObject({ status: 'executing', attempts: 2 });
    // The first executor's late report is ignored; the holder's is recorded.
    const late = apply(
      second,
      {
        type: 'report_execution',
        requestId: REQUEST,
        attempt: 1,
        report: { kind: 'succeeded', outcome: 'insync', text: 'x' },
      },
      ctxOf(approver),
    );
    expect(late).toMatchObject({ ok: false, code: 'lease_held' });
    const done = ok(
      apply(
        second,
        {
          type: 'report_execution',
          requestId: REQUEST,
          attempt: 2,
          report: { kind: 'succeeded', outcome: 'insync', text: 'ok' },
        },
        ctxOf(approver),
      ),
    );
    expect(done.requests?.[REQUEST]).toMatchObject({ status: 'succeeded', outcome: 'insync' });
    expect(done.requests?.[REQUEST]?.leaseUntil).toBeUndefined();
  });

  it('never executes in a drill, nor once the step was done or the run ended', () => {
    let s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const approver = who('UBIZ', ['business-owner']);
    s = ok(apply(s, { type: 'decide_request', requestId: REQUEST, decision: 'approve' }, ctxOf(approver)));
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    expect(apply({ ...s, drill: true }, begin, ctxOf(approver))).toMatchObject({ code: 'drill' });
    // A drill's approved request is rehearsed (the exact change shown); a live run's is never only rehearsed.
    const rehearse: RunCommand = { ...begin, rehearsal: true };
    expect(ok(apply({ ...s, drill: true }, rehearse, ctxOf(approver))).requests?.[REQUEST]).toMatchObject({
      status: 'executing',
      attempts: 1,
    });
    expect(apply(s, rehearse, ctxOf(approver))).toMatchObject({ code: 'not_allowed' });
    expect(apply({ ...s, drill: true }, rehearse, ctxOf(who('UDEV', ['devops'])))).toMatchObject({
      code: 'separation_of_duties',
    });
    const doneStep = ok(
      apply(s, { type: 'done', stepId: 'failover', override: 'by hand' }, ctxOf(who(STARTER))),
    );
    expect(apply(doneStep, begin, ctxOf(approver))).toMatchObject({ code: 'not_current' });
    const cancelled = ok(apply(s, { type: 'cancel', reason: 'stop' }, ctxOf(who(STARTER))));
    expect(apply(cancelled, begin, ctxOf(approver))).toMatchObject({ code: 'not_active' });
  });

  it('is retried by an approver after a transient failure; the requester may only repeat a wait', () => {
    let s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const approver = who('UBIZ', ['business-owner']);
    s = ok(apply(s, { type: 'decide_request', requestId: REQUEST, decision: 'approve' }, ctxOf(approver)));
    s = ok(apply(s, { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 }, ctxOf(approver)));
    const report = (r: Extract<RunCommand, { type: 'report_execution' }>['report']) =>
      ok(apply(s, { type: 'report_execution', requestId: REQUEST, attempt: 1, report: r }, ctxOf(approver)));
    const failed = report({ kind: 'failed', error: 'throttled', retryable: true, final: true, text: 't' });
    expect(isRetryable(failed.requests![REQUEST]!, at())).toBe(true);
    const retry: RunCommand = { type: 'retry_request', requestId: REQUEST };
    expect(apply(failed, retry, ctxOf(who('UDEV', ['devops'])))).toMatchObject({
      code: 'separation_of_duties',
    });
    expect(apply(failed, retry, ctxOf(who('UOUT')))).toMatchObject({ code: 'not_approver' });
    expect(ok(apply(failed, retry, ctxOf(approver))).requests?.[REQUEST]).toMatchObject({
      status: 'approved',
      attempts: 0,
    });
    // Submitted, then failed waiting: the requester may ask to check the change again.
    const submitted = report({ kind: 'submitted', changeId: 'C0CHANGE', text: 's' });
    const waitFailed = ok(
      apply(
        submitted,
        {
          type: 'report_execution',
          requestId: REQUEST,
          attempt: 1,
          report: { kind: 'failed', error: 'timeout', retryable: true, final: true, text: 't' },
        },
        ctxOf(approver),
      ),
    );
    expect(apply(waitFailed, retry, ctxOf(who('UDEV', ['devops'])))).toMatchObject({ ok: true });
    // A denial is not retryable.
    const denied = report({ kind: 'failed', error: 'denied', retryable: false, final: true, text: 'd' });
    expect(apply(denied, retry, ctxOf(approver))).toMatchObject({ code: 'not_retryable' });
  });

  it('is cancelled by the requester, the starter or an approver, and by nobody else', () => {
    const s = ok(request(atFailover(), who('UDEV', ['devops'])));
    const cancel = (a: Actor) =>
      apply(s, { type: 'decide_request', requestId: REQUEST, decision: 'cancel' }, ctxOf(a));
    expect(cancel(who('UOUT'))).toMatchObject({ code: 'not_allowed' });
    for (const a of [who('UDEV', ['devops']), who(STARTER), who('UBIZ', ['business-owner'])])
      expect(ok(cancel(a)).requests?.[REQUEST]?.status).toBe('cancelled');
  });

  it('refuses a step with no guarding gate and no approve= (nobody could approve it)', () => {
    const s = createRunState({
      runId: '20240501T100000-abc123',
      checklist: { ...promotion, items: [step(1, 'failover', { action: 'route53-failover' })] },
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
      team: 'T1',
      enterprise: null,
    });
    expect(request(s, who(STARTER))).toMatchObject({ ok: false, code: 'no_approver_roles' });
  });
});

describe('order as the runbook declares it', () => {
  /** build, gate, failover (action), notify (notify=): the run after the gate, failover still pending. */
  const atNotifyTooEarly = () => atFailover({ action: 'route53-failover' });
  const withNotify = () => {
    const s = atNotifyTooEarly();
    const notify = s.items.find((i) => i.id === 'notify');
    if (notify?.type === 'step') notify.directives = { notify: 'failover-notice' };
    return s;
  };

  it('refuses Done on a step after an unresolved one unless a reason overrides it', () => {
    const s = withNotify();
    const early = authorize(s, { type: 'done', stepId: 'notify' }, who(STARTER), at());
    expect(early).toMatchObject({ ok: false, code: 'out_of_order' });
    expect(!early.ok && early.reason).toContain('step 2 "Step failover" is not done yet');
    expect(authorize(s, { type: 'done', stepId: 'notify', override: true }, who(STARTER), at()).ok).toBe(
      true,
    );
  });

  it('offers live actions only on the current step: no notice before the DNS step is resolved', () => {
    const s = withNotify();
    const post = authorize(s, { type: 'post_notice', stepId: 'notify' }, who('UDEV', ['devops']), at());
    expect(post).toMatchObject({ ok: false, code: 'out_of_order' });
    expect(!post.ok && post.reason).toContain('is not the current step');
    const resolved = ok(
      apply(s, { type: 'skip', stepId: 'failover', reason: 'done by hand' }, ctxOf(who(STARTER))),
    );
    expect(
      authorize(resolved, { type: 'post_notice', stepId: 'notify' }, who('UDEV', ['devops']), at()).ok,
    ).toBe(true);
  });

  it('lets only the starter or a gate role post the stakeholder notice', () => {
    const resolved = ok(
      apply(withNotify(), { type: 'skip', stepId: 'failover', reason: 'done by hand' }, ctxOf(who(STARTER))),
    );
    expect(authorize(resolved, { type: 'post_notice', stepId: 'notify' }, who(STARTER), at()).ok).toBe(true);
    const outsider = authorize(resolved, { type: 'post_notice', stepId: 'notify' }, who('U0OUT'), at());
    expect(outsider).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(!outsider.ok && outsider.reason).toContain('can post to stakeholders');
  });

  it('refuses asking for a change a step already made, and the approval of one once an earlier step is undone', () => {
    let s = ok(request(atFailover(), who(STARTER)));
    s = ok(
      apply(
        s,
        { type: 'decide_request', requestId: REQUEST, decision: 'approve' },
        ctxOf(who('UDEV', ['devops'])),
      ),
    );
    s = ok(
      apply(
        s,
        { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
        ctxOf(who('UDEV', ['devops'])),
      ),
    );
    s = ok(
      apply(
        s,
        {
          type: 'report_execution',
          requestId: REQUEST,
          attempt: 1,
          report: { kind: 'succeeded', outcome: 'insync', text: 'ok' },
        },
        ctxOf(who('UDEV', ['devops'])),
      ),
    );
    const again = authorize(s, { type: 'request_action', stepId: 'failover' }, who(STARTER), at());
    expect(again).toMatchObject({ ok: false, code: 'not_current' });
    expect(!again.ok && again.reason).toContain('already made');
  });

  it('keeps the steps of a parallel group current together, and the group in order with the rest', () => {
    const c = createRunState({
      runId: '20240501T100000-abc124',
      checklist: {
        ...promotion,
        items: [
          { ...step(1, 'a'), parallel: 'g' },
          { ...step(2, 'b', { notify: 'failover-notice' }), parallel: 'g' },
          step(3, 'c', { notify: 'failover-notice' }),
        ],
      },
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
      team: 'T1',
      enterprise: null,
    });
    expect(authorize(c, { type: 'post_notice', stepId: 'b' }, who(STARTER), at()).ok).toBe(true);
    expect(authorize(c, { type: 'done', stepId: 'b' }, who(STARTER), at()).ok).toBe(true);
    expect(authorize(c, { type: 'post_notice', stepId: 'c' }, who(STARTER), at())).toMatchObject({
      ok: false,
      code: 'out_of_order',
    });
  });
});
