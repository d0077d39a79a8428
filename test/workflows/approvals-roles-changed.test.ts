/**
 * Found in a review (helper-190) of the two-person rule when roles change under a request or a gate: an
 * approved request whose approver lost the role (its execution refused) must be cancellable so the step can
 * be asked again; a group Slack cannot list keeps its last members for a bounded time only; a signer holding
 * two roles signs last a role whose group cannot be listed. Through apply() and the role resolver.
 */
import { describe, expect, it } from 'vitest';
import { createRoleResolver, signingOrder } from '../../src/workflows/approver-roles';
import { parseApprovers } from '../../src/workflows/approvers';
import { apply, type RunCommand } from '../../src/workflows/checklist';
import type { RunState } from '../../src/workflows/run-state';
import { STARTER } from './fixtures';
import { ctxOf, liveRun, ok, who } from './live-run';

const REQUEST = 'a1b2c3d4e5f60718';
const AGAIN = 'b1b2c3d4e5f60719';

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

describe('an approved request whose approver lost the role before it ran', () => {
  it('is not executed, and the step can still get a valid second approval (cancel, then ask again)', () => {
    const s = approvedByUbiz();
    // UBIZ left the Business Owner role (removed from approvers.yaml or its user group) before the run began.
    const begin: RunCommand = { type: 'begin_execution', requestId: REQUEST, leaseMs: 60_000 };
    expect(apply(s, begin, ctxOf(who('UBIZ', [])))).toMatchObject({ ok: false, code: 'not_approver' });
    // Retry by another Business Owner re-queues the same approval (still UBIZ's): refused again, for ever.
    const retried = ok(
      apply(s, { type: 'retry_request', requestId: REQUEST }, ctxOf(who('UBIZ2', ['business-owner']))),
    );
    expect(apply(retried, begin, ctxOf(who('UBIZ', [])))).toMatchObject({ ok: false, code: 'not_approver' });
    // Nobody may approve it again (not pending), so the way out must be: cancel it and ask again.
    const cancelled = apply(
      retried,
      { type: 'decide_request', requestId: REQUEST, decision: 'cancel' },
      ctxOf(who(STARTER)),
    );
    expect(cancelled).toMatchObject({ ok: true });
    const again = apply(
      ok(cancelled),
      { type: 'request', stepId: 'failover', requestId: AGAIN, kind: 'route53-failover', plan: { p: 1 } },
      ctxOf(who('UDEV', ['devops'])),
    );
    expect(again).toMatchObject({ ok: true });
  });
});

describe('a user group that cannot be read any more (Slack API failing)', () => {
  it('does not keep a removed member in the role for ever: the last known members are trusted for a bounded time', async () => {
    const approvers = parseApprovers('roles:\n  devops: [S01DEVOPS]\n', 'approvers.yaml');
    let clock = 0;
    let failing = false;
    const resolver = createRoleResolver(
      approvers,
      async () => {
        if (failing) throw new Error('missing_scope'); // e.g. the app reinstalled without usergroups:read
        return ['U0LEAVER'];
      },
      { ttlMs: 5 * 60_000, now: () => clock },
    );
    expect(await resolver.rolesOf('U0LEAVER')).toEqual(['devops']);
    // U0LEAVER is removed from the group (offboarded); from now on Slack refuses every lookup.
    failing = true;
    clock = 24 * 60 * 60_000; // a day later, in the same warm container
    expect(await resolver.rolesOf('U0LEAVER')).toEqual([]);
  });
});

describe('a signer holding two of the gate roles while Slack cannot list a user group', () => {
  it('does not sign the role others could have signed: the gate must stay closable', async () => {
    // U0P is both DevOps and Business Owner; U0Q is DevOps through the group S0DEV; nobody else is Business Owner.
    const approvers = parseApprovers(
      'roles:\n  devops: [U0P, S0DEV]\n  business-owner: [U0P]\n',
      'approvers.yaml',
    );
    let failing = false;
    const resolver = createRoleResolver(approvers, async () => {
      if (failing) throw new Error('ratelimited');
      return ['U0Q'];
    });
    const order = async () =>
      signingOrder('U0P', await resolver.rolesOf('U0P'), (r) => resolver.membersOf(r), [STARTER]);
    const readable = await order();
    expect(readable[0]).toBe('business-owner');
    // A fresh container (nothing cached) while Slack refuses the group: same person, same gate.
    const fresh = createRoleResolver(approvers, async () => {
      throw new Error('ratelimited');
    });
    failing = true;
    const blind = await signingOrder(
      'U0P',
      await fresh.rolesOf('U0P'),
      (r) => fresh.membersOf(r),
      [STARTER],
      (r) => fresh.membersKnown?.(r) ?? true,
    );
    // Signing DevOps now leaves Business Owner to U0P alone, who cannot sign twice: the gate never closes.
    expect(blind[0]).toBe('business-owner');
  });
});
