/**
 * The listeners of a checklist message: Done, Skip (reason modal), Details, Undo, Approve, Reject (reason
 * modal), Export, and "Done anyway" when a step extension's check fails. Every listener acks first. A click
 * that may need a modal (Skip, Reject, Cancel run, Take over, Done on a step whose check can object, Done
 * anyway) reads the run and opens the modal within the click's 3 s `trigger_id`, or, when the store is too
 * slow for that, opens it at once and fills it in from deferred work (`formClick`); everything else, and
 * every submission, is handed to deferred work (./clicks.ts) with nothing but Slack's signed envelope and the
 * button's references, so the ack never waits on the store.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockElementAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  types,
  ViewSubmitAction,
} from '@slack/bolt';
import { authorize } from '../../../workflows/authorize';
import { actorOf, apply, stepName } from '../../../workflows/checklist';
import { findGate, findStep, progress, type RunState, stepState } from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import { asClick, type Click, clickFrom, deferClick, replyTargetOf } from '../../interaction';
import { openModalMetadata, sealModalMetadata } from '../../modal-metadata';
import { notQueuedText } from '../../not-queued';
import { decodeItemValue } from '../../render/checklist';
import { refusalText, runTitle } from '../../render/checklist-format';
import {
  loadingModal,
  noticeModal,
  REASON_MAX,
  type ReasonModalInput,
  reasonModal,
} from '../../render/checklist-modals';
import { escapeMrkdwn } from '../../render/escape';
import { replyTo } from '../../reply';
import { slackErrorCode } from '../../slack-error';
import {
  CLICK_TASK,
  guardVerdict,
  handled,
  onClick,
  type ReasonKind,
  reasonCommand,
  reportFailure,
  STALE,
  SUBMISSION_TASK,
  type Submission,
  staleReply,
} from './clicks';
import { extensionsFor } from './extensions';
import { type ChecklistRuntime, runtimeFor } from './runtime';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction<BlockElementAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function registerChecklistActions(app: App, rt: ChecklistRuntime): void {
  const deps = rt.deps;
  /**
   * Ack, then either finish here (`now` returns true: a form opened, or a refusal answered), leave the rest
   * to deferred work it queued ('queued'), or defer the click (false).
   */
  const listen = (actionId: string, now?: (click: Click, args: ActionArgs) => Promise<boolean | 'queued'>) =>
    app.action<BlockAction<BlockElementAction>>(actionId, async (args) => {
      await args.ack();
      const click = clickFrom(args.body, args.action as Parameters<typeof clickFrom>[1]);
      let finished = false;
      try {
        const outcome = now ? await now(click, args) : false;
        finished = outcome === false ? !(await deferClick(deps, CLICK_TASK, click)) : outcome === true;
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
  for (const [id, form] of Object.entries(FORMS)) {
    listen(id, (click, args) => formClick(rt, click, args.body.trigger_id, form));
  }

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

// ---- Clicks that may open a form (in the request: trigger_id is valid for 3 s) --------------------------------

/**
 * How long a click that may need a form waits for the run (and the clicker's roles) before it opens the form
 * anyway. A click's `trigger_id` opens a modal only within 3 s of the click, and the request's trip and
 * `views.open` take some of them; a slow store (a throttled table during an outage, a user-group lookup
 * waiting out a 429) would otherwise spend them all, and Slack would refuse the form (`expired_trigger_id`)
 * at every press for as long as the store stays slow.
 */
const FORM_READ_MS = 1_500;

/** Deferred work that reads the run for a form opened before it could be read, and fills the form in. */
export const FORM_TASK = 'checklists.form';

/** What a click that may need a form comes to, once the run is read. */
type FormDecision =
  | { kind: 'open'; view: types.ModalView }
  /** Answered without a form: the run is gone, or a check holds Done back with no override. */
  | { kind: 'answer'; text: string }
  /** No form: the click goes on as a click (deferred), which records and answers a refusal, or does it. */
  | { kind: 'click' };

const AS_CLICK: FormDecision = { kind: 'click' };

interface Form {
  /** Shown at once when the run is slow to read; null: no form then, the click goes on as a click. */
  title: string | null;
  decide: (rt: ChecklistRuntime, click: Click) => Promise<FormDecision>;
  /**
   * When Slack refuses the form as expired: the click goes on (a Done: the deferred Done answers its reason
   * and "Done anyway…", which needs no trigger), or the clicker is asked to press again (a reason form: as a
   * click it could only be refused for want of a reason).
   */
  expired: 'click' | 'again';
}

const FORMS: Readonly<Record<string, Form>> = {
  [ActionIds.checklistDone]: { title: null, decide: decideDone, expired: 'click' },
  [ActionIds.checklistDoneAnyway]: { title: 'Done anyway?', decide: decideOverride, expired: 'click' },
  [ActionIds.checklistSkip]: { title: 'Skip step', decide: reasonForm('skip'), expired: 'again' },
  [ActionIds.checklistReject]: { title: 'Reject', decide: reasonForm('reject'), expired: 'again' },
  [ActionIds.checklistCancel]: { title: 'Cancel this run', decide: reasonForm('cancel'), expired: 'again' },
  [ActionIds.checklistTakeOver]: { title: 'Take over this run?', decide: decideTakeOver, expired: 'again' },
};

const PRESS_AGAIN =
  ':warning: Slack did not let the form open in time (a click’s form must open within 3 s); nothing changed. Press the button again.';

/**
 * A click that may need a form: read the run and decide within `FORM_READ_MS`, and open the form (or answer,
 * or let the click go on). When the read takes longer, open the form now with "Reading the run…", while
 * the trigger is valid, and leave the read to deferred work (`fillForm`), which puts the form in its place:
 * on Lambda the HTTP answer to Slack waits for this listener.
 */
async function formClick(
  rt: ChecklistRuntime,
  click: Click,
  triggerId: string,
  form: Form,
): Promise<boolean | 'queued'> {
  const decision = await inTime(form.decide(rt, click), FORM_READ_MS);
  if (decision) return showForm(rt, click, triggerId, decision, form);
  if (form.title === null) return false;
  const opened = await openForm(rt, triggerId, loadingModal(form.title));
  if (!opened) {
    await replyTo(rt.deps, staleReply(click), { text: PRESS_AGAIN });
    return true;
  }
  const fill: FormFill = { click, viewId: opened.id, viewHash: opened.hash };
  try {
    await rt.deps.defer({
      kind: FORM_TASK,
      payload: fill,
      replyTo: replyTargetOf(click),
      key: `form:${opened.id}`,
    });
    return 'queued';
  } catch (error) {
    rt.deps.logger.warn('form not queued', { error });
    await updateForm(
      rt,
      fill,
      noticeModal(
        form.title,
        ':warning: The bot could not read the run for this form; nothing changed. Close it and try again.',
      ),
    );
    return true;
  }
}

/** The work's result if it comes within `ms`, else undefined (the work goes on; its result is not used). */
async function inTime<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    // A failure of the work after the wait is handled by the race, and ignored.
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function showForm(
  rt: ChecklistRuntime,
  click: Click,
  triggerId: string,
  decision: FormDecision,
  form: Form,
): Promise<boolean> {
  switch (decision.kind) {
    case 'click':
      return false;
    case 'answer':
      await replyTo(rt.deps, staleReply(click), { text: decision.text });
      return true;
    case 'open':
      if (await openForm(rt, triggerId, decision.view)) return true;
      if (form.expired === 'click') return false;
      await replyTo(rt.deps, staleReply(click), { text: PRESS_AGAIN });
      return true;
  }
}

/** `views.open`; null when Slack says the trigger expired (the 3 s went before the form could open). */
async function openForm(
  rt: ChecklistRuntime,
  triggerId: string,
  view: types.ModalView,
): Promise<{ id: string; hash: string } | null> {
  try {
    const opened = await rt.slack.views.open({ trigger_id: triggerId, view });
    return { id: opened.view?.id ?? '', hash: opened.view?.hash ?? '' };
  } catch (error) {
    if (slackErrorCode(error) !== 'expired_trigger_id') throw error;
    rt.deps.logger.warn('form not opened: its trigger expired');
    return null;
  }
}

/** A form opened before its run was read: the click it came from and the view to fill in. */
interface FormFill {
  click: Click;
  viewId: string;
  viewHash: string;
}

/**
 * Deferred: read the run for a form opened with "Reading the run…" and put in its place what the click
 * comes to: the form (its submission carries only references, sealed, and is authorized from the store
 * like any other), the answer, or, when no form is needed after all, a notice while the click goes on.
 */
async function fillForm(rt: ChecklistRuntime, fill: FormFill): Promise<void> {
  const { click } = fill;
  const form = Object.hasOwn(FORMS, click.actionId) ? FORMS[click.actionId] : undefined;
  if (!form?.title) return;
  const decision = await form.decide(rt, click);
  switch (decision.kind) {
    case 'open':
      await updateForm(rt, fill, decision.view);
      return;
    case 'answer':
      await updateForm(rt, fill, noticeModal(form.title, decision.text));
      return;
    case 'click':
      await updateForm(
        rt,
        fill,
        noticeModal(form.title, 'Nothing to fill in: the bot answers you in the channel.'),
      );
      await onClick(rt, click);
  }
}

/**
 * `views.update` of a form opened earlier; a form the person already closed is left closed, and one filled
 * in already (`hash_conflict`: its "Reading the run…" view was replaced, by this task's first delivery) is
 * left as it is.
 */
async function updateForm(rt: ChecklistRuntime, fill: FormFill, view: types.ModalView): Promise<void> {
  try {
    await rt.slack.views.update({
      view_id: fill.viewId,
      ...(fill.viewHash ? { hash: fill.viewHash } : {}),
      view,
    });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== 'not_found' && code !== 'hash_conflict') throw error;
    rt.deps.logger.info(
      code === 'not_found' ? 'form closed before it was filled in' : 'form filled in already',
    );
  }
}

registerDeferred(
  FORM_TASK,
  async (payload, deps) => {
    const fill = payload as Partial<FormFill> | null;
    const click = asClick(fill?.click);
    if (!click || typeof fill?.viewId !== 'string') return;
    const rt = runtimeFor(deps);
    try {
      await fillForm(rt, { click, viewId: fill.viewId, viewHash: String(fill.viewHash ?? '') });
    } catch (error) {
      await reportFailure(deps, error, replyTargetOf(click), `form ${click.actionId}`);
    } finally {
      handled(rt, click.actionId);
    }
  },
  { once: false },
);

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
 * parallel) now, so that when the check objects the override form opens within the trigger's 3 s.
 * Anything else (or a read too slow for the trigger) lets the Done go on as a click.
 */
async function decideDone(rt: ChecklistRuntime, click: Click): Promise<FormDecision> {
  const target = decodeItemValue(click.value);
  if (!target || !mayHoldDone(rt, target.itemId)) return AS_CLICK;
  const ctx = await rt.contextOf(click);
  const store = await rt.deps.getStore();
  const [record, events] = await Promise.all([store.getRun(target.runId), store.listEvents(target.runId)]);
  const state = record?.state;
  if (!state) return AS_CLICK; // the deferred Done says the run is gone
  if (!authorize(state, { type: 'done', stepId: target.itemId }, actorOf(ctx), ctx.at).ok) return AS_CLICK;
  const found = findStep(state, target.itemId);
  if (!found || stepState(state, found.step.id).status !== 'pending') return AS_CLICK;
  const verdict = await guardVerdict(rt, state, found.step, click.user, events);
  if (verdict.ok) return AS_CLICK;
  if (!verdict.overridable) return { kind: 'answer', text: `:no_entry_sign: ${refusalText(verdict.reason)}` };
  rt.deps.logger.info('step extension held Done back', { step: found.step.id });
  return { kind: 'open', view: overrideForm(rt, click, state, found.step, verdict.reason) };
}

/**
 * "Done anyway…" / "Done out of order…": the override form, for a step whose check held Done back or that
 * comes after an unresolved step. Opened only when Done with a reason would be allowed; otherwise the
 * deferred Done records and answers the refusal.
 */
async function decideOverride(rt: ChecklistRuntime, click: Click): Promise<FormDecision> {
  const target = decodeItemValue(click.value);
  const state = target ? (await (await rt.deps.getStore()).getRun(target.runId))?.state : undefined;
  const found = state && target ? findStep(state, target.itemId) : null;
  if (!state || !found) return { kind: 'answer', text: STALE };
  const ctx = await rt.contextOf(click);
  const actor = actorOf(ctx);
  const withReason = authorize(state, { type: 'done', stepId: found.step.id, override: true }, actor, ctx.at);
  if (!withReason.ok) return AS_CLICK;
  const inOrder = authorize(state, { type: 'done', stepId: found.step.id }, actor, ctx.at);
  if (inOrder.ok) {
    // In order now (the view was older): only a failing check of its own needs a reason; else a plain Done.
    const guard = mayHoldDone(rt, found.step.id)
      ? await guardVerdict(rt, state, found.step, click.user)
      : { ok: true as const };
    if (guard.ok) return AS_CLICK;
  }
  let why = inOrder.ok ? 'Its check has not passed.' : inOrder.reason;
  // Out of order, its own check is asked too: the one reason waives both, so both are shown.
  if (!inOrder.ok && mayHoldDone(rt, found.step.id)) {
    const guard = await guardVerdict(rt, state, found.step, click.user);
    if (!guard.ok) why = `${inOrder.reason} Its own check has not passed either: ${guard.reason}`;
  }
  return { kind: 'open', view: overrideForm(rt, click, state, found.step, why) };
}

function overrideForm(
  rt: ChecklistRuntime,
  click: Click,
  state: RunState,
  step: NonNullable<ReturnType<typeof findStep>>['step'],
  reason: string,
): types.ModalView {
  return reasonModal({
    callbackId: ActionIds.checklistOverrideView,
    title: 'Done anyway?',
    submit: 'Mark done',
    prompt: `:warning: *${escapeMrkdwn(stepName(step))}*: ${refusalText(reason)}\nMark it done anyway only if you are sure; your reason is recorded.`,
    label: 'Why is it safe to continue?',
    placeholder: 'e.g. primary confirmed down by the AWS Health Dashboard',
    metadata: metadataFor(rt, click, state.runId, step.id),
  });
}

/** Skip, Reject, Cancel run: the reason form, asked for only when the rest would be allowed. */
function reasonForm(kind: Exclude<ReasonKind, 'override'>): Form['decide'] {
  return async (rt, click) => {
    const target = decodeItemValue(click.value);
    const state = target ? (await (await rt.deps.getStore()).getRun(target.runId))?.state : undefined;
    if (!target || !state) return { kind: 'answer', text: STALE };
    // Otherwise the deferred click records and answers the refusal (a probe with an empty reason is refused
    // with `reason_required` when all else is fine).
    const probe = apply(state, reasonCommand(kind, target.itemId, ''), await rt.contextOf(click));
    if (!probe.ok && probe.code !== 'reason_required') return AS_CLICK;
    const metadata = metadataFor(rt, click, state.runId, target.itemId);
    return {
      kind: 'open',
      view: reasonModal({ ...REASON_MODALS[kind](state, target.itemId), label: 'Reason', metadata }),
    };
  };
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
async function decideTakeOver(rt: ChecklistRuntime, click: Click): Promise<FormDecision> {
  const target = decodeItemValue(click.value);
  if (!target || (target.itemId !== 'live' && target.itemId !== 'drill'))
    return { kind: 'answer', text: STALE };
  const state = (await (await rt.deps.getStore()).getRun(target.runId))?.state;
  if (!state) return { kind: 'answer', text: STALE };
  const ctx = await rt.contextOf(click);
  const action = { type: 'take_over', drill: target.itemId === 'drill' } as const;
  if (!authorize(state, action, actorOf(ctx), ctx.at).ok) return AS_CLICK;
  const p = progress(state);
  return {
    kind: 'open',
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
  };
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

/** The reason form's `min_length` (src/slack/render/checklist-modals.ts), checked on the trimmed reason. */
const REASON_MIN = 3;

async function onReasonSubmitted(
  rt: ChecklistRuntime,
  args: ViewArgs,
  kind: Submission['kind'],
): Promise<void> {
  const { ack, body, view } = args;
  // The client's value: anything but text (a crafted payload) is no reason, answered in the modal, not a
  // throw before the ack. Slack checks the form's min_length on the text as typed, spaces included; the
  // reason recorded is trimmed, so the minimum is checked again on what is recorded ("   x" is one character).
  const typed: unknown =
    view.state.values[ActionIds.checklistReasonBlock]?.[ActionIds.checklistReasonInput]?.value;
  const reason = typeof typed === 'string' ? typed.trim() : '';
  if (reason.length < REASON_MIN) {
    await ack({
      response_action: 'errors',
      errors: {
        [ActionIds.checklistReasonBlock]: reason
          ? `Please give a reason of at least ${REASON_MIN} characters.`
          : 'Please give a reason.',
      },
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
