/**
 * The transitions of a live-action request (src/workflows/requests.ts), applied by `apply()` after
 * `authorize()` has allowed them:
 *
 *   request ──approve──▶ approved ──begin_execution──▶ executing ──report──▶ succeeded | failed
 *      │                     ▲                            │ (transient failure, attempts left)
 *      └──cancel──▶ cancelled └──────── retry ◀────────────┘
 *
 * `begin_execution` is the executor's lease: one conditional write on the run's version lets exactly one
 * delivery of the task act; a later delivery finds it executing under a live lease and does nothing, or
 * takes over a lease that has run out (its executor died), counting the attempt.
 */
import type { CommandContext, Commit, Refuse } from './checklist';
import { type ActionRequest, approverRolesFor, findRequest } from './requests';
import type { RunEvent, RunState } from './run-state';

export type ExecutionReport =
  /**
   * A change was submitted (e.g. a Route 53 change id). `part` (a hosted zone) names the part of a change
   * made of several; `complete: false` says parts remain to be written. Once complete, a retry only waits.
   */
  | { kind: 'submitted'; changeId: string; text: string; part?: string; complete?: boolean }
  | { kind: 'succeeded'; outcome: string; text: string }
  /** `final`: no automatic retry follows (attempts used up, or not worth retrying). */
  | { kind: 'failed'; error: string; retryable: boolean; final: boolean; text: string };

export type RequestCommand =
  | { type: 'request'; stepId: string; requestId: string; kind: string; plan?: unknown }
  | { type: 'decide_request'; requestId: string; decision: 'approve' | 'cancel' }
  | { type: 'retry_request'; requestId: string }
  /** `rehearsal`: the run is a drill, so the executor only shows the change (authorized as `rehearse_request`). */
  | { type: 'begin_execution'; requestId: string; leaseMs: number; rehearsal?: boolean }
  | { type: 'report_execution'; requestId: string; attempt: number; report: ExecutionReport }
  /** The bot records the thread message that shows the request; produces no event. */
  | { type: 'attach_request'; requestId: string; messageTs: string };

type PendingEvent = Omit<RunEvent, 'id' | 'runId' | 'at' | 'user' | 'version'>;

export function applyRequestCommand(
  state: RunState,
  command: RequestCommand,
  ctx: CommandContext,
  { commit, refuse }: { commit: Commit; refuse: Refuse },
) {
  const next = structuredClone(state);
  next.requests = { ...(next.requests ?? {}) };
  const requests = next.requests;
  const existing = 'requestId' in command ? findRequest(next, command.requestId) : null;
  const put = (request: ActionRequest, events: PendingEvent[]) => {
    requests[request.id] = request;
    return commit(state, next, ctx, events, false);
  };
  if (command.type === 'request') {
    if (findRequest(next, command.requestId))
      return refuse('request_open', 'This request exists already; nothing changed.');
    const request: ActionRequest = {
      id: command.requestId,
      kind: command.kind,
      stepId: command.stepId,
      requestedBy: ctx.user,
      requestedAt: ctx.at,
      status: 'pending',
      attempts: 0,
      ...(command.plan !== undefined ? { plan: command.plan } : {}),
    };
    return put(request, [{ type: 'action_requested', stepId: command.stepId, requestId: request.id }]);
  }
  if (!existing) return refuse('unknown_request', 'This request is not part of this run.');
  const base = { stepId: existing.stepId, requestId: existing.id };
  switch (command.type) {
    case 'decide_request': {
      if (command.decision === 'cancel') {
        // A cancelled request that never began is never read again (its message showed the plan): its plan
        // is not kept, so a run whose requests were cancelled and asked again (a plan over many record sets
        // is large) stays within DynamoDB's 400 KB item. One that began keeps it: it may have written.
        const { plan: _plan, ...unplanned } = existing;
        const kept = existing.begun ? existing : unplanned;
        return put({ ...kept, status: 'cancelled', decidedBy: ctx.user, decidedAt: ctx.at }, [
          { type: 'action_cancelled', ...base },
        ]);
      }
      const role = approverRole(ctx, state, existing);
      return put(
        {
          ...existing,
          status: 'approved',
          decidedBy: ctx.user,
          decidedAt: ctx.at,
          ...(role ? { decidedRole: role } : {}),
        },
        [{ type: 'action_approved', ...base, ...(role ? { role } : {}) }],
      );
    }
    case 'retry_request': {
      const { lastError: _e, retryable: _r, leaseUntil: _l, ...rest } = existing;
      // A person asked again: automatic retries start afresh.
      return put({ ...rest, status: 'approved', attempts: 0 }, [{ type: 'action_retried', ...base }]);
    }
    case 'begin_execution': {
      const leaseUntil = new Date(Date.parse(ctx.at) + command.leaseMs).toISOString();
      return put(
        { ...existing, status: 'executing', attempts: existing.attempts + 1, begun: true, leaseUntil },
        [],
      );
    }
    case 'report_execution':
      return report(existing, command.report, ctx, put, base);
    case 'attach_request':
      return put({ ...existing, messageTs: command.messageTs }, []);
  }
}

function report(
  existing: ActionRequest,
  r: ExecutionReport,
  ctx: CommandContext,
  put: (request: ActionRequest, events: PendingEvent[]) => ReturnType<Commit>,
  base: { stepId: string; requestId: string },
) {
  switch (r.kind) {
    case 'submitted':
      return put(
        {
          ...existing,
          ...(r.complete === false ? {} : { changeId: r.changeId }),
          ...(r.part ? { submittedParts: { ...existing.submittedParts, [r.part]: r.changeId } } : {}),
        },
        [{ type: 'action_submitted', ...base, text: r.text }],
      );
    case 'succeeded': {
      const { leaseUntil: _l, lastError: _e, retryable: _r, ...rest } = existing;
      return put({ ...rest, status: 'succeeded', outcome: r.outcome, finishedAt: ctx.at }, [
        { type: 'action_succeeded', ...base, text: r.text },
      ]);
    }
    case 'failed': {
      const { leaseUntil: _l, ...rest } = existing;
      if (!r.final) {
        // Back to approved: the next delivery (Lambda's own retry) begins again.
        return put({ ...rest, status: 'approved', lastError: r.error, retryable: r.retryable }, [
          { type: 'action_retrying', ...base, reason: r.error, text: r.text },
        ]);
      }
      return put(
        { ...rest, status: 'failed', lastError: r.error, retryable: r.retryable, finishedAt: ctx.at },
        [{ type: 'action_failed', ...base, reason: r.error, text: r.text }],
      );
    }
  }
}

function approverRole(ctx: CommandContext, state: RunState, request: ActionRequest): string | undefined {
  const roles = ctx.roles ?? [];
  return approverRolesFor(state, request.stepId).find((r) => roles.includes(r));
}
