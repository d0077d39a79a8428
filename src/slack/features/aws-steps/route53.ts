/**
 * `action=route53-failover` / `action=route53-failback` ("Update Route 53" / "DNS cutback"), as a `LiveAction`
 * (./requests.ts: request, second-person approval, leased execution, all stored on the run). Two mechanisms:
 *
 * - a checklist that declares `switch=` turns the failover switch (./switch.ts; docs/dr-failover.md): the
 *   records never change;
 * - a checklist without one swaps the records' failover roles (the mechanism this file implements, which is
 *   also the switch's control-plane fallback, ./fallback.ts): plan the DELETE + CREATE from the live record
 *   sets, store it with the request; at execution read again, refuse when the change is no longer the one
 *   approved, `ChangeResourceRecordSets` with a comment naming the run and both people, `GetChange` until
 *   INSYNC. A submitted change is recorded first, so a retry only waits.
 *
 * In a drill the request and its approval are the same; the approved request is rehearsed (`rehearse`):
 * the exact change is shown and nothing is written. The old drill-only "Preview" button still answers.
 */
import type { App } from '@slack/bolt';
import { AwsCallError } from '../../../aws/errors';
import { type AppliedBatch, applyFailover, prepareFailover } from '../../../aws/failover';
import type { AwsGateway } from '../../../aws/gateway';
import type { WaitOptions } from '../../../aws/route53-wait';
import type { FailoverDirection, FailoverPlan, RecordChange } from '../../../workflows/failover-plan';
import { isSwitchRequestPlan } from '../../../workflows/failover-switch';
import { isRetryable, requestsForStep } from '../../../workflows/requests';
import { ActionIds } from '../../action-ids';
import type { AppDeps } from '../../deps';
import { onDeferredClick } from '../../interaction';
import { context } from '../../render/blocks';
import { encodeItemValue } from '../../render/checklist';
import { escapeMrkdwn } from '../../render/escape';
import { switchPlanDetail } from '../../render/failover-steps';
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
import { directionOf, switchSetOf } from './failover-tables';
import { NoteKind, noteKey } from './notes';
import {
  DECIDE_TASK,
  EXECUTE_TASK,
  type ExecuteContext,
  type LiveAction,
  type PlanContext,
  type PlanOutcome,
  REQUEST_TASK,
  RETRY_TASK,
  registerLiveAction,
  requestChange,
} from './requests';
import { onStepButton, onStepTask, recordsOf, type StepTaskContext } from './shared';
import { executeSwitch, planSwitchRequest, rehearseSwitch, simulatedOf } from './switch';

export const PREVIEW_TASK = 'aws.route53.preview';
export { directionOf, EXECUTE_TASK, REQUEST_TASK };

/** The step on a checklist without a switch: the records are the mechanism. */
export const route53Extension: StepExtension = {
  renderBlocks(ctx) {
    const direction = directionOf(ctx.value);
    if (!direction) return [];
    const latest = requestsForStep(ctx.run, ctx.step.id).at(-1) ?? null;
    // A drill asks and approves as a live run does; the approved request is then rehearsed.
    if (ctx.drill && latest?.status === 'succeeded' && latest.outcome === 'rehearsed')
      return [
        context([
          `*[DRILL]* :white_check_mark: The Route 53 ${directionWord(direction)} was asked, approved and rehearsed: nothing was written (the exact change is in the thread).`,
        ]),
      ];
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

/** The record swap's plan, as stored: the DELETE + CREATE batches and the role moves. */
export async function planRecords(
  ctx: Pick<PlanContext, 'deps' | 'run' | 'step' | 'checklist' | 'requestedBy'>,
  direction: FailoverDirection,
  what = `Route 53 ${directionWord(direction)}`,
): Promise<PlanOutcome> {
  const { deps, run, step, checklist, requestedBy } = ctx;
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
      ? `${sim}:white_check_mark: ${what}: every record set already has the target role; nothing to approve.`
      : `${sim}:warning: ${what} cannot be planned:`;
  return { kind: 'nothing', text: `${head}\n${planDetail(plan)}` };
}

export async function executeRecords(
  ctx: ExecuteContext,
  direction: FailoverDirection,
): Promise<{ outcome: string; text: string }> {
  const { deps, run, request, checklist, submitted, gateway } = ctx;
  const simulated = simulatedOf(gateway);
  const approvedBy = request.decidedBy ?? '';
  const who = { runId: run.runId, stepId: request.stepId, direction, requestedBy: request.requestedBy };
  const wait = waitBudget(deps);
  // Zones whose batch was submitted by an earlier attempt: only waited for now, never written again.
  const done = request.submittedParts ?? {};
  if (request.changeId && Object.keys(done).length > 0) {
    const waited = await waitForSubmitted(gateway, done, wait);
    return {
      outcome: 'insync',
      text: resultNoteText({
        direction,
        applied: waited,
        requestedBy: request.requestedBy,
        approvedBy,
        simulated,
      }),
    };
  }
  if (request.changeId) {
    const final = await gateway.waitForChange(request.changeId, wait);
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
  // What is left to write: the approved batches of the zones not submitted yet, and the live plan's for them
  // (a zone an earlier attempt wrote plans nothing now, or its records' reverse; either way it is not written).
  const left = (p: FailoverPlan) => changesOf(p).filter((b) => !(b.zone in done));
  const batches = plan.kind === 'change' ? plan.batches.filter((b) => !(b.hostedZoneId in done)) : [];
  if (plan.kind === 'error' || !approved || JSON.stringify(left(plan)) !== JSON.stringify(left(approved))) {
    // Not what the approver saw: someone changed the records since. Write nothing; ask again.
    throw new PlanChangedError(
      plan.kind === 'error'
        ? `the change cannot be planned any more (${plan.problems.join('; ')})`
        : 'the live records changed since this change was approved, so it no longer does what was approved. Nothing was written; ask for the change again',
    );
  }
  const waitedFirst = await waitForSubmitted(gateway, done, wait);
  const applied = await applyFailover(gateway, batches, {
    wait,
    onSubmitted: async (batch, info) => {
      await submitted(
        info.changeId,
        `${simulated ? `:test_tube: *${simulated}* ` : ''}:arrows_counterclockwise: Submitted Route 53 change \`${info.changeId}\` on zone \`${batch.hostedZoneId}\` (“${batch.comment}”). Waiting for INSYNC…`,
        { part: batch.hostedZoneId, complete: batch === batches[batches.length - 1] },
      );
    },
  });
  return {
    outcome: 'insync',
    text: resultNoteText({
      direction,
      applied: [...waitedFirst, ...applied],
      requestedBy: request.requestedBy,
      approvedBy,
      simulated,
    }),
  };
}

/**
 * How long one execution may wait for INSYNC, from its start: the Slack function runs 330 s at most
 * (serverless.yml `timeout`), and planning, writing and reporting need their share, so the waits (every
 * zone's together) stop polling after 240 s and the execution says "still PENDING… Retry" and records it,
 * rather than being killed mid-poll with nothing said (a slow GetChange makes 60 polls far longer than 5 min).
 */
export const INSYNC_WAIT_BUDGET_MS = 240_000;

function waitBudget(deps: { now(): Date }): WaitOptions {
  return { deadline: deps.now().getTime() + INSYNC_WAIT_BUDGET_MS, now: () => deps.now().getTime() };
}

/** Wait for the changes earlier attempts submitted (zone → change id), in zone order. */
async function waitForSubmitted(
  gateway: AwsGateway,
  done: Readonly<Record<string, string>>,
  wait: WaitOptions,
): Promise<AppliedBatch[]> {
  const out: AppliedBatch[] = [];
  for (const [hostedZoneId, changeId] of Object.entries(done).sort(([a], [b]) => a.localeCompare(b))) {
    const final = await gateway.waitForChange(changeId, wait);
    out.push({ hostedZoneId, submitted: final, final });
  }
  return out;
}

/** A drill's approved record swap: the exact change a real run would submit, read now; nothing written. */
export async function rehearseRecords(
  ctx: ExecuteContext,
  direction: FailoverDirection,
): Promise<{ text: string }> {
  const { deps, run, request, checklist, gateway } = ctx;
  const plan = await prepareFailover(gateway, {
    direction,
    records: recordsOf(deps, checklist),
    comment: changeComment(
      { runId: run.runId, stepId: request.stepId, direction, requestedBy: request.requestedBy },
      request.decidedBy ?? '<approver>',
    ),
  });
  return {
    text: previewNoteText({
      direction,
      plan,
      user: request.requestedBy,
      approvedBy: request.decidedBy,
      simulated: simulatedOf(gateway),
    }),
  };
}

/**
 * The failover / failback request: the switch where the checklist declares one, the records otherwise. The
 * stored plan says which (a switch plan has `mechanism: 'switch'`), so an approval made before a runbook
 * change still executes what was approved, or refuses.
 */
const route53Action: LiveAction = {
  label: (kind) => `Route 53 ${directionWord(directionOf(kind) ?? 'failover')}`,
  verb: (kind) => directionWord(directionOf(kind) ?? 'failover'),

  async plan(ctx) {
    const direction = directionOf(ctx.kind) ?? 'failover';
    const set = switchSetOf(ctx.deps, ctx.checklist);
    return set ? planSwitchRequest(ctx, set, direction) : planRecords(ctx, direction);
  },

  execute: (ctx) =>
    isSwitchRequestPlan(ctx.request.plan)
      ? executeSwitch(ctx)
      : executeRecords(ctx, directionOf(ctx.request.kind) ?? 'failover'),

  rehearse: (ctx) =>
    isSwitchRequestPlan(ctx.request.plan)
      ? rehearseSwitch(ctx)
      : rehearseRecords(ctx, directionOf(ctx.request.kind) ?? 'failover'),

  describe: (plan) => (isSwitchRequestPlan(plan) ? switchPlanDetail(plan) : planDetail(plan as FailoverPlan)),

  failureText: (request, message, simulated) =>
    isSwitchRequestPlan(request.plan)
      ? `${simulated ? `:test_tube: *${escapeMrkdwn(simulated)}* ` : ''}:warning: The ${directionWord(directionOf(request.kind) ?? 'failover')} ${request.changeId ? 'turned the switch but could not confirm the result' : 'did not turn the switch'}: ${escapeMrkdwn(message)}`
      : failedNoteText({
          direction: directionOf(request.kind) ?? 'failover',
          message,
          simulated,
          submitted: request.changeId !== undefined,
        }),
};

/** The approved plan no longer matches the live records: never retried by itself. */
export class PlanChangedError extends AwsCallError {
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

// ---- Drill: the old "Preview" button (messages posted before drills rehearsed the request) ------------------

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
onStepTask(REQUEST_TASK, (stepId) => ({ type: 'request_action', stepId }), requestChange, {
  once: false,
  writes: true,
});
