/**
 * `action=route53-failover` / `action=route53-failback` ("Update Route 53"):
 *
 * 1. "Execute failover" (with Slack's confirmation dialog) → deferred: read the live record sets, plan the
 *    change, post an approval request with the exact change in the run's thread.
 * 2. "Approve" by a second person (the requester cannot; first decision wins, recorded on the run) →
 *    deferred: read again, `ChangeResourceRecordSets` with a comment naming the run, `GetChange` until
 *    INSYNC, result in the thread.
 * 3. In a drill nothing is ever written: "Preview" shows the exact change a real run would make.
 *
 * Done is allowed once the change is INSYNC (or the records already had the roles); otherwise only with an
 * override reason.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { AwsCallError } from '../../../aws/errors';
import { applyFailover, prepareFailover } from '../../../aws/failover';
import { toPartFailure } from '../../../aws/outcome';
import type { FailoverDirection } from '../../../workflows/failover-plan';
import { findStep } from '../../../workflows/run-state';
import { decideApproval } from '../../../workflows/two-person';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import { webClientFor } from '../../deferred-reply';
import type { AppDeps } from '../../deps';
import { fallback, section } from '../../render/blocks';
import { encodeItemValue } from '../../render/checklist';
import { awsFailureBlocks } from '../../render/status';
import {
  decidedRequestMessage,
  decodeRequest,
  directionWord,
  failedNoteText,
  previewNoteText,
  type Route53Request,
  requestMessage,
  resultNoteText,
  retryWaitBlocks,
  route53StepBlocks,
} from '../../render/status-steps';
import { liveActionsAllowed, type StepExtension } from '../checklists/extensions';
import { actionKey, recordRunNote, runtimeFor } from '../checklists/runtime';
import { latestNote, NoteKind, noteKey } from './notes';
import {
  ephemeralTo,
  onStepButton,
  onStepTask,
  recordsOf,
  type StepTaskContext,
  textMessage,
} from './shared';

export const PREVIEW_TASK = 'aws.route53.preview';
export const REQUEST_TASK = 'aws.route53.request';
export const EXECUTE_TASK = 'aws.route53.execute';

export function directionOf(value: string): FailoverDirection | null {
  if (value === 'route53-failover') return 'failover';
  if (value === 'route53-failback') return 'failback';
  return null;
}

export const route53Extension: StepExtension = {
  async renderBlocks(ctx) {
    const direction = directionOf(ctx.value);
    if (!direction) return [];
    const store = await ctx.deps.getStore();
    const result = await latestNote(store, ctx.run.runId, NoteKind.result, ctx.step.id);
    return route53StepBlocks({
      direction,
      drill: ctx.drill,
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      records: recordsOf(ctx.deps, ctx.checklist),
      result,
    });
  },

  async guardDone(ctx) {
    if (ctx.drill || !directionOf(ctx.value)) return { ok: true };
    const store = await ctx.deps.getStore();
    const result = await latestNote(store, ctx.run.runId, NoteKind.result, ctx.step.id);
    if (result && (result.outcome === 'insync' || result.outcome === 'noop')) return { ok: true };
    const what = directionWord(directionOf(ctx.value) ?? 'failover');
    return {
      ok: false,
      overridable: true,
      reason: `The Route 53 ${what} has not been executed and confirmed INSYNC by the bot.`,
    };
  },
};

function directionForStep(ctx: StepTaskContext): FailoverDirection {
  return directionOf(ctx.step.directives['action'] ?? '') ?? 'failover';
}

/** The change comment names the run, the step and both people. */
export function changeComment(r: Route53Request, approvedBy: string | null): string {
  const who = approvedBy
    ? `requested by ${r.requestedBy} approved by ${approvedBy}`
    : `previewed by ${r.requestedBy}`;
  return `runbook-bot ${r.direction} run ${r.runId} step ${r.stepId} ${who}`;
}

// ---- Drill: preview only ----------------------------------------------------------------------------------

async function preview(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const direction = directionForStep(ctx);
  const gateway = await deps.getAws();
  const plan = await prepareFailover(gateway, {
    direction,
    records: recordsOf(deps, ctx.checklist),
    comment: changeComment(
      {
        runId: run.runId,
        stepId: step.id,
        direction,
        requestedBy: payload.user,
        requestedAt: payload.at,
        requestId: payload.clickId,
      },
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

// ---- Live: request, approve, execute ----------------------------------------------------------------------

async function request(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, client } = ctx;
  if (!liveActionsAllowed(run)) {
    await ephemeralTo(
      payload.responseUrl,
      textMessage('This run is a drill or has ended: nothing is written to Route 53.'),
    );
    return;
  }
  const direction = directionForStep(ctx);
  const req: Route53Request = {
    runId: run.runId,
    stepId: step.id,
    direction,
    requestedBy: payload.user,
    requestedAt: payload.at,
    requestId: actionKey([payload.clickId, payload.user, run.runId, step.id]).slice(0, 12),
  };
  const gateway = await deps.getAws();
  const plan = await prepareFailover(gateway, {
    direction,
    records: recordsOf(deps, ctx.checklist),
    comment: changeComment(req, null),
  });
  const message = requestMessage({
    request: req,
    plan,
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
  });
  await client.chat.postMessage({
    channel: run.channel,
    ...(run.messageTs ? { thread_ts: run.messageTs } : {}),
    ...message,
  });
}

interface ExecutePayload {
  request: Route53Request;
  approvedBy: string;
  /** Set when only the INSYNC wait must be repeated (the change was submitted already). */
  changeId: string | null;
  responseUrl: string | null;
}

async function execute(raw: unknown, deps: AppDeps): Promise<void> {
  const { request: req, approvedBy, changeId, responseUrl } = raw as ExecutePayload;
  const rt = runtimeFor(deps);
  const client = webClientFor(deps);
  const run = (await (await deps.getStore()).getRun(req.runId))?.state;
  if (!run || !findStep(run, req.stepId)) {
    await ephemeralTo(responseUrl, textMessage('This checklist run no longer exists: nothing was written.'));
    return;
  }
  if (!liveActionsAllowed(run)) {
    await ephemeralTo(
      responseUrl,
      textMessage('This run is a drill or has ended: nothing is written to Route 53.'),
    );
    return;
  }
  const checklist = rt.checklist(run.checklistId);
  const gateway = await deps.getAws();
  const simulated = gateway.mode === 'simulated' ? gateway.label : null;
  const thread = async (text: string, extra: ReturnType<typeof retryWaitBlocks> = []) => {
    await client.chat.postMessage({
      channel: run.channel,
      ...(run.messageTs ? { thread_ts: run.messageTs } : {}),
      text: fallback(text),
      blocks: [section(text), ...extra],
    });
  };
  const record = async (outcome: string, text: string) => {
    await recordRunNote(rt, client, run.runId, {
      user: approvedBy,
      text,
      key: noteKey(NoteKind.result, req.stepId, outcome, `${req.requestId}-${deps.now().getTime()}`),
    });
    await rt.refreshMessage(run.runId, client);
  };

  let submitted: string | null = changeId;
  try {
    if (changeId) {
      const final = await gateway.waitForChange(changeId);
      await record(
        'insync',
        resultNoteText({
          direction: req.direction,
          applied: [{ hostedZoneId: '(as submitted)', submitted: final, final }],
          requestedBy: req.requestedBy,
          approvedBy,
          simulated,
        }),
      );
      return;
    }
    const plan = await prepareFailover(gateway, {
      direction: req.direction,
      records: recordsOf(deps, checklist),
      comment: changeComment(req, approvedBy),
    });
    if (plan.kind === 'error') {
      await record(
        'failed',
        failedNoteText({
          direction: req.direction,
          message: plan.problems.join('; '),
          simulated,
          submitted: false,
        }),
      );
      return;
    }
    if (plan.kind === 'noop') {
      await record(
        'noop',
        `${simulated ? `:test_tube: *${simulated}* ` : ''}:white_check_mark: Route 53 ${directionWord(req.direction)}: every record set already had the target role; nothing was written.`,
      );
      return;
    }
    const applied = await applyFailover(gateway, plan.batches, {
      onSubmitted: async (batch, info) => {
        submitted = info.changeId;
        await thread(
          `${simulated ? `:test_tube: *${simulated}* ` : ''}:arrows_counterclockwise: Submitted Route 53 change \`${info.changeId}\` on zone \`${batch.hostedZoneId}\` (“${batch.comment}”). Waiting for INSYNC…`,
        );
      },
    });
    await record(
      'insync',
      resultNoteText({
        direction: req.direction,
        applied,
        requestedBy: req.requestedBy,
        approvedBy,
        simulated,
      }),
    );
  } catch (error) {
    const failure = toPartFailure(error);
    deps.logger.warn('route53 action failed', { runId: run.runId, step: req.stepId, error });
    await record(
      'failed',
      failedNoteText({
        direction: req.direction,
        message: failure.message,
        simulated,
        submitted: submitted !== null,
      }),
    );
    if (error instanceof AwsCallError && failure.retryable) {
      const value = [
        req.runId,
        req.stepId,
        req.direction,
        req.requestedBy,
        req.requestedAt,
        req.requestId,
        approvedBy,
        submitted ?? '',
      ].join('|');
      const blocks = submitted
        ? retryWaitBlocks(submitted, value)
        : awsFailureBlocks(failure, { actionId: ActionIds.awsRoute53Retry, value }).slice(1);
      await thread(
        submitted ? 'The change was submitted; check whether it is INSYNC:' : 'Retry the approved change:',
        blocks,
      );
    }
  }
}

function decodeRetry(
  value: string | undefined,
): { request: Route53Request; approvedBy: string; changeId: string | null } | null {
  const parts = (value ?? '').split('|');
  if (parts.length !== 8) return null;
  const request = decodeRequest(parts.slice(0, 6).join('|'));
  const approvedBy = parts[6] ?? '';
  if (!request || !approvedBy) return null;
  return { request, approvedBy, changeId: parts[7] ? parts[7] : null };
}

export function registerRoute53Actions(app: App, deps: AppDeps): void {
  const liveOnly = (run: Parameters<typeof liveActionsAllowed>[0]) =>
    liveActionsAllowed(run)
      ? null
      : 'This run is a drill or has ended: nothing is written to Route 53. Use Preview instead.';
  onStepButton(app, deps, ActionIds.awsRoute53Execute, REQUEST_TASK, (run) => liveOnly(run));
  onStepButton(app, deps, ActionIds.awsRoute53Preview, PREVIEW_TASK);

  const decide = (decision: 'approved' | 'cancelled') =>
    app.action<BlockAction<ButtonAction>>(
      decision === 'approved' ? ActionIds.awsRoute53Approve : ActionIds.awsRoute53Cancel,
      async ({ ack, action, body, respond }) => {
        await ack();
        const req = decodeRequest(action.value);
        const user = body.user.id;
        if (!req) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'This request is no longer valid.',
          });
          return;
        }
        if (decision === 'approved') {
          const verdict = decideApproval(req, user);
          if (!verdict.ok) {
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              text: `:no_entry_sign: ${verdict.message}`,
            });
            return;
          }
        }
        const store = await deps.getStore();
        const run = (await store.getRun(req.runId))?.state;
        if (!run || !liveActionsAllowed(run)) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'This run is a drill or has ended: nothing is written to Route 53.',
          });
          return;
        }
        // The first decision wins: the note's id depends only on the request, so a second one is not written.
        const rt = runtimeFor(deps);
        const verb = decision === 'approved' ? 'approved' : 'cancelled';
        const first = await recordRunNote(rt, webClientFor(deps), req.runId, {
          user,
          text: `:${decision === 'approved' ? 'white_check_mark' : 'no_entry_sign'}: <@${user}> ${verb} the Route 53 ${directionWord(req.direction)} requested by <@${req.requestedBy}>.`,
          key: noteKey(NoteKind.decision, req.stepId, 'decided', req.requestId),
          at: req.requestedAt,
        });
        if (!first) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'This request was already approved or cancelled.',
          });
          return;
        }
        const gateway = await deps.getAws();
        await respond({
          replace_original: true,
          ...decidedRequestMessage({
            request: req,
            decision,
            by: user,
            simulated: gateway.mode === 'simulated' ? gateway.label : null,
          }),
        });
        if (decision === 'cancelled') return;
        const payload: ExecutePayload = {
          request: req,
          approvedBy: user,
          changeId: null,
          responseUrl: body.response_url ?? null,
        };
        try {
          await deps.defer({ kind: EXECUTE_TASK, payload });
        } catch (error) {
          const failure = toPartFailure(error);
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: fallback(failure.message),
            blocks: awsFailureBlocks(failure),
          });
        }
      },
    );
  decide('approved');
  decide('cancelled');

  app.action<BlockAction<ButtonAction>>(ActionIds.awsRoute53Retry, async ({ ack, action, body, respond }) => {
    await ack();
    const retry = decodeRetry(action.value);
    if (!retry) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This retry is no longer valid.',
      });
      return;
    }
    // Repeating the write keeps the two-person rule: the requester cannot push it through alone.
    if (!retry.changeId && body.user.id === retry.request.requestedBy) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: ':no_entry_sign: Two-person rule: the person who asked for this change cannot retry it. Ask a colleague.',
      });
      return;
    }
    const payload: ExecutePayload = { ...retry, responseUrl: body.response_url ?? null };
    await deps.defer({ kind: EXECUTE_TASK, payload });
  });
}

onStepTask(PREVIEW_TASK, preview);
onStepTask(REQUEST_TASK, request);
registerDeferred(EXECUTE_TASK, execute);
