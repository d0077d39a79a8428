/**
 * Found in a review (helper-194) of isCancellable: Retry resets `attempts` to 0, which isCancellable read as
 * "never begun": a cancel then said "Nothing was written" and dropped the plan an earlier attempt may have
 * written. The request remembers it began: its cancel keeps the plan and says it may have written.
 * Through apply(), as test/workflows/approvals-roles-changed.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { requestMessage } from '../../src/slack/render/status-steps';
import { apply } from '../../src/workflows/checklist';
import { findRequest, isCancellable } from '../../src/workflows/requests';
import { STARTER } from './fixtures';
import { ctxOf, liveRun, ok, who } from './live-run';

const REQUEST = 'a1b2c3d4e5f60718';

describe('an approved request whose execution began, failed and was retried', () => {
  it('is cancelled as "may have written", its plan kept, never as "Nothing was written"', () => {
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
    // The execution begins and calls Route 53; the call times out (Route 53 may well have applied it: no
    // change id came back), so it fails, worth retrying.
    s = ok(
      apply(
        s,
        { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
        ctxOf(who('UBIZ', ['business-owner'])),
      ),
    );
    s = ok(
      apply(
        s,
        {
          type: 'report_execution',
          requestId: REQUEST,
          attempt: 1,
          report: { kind: 'failed', error: 'socket hang up', retryable: true, final: true, text: 'failed' },
        },
        { ...ctxOf(who('UBIZ', ['business-owner'])), system: true },
      ),
    );
    // A Business Owner presses Retry: attempts start afresh (0) and the request is 'approved' again.
    s = ok(apply(s, { type: 'retry_request', requestId: REQUEST }, ctxOf(who('UBIZ2', ['business-owner']))));
    const request = findRequest(s, REQUEST)!;
    // An execution began: it stays cancellable (else a refused retry would block the step: helper-198), but
    // keeps its plan and is shown as "may have written", never "Nothing was written".
    expect(request.begun).toBe(true);
    expect(isCancellable(request)).toBe(true);
    const cancelled = ok(
      apply(
        s,
        { type: 'decide_request', requestId: REQUEST, decision: 'cancel' },
        ctxOf(who('UDEV', ['devops'])),
      ),
    );
    const after = findRequest(cancelled, REQUEST)!;
    expect(after).toMatchObject({ status: 'cancelled', begun: true, plan: { p: 1 } });
    const shown = JSON.stringify(
      requestMessage({
        runId: cancelled.runId,
        request: after,
        what: 'DNS failover',
        verb: 'failover',
        planText: '',
        simulated: null,
      }),
    );
    expect(shown).toContain('may have written');
    expect(shown).not.toContain('Nothing was written');
  });
});
