/**
 * Found in a review (helper-208): an approver whose user group Slack could not list just now was told they
 * are no approver ("Only a member of … can approve this change") where a gate's signer and a requester are
 * told their role could not be checked. holdsApproverRole serves the approval (test/aws/approver-group-
 * unlisted.e2e.test.ts), the execution of an approved request and a Retry that repeats the write: the two
 * last, through apply().
 */
import { describe, expect, it } from 'vitest';
import { apply, type RunCommand } from '../../src/workflows/checklist';
import type { RunState } from '../../src/workflows/run-state';
import { STARTER } from './fixtures';
import { ctxOf, liveRun, ok, who } from './live-run';

const REQUEST = 'a1b2c3d4e5f60718';

function approvedByUbiz(): RunState {
  let s = liveRun();
  s = ok(apply(s, { type: 'done', stepId: 'build' }, ctxOf(who(STARTER))));
  s = ok(apply(s, { type: 'approve', gateId: 'ops' }, ctxOf(who('UDEV', ['devops']))));
  s = ok(apply(s, { type: 'approve', gateId: 'ops' }, ctxOf(who('UBIZ', ['business-owner']))));
  s = ok(
    apply(
      s,
      { type: 'request', stepId: 'failover', requestId: REQUEST, kind: 'route53-failover', plan: { p: 1 } },
      ctxOf(who('UDEV', ['devops'])),
    ),
  );
  return ok(
    apply(
      s,
      { type: 'decide_request', requestId: REQUEST, decision: 'approve' },
      ctxOf(who('UBIZ', ['business-owner'])),
    ),
  );
}

describe('an approver whose role’s user group Slack cannot list just now', () => {
  it('executing the approved request: the role could not be checked, try again (not "only a member")', () => {
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    const r = apply(approvedByUbiz(), begin, ctxOf(who('UBIZ', [], { rolesUnknown: ['business-owner'] })));
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.reason).toMatch(/could not check your role/);
    expect(r.reason).toMatch(/try again/);
    expect(r.reason).not.toMatch(/Only a member of/);
  });

  it('Retry that repeats the write: the role could not be checked, try again', () => {
    const r = apply(
      approvedByUbiz(),
      { type: 'retry_request', requestId: REQUEST },
      ctxOf(who('UOTHER', [], { rolesUnknown: ['devops', 'business-owner'] })),
    );
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.reason).toMatch(/could not check your role/);
    expect(r.reason).not.toMatch(/Only a member of/);
  });

  it('control: no group unlisted, someone without the role is told only a member may approve', () => {
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    const r = apply(approvedByUbiz(), begin, ctxOf(who('UBIZ', [])));
    expect(r).toMatchObject({ ok: false, code: 'not_approver' });
    if (r.ok) return;
    expect(r.reason).toMatch(/Only a member of/);
  });
});
