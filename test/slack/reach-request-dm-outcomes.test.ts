/**
 * Found in a review (helper-203): what an approver's DM says about a live-action request after this session's changes
 * to requests, against what the request's thread message says. Built through apply() (as
 * test/workflows/request-stuck-after-retry.test.ts) and rendered with renderInviteDm, as reach/invites.ts does.
 */
import { describe, expect, it } from 'vitest';
import { renderInviteDm } from '../../src/slack/render/invite-dm';
import { requestMessage } from '../../src/slack/render/status-steps';
import { apply } from '../../src/workflows/checklist';
import type { ApprovalInvite } from '../../src/workflows/invites';
import { findRequest } from '../../src/workflows/requests';
import type { RunState } from '../../src/workflows/run-state';
import { STARTER } from '../workflows/fixtures';
import { at, ctxOf, liveRun, ok, T0, who } from '../workflows/live-run';

const REQUEST = 'a1b2c3d4e5f60718';

/** Requested by UDEV, approved by UBIZ (whose DM this is). */
function approved(): RunState {
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

/** Began, failed before Route 53 answered (retryable, final), retried: 'approved', attempts 0, begun. */
function begunAndRetried(): RunState {
  let s = approved();
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
        report: { kind: 'failed', error: 'timeout', retryable: true, final: true, text: 'failed' },
      },
      { ...ctxOf(who('UBIZ', ['business-owner'])), system: true },
    ),
  );
  return ok(apply(s, { type: 'retry_request', requestId: REQUEST }, ctxOf(who('UBIZ', ['business-owner']))));
}

const invite: ApprovalInvite = {
  id: `request:${REQUEST}:UBIZ:0`,
  target: `request:${REQUEST}`,
  user: 'UBIZ',
  n: 0,
  status: 'closed',
  openedAt: '2024-05-01T10:00:05.000Z',
  closedAt: '2024-05-01T10:00:06.000Z',
  channel: 'DBIZ',
  ts: '1714557606.000100',
};

const dmText = (run: RunState) =>
  JSON.stringify(
    renderInviteDm({
      run,
      invite,
      roles: ['business-owner'],
      permalink: null,
      request: { what: 'Route 53 failover', verb: 'failover', planText: '' },
    }),
  );
const threadText = (run: RunState, now: string) =>
  JSON.stringify(
    requestMessage({
      runId: run.runId,
      request: findRequest(run, REQUEST)!,
      what: 'Route 53 failover',
      verb: 'failover',
      planText: '',
      simulated: null,
      now,
    } as Parameters<typeof requestMessage>[0]),
  );

describe("the approver's DM of a request after this session's request changes", () => {
  it('of a request cancelled after its execution began says it may have written, as its thread does', () => {
    const s = ok(
      apply(
        begunAndRetried(),
        { type: 'decide_request', requestId: REQUEST, decision: 'cancel' },
        ctxOf(who(STARTER)),
      ),
    );
    expect(findRequest(s, REQUEST)).toMatchObject({ status: 'cancelled', begun: true });
    expect(threadText(s, at())).toContain('may have written');
    // The DM of the person who approved the change says only "Request cancelled by …".
    expect(dmText(s)).toContain('may have written');
  });

  it('of an approved request whose execution was refused (requester lost the role) does not say it is about to be made', () => {
    const s = approved();
    const refused = apply(
      s,
      { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
      ctxOf(who('UBIZ', ['business-owner']), []),
    );
    expect(refused).toMatchObject({ ok: false });
    // Nothing of the refusal is stored: the run is as it was, and the DM keeps promising the change.
    const stored = refused.ok ? refused.state : s;
    expect(dmText(stored)).not.toContain('about to be made');
  });

  it('of a request whose execution stopped without a result does not say the change is being made', () => {
    let s = approved();
    s = ok(
      apply(
        s,
        { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 },
        ctxOf(who('UBIZ', ['business-owner'])),
      ),
    );
    // Lambda killed the execution: the lease ran out with no report. The thread offers Retry.
    const later = new Date(T0 + 3600_000).toISOString();
    expect(threadText(s, later)).toContain('stopped without a result');
    expect(dmText(s)).not.toContain('is being made');
  });
});
