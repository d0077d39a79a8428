/**
 * Buttons and modals of a checklist message: Done, Skip (reason modal), Details, Undo, Approve, Reject
 * (reason modal), Export, and "Done anyway" when a step extension's check fails. Every listener acks
 * first, then reads or writes the store, then updates the message; a refused click gets an ephemeral
 * explanation and changes nothing.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  StaticSelectAction,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import { apply, stepName } from '../../../workflows/checklist';
import { findGate, findStep, type RunState, stepState } from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { decodeItemValue, stepNumberOf } from '../../render/checklist';
import { renderStepDetails } from '../../render/checklist-details';
import { refusalText } from '../../render/checklist-format';
import { parseReasonMetadata, reasonModal } from '../../render/checklist-modals';
import { renderTimeline, timelineMessages } from '../../render/checklist-timeline';
import { escapeMrkdwn } from '../../render/escape';
import { extensionsFor } from './extensions';
import { actionContext, actionKey, type ChecklistRuntime, isoFromActionTs } from './runtime';

type WebClient = webApi.WebClient;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const STALE = 'This button belongs to a checklist run I cannot find any more; nothing changed.';

export function registerChecklistActions(app: App, rt: ChecklistRuntime): void {
  // Every interaction ends with one debug line, so tests (and operators) can tell when its work is over.
  const handled = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } finally {
      rt.deps.logger.debug('checklist interaction handled', { what });
    }
  };
  const button = (actionId: string, what: string, work: (args: ButtonArgs) => Promise<unknown>) =>
    app.action<BlockAction<ButtonAction>>(actionId, async (args) => {
      await args.ack();
      await handled(what, () => work(args));
    });

  button(ActionIds.checklistDone, 'done', (args) => onDone(rt, args));
  button(ActionIds.checklistUndo, 'undo', (args) =>
    onItemCommand(rt, args, args.action.value, (itemId) => ({ type: 'undo', stepId: itemId })),
  );
  button(ActionIds.checklistApprove, 'approve', async (args) => {
    const roles = await rt.rolesOf(args.body.user.id);
    const result = await onItemCommand(
      rt,
      args,
      args.action.value,
      (gateId) => ({ type: 'approve', gateId }),
      roles,
    );
    if (result === 'refused' && rt.approversProblem) await ephemeral(args.respond, rt.approversProblem);
  });
  button(ActionIds.checklistSkip, 'skip', (args) => openReasonModal(rt, args, 'skip'));
  button(ActionIds.checklistReject, 'reject', (args) => openReasonModal(rt, args, 'reject'));
  button(ActionIds.checklistDetails, 'details', (args) => onDetails(rt, args));
  button(ActionIds.checklistExport, 'export', (args) => onExport(rt, args));

  app.action<BlockAction<StaticSelectAction>>(ActionIds.checklistUndoPick, async (args: SelectArgs) => {
    await args.ack();
    await handled('undo', async () => {
      const value = args.action.selected_option?.value;
      const target = decodeItemValue(value);
      const n = target ? stepNumberOf(target.itemId) : null;
      const state = target && n !== null ? await loadRun(rt, target.runId) : null;
      const step = state?.items.find((it) => it.type === 'step' && it.n === n);
      await onItemCommand(rt, args, value, () => ({
        type: 'undo',
        stepId: step?.id ?? target?.itemId ?? '',
      }));
    });
  });

  for (const [callbackId, kind] of [
    [ActionIds.checklistSkipView, 'skip'],
    [ActionIds.checklistRejectView, 'reject'],
    [ActionIds.checklistOverrideView, 'override'],
  ] as const) {
    app.view<ViewSubmitAction>(callbackId, (args) =>
      handled(`${kind} submitted`, () => onReasonSubmitted(rt, args, kind)),
    );
  }
}

// ---- Buttons ---------------------------------------------------------------------------------------------

type ItemCommand = Parameters<ChecklistRuntime['run']>[1];

async function onItemCommand(
  rt: ChecklistRuntime,
  args: ButtonArgs | SelectArgs,
  value: string | undefined,
  toCommand: (itemId: string) => ItemCommand,
  roles?: string[],
): Promise<'applied' | 'refused' | 'other'> {
  const { body, action, client, respond } = args;
  const target = decodeItemValue(value);
  if (!target) {
    await ephemeral(respond, STALE);
    return 'other';
  }
  const ctx = {
    user: body.user.id,
    at: isoFromActionTs(action.action_ts, rt.deps.now()),
    key: actionKey([action.action_ts, body.user.id, action.action_id, value]),
    ...(roles ? { roles } : {}),
  };
  const result = await rt.run(target.runId, toCommand(target.itemId), ctx, client, (text) =>
    ephemeral(respond, text),
  );
  return result.kind === 'applied' || result.kind === 'refused' ? result.kind : 'other';
}

async function onDone(rt: ChecklistRuntime, args: ButtonArgs): Promise<void> {
  const { body, action, client, respond } = args;
  const loaded = await loadTarget(rt, action.value, respond);
  if (!loaded) return;
  const { target, state } = loaded;
  // Step extensions may object (e.g. the evidence does not show the primary down); only for a step that
  // could be done now, so stale clicks get the state machine's answer instead.
  const found = findStep(state, target.itemId);
  if (found && state.status === 'active' && stepState(state, found.step.id).status === 'pending') {
    for (const { key, value, extension } of extensionsFor(found.step)) {
      if (!extension.guardDone) continue;
      const verdict = await extension.guardDone(
        actionContext(rt, state, found.step, value, client, body.user.id),
      );
      if (verdict.ok) continue;
      if (verdict.overridable) {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: reasonModal({
            callbackId: ActionIds.checklistOverrideView,
            title: 'Done anyway?',
            submit: 'Mark done',
            prompt: `:warning: *${escapeMrkdwn(stepName(found.step))}*: ${refusalText(verdict.reason)}\nMark it done anyway only if you are sure; your reason is recorded.`,
            label: 'Why is it safe to continue?',
            placeholder: 'e.g. primary confirmed down by the AWS Health Dashboard',
            metadata: { runId: state.runId, itemId: found.step.id, channel: state.channel },
          }),
        });
      } else {
        await ephemeral(respond, `:no_entry_sign: ${refusalText(verdict.reason)}`);
      }
      rt.deps.logger.info('step extension held Done back', {
        key,
        step: found.step.id,
        overridable: verdict.overridable,
      });
      return;
    }
  }
  const ctx = {
    user: body.user.id,
    at: isoFromActionTs(action.action_ts, rt.deps.now()),
    key: actionKey([action.action_ts, body.user.id, action.action_id, action.value]),
  };
  const result = await rt.run(state.runId, { type: 'done', stepId: target.itemId }, ctx, client, (t) =>
    ephemeral(respond, t),
  );
  if (result.kind === 'applied') await afterDone(rt, result.state, target.itemId, body.user.id, client);
}

async function afterDone(
  rt: ChecklistRuntime,
  state: RunState,
  stepId: string,
  user: string,
  client: WebClient,
): Promise<void> {
  const found = findStep(state, stepId);
  if (!found) return;
  for (const { key, value, extension } of extensionsFor(found.step)) {
    try {
      await extension.onDone?.(actionContext(rt, state, found.step, value, client, user));
    } catch (error) {
      rt.deps.logger.error('step extension failed after Done', { key, step: stepId, error });
    }
  }
}

async function openReasonModal(
  rt: ChecklistRuntime,
  args: ButtonArgs,
  kind: 'skip' | 'reject',
): Promise<void> {
  const { body, action, client, respond } = args;
  const loaded = await loadTarget(rt, action.value, respond);
  if (!loaded) return;
  const { target, state } = loaded;
  const user = body.user.id;
  const command: ItemCommand =
    kind === 'skip'
      ? { type: 'skip', stepId: target.itemId, reason: '' }
      : { type: 'reject', gateId: target.itemId, reason: '' };
  const ctx = {
    user,
    at: isoFromActionTs(action.action_ts, rt.deps.now()),
    key: actionKey([action.action_ts, user, action.action_id, action.value]),
    ...(kind === 'reject' ? { roles: await rt.rolesOf(user) } : {}),
  };
  // Ask for a reason only when the rest would be allowed; otherwise refuse now (a refused rejection is
  // recorded, like any refused signature).
  const probe = apply(state, command, ctx);
  if (!probe.ok && probe.code !== 'reason_required') {
    await rt.run(state.runId, command, ctx, client, (t) => ephemeral(respond, t));
    return;
  }
  const metadata = { runId: state.runId, itemId: target.itemId, channel: state.channel };
  if (kind === 'skip') {
    const found = findStep(state, target.itemId);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: reasonModal({
        callbackId: ActionIds.checklistSkipView,
        title: 'Skip step',
        submit: 'Skip step',
        prompt: `Skip *${escapeMrkdwn(found ? stepName(found.step) : target.itemId)}*? The reason is posted in the run's thread and kept in the timeline.`,
        label: 'Reason',
        placeholder: 'Why this step does not apply this time',
        metadata,
      }),
    });
    return;
  }
  const gate = findGate(state, target.itemId)?.gate;
  await client.views.open({
    trigger_id: body.trigger_id,
    view: reasonModal({
      callbackId: ActionIds.checklistRejectView,
      title: 'Reject',
      submit: 'Reject and halt',
      prompt: `Reject *${escapeMrkdwn(gate?.title ?? target.itemId)}*? This *halts the run*: nothing after the gate can be done, and a new run is needed.`,
      label: 'Reason',
      placeholder: 'What must be fixed before this can go ahead',
      metadata,
    }),
  });
}

async function onDetails(rt: ChecklistRuntime, args: ButtonArgs): Promise<void> {
  const { action, respond } = args;
  const loaded = await loadTarget(rt, action.value, respond);
  if (!loaded) return;
  const { target, state } = loaded;
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    ...renderStepDetails({
      state,
      itemId: target.itemId,
      artifact: rt.deps.artifact,
      repoUrl: rt.deps.config.repoUrl,
    }),
  });
}

async function onExport(rt: ChecklistRuntime, args: ButtonArgs): Promise<void> {
  const { action, client, respond } = args;
  const target = decodeItemValue(action.value);
  const store = await rt.deps.getStore();
  const state = target ? (await store.getRun(target.runId))?.state : undefined;
  if (!target || !state) {
    await ephemeral(respond, STALE);
    return;
  }
  const events = await store.listEvents(state.runId);
  const names = await displayNames(client, [state.startedBy, ...events.map((e) => e.user)]);
  const markdown = renderTimeline({ state, events, names });
  for (const message of timelineMessages(markdown, state.title)) {
    await client.chat.postMessage({
      channel: state.channel,
      ...(state.messageTs ? { thread_ts: state.messageTs } : {}),
      ...message,
    });
  }
  await ephemeral(respond, ':page_facing_up: The timeline is posted in the run’s thread.');
}

// ---- Modals ----------------------------------------------------------------------------------------------

async function onReasonSubmitted(
  rt: ChecklistRuntime,
  args: ViewArgs,
  kind: 'skip' | 'reject' | 'override',
): Promise<void> {
  const { ack, body, view, client } = args;
  const reason = (
    view.state.values[ActionIds.checklistReasonBlock]?.[ActionIds.checklistReasonInput]?.value ?? ''
  ).trim();
  if (!reason) {
    await ack({
      response_action: 'errors',
      errors: { [ActionIds.checklistReasonBlock]: 'Please give a reason.' },
    });
    return;
  }
  await ack();
  const meta = parseReasonMetadata(view.private_metadata);
  if (!meta) return;
  const user = body.user.id;
  const reply = async (text: string) => {
    await client.chat.postEphemeral({ channel: meta.channel, user, text });
  };
  const ctx = {
    user,
    at: rt.deps.now().toISOString(),
    // One submission of one modal: a redelivered submission has the same view id and hash.
    key: actionKey(['view', view.id, view.hash, user, kind]),
    ...(kind === 'reject' ? { roles: await rt.rolesOf(user) } : {}),
  };
  const command: ItemCommand =
    kind === 'skip'
      ? { type: 'skip', stepId: meta.itemId, reason }
      : kind === 'reject'
        ? { type: 'reject', gateId: meta.itemId, reason }
        : { type: 'done', stepId: meta.itemId, override: reason };
  const result = await rt.run(meta.runId, command, ctx, client, reply);
  if (result.kind === 'applied' && kind === 'override')
    await afterDone(rt, result.state, meta.itemId, user, client);
}

// ---- Helpers ---------------------------------------------------------------------------------------------

async function loadRun(rt: ChecklistRuntime, runId: string): Promise<RunState | null> {
  return (await (await rt.deps.getStore()).getRun(runId))?.state ?? null;
}

/** The run and item a button names; null (after telling the clicker) for a stale or unknown button. */
async function loadTarget(
  rt: ChecklistRuntime,
  value: string | undefined,
  respond: RespondFn,
): Promise<{ target: NonNullable<ReturnType<typeof decodeItemValue>>; state: RunState } | null> {
  const target = decodeItemValue(value);
  const state = target ? await loadRun(rt, target.runId) : null;
  if (!target || !state) {
    await ephemeral(respond, STALE);
    return null;
  }
  return { target, state };
}

async function ephemeral(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** Real names for the exported timeline; an ID whose lookup fails stays an ID. */
async function displayNames(client: WebClient, ids: (string | null)[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  const out: Record<string, string> = {};
  await Promise.all(
    unique.map(async (id) => {
      try {
        const res = await client.users.info({ user: id });
        const name = res.user?.profile?.display_name || res.user?.real_name || res.user?.name;
        if (name) out[id] = name;
      } catch {
        // users:read missing or the user is gone: the timeline shows the ID.
      }
    }),
  );
  return out;
}
