/**
 * The deferred half of the checklist listeners (./actions.ts): a click or a modal submission, after the ack,
 * possibly in another Lambda invocation. Everything is read from the store and decided by `apply()` /
 * `authorize()`; the click contributes references (run, item) and Slack's signed envelope (who, where).
 * Answers go through `replyTo` (response_url, else chat.postEphemeral).
 */
import { type CheckResult, checkAction } from '../../../store/runs';
import { signingOrder } from '../../../workflows/approver-roles';
import { authorize } from '../../../workflows/authorize';
import { actorOf, type CommandContext, type RunCommand } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import { awaitingSignatures } from '../../../workflows/invites';
import {
  findStep,
  type RunEvent,
  type RunState,
  type RunStep,
  stepState,
} from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import type { AppDeps } from '../../deps';
import { logFailure } from '../../failure';
import { actionKey as actionKeyOf, asClick, type Click, replyTargetOf } from '../../interaction';
import type { ModalOrigin } from '../../modal-metadata';
import { actions, button, section } from '../../render/blocks';
import { decodeItemValue, encodeItemValue, stepNumberOf } from '../../render/checklist';
import { renderStepDetails } from '../../render/checklist-details';
import { refusalText } from '../../render/checklist-format';
import { failureMessage } from '../../render/failure';
import { replyTo } from '../../reply';
import { extensionsFor, type GuardResult } from './extensions';
import { actionContext, type ChecklistRuntime, RUN_GONE, runtimeFor } from './runtime';
import { takeOver } from './takeover';
import { exportTimeline } from './timeline-export';

export const CLICK_TASK = 'checklists.click';
export const SUBMISSION_TASK = 'checklists.submission';

export const STALE = 'This button belongs to a checklist run I cannot find any more; nothing changed.';

/** The reason modals that carry out one workflow command (Take over… starts a run too: ./takeover.ts). */
export type ReasonKind = 'skip' | 'reject' | 'override' | 'cancel';

/**
 * The command a reason modal asks for, in one place: with the reason typed when it is submitted, with none
 * to probe before opening it or to record the refusal of a click that never got it.
 */
export function reasonCommand(kind: ReasonKind, itemId: string, reason: string): RunCommand {
  switch (kind) {
    case 'skip':
      return { type: 'skip', stepId: itemId, reason };
    case 'reject':
      return { type: 'reject', gateId: itemId, reason };
    case 'cancel':
      return { type: 'cancel', reason };
    case 'override':
      return { type: 'done', stepId: itemId, override: reason };
  }
}

/** Buttons that open a reason modal only when the rest would be allowed (actions.ts openReasonModal). */
const REASON_BUTTONS: Readonly<Record<string, ReasonKind>> = {
  [ActionIds.checklistSkip]: 'skip',
  [ActionIds.checklistReject]: 'reject',
  [ActionIds.checklistCancel]: 'cancel',
};

export interface Submission {
  kind: ReasonKind | 'takeover';
  /** Verified (sealed) when the submission arrived. */
  origin: ModalOrigin;
  reason: string;
  viewId: string;
  viewHash: string;
}

/** Every interaction ends with one debug line, so tests (and operators) can tell when its work is over. */
export function handled(rt: ChecklistRuntime, what: string): void {
  rt.deps.logger.debug('checklist interaction handled', { what });
}

export function staleReply(click: Click): ReplyTarget {
  return replyTargetOf(click);
}

/** What the step's extensions say about Done now (the first objection wins). */
export async function guardVerdict(
  rt: ChecklistRuntime,
  state: RunState,
  step: RunStep,
  user: string,
  events?: readonly RunEvent[],
): Promise<GuardResult> {
  for (const { value, extension } of extensionsFor(step)) {
    if (!extension.guardDone) continue;
    const verdict = await extension.guardDone({
      ...actionContext(rt, state, step, value, rt.slack, user),
      ...(events ? { events } : {}),
    });
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}

/** A click, deferred; also a form's click that needed no form after all (actions.ts `fillForm`). */
export async function onClick(rt: ChecklistRuntime, click: Click): Promise<void> {
  const reply = replyTargetOf(click);
  const target = decodeItemValue(click.value);
  if (!target) {
    await replyTo(rt.deps, reply, { text: STALE });
    return;
  }
  const ctx = await rt.contextOf(click);
  switch (click.actionId) {
    case ActionIds.checklistDone:
    case ActionIds.checklistDoneAnyway:
      return done(rt, target.runId, target.itemId, ctx, reply);
    case ActionIds.checklistUndo:
      await rt.run(target.runId, { type: 'undo', stepId: target.itemId }, ctx, reply);
      return;
    case ActionIds.checklistUndoPick: {
      const n = stepNumberOf(target.itemId);
      const state = (await (await rt.deps.getStore()).getRun(target.runId))?.state;
      const step = state?.items.find((it) => it.type === 'step' && it.n === n);
      await rt.run(target.runId, { type: 'undo', stepId: step?.id ?? target.itemId }, ctx, reply);
      return;
    }
    case ActionIds.checklistApprove: {
      // Those who can never sign this gate (its run's starter, its signers) are no one else to leave a role to.
      const state = (await (await rt.deps.getStore()).getRun(target.runId))?.state;
      const awaiting = state
        ? awaitingSignatures(state).find((a) => a.gate?.id === target.itemId)
        : undefined;
      const prefer = await signingOrder(
        click.user,
        ctx.roles ?? [],
        (role) => rt.membersOf(role),
        awaiting?.excluded ?? [],
        (role) => rt.membersKnown(role),
      );
      const result = await rt.run(
        target.runId,
        { type: 'approve', gateId: target.itemId, prefer },
        ctx,
        reply,
      );
      if (result.kind === 'refused' && rt.approversProblem)
        await replyTo(rt.deps, reply, { text: rt.approversProblem });
      return;
    }
    case ActionIds.checklistDetails:
      return details(rt, target.runId, target.itemId, ctx, reply);
    case ActionIds.checklistExport:
      return exportClick(rt, target.runId, ctx, reply);
    case ActionIds.checklistTakeOver: {
      // Here only when refused before its modal: record the attempt on the active run and answer it.
      const drill = target.itemId === 'drill';
      const checked = await checkAction(
        await rt.deps.getStore(),
        target.runId,
        { type: 'take_over', drill },
        ctx,
      );
      if (!checked.ok) await refused(rt, checked, reply);
      return;
    }
    default: {
      // Skip, Reject and Cancel run come here only when refused before their modal: record and answer it.
      const kind = Object.hasOwn(REASON_BUTTONS, click.actionId) ? REASON_BUTTONS[click.actionId] : undefined;
      if (kind) await rt.run(target.runId, reasonCommand(kind, target.itemId, ''), ctx, reply);
    }
  }
}

async function done(
  rt: ChecklistRuntime,
  runId: string,
  stepId: string,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const state = (await (await rt.deps.getStore()).getRun(runId))?.state;
  if (!state) {
    await replyTo(rt.deps, reply, { text: RUN_GONE });
    return;
  }
  // Step extensions may object (the evidence does not show the primary down), for a Done that would
  // otherwise be allowed; anything else gets the state machine's answer (recorded when it is a refusal).
  const found = findStep(state, stepId);
  const verdict = authorize(state, { type: 'done', stepId }, actorOf(ctx), ctx.at);
  if (!verdict.ok && verdict.code === 'out_of_order') {
    // Not an attempt to get round a rule (the button was an earlier view of the run): ask for a reason.
    await replyTo(rt.deps, reply, doneAnywayAnswer(verdict.reason, runId, stepId));
    return;
  }
  if (verdict.ok && found && stepState(state, stepId).status === 'pending') {
    const guard = await guardVerdict(rt, state, found.step, ctx.user);
    if (!guard.ok) {
      await replyTo(
        rt.deps,
        reply,
        guard.overridable
          ? doneAnywayAnswer(guard.reason, runId, stepId)
          : { text: `:no_entry_sign: ${refusalText(guard.reason)}` },
      );
      return;
    }
  }
  const result = await rt.run(runId, { type: 'done', stepId }, ctx, reply);
  if (result.kind === 'applied') await afterDone(rt, result.state, stepId, ctx.user);
}

/** The reason Done is held back, with "Done anyway…", which asks for the reason that overrides it. */
function doneAnywayAnswer(reason: string, runId: string, stepId: string) {
  const text = `:no_entry_sign: ${refusalText(reason)}`;
  return {
    text,
    blocks: [
      section(text),
      actions([
        button({
          text: 'Done anyway…',
          actionId: ActionIds.checklistDoneAnyway,
          value: encodeItemValue(runId, stepId),
        }),
      ]),
    ],
  };
}

export async function afterDone(rt: ChecklistRuntime, state: RunState, stepId: string, user: string) {
  const found = findStep(state, stepId);
  if (!found) return;
  for (const { key, value, extension } of extensionsFor(found.step)) {
    try {
      await extension.onDone?.(actionContext(rt, state, found.step, value, rt.slack, user));
    } catch (error) {
      rt.deps.logger.error('step extension failed after Done', { key, step: stepId, error });
    }
  }
}

async function details(
  rt: ChecklistRuntime,
  runId: string,
  itemId: string,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const checked = await checkAction(await rt.deps.getStore(), runId, { type: 'view_details', itemId }, ctx);
  if (!checked.ok) {
    await refused(rt, checked, reply);
    return;
  }
  const message = renderStepDetails({
    state: checked.state,
    itemId,
    artifact: rt.deps.artifact,
    repoUrl: rt.deps.config.repoUrl,
  });
  await replyTo(rt.deps, reply, message);
}

async function exportClick(
  rt: ChecklistRuntime,
  runId: string,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const checked = await checkAction(await rt.deps.getStore(), runId, { type: 'export_timeline' }, ctx);
  if (!checked.ok) {
    await refused(rt, checked, reply);
    return;
  }
  await exportTimeline(rt, checked.state, ctx, reply);
}

/** A refused read: the reason to the clicker, the audit line in the thread. */
async function refused(
  rt: ChecklistRuntime,
  checked: Extract<CheckResult, { ok: false }>,
  reply: ReplyTarget,
) {
  await replyTo(rt.deps, reply, {
    text: checked.state ? `:no_entry_sign: ${refusalText(checked.reason)}` : STALE,
  });
  if (checked.state) await rt.postThread(checked.state, checked.events).catch(() => undefined);
}

async function onSubmission(rt: ChecklistRuntime, submission: Submission): Promise<void> {
  const { origin, kind, reason } = submission;
  if (kind === 'takeover') return takeOver(rt, origin, reason, submission);
  const reply: ReplyTarget = { user: origin.user, channel: origin.channel, responseUrl: null };
  const ctx: CommandContext = {
    user: origin.user,
    at: rt.deps.now().toISOString(),
    // One submission of one modal: a redelivered submission has the same view id and hash.
    key: actionKeyOf(['view', submission.viewId, submission.viewHash, origin.user, kind]),
    roles: await rt.rolesOf(origin.user),
    team: origin.team,
    enterprise: origin.enterprise,
    channel: origin.channel,
    ...(origin.home ? { home: true } : {}),
  };
  let command = reasonCommand(kind, origin.itemId, reason);
  if (command.type === 'done') {
    // Out of order with its own check failing: the reason waives both, and the timeline says so.
    const state = (await (await rt.deps.getStore()).getRun(origin.runId))?.state;
    const found = state ? findStep(state, origin.itemId) : null;
    if (
      state &&
      found &&
      !authorize(state, { type: 'done', stepId: found.step.id }, actorOf(ctx), ctx.at).ok
    ) {
      const guard = await guardVerdict(rt, state, found.step, origin.user);
      if (!guard.ok) command = { ...command, checkWaived: true };
    }
  }
  const result = await rt.run(origin.runId, command, ctx, reply);
  if (result.kind === 'applied' && kind === 'override')
    await afterDone(rt, result.state, origin.itemId, origin.user);
}

/** A failure after the ack: the clicker gets a reference, the log the details; never retried (the click was). */
export async function reportFailure(
  deps: AppDeps,
  error: unknown,
  reply: ReplyTarget,
  what: string,
): Promise<void> {
  const ref = logFailure(deps.logger, error, { user: { id: reply.user } }, what);
  await replyTo(
    deps,
    reply,
    failureMessage(ref, { repoUrl: deps.config.repoUrl, command: deps.config.slashCommand }),
  );
}

// Clicks are idempotent through the run's own conditional write (the click's key is recorded with the
// change), so they need no task lease: `once: false`.
registerDeferred(
  CLICK_TASK,
  async (payload, deps) => {
    const click = asClick(payload);
    if (!click) return;
    const rt = runtimeFor(deps);
    try {
      await onClick(rt, click);
    } catch (error) {
      await reportFailure(deps, error, replyTargetOf(click), `click ${click.actionId}`);
    } finally {
      handled(rt, click.actionId);
    }
  },
  { once: false },
);

registerDeferred(
  SUBMISSION_TASK,
  async (payload, deps) => {
    const submission = payload as Submission;
    const rt = runtimeFor(deps);
    try {
      await onSubmission(rt, submission);
    } catch (error) {
      const { origin } = submission;
      await reportFailure(
        deps,
        error,
        { user: origin.user, channel: origin.channel, responseUrl: null },
        'submission',
      );
    } finally {
      handled(rt, `${submission.kind} submitted`);
    }
  },
  { once: false },
);
