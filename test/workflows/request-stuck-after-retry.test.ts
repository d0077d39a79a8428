/**
 * Found in a review (helper-198) of the 'begun' flag (5d138cc) with requesterStillMay (851bc83): an approved
 * request whose execution began, failed and was retried is no longer cancellable. When its execution is then
 * refused for good (the requester or the approver lost the role), the refusal says "Cancel the request and ask
 * again", Cancel is refused ('already approved'), Retry only leads to the same refusal, and no new request may
 * be made for the step ('request_open'): the step's live action is stuck for the rest of the run.
 * Through apply(), as test/workflows/request-cancel-after-retry.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { apply } from '../../src/workflows/checklist';
import { findRequest } from '../../src/workflows/requests';
import type { RunState } from '../../src/workflows/run-state';
import { STARTER } from './fixtures';
import { ctxOf, liveRun, ok, who } from './live-run';

const REQUEST = 'a1b2c3d4e5f60718';
const NEXT = 'b1b2c3d4e5f60719';

/** Approved, begun, failed (retryable, final), retried by a Business Owner: 'approved', attempts 0, begun. */
function retriedRequest(): RunState {
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
  s = ok(
    apply(
      s,
      { type: 'decide_request', requestId: REQUEST, decision: 'approve' },
      ctxOf(who('UBIZ', ['business-owner'])),
    ),
  );
  s = ok(
    apply(
      s,
      { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
      ctxOf(who('UBIZ', ['business-owner'])),
    ),
  );
  // Route 53 answered AccessDenied before anything was submitted (a policy being rolled out): retryable.
  s = ok(
    apply(
      s,
      {
        type: 'report_execution',
        requestId: REQUEST,
        attempt: 1,
        report: { kind: 'failed', error: 'AccessDenied', retryable: true, final: true, text: 'failed' },
      },
      { ...ctxOf(who('UBIZ', ['business-owner'])), system: true },
    ),
  );
  return ok(apply(s, { type: 'retry_request', requestId: REQUEST }, ctxOf(who('UBIZ2', ['business-owner']))));
}

/** After the execution's refusal: cancel it, or ask again; either lets the step's change be made. */
function wayForward(s: RunState): boolean {
  const cancelled = apply(
    s,
    { type: 'decide_request', requestId: REQUEST, decision: 'cancel' },
    ctxOf(who(STARTER)),
  );
  const base = cancelled.ok ? cancelled.state : s;
  const asked = apply(
    base,
    { type: 'request', stepId: 'failover', requestId: NEXT, kind: 'route53-failover', plan: { p: 1 } },
    ctxOf(who('UDEV2', ['devops']), ['devops']),
  );
  return asked.ok;
}

describe('a retried request whose execution is then refused for good', () => {
  it('can be cancelled or asked for again once its requester lost the role (not stuck)', () => {
    const s = retriedRequest();
    // UDEV left @devops meanwhile: the execution is refused, "Cancel the request and ask again".
    const refused = apply(
      s,
      { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
      ctxOf(who('UBIZ', ['business-owner']), []),
    );
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.reason).toMatch(/Cancel the request/);
    expect(findRequest(s, REQUEST)?.status).toBe('approved');
    expect(wayForward(s)).toBe(true);
  });

  it('can be cancelled or asked for again once its approver lost the role (not stuck)', () => {
    const s = retriedRequest();
    // UBIZ (who approved) left @business-owner: every execution of this approval is refused.
    const refused = apply(
      s,
      { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
      ctxOf(who('UBIZ', [])),
    );
    expect(refused).toMatchObject({ ok: false });
    expect(wayForward(s)).toBe(true);
  });
});
