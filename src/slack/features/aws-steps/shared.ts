/**
 * Plumbing shared by the AWS step extensions: the button → ack → `deps.defer` hand-off, loading the run
 * and step again in the deferred task (possibly another Lambda invocation), replies to the clicker through
 * `response_url`, and the records/templates a checklist refers to.
 */
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { toPartFailure } from '../../../aws/outcome';
import { declaredRecords } from '../../../aws/records';
import type { Checklist, FailoverRecord } from '../../../runbooks/model/model';
import { findStep, type RunState, type RunStep } from '../../../workflows/run-state';
import { registerDeferred } from '../../deferred';
import { replyVia, webClientFor } from '../../deferred-reply';
import type { AppDeps } from '../../deps';
import { type Block, fallback, type Message, section } from '../../render/blocks';
import { decodeItemValue, encodeItemValue } from '../../render/checklist';
import { awsFailureBlocks } from '../../render/status';
import { type ChecklistRuntime, isoFromActionTs, runtimeFor } from '../checklists/runtime';

/** What every step-button task carries. */
export interface StepTaskPayload {
  runId: string;
  stepId: string;
  user: string;
  responseUrl: string | null;
  /** The click's time (ISO), stable across Slack redeliveries. */
  at: string;
  /** The click's action_ts: makes note keys unique per click. */
  clickId: string;
  /** The button value, for a Retry button on failure. */
  value: string;
  actionId: string;
}

export interface StepTaskContext {
  deps: AppDeps;
  rt: ChecklistRuntime;
  client: webApi.WebClient;
  run: RunState;
  step: RunStep;
  checklist: Checklist | undefined;
  payload: StepTaskPayload;
}

export const STALE_STEP = 'This checklist step is no longer there (the run ended or was replaced).';

export async function ephemeralTo(responseUrl: string | null, message: Message): Promise<void> {
  if (!responseUrl) return;
  await replyVia(responseUrl, message, { replaceOriginal: false });
}

export function textMessage(text: string): Message {
  return { text: fallback(text), blocks: [section(text)] };
}

/** A failed AWS call, told to the clicker with a Retry button that repeats their click. */
export async function reportFailure(payload: StepTaskPayload, error: unknown, deps: AppDeps): Promise<void> {
  const failure = toPartFailure(error);
  deps.logger.warn('aws step failed', {
    action: payload.actionId,
    runId: payload.runId,
    step: payload.stepId,
    error,
  });
  const blocks: Block[] = awsFailureBlocks(failure, { actionId: payload.actionId, value: payload.value });
  await ephemeralTo(payload.responseUrl, { text: fallback(failure.message), blocks });
}

/**
 * Register a step button: acknowledge, then queue `kind` with the click (the slow part runs after the
 * answer to Slack). `precheck` may refuse at once (e.g. live action in a drill) with an ephemeral text.
 */
export function onStepButton(
  app: App,
  deps: AppDeps,
  actionId: string,
  kind: string,
  precheck?: (run: RunState, step: RunStep, user: string) => string | null,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
    await ack();
    const target = decodeItemValue(action.value);
    const responseUrl = body.response_url ?? null;
    const run = target ? (await (await deps.getStore()).getRun(target.runId))?.state : undefined;
    const found = run && target ? findStep(run, target.itemId) : null;
    if (!run || !found || !target) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_STEP });
      return;
    }
    const refusal = precheck?.(run, found.step, body.user.id) ?? null;
    if (refusal) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusal });
      return;
    }
    const payload: StepTaskPayload = {
      runId: run.runId,
      stepId: found.step.id,
      user: body.user.id,
      responseUrl,
      at: isoFromActionTs(action.action_ts, deps.now()),
      clickId: (action.action_ts ?? String(deps.now().getTime())).replace(/\D/g, ''),
      value: encodeItemValue(run.runId, found.step.id),
      actionId,
    };
    try {
      await deps.defer({ kind, payload });
    } catch (error) {
      await reportFailure(payload, error, deps);
    }
  });
}

/** Register the deferred half of a step button: reloads run and step, then runs `work`. */
export function onStepTask(kind: string, work: (ctx: StepTaskContext) => Promise<void>): void {
  registerDeferred(kind, async (raw, deps) => {
    const payload = raw as StepTaskPayload;
    const rt = runtimeFor(deps);
    const run = (await (await deps.getStore()).getRun(payload.runId))?.state;
    const found = run ? findStep(run, payload.stepId) : null;
    if (!run || !found) {
      await ephemeralTo(payload.responseUrl, textMessage(STALE_STEP));
      return;
    }
    const ctx: StepTaskContext = {
      deps,
      rt,
      client: webClientFor(deps),
      run,
      step: found.step,
      checklist: rt.checklist(run.checklistId),
      payload,
    };
    try {
      await work(ctx);
    } catch (error) {
      await reportFailure(payload, error, deps);
    }
  });
}

/** The record sets a checklist acts on: its `records=` table, or every declared one when it names none. */
export function recordsOf(deps: AppDeps, checklist: Checklist | undefined): FailoverRecord[] {
  const id = checklist?.records;
  if (id) return deps.artifact.records[id] ?? [];
  return declaredRecords(deps.artifact);
}

/** When the step became current: the time the item before it was resolved (or the run started). */
export function stepStartedAt(run: RunState, stepId: string): string {
  const found = findStep(run, stepId);
  if (!found) return run.startedAt;
  for (let i = found.index - 1; i >= 0; i--) {
    const item = run.items[i];
    if (!item) continue;
    if (item.type === 'step') {
      const at = run.steps[item.id]?.at;
      if (at) return at;
    } else {
      const approvals = run.gates[item.id]?.approvals ?? [];
      const last = approvals[approvals.length - 1];
      if (last) return last.at;
    }
  }
  return run.startedAt;
}
