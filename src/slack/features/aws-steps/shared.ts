/**
 * Plumbing shared by the AWS step extensions: the button → ack → `deps.defer` hand-off, the deferred task
 * that reads the run again (possibly in another Lambda invocation) and authorizes the click from the store,
 * answers to the clicker (response_url, else chat.postEphemeral), and the records/templates a checklist
 * refers to.
 */
import type { App, webApi } from '@slack/bolt';
import { toPartFailure } from '../../../aws/outcome';
import { declaredRecords } from '../../../aws/records';
import type { Checklist, FailoverRecord } from '../../../runbooks/model/model';
import { checkAction } from '../../../store/runs';
import type { Action } from '../../../workflows/authorize';
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import {
  checklistHash,
  findStep,
  itemsOnlyChecklistHash,
  type RunState,
  type RunStep,
} from '../../../workflows/run-state';
import { registerDeferred } from '../../deferred';
import type { AppDeps } from '../../deps';
import { asClick, type Click, onDeferredClick, replyTargetOf } from '../../interaction';
import { type Block, fallback, type Message, section } from '../../render/blocks';
import { decodeItemValue } from '../../render/checklist';
import { refusalText } from '../../render/checklist-format';
import { awsFailureBlocks } from '../../render/status';
import { replyTo } from '../../reply';
import { type ChecklistRuntime, runtimeFor } from '../checklists/runtime';

/** What every step-button task knows about its click. */
export interface StepTaskPayload {
  user: string;
  /** The click's time (ISO), stable across Slack redeliveries. */
  at: string;
  /** The click's action_ts digits: makes note keys unique per click. */
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
  /** The clicker's command context: Slack's signed envelope, their roles, the click's key. */
  ctx: CommandContext;
  click: Click;
  reply: ReplyTarget;
}

export const STALE_STEP = 'This checklist step is no longer there (the run ended or was replaced).';

export function textMessage(text: string): Message {
  return { text: fallback(text), blocks: [section(text)] };
}

/** A failed AWS call, told to the clicker with a Retry button that repeats their click. */
export async function reportFailure(ctx: StepTaskContext, error: unknown): Promise<void> {
  const failure = toPartFailure(error);
  ctx.deps.logger.warn('aws step failed', {
    action: ctx.payload.actionId,
    runId: ctx.run.runId,
    step: ctx.step.id,
    error,
  });
  const blocks: Block[] = awsFailureBlocks(failure, {
    actionId: ctx.payload.actionId,
    value: ctx.payload.value,
  });
  await replyTo(ctx.deps, ctx.reply, { text: failure.message, blocks });
}

/** Register a step button: acknowledge, then queue `kind` with the click (the work runs after the ack). */
export function onStepButton(app: App, deps: AppDeps, actionId: string, kind: string): void {
  onDeferredClick(app, deps, actionId, kind);
}

/**
 * Register the deferred half of a step button: read the run, authorize `action` for the step from the
 * store (a refusal is answered, recorded and changes nothing), then run `work`.
 */
export function onStepTask(
  kind: string,
  action: (stepId: string) => Action,
  work: (ctx: StepTaskContext) => Promise<void>,
  options: { once?: boolean; writes?: boolean } = {},
): void {
  const { writes, ...deferred } = options;
  registerDeferred(
    kind,
    async (raw, deps) => {
      const click = asClick(raw);
      if (!click) return;
      const reply = replyTargetOf(click);
      const target = decodeItemValue(click.value);
      if (!target) {
        await replyTo(deps, reply, { text: STALE_STEP });
        return;
      }
      const rt = runtimeFor(deps);
      const ctx = await rt.contextOf(click);
      const checked = await checkAction(await deps.getStore(), target.runId, action(target.itemId), ctx);
      const found = checked.ok ? findStep(checked.state, target.itemId) : null;
      if (!checked.ok || !found) {
        await replyTo(deps, reply, {
          text: checked.ok || !checked.state ? STALE_STEP : `:no_entry_sign: ${refusalText(checked.reason)}`,
        });
        if (!checked.ok && checked.state) {
          await rt.postThread(checked.state, checked.events).catch(() => undefined);
          await rt.refreshMessage(checked.state.runId).catch(() => undefined);
        }
        return;
      }
      const run = checked.state;
      const changed = writes ? runbookChangedSince(rt, run) : null;
      if (changed) {
        await replyTo(deps, reply, { text: `:no_entry_sign: ${changed}` });
        return;
      }
      const context: StepTaskContext = {
        deps,
        rt,
        client: rt.slack,
        run,
        step: found.step,
        checklist: rt.checklist(run.checklistId),
        payload: {
          user: click.user,
          at: ctx.at,
          clickId: (click.actionTs ?? '').replace(/\D/g, '') || ctx.key,
          value: click.value,
          actionId: click.actionId,
        },
        ctx,
        click,
        reply,
      };
      try {
        await work(context);
      } catch (error) {
        await reportFailure(context, error);
      }
    },
    deferred,
  );
}

/**
 * Why this run may not act on AWS any more, or null. A run keeps the steps it started with, but its live
 * actions read the checklist's tables as deployed now (which switch, which records, whose approval): after a
 * deploy that changed the checklist (steps, directives: `checklistHash`), or renamed or removed it, they
 * would follow a runbook the run was not started on (a record swap of every record, a switch check skipped).
 * So a run acts on AWS only while the deployed checklist is the one it started with; otherwise it is taken
 * over, which starts it again on the runbook as deployed.
 */
export function runbookChangedSince(rt: ChecklistRuntime, run: RunState): string | null {
  const deployed = rt.checklist(run.checklistId);
  if (deployed && checklistHash(deployed) === run.checklistHash) return null;
  // A run started before the hash covered the checklist's directives: compared as it was computed then.
  if (deployed && itemsOnlyChecklistHash(deployed) === run.checklistHash) return null;
  return deployed
    ? `This checklist's runbook changed since the run started (a deploy: version ${run.checklistHash} → ${checklistHash(deployed)}), so this run does not act on AWS any more. Take over the run to go on with the runbook as it is now; the bot wrote nothing now.`
    : `This run's checklist is no longer in the runbooks (a deploy renamed or removed it), so this run does not act on AWS any more. Cancel it and start the checklist again; the bot wrote nothing now.`;
}

/** The record sets a checklist acts on: its `records=` table, or every declared one when it names none. */
export function recordsOf(deps: AppDeps, checklist: Checklist | undefined): FailoverRecord[] {
  const id = checklist?.records;
  if (id) return deps.artifact.records[id] ?? [];
  return declaredRecords(deps.artifact);
}

/**
 * When the step became current: the latest time any item before it was resolved (or the run started). Not
 * the nearest one's: a step done out of order early, before the one above it, did not make this current.
 */
export function stepStartedAt(run: RunState, stepId: string): string {
  const found = findStep(run, stepId);
  if (!found) return run.startedAt;
  let latest = run.startedAt;
  for (let i = found.index - 1; i >= 0; i--) {
    const item = run.items[i];
    if (!item) continue;
    let at: string | undefined;
    if (item.type === 'step') at = run.steps[item.id]?.at;
    else {
      const approvals = run.gates[item.id]?.approvals ?? [];
      at = approvals[approvals.length - 1]?.at;
    }
    if (at && at > latest) latest = at;
  }
  return latest;
}
