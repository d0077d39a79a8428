/**
 * `action=route53-failover` / `action=route53-failback` ("Update Route 53"), as a `LiveAction`
 * (./requests.ts: request, second-person approval, leased execution, all stored on the run):
 *
 * - plan: read the live record sets and plan the DELETE + CREATE swap of failover roles; the plan is stored
 *   with the request and shown to the approver;
 * - execute: read again, re-plan, and refuse when the change is no longer the one approved (someone changed
 *   the records meanwhile); otherwise `ChangeResourceRecordSets` with a comment naming the run and both
 *   people, then `GetChange` until INSYNC. A submitted change is recorded first, so a retry only waits.
 * - In a drill nothing is ever written: "Preview" shows the exact change a real run would make.
 *
 * Done is allowed once the change is INSYNC (or the records already had the roles); otherwise only with an
 * override reason.
 */
import type { App } from '@slack/bolt';
import { AwsCallError } from '../../../aws/errors';
import { applyFailover, prepareFailover } from '../../../aws/failover';
import type { FailoverDirection, FailoverPlan, RecordChange } from '../../../workflows/failover-plan';
import { isRetryable, requestsForStep } from '../../../workflows/requests';
import { ActionIds } from '../../action-ids';
import type { AppDeps } from '../../deps';
import { onDeferredClick } from '../../interaction';
import { encodeItemValue } from '../../render/checklist';
import {
  directionWord,
  failedNoteText,
  planDetail,
  previewNoteText,
  resultNoteText,
  route53StepBlocks,
} from '../../render/status-steps';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { NoteKind, noteKey } from './notes';
import {
  DECIDE_TASK,
  EXECUTE_TASK,
  type LiveAction,
  REQUEST_TASK,
  RETRY_TASK,
  registerLiveAction,
  requestChange,
} from './requests';
import { onStepButton, onStepTask, recordsOf, type StepTaskContext } from './shared';

export const PREVIEW_TASK = 'aws.route53.preview';
export { EXECUTE_TASK, REQUEST_TASK };

export function directionOf(value: string): FailoverDirection | null {
  if (value === 'route53-failover') return 'failover';
  if (value === 'route53-failback') return 'failback';
  return null;
}

export const route53Extension: StepExtension = {
  renderBlocks(ctx) {
    const direction = directionOf(ctx.value);
    if (!direction) return [];
    const latest = requestsForStep(ctx.run, ctx.step.id).at(-1) ?? null;
    return route53StepBlocks({
      direction,
      drill: ctx.drill,
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      records: recordsOf(ctx.deps, ctx.checklist),
      latest,
      retryable: latest !== null && isRetryable(latest, ctx.deps.now().toISOString()),
      runId: ctx.run.runId,
    });
  },

  guardDone(ctx) {
    if (ctx.drill || !directionOf(ctx.value)) return { ok: true };
    const done = requestsForStep(ctx.run, ctx.step.id).some((r) => r.status === 'succeeded');
    if (done) return { ok: true };
    const what = directionWord(directionOf(ctx.value) ?? 'failover');
    return {
      ok: false,
      overridable: true,
      reason: `The Route 53 ${what} has not been executed and confirmed INSYNC by the bot.`,
    };
  },
};

/** The change comment names the run, the step and both people (ids from the store, never from a payload). */
export function changeComment(
  r: { runId: string; stepId: string; direction: FailoverDirection; requestedBy: string },
  approvedBy: string | null,
): string {
  const who = approvedBy
    ? `requested by ${r.requestedBy} approved by ${approvedBy}`
    : `previewed by ${r.requestedBy}`;
  return `runbook-bot ${r.direction} run ${r.runId} step ${r.stepId} ${who}`;
}

/** The part of a plan the approver approves: the record changes, without the comment (which names them). */
function changesOf(plan: FailoverPlan): { zone: string; changes: RecordChange[] }[] {
  return plan.kind === 'change'
    ? plan.batches.map((b) => ({ zone: b.hostedZoneId, changes: b.changes }))
    : [];
}

const route53Action: LiveAction = {
  label: (kind) => `Route 53 ${directionWord(directionOf(kind) ?? 'failover')}`,
  verb: (kind) => directionWord(directionOf(kind) ?? 'failover'),

  async plan({ deps, run, step, checklist, requestedBy }) {
    const direction = directionOf(step.directives['action'] ?? '') ?? 'failover';
    const gateway = await deps.getAws();
    const plan = await prepareFailover(gateway, {
      direction,
      records: recordsOf(deps, checklist),
      comment: changeComment({ runId: run.runId, stepId: step.id, direction, requestedBy }, '<approver>'),
    });
    if (plan.kind === 'change') return { kind: 'change', plan };
    const sim = gateway.mode === 'simulated' ? `:test_tube: *${gateway.label}* ` : '';
    const head =
      plan.kind === 'noop'
        ? `${sim}:white_check_mark: Route 53 ${directionWord(direction)}: every record set already has the target role; nothing to approve.`
        : `${sim}:warning: Route 53 ${directionWord(direction)} cannot be planned:`;
    return { kind: 'nothing', text: `${head}\n${planDetail(plan)}` };
  },

  async execute({ deps, run, request, checklist, submitted }) {
    const direction = directionOf(request.kind) ?? 'failover';
    const gateway = await deps.getAws();
    const simulated = gateway.mode === 'simulated' ? gateway.label : null;
    const approvedBy = request.decidedBy ?? '';
    const who = { runId: run.runId, stepId: request.stepId, direction, requestedBy: request.requestedBy };
    if (request.changeId) {
      const final = await gateway.waitForChange(request.changeId);
      return {
        outcome: 'insync',
        text: resultNoteText({
          direction,
          applied: [{ hostedZoneId: '(as submitted)', submitted: final, final }],
          requestedBy: request.requestedBy,
          approvedBy,
          simulated,
        }),
      };
    }
    const plan = await prepareFailover(gateway, {
      direction,
      records: recordsOf(deps, checklist),
      comment: changeComment(who, approvedBy),
    });
    if (plan.kind === 'noop') {
      return {
        outcome: 'noop',
        text: `${simulated ? `:test_tube: *${simulated}* ` : ''}:white_check_mark: Route 53 ${directionWord(direction)}: every record set already had the target role; nothing was written.`,
      };
    }
    const approved = request.plan as FailoverPlan | undefined;
    if (
      plan.kind === 'error' ||
      !approved ||
      JSON.stringify(changesOf(plan)) !== JSON.stringify(changesOf(approved))
    ) {
      // Not what the approver saw: someone changed the records since. Write nothing; ask again.
      throw new PlanChangedError(
        plan.kind === 'error'
          ? `the change cannot be planned any more (${plan.problems.join('; ')})`
          : 'the live records changed since this change was approved, so it no longer does what was approved. Nothing was written; ask for the change again',
      );
    }
    const applied = await applyFailover(gateway, plan.batches, {
      onSubmitted: async (batch, info) => {
        await submitted(
          info.changeId,
          `${simulated ? `:test_tube: *${simulated}* ` : ''}:arrows_counterclockwise: Submitted Route 53 change \`${info.changeId}\` on zone \`${batch.hostedZoneId}\` (“${batch.comment}”). Waiting for INSYNC…`,
        );
      },
    });
    return {
      outcome: 'insync',
      text: resultNoteText({ direction, applied, requestedBy: request.requestedBy, approvedBy, simulated }),
    };
  },

  describe: (plan) => planDetail(plan as FailoverPlan),

  failureText: (request, message, simulated) =>
    failedNoteText({
      direction: directionOf(request.kind) ?? 'failover',
      message,
      simulated,
      submitted: request.changeId !== undefined,
    }),
};

/** The approved plan no longer matches the live records: never retried by itself. */
class PlanChangedError extends AwsCallError {
  constructor(message: string) {
    super(
      {
        service: 'Route 53',
        action: 'ChangeResourceRecordSets',
        iamAction: 'route53:ChangeResourceRecordSets',
      },
      'invalid-request',
      'PlanChanged',
      `Route 53 ${message}.`,
    );
  }
}

// ---- Drill: preview only ----------------------------------------------------------------------------------

async function preview(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const direction = directionOf(step.directives['action'] ?? '') ?? 'failover';
  const gateway = await deps.getAws();
  const plan = await prepareFailover(gateway, {
    direction,
    records: recordsOf(deps, ctx.checklist),
    comment: changeComment(
      { runId: run.runId, stepId: step.id, direction, requestedBy: payload.user },
      '<approver>',
    ),
  });
  const text = previewNoteText({
    direction,
    plan,
    user: payload.user,
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
  });
  await recordRunNote(rt, client, run.runId, {
    user: payload.user,
    text,
    key: noteKey(NoteKind.preview, step.id, plan.kind, payload.clickId),
    at: payload.at,
  });
}

export function registerRoute53Actions(app: App, deps: AppDeps): void {
  onStepButton(app, deps, ActionIds.awsRoute53Execute, REQUEST_TASK);
  onStepButton(app, deps, ActionIds.awsRoute53Preview, PREVIEW_TASK);
  onDeferredClick(app, deps, ActionIds.awsRoute53Approve, DECIDE_TASK);
  onDeferredClick(app, deps, ActionIds.awsRoute53Cancel, DECIDE_TASK);
  onDeferredClick(app, deps, ActionIds.awsRoute53Retry, RETRY_TASK);
}

registerLiveAction(['route53-failover', 'route53-failback'], route53Action);
onStepTask(PREVIEW_TASK, (stepId) => ({ type: 'preview_action', stepId }), preview, { once: false });
onStepTask(REQUEST_TASK, (stepId) => ({ type: 'request_action', stepId }), requestChange, { once: false });
