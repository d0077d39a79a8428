/**
 * Live-action requests: "Execute failover" asks for a change, a second person approves it, a deferred task
 * executes it. A request is stored ON the run (`RunState.requests`), so one conditional write covers the
 * request and the run, and every button carries only `<runId>|<requestId>`: who asked, who approved, what
 * change and its state are read from here, never from a payload.
 *
 * Not Route-53-specific: `kind` is the step's `action=` value (`route53-failover` today; the failover switch
 * of issue 16 tomorrow) and `plan` is whatever the feature that plans the change stores (JSON), so the
 * approver approves exactly what the executor later checks against the live state.
 */
import { findStep, type RunGate, type RunState } from './run-state';

export type RequestStatus = 'pending' | 'approved' | 'cancelled' | 'executing' | 'succeeded' | 'failed';

export interface ActionRequest {
  /** Random, per request (see `REQUEST_ID`); the only thing a button names besides the run. */
  id: string;
  /** What is asked for: the step's `action=` value (`route53-failover`, `route53-failback`, ...). */
  kind: string;
  stepId: string;
  requestedBy: string;
  /** ISO 8601. */
  requestedAt: string;
  status: RequestStatus;
  /** The exact change shown to the approver (JSON, written by the feature that planned it). */
  plan?: unknown;
  decidedBy?: string;
  decidedAt?: string;
  /** The role the approver held when approving (from the approvers file). */
  decidedRole?: string;
  /** Executions started so far (automatic retries included); `begin_execution` counts them. */
  attempts: number;
  /**
   * An execution began at some time (a person's Retry starts `attempts` afresh but keeps this): what it
   * may have written is not undone by a cancel (`isCancellable`).
   */
  begun?: true;
  /** While `executing`: the executor's lease (ISO); a later delivery may take over once it has passed. */
  leaseUntil?: string;
  /**
   * The id of the submitted change (a Route 53 change id), set once every write of the request was
   * submitted: a retry then only waits for it (and may be pressed by the requester).
   */
  changeId?: string;
  /**
   * The changes submitted so far, by part (a Route 53 hosted zone → its change id): a change over several
   * zones that stopped between them writes only the zones not submitted yet when it is retried.
   */
  submittedParts?: Record<string, string>;
  lastError?: string;
  /** A failure worth retrying (throttling, timeout, 5xx): a person may press Retry. */
  retryable?: boolean;
  /** How it ended, in the feature's words (`insync`, `noop`). */
  outcome?: string;
  finishedAt?: string;
  /** The thread message that shows the request and its buttons, once posted. */
  messageTs?: string;
}

/** Request ids are ours: lower-case hex. Anything else in a button is a stale or forged reference. */
export const REQUEST_ID = /^[a-f0-9]{8,32}$/;

/** Still waiting for a decision or for its execution to end: a step has at most one open request. */
export function isOpenRequest(request: Pick<ActionRequest, 'status'>): boolean {
  return request.status === 'pending' || request.status === 'approved' || request.status === 'executing';
}

export function findRequest(state: RunState, requestId: string): ActionRequest | null {
  return state.requests?.[requestId] ?? null;
}

/** The requests of one step, oldest first. */
export function requestsForStep(state: RunState, stepId: string): ActionRequest[] {
  return Object.values(state.requests ?? {})
    .filter((r) => r.stepId === stepId)
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
}

export function openRequestFor(state: RunState, stepId: string): ActionRequest | null {
  return requestsForStep(state, stepId).find(isOpenRequest) ?? null;
}

/**
 * Who may approve a live action on a step: the roles the step declares with `approve=<role,role>`, else the
 * roles of the gate that guards it (the nearest gate before it). Empty: nobody may (the runbook lint flags it).
 */
export function approverRolesFor(state: RunState, stepId: string): string[] {
  const found = findStep(state, stepId);
  if (!found) return [];
  const declared = found.step.directives['approve'];
  if (declared !== undefined) {
    return declared
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter(Boolean);
  }
  for (let i = found.index - 1; i >= 0; i--) {
    const item = state.items[i];
    if (item?.type === 'gate') return [...(item as RunGate).roles];
  }
  return [];
}

/** Who may ask for a live action: the run's starter, or anyone holding one of the run's gate roles. */
export function requesterRolesOf(state: RunState): string[] {
  return [...new Set(state.items.flatMap((it) => (it.type === 'gate' ? it.roles : [])))];
}

/**
 * Whether a request may still be cancelled: it waits for its approval, or it was approved and is not being
 * executed now and submitted nothing (no change id, no part): its execution was refused (the approver or the
 * requester has since lost the role), never queued, or failed before Route 53 answered and was retried.
 * Cancelling it lets the step be asked for again, with a valid second approval. An execution that began
 * (`begun`) may still have written before it failed: its cancel keeps the plan and says so.
 */
export function isCancellable(request: ActionRequest): boolean {
  if (request.status === 'pending') return true;
  return (
    request.status === 'approved' &&
    request.attempts === 0 &&
    request.changeId === undefined &&
    Object.keys(request.submittedParts ?? {}).length === 0
  );
}

/**
 * May a person press Retry now? A transient failure, an execution that stopped without a verdict, or an
 * approval whose execution never began (queuing it failed, or the task was lost): a second start is harmless,
 * as `begin_execution` lets one delivery act.
 */
export function isRetryable(request: ActionRequest, at: string): boolean {
  if (request.status === 'failed') return request.retryable === true;
  if (request.status === 'approved' && request.attempts === 0) return true;
  const stalled =
    (request.status === 'approved' || request.status === 'executing') &&
    request.attempts > 0 &&
    (!request.leaseUntil || request.leaseUntil <= at);
  return stalled;
}
