/**
 * The listeners of a checklist message: Done, Skip (reason modal), Details, Undo, Approve, Reject (reason
 * modal), Export, and "Done anyway" when a step extension's check fails. Every listener acks first. A click
 * that may need a modal (Skip, Reject, Done on a step whose check can object, Done anyway) reads the run and
 * opens the modal within the click's 3 s `trigger_id`; everything else, and every submission, is handed to
 * deferred work (./clicks.ts) with nothing but Slack's signed envelope and the button's references, so the
 * ack never waits on the store.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockElementAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { authorize } from '../../../workflows/authorize';
import { actorOf, apply, stepName } from '../../../workflows/checklist';
import { findGate, findStep, progress, type RunState, stepState } from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { type Click, clickFrom, deferClick } from '../../interaction';
import { openModalMetadata, sealModalMetadata } from '../../modal-metadata';
import { notQueuedText } from '../../not-queued';
import { decodeItemValue } from '../../render/checklist';
import { refusalText, runTitle } from '../../render/checklist-format';
import { REASON_MAX, type ReasonModalInput, reasonModal } from '../../render/checklist-modals';
import { escapeMrkdwn } from '../../render/escape';
import { replyTo } from '../../reply';
import {
  CLICK_TASK,
  guardVerdict,
  handled,
  type ReasonKind,
  reasonCommand,
  STALE,
  SUBMISSION_TASK,
  type Submission,
  staleReply,
} from './clicks';
import { extensionsFor } from './extensions';
import type { ChecklistRuntime } from './runtime';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction<BlockElementAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function registerChecklistActions(app: App, rt: ChecklistRuntime): void {
  const deps = rt.deps;
  /** Ack, then either finish here (`now` returns true: a modal opened, or a refusal answered) or defer. */
  const listen = (actionId: string, now?: (click: Click, args: ActionArgs) => Promise<boolean>) =>
    app.action<BlockAction<BlockElementAction>>(actionId, async (args) => {
      await args.ack();
      const click = clickFrom(args.body, args.action as Parameters<typeof clickFrom>[1]);
      let finished = false;
      try {
        finished = now ? await now(click, args) : false;
        if (!finished) finished = !(await deferClick(deps, CLICK_TASK, click));
      } finally {
        if (finished) handled(rt, actionId);
      }
    });

  for (const id of [
    ActionIds.checklistUndo,
    ActionIds.checklistUndoPick,
    ActionIds.checklistApprove,
    ActionIds.checklistDetails,
    ActionIds.checklistExport,
  ]) {
    listen(id);
  }
  listen(ActionIds.checklistDone, (click, args) => overrideModalIfHeldBack(rt, click, args.body.trigger_id));
  listen(ActionIds.checklistDoneAnyway, (click, args) => openOverrideModal(rt, click, args.body.trigger_id));
  listen(ActionIds.checklistSkip, (click, args) => openReasonModal(rt, click, args.body.trigger_id, 'skip'));
  listen(ActionIds.checklistReject, (click, args) =>
    openReasonModal(rt, click, args.body.trigger_id, 'reject'),
  );
  listen(ActionIds.checklistTakeOver, (click, args) => openTakeOverModal(rt, click, args.body.trigger_id));
  listen(ActionIds.checklistCancel, (click, args) =>
    openReasonModal(rt, click, args.body.trigger_id, 'cancel'),
  );

  for (const [callbackId, kind] of [
    [ActionIds.checklistSkipView, 'skip'],
    [ActionIds.checklistRejectView, 'reject'],
    [ActionIds.checklistOverrideView, 'override'],
    [ActionIds.checklistTakeOverView, 'takeover'],
    [ActionIds.checklistCancelView, 'cancel'],
  ] as const) {
    app.view<ViewSubmitAction>(callbackId, (args) => onReasonSubmitted(rt, args, kind));
  }
}

// ---- Clicks that may open a modal (in the request: trigger_id is valid for 3 s) -------------------------------

/** Steps whose extensions may hold Done back, by id, from the runbooks: only those are read before the ack. */
function mayHoldDone(rt: ChecklistRuntime, stepId: string): boolean {
  return rt.deps.artifact.checklists.some((c) =>
    c.items.some(
      (it) => it.type === 'step' && it.id === stepId && extensionsFor(it).some((e) => e.extension.guardDone),
    ),
  );
}

/**
 * Done on a step with a check (evidence, INSYNC, notice, canary): read the run (and its events, in
 * parallel) now, so that when the check objects the override modal opens within the trigger's 3 s. True
 * when handled here; false to defer the Done itself.
 */
async function overrideModalIfHeldBack(
  rt: ChecklistRuntime,
  click: Click,
  triggerId: string,
): Promise<boolean> {
  const target = decodeItemValue(click.value);
  if (!target || !mayHoldDone(rt, target.itemId)) return false;
  const ctx = await rt.contextOf(click);
  const store = await rt.deps.getStore();
  const [record, events] = await Promise.all([store.getRun(target.runId), store.listEvents(target.runId)]);
  const state = record?.state;
  if (!state) return false; // the deferred Done says the run is gone
  if (!authorize(state, { type: 'done', stepId: target.itemId }, actorOf(ctx), ctx.at).ok) return false;
  const found = findStep(state, target.itemId);
  if (!found || stepState(state, found.step.id).status !== 'pending') return false;
  const verdict = await guardVerdict(rt, state, found.step, click.user, events);
  if (verdict.ok) return false;
  if (!verdict.overridable) {
    await replyTo(rt.deps, staleReply(click), { text: `:no_entry_sign: ${refusalText(verdict.reason)}` });
    return true;
  }
  await openOverride(rt, click, triggerId, state, found.step, verdict.reason);
  rt.deps.logger.info('step extension held Done back', { step: found.step.id });
  return true;
}

/**
 * "Done anyway…" / "Done out of order…": the override modal, for a step whose check held Done back or that
 * comes after an unresolved step. Opened only when Done with a reason would be allowed; otherwise the
 * deferred Done records and answers the refusal.
 */
async function openOverrideModal(rt: ChecklistRuntime, click: Click, triggerId: string): Promise<boolean> {
  const target = decodeItemValue(click.value);
  const state = target ? (await (await rt.deps.getStore()).getRun(target.runId))?.state : undefined;
  const found = state && target ? findStep(state, target.itemId) : null;
  if (!state || !found) {
    await replyTo(rt.deps, staleReply(click), { text: STALE });
    return true;
  }
  const ctx = await rt.contextOf(click);
  const actor = actorOf(ctx);
  const withReason = authorize(state, { type: 'done', stepId: found.step.id, override: true }, actor, ctx.at);
  if (!withReason.ok) return false;
  const inOrder = authorize(state, { type: 'done', stepId: found.step.id }, actor, ctx.at);
  if (inOrder.ok) {
    // In order now (the view was older): only a failing check of its own needs a reason; else a plain Done.
    const guard = mayHoldDone(rt, found.step.id)
      ? await guardVerdict(rt, state, found.step, click.user)
      : { ok: true as const };
    if (guard.ok) return false;
  }
  let why = inOrder.ok ? 'Its check has not passed.' : inOrder.reason;
  // Out of order, its own check is asked too: the one reason waives both, so both are shown.
  if (!inOrder.ok && mayHoldDone(rt, found.step.id)) {
    const guard = await guardVerdict(rt, state, found.step, click.user);
    if (!guard.ok) why = `${inOrder.reason} Its own check has not passed either: ${guard.reason}`;
  }
  await openOverride(rt, click, triggerId, state, found.step, why);
  return true;
}

async function openOverride(
  rt: ChecklistRuntime,
  click: Click,
  triggerId: string,
  state: RunState,
  step: NonNullable<ReturnType<typeof findStep>>['step'],
  reason: string,
): Promise<void> {
  await rt.slack.views.open({
    trigger_id: triggerId,
    view: reasonModal({
      callbackId: ActionIds.checklistOverrideView,
      title: 'Done anyway?',
      submit: 'Mark done',
      prompt: `:warning: *${escapeMrkdwn(stepName(step))}*: ${refusalText(reason)}\nMark it done anyway only if you are sure; your reason is recorded.`,
      label: 'Why is it safe to continue?',
      placeholder: 'e.g. primary confirmed down by the AWS Health Dashboard',
      metadata: metadataFor(rt, click, state.runId, step.id),
    }),
  });
}

async function openReasonModal(
  rt: ChecklistRuntime,
  click: Click,
  triggerId: string,
  kind: Exclude<ReasonKind, 'override'>,
): Promise<boolean> {
  const target = decodeItemValue(click.value);
  const state = target ? (await (await rt.deps.getStore()).getRun(target.runId))?.state : undefined;
  if (!target || !state) {
    await replyTo(rt.deps, staleReply(click), { text: STALE });
    return true;
  }
  // Ask for a reason only when the rest would be allowed; otherwise the deferred click records and answers
  // the refusal (a probe with an empty reason is refused with `reason_required` when all else is fine).
  const probe = apply(state, reasonCommand(kind, target.itemId, ''), await rt.contextOf(click));
  if (!probe.ok && probe.code !== 'reason_required') return false;
  const metadata = metadataFor(rt, click, state.runId, target.itemId);
  await rt.slack.views.open({
    trigger_id: triggerId,
    view: reasonModal({ ...REASON_MODALS[kind](state, target.itemId), label: 'Reason', metadata }),
  });
  return true;
}

/** What each reason modal says: its callback, title, buttons and the question above the reason. */
const REASON_MODALS: Record<
  Exclude<ReasonKind, 'override'>,
  (state: RunState, itemId: string) => Omit<ReasonModalInput, 'label' | 'metadata'>
> = {
  skip: (state, itemId) => ({
    callbackId: ActionIds.checklistSkipView,
    title: 'Skip step',
    submit: 'Skip step',
    prompt: `Skip *${escapeMrkdwn(stepName(findStep(state, itemId)?.step ?? { n: 0, title: itemId }))}*? The reason is posted in the run's thread and kept in the timeline.`,
    placeholder: 'Why this step does not apply this time',
  }),
  reject: (state, itemId) => ({
    callbackId: ActionIds.checklistRejectView,
    title: 'Reject',
    submit: 'Reject and halt',
    prompt: `Reject *${escapeMrkdwn(findGate(state, itemId)?.gate.title ?? itemId)}*? This *halts the run*: nothing after the gate can be done, and a new run is needed.`,
    placeholder: 'What must be fixed before this can go ahead',
  }),
  cancel: (state) => ({
    callbackId: ActionIds.checklistCancelView,
    title: 'Cancel this run',
    submit: 'Cancel the run',
    close: 'Keep it running',
    prompt:
      `Cancel *${escapeMrkdwn(runTitle(state))}*? The run ends here: steps not done stay undone and open ` +
      'approvals close. Nothing already changed is undone (in AWS or elsewhere). The reason is posted in ' +
      "the run's thread and kept in the timeline.",
    placeholder: 'Started by mistake, or why it is no longer needed',
  }),
};

/**
 * "Take over…": the confirmation with a reason, opened only when authorize() would let this person take the
 * run over; otherwise the deferred click records and answers the refusal.
 */
async function openTakeOverModal(rt: ChecklistRuntime, click: Click, triggerId: string): Promise<boolean> {
  const target = decodeItemValue(click.value);
  if (!target || (target.itemId !== 'live' && target.itemId !== 'drill')) {
    await replyTo(rt.deps, staleReply(click), { text: STALE });
    return true;
  }
  const state = (await (await rt.deps.getStore()).getRun(target.runId))?.state;
  if (!state) {
    await replyTo(rt.deps, staleReply(click), { text: STALE });
    return true;
  }
  const ctx = await rt.contextOf(click);
  const action = { type: 'take_over', drill: target.itemId === 'drill' } as const;
  if (!authorize(state, action, actorOf(ctx), ctx.at).ok) return false;
  const p = progress(state);
  await rt.slack.views.open({
    trigger_id: triggerId,
    view: reasonModal({
      callbackId: ActionIds.checklistTakeOverView,
      title: 'Take over this run?',
      submit: 'Take over',
      prompt:
        `:warning: *${escapeMrkdwn(runTitle(state))}* was started by <@${state.startedBy}>; ${p.stepsResolved} of ${p.stepsTotal} steps are done` +
        `${p.gatesTotal > 0 ? `, ${p.gatesPassed} of ${p.gatesTotal} approval gates passed` : ''}.\n` +
        'Taking it over stops that run (its buttons stop working; its history stays exportable) and starts a new run of this checklist from step 1, started by you. ' +
        'Your reason is recorded in both runs’ timelines.',
      label: 'Why are you taking it over?',
      placeholder: 'e.g. the incident commander handed over to me; the old run was started in error',
      metadata: metadataFor(rt, click, state.runId, target.itemId),
    }),
  });
  return true;
}

function metadataFor(rt: ChecklistRuntime, click: Click, runId: string, itemId: string): string {
  return sealModalMetadata(
    {
      runId,
      itemId,
      channel: click.channel,
      user: click.user,
      team: click.team,
      enterprise: click.enterprise,
      ...(click.home ? { home: true } : {}),
    },
    rt.deps.config,
    rt.deps.now(),
  );
}

// ---- Modal submissions -----------------------------------------------------------------------------------------

async function onReasonSubmitted(
  rt: ChecklistRuntime,
  args: ViewArgs,
  kind: Submission['kind'],
): Promise<void> {
  const { ack, body, view } = args;
  const reason = (
    view.state.values[ActionIds.checklistReasonBlock]?.[ActionIds.checklistReasonInput]?.value ?? ''
  ).trim();
  if (!reason) {
    await ack({
      response_action: 'errors',
      errors: { [ActionIds.checklistReasonBlock]: 'Please give a reason.' },
    });
    handled(rt, `${kind} submitted`);
    return;
  }
  if (reason.length > REASON_MAX) {
    await ack({
      response_action: 'errors',
      errors: {
        [ActionIds.checklistReasonBlock]: `Keep the reason to ${REASON_MAX.toLocaleString('en-US')} characters (this one has ${reason.length.toLocaleString('en-US')}); link to a document for more.`,
      },
    });
    handled(rt, `${kind} submitted`);
    return;
  }
  const submitter = {
    user: body.user.id,
    team: body.team?.id ?? null,
    enterprise: (body as { enterprise?: { id?: string } | null }).enterprise?.id ?? null,
  };
  const origin = openModalMetadata(view.private_metadata, rt.deps.config, rt.deps.now(), submitter);
  if (!origin) {
    // Altered, foreign or stale metadata: say so in the modal, change nothing.
    await ack({
      response_action: 'errors',
      errors: {
        [ActionIds.checklistReasonBlock]:
          'This form no longer matches a checklist step (it is stale or was altered). Close it and use the message.',
      },
    });
    rt.deps.logger.warn('modal submission refused: metadata not ours', { callbackId: view.callback_id });
    handled(rt, `${kind} submitted`);
    return;
  }
  await ack();
  const submission: Submission = {
    kind,
    origin,
    reason,
    viewId: view.id,
    viewHash: view.hash,
  };
  const queued = await rt.deps
    .defer({
      kind: SUBMISSION_TASK,
      payload: submission,
      replyTo: { user: origin.user, channel: origin.channel, responseUrl: null },
    })
    .then(
      () => true,
      async (error: unknown) => {
        rt.deps.logger.warn('submission not queued', { error });
        await replyTo(
          rt.deps,
          { user: origin.user, channel: origin.channel, responseUrl: null },
          {
            text: notQueuedText(error, { thing: 'that', nothing: 'nothing changed' }),
          },
        );
        return false;
      },
    );
  if (!queued) handled(rt, `${kind} submitted`);
}
