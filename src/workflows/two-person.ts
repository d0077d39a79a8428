/**
 * The two-person rule for production writes (Route 53 failover/failback): one person asks, a different
 * person approves, and only then does the bot write. Pure: the Slack layer carries the request and asks
 * this module who may approve it.
 */

export interface WriteRequest {
  /** The Slack user who pressed "Execute failover" and confirmed the dialog. */
  requestedBy: string;
  requestedAt: string;
}

export type ApprovalDecision =
  | { ok: true }
  | { ok: false; reason: 'same-person' | 'not-an-approver' | 'already-decided'; message: string };

export interface ApprovalContext {
  /** When set, only these Slack user IDs may approve (from approvers.yaml); empty or absent: anyone else. */
  approvers?: readonly string[];
  /** Set once someone has approved or cancelled. */
  decidedBy?: string | null;
}

export function decideApproval(
  request: WriteRequest,
  approverId: string,
  ctx: ApprovalContext = {},
): ApprovalDecision {
  if (ctx.decidedBy) {
    return {
      ok: false,
      reason: 'already-decided',
      message: `This request was already handled by <@${ctx.decidedBy}>.`,
    };
  }
  if (approverId === request.requestedBy) {
    return {
      ok: false,
      reason: 'same-person',
      message: 'Two-person rule: the person who asked for this change cannot approve it. Ask a colleague.',
    };
  }
  if (ctx.approvers && ctx.approvers.length > 0 && !ctx.approvers.includes(approverId)) {
    return {
      ok: false,
      reason: 'not-an-approver',
      message: 'Only a listed approver can approve this change.',
    };
  }
  return { ok: true };
}
