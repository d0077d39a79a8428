/**
 * The checklist state machine: `apply(state, command, ctx)` either returns the next state and the events
 * it produced, or refuses with a sentence for the user. Every command is first checked by `authorize()`
 * (src/workflows/authorize.ts: who may do what, where and when); what is left here are the transitions and
 * the checks of the state itself (already done, nothing to undo, a reason is needed). Tested without
 * Slack or AWS.
 *
 * Who the actor is comes from Slack's signed envelope and the approvers file, resolved outside (Slack user
 * groups are asynchronous) and passed in `ctx`.
 */
import { type Action, type AuthCode, authorize, STALE_CODES, stepName } from './authorize';
import { applyReachCommand, isReachCommand, isSystemOnly, type ReachCommand } from './reach-commands';
import { applyRequestCommand, type RequestCommand } from './request-commands';
import {
  type Approval,
  earlierUnresolved,
  findGate,
  findStep,
  gateState,
  isFinished,
  isGateComplete,
  type RunEvent,
  type RunState,
  stepState,
} from './run-state';

export { stepName };

export type RunCommand =
  | { type: 'done'; stepId: string; override?: string; checkWaived?: boolean }
  | { type: 'undo'; stepId: string }
  | { type: 'skip'; stepId: string; reason: string }
  | {
      type: 'approve';
      gateId: string;
      role?: string;
      /** The signer's roles in the order to sign them (authorize.ts `approve_gate.prefer`). */
      prefer?: readonly string[];
    }
  | { type: 'reject'; gateId: string; reason: string }
  | { type: 'cancel'; reason: string; supersededBy?: string }
  /**
   * Replace this run with `by`, a new run of the same checklist, for the reason given (recorded in this
   * run's timeline; the new run records it too). By the bot itself (`system`): a live run replacing a drill.
   */
  | { type: 'take_over'; by: string; reason: string; drill: boolean }
  /** Record where the checklist message was posted; produces no event. */
  | { type: 'attach'; messageTs: string }
  | RequestCommand
  /** Approval DMs and stakeholder posts (src/workflows/reach-commands.ts). */
  | ReachCommand;

/** Who acts, when, and the idempotency key of the action. */
export interface CommandContext {
  user: string;
  /** ISO 8601 time of the action (Slack's action_ts when there is one, so redeliveries agree). */
  at: string;
  /** Idempotency key of the action; event ids derive from it. */
  key: string;
  /** The roles `user` holds (approvers.yaml, user groups expanded). */
  roles?: readonly string[];
  /** From Slack's signed envelope: the workspace, the Enterprise Grid org and the channel of the click. */
  team?: string | null;
  enterprise?: string | null;
  channel?: string | null;
  /** Set by the bot itself (attaching its message, superseding a run). */
  system?: boolean;
  /** The click came from the actor's own App Home tab (Slack's signed envelope: a `home` view). */
  home?: boolean;
  /** Approving or executing a request: its requester's roles now (authorize.ts `Actor.requesterRoles`). */
  requesterRoles?: readonly string[];
  /** Roles whose members could not be read just now (authorize.ts `Actor.rolesUnknown`). */
  rolesUnknown?: readonly string[];
}

export type RefusalCode = AuthCode | 'already_resolved' | 'not_resolved' | 'reason_required';

export type ApplyResult =
  | { ok: true; state: RunState; events: RunEvent[] }
  /** `events` holds the audit record of a refused attempt (empty for stale clicks and state conflicts). */
  | { ok: false; code: RefusalCode; reason: string; events: RunEvent[] };

/** The authorization question a command asks. */
export function actionOf(command: RunCommand): Action {
  switch (command.type) {
    case 'done':
      return {
        type: 'done',
        stepId: command.stepId,
        ...(command.override?.trim() ? { override: true } : {}),
      };
    case 'undo':
      return { type: 'undo', stepId: command.stepId };
    case 'skip':
      return { type: 'skip', stepId: command.stepId };
    case 'approve':
      return {
        type: 'approve_gate',
        gateId: command.gateId,
        ...(command.role ? { role: command.role } : {}),
        ...(command.prefer?.length ? { prefer: command.prefer } : {}),
      };
    case 'reject':
      return { type: 'reject_gate', gateId: command.gateId };
    case 'cancel':
      return { type: 'cancel_run' };
    case 'attach':
      return { type: 'cancel_run' }; // never asked: attach is the bot's own (see apply)
    case 'take_over':
      return { type: 'take_over', drill: command.drill };
    case 'request':
      return { type: 'request_action', stepId: command.stepId, kinds: [command.kind] };
    case 'decide_request':
      return command.decision === 'approve'
        ? { type: 'approve_request', requestId: command.requestId }
        : { type: 'cancel_request', requestId: command.requestId };
    case 'retry_request':
      return { type: 'retry_request', requestId: command.requestId };
    case 'begin_execution':
      return command.rehearsal
        ? { type: 'rehearse_request', requestId: command.requestId }
        : { type: 'execute_request', requestId: command.requestId };
    case 'report_execution':
      return { type: 'report_execution', requestId: command.requestId, attempt: command.attempt };
    case 'attach_request':
      return { type: 'report_execution', requestId: command.requestId, attempt: -1 };
    case 'record_comms':
      if (command.post.kind === 'notice') return { type: 'post_notice', stepId: command.post.stepId ?? '' };
      return command.post.kind === 'update' ? { type: 'post_update' } : { type: 'post_all_clear' };
    case 'invites':
    case 'invite_dms':
    case 'close_comms':
      return { type: 'cancel_run' }; // never asked: the bot's own bookkeeping (see apply)
  }
}

export function actorOf(ctx: CommandContext) {
  return {
    user: ctx.user,
    roles: ctx.roles ?? [],
    team: ctx.team ?? null,
    enterprise: ctx.enterprise ?? null,
    channel: ctx.channel ?? null,
    ...(ctx.system ? { system: true } : {}),
    ...(ctx.home ? { home: true } : {}),
    ...(ctx.requesterRoles ? { requesterRoles: ctx.requesterRoles } : {}),
    ...(ctx.rolesUnknown?.length ? { rolesUnknown: ctx.rolesUnknown } : {}),
  };
}

export function apply(state: RunState, command: RunCommand, ctx: CommandContext): ApplyResult {
  if (command.type === 'attach' || command.type === 'attach_request') {
    if (!ctx.system) return refuse('not_allowed', 'Only the bot records where its messages are.');
    if (command.type === 'attach')
      return {
        ok: true,
        state: { ...state, messageTs: command.messageTs, version: state.version + 1 },
        events: [],
      };
  }
  if (isReachCommand(command) && isSystemOnly(command)) {
    // Also on an ended run: its invites are closed after it ended.
    if (!ctx.system) return refuse('not_allowed', 'Only the bot records whom it asked and where.');
    return applyReachCommand(state, command, ctx, { commit, refuse });
  }
  const action = actionOf(command);
  if (command.type !== 'attach_request') {
    const verdict = authorize(state, action, actorOf(ctx), ctx.at);
    if (!verdict.ok) return refusedAttempt(state, ctx, action, verdict.code, verdict.reason);
    if (command.type === 'approve') return approve(state, command.gateId, verdict.role, ctx);
  }
  switch (command.type) {
    case 'done':
      return done(state, command.stepId, command.override, ctx, command.checkWaived === true);
    case 'undo':
      return undo(state, command.stepId, ctx);
    case 'skip':
      return skip(state, command.stepId, command.reason, ctx);
    case 'reject':
      return reject(state, command.gateId, command.reason, ctx);
    case 'cancel':
      return cancel(state, command.reason, command.supersededBy, ctx);
    case 'record_comms':
      return applyReachCommand(state, command, ctx, { commit, refuse });
    case 'take_over':
      return takeOver(state, command, ctx);
    default:
      return applyRequestCommand(state, command as RequestCommand, ctx, { commit, refuse });
  }
}

function done(
  state: RunState,
  stepId: string,
  override: string | undefined,
  ctx: CommandContext,
  checkWaived = false,
): ApplyResult {
  const found = pendingStep(state, stepId);
  if ('refusal' in found) return found.refusal;
  const next = clone(state);
  const note = override?.trim();
  // Out of order (authorize() let it through with the override): record which steps it jumped.
  const index = findStep(state, stepId)?.index ?? 0;
  const jumped = earlierUnresolved(state, index).map((s) => s.id);
  next.steps[stepId] = { status: 'done', by: ctx.user, at: ctx.at, ...(note ? { override: note } : {}) };
  return commit(state, next, ctx, [
    {
      type: 'step_done',
      stepId,
      ...(note ? { override: note } : {}),
      ...(jumped.length > 0 ? { jumped } : {}),
      ...(note && jumped.length > 0 && checkWaived ? { checkWaived: true } : {}),
    },
  ]);
}

// The reason is checked last in skip and reject: a probe with an empty reason tells the Slack layer whether
// to open the reason modal at all (`reason_required` means everything else is fine).
function skip(state: RunState, stepId: string, reason: string, ctx: CommandContext): ApplyResult {
  const found = pendingStep(state, stepId);
  if ('refusal' in found) return found.refusal;
  const why = reason.trim();
  if (!why) return refuse('reason_required', 'A skip needs a reason.');
  const next = clone(state);
  next.steps[stepId] = { status: 'skipped', by: ctx.user, at: ctx.at, reason: why };
  return commit(state, next, ctx, [{ type: 'step_skipped', stepId, reason: why }]);
}

function undo(state: RunState, stepId: string, ctx: CommandContext): ApplyResult {
  const found = findStep(state, stepId);
  if (!found) return refuse('unknown_item', 'That item is not part of this run.');
  if (stepState(state, stepId).status === 'pending')
    return refuse('not_resolved', `${stepName(found.step)} is not done, so there is nothing to undo.`);
  const next = clone(state);
  next.steps[stepId] = { status: 'pending' };
  return commit(state, next, ctx, [{ type: 'step_undone', stepId }]);
}

function approve(
  state: RunState,
  gateId: string,
  role: string | undefined,
  ctx: CommandContext,
): ApplyResult {
  const gate = findGate(state, gateId)?.gate;
  if (!gate || role === undefined) return refuse('unknown_item', 'That item is not part of this run.');
  const next = clone(state);
  const approval: Approval = { role, user: ctx.user, at: ctx.at };
  next.gates[gate.id] = {
    ...gateState(state, gate.id),
    approvals: [...gateState(state, gate.id).approvals, approval],
  };
  const events: PendingEvent[] = [{ type: 'gate_approved', gateId: gate.id, role }];
  if (isGateComplete(next, gate)) events.push({ type: 'gate_passed', gateId: gate.id });
  return commit(state, next, ctx, events);
}

function reject(state: RunState, gateId: string, reason: string, ctx: CommandContext): ApplyResult {
  const gate = findGate(state, gateId)?.gate;
  const role = gate?.roles.find((r) => (ctx.roles ?? []).includes(r));
  if (!gate || role === undefined) return refuse('unknown_item', 'That item is not part of this run.');
  const why = reason.trim();
  if (!why) return refuse('reason_required', 'A rejection needs a reason.');
  const next = clone(state);
  next.gates[gate.id] = {
    ...gateState(state, gate.id),
    rejected: { user: ctx.user, at: ctx.at, reason: why, role },
  };
  next.status = 'halted';
  next.endedAt = ctx.at;
  next.endedBy = ctx.user;
  next.endReason = why;
  return commit(state, next, ctx, [
    { type: 'gate_rejected', gateId: gate.id, role, reason: why },
    { type: 'halted', gateId: gate.id, reason: why },
  ]);
}

function cancel(
  state: RunState,
  reason: string,
  supersededBy: string | undefined,
  ctx: CommandContext,
): ApplyResult {
  // A person ending a run says why, for the thread and the timeline (the bot's own cancels always do).
  const why = reason.trim();
  if (!why) return refuse('reason_required', 'Cancelling a run needs a reason.');
  const next = clone(state);
  next.status = 'cancelled';
  next.endedAt = ctx.at;
  next.endedBy = ctx.user;
  next.endReason = why;
  if (supersededBy) next.supersededBy = supersededBy;
  return commit(state, next, ctx, [{ type: 'cancelled', reason: why }], false);
}

function takeOver(
  state: RunState,
  command: Extract<RunCommand, { type: 'take_over' }>,
  ctx: CommandContext,
): ApplyResult {
  const why = command.reason.trim();
  // The bot replaces only a drill by itself (a live run started over it); a person always gives a reason.
  if (ctx.system && !(state.drill && !command.drill))
    return refuse('not_allowed', 'Only a live run replaces a drill without a person taking it over.');
  if (!why) return refuse('reason_required', 'Taking a run over needs a reason.');
  const next = clone(state);
  next.status = 'cancelled';
  next.endedAt = ctx.at;
  next.endedBy = ctx.user;
  next.endReason = why;
  next.supersededBy = command.by;
  return commit(
    state,
    next,
    ctx,
    [{ type: 'taken_over', reason: why, runRef: command.by, ...(ctx.system ? { liveOverDrill: true } : {}) }],
    false,
  );
}

// ---- Shared rules ---------------------------------------------------------------------------------------

/** A step that is still pending (authorize() has checked it exists and is unlocked), or the refusal. */
function pendingStep(state: RunState, stepId: string): { ok: true } | { refusal: ApplyResult } {
  const found = findStep(state, stepId);
  if (!found) return { refusal: refuse('unknown_item', 'That item is not part of this run.') };
  const current = stepState(state, stepId);
  if (current.status !== 'pending') {
    const how = current.status === 'done' ? 'done' : 'skipped';
    return {
      refusal: refuse('already_resolved', `${stepName(found.step)} was already ${how} by <@${current.by}>.`),
    };
  }
  return { ok: true };
}

// ---- Results --------------------------------------------------------------------------------------------

type PendingEvent = Omit<RunEvent, 'id' | 'runId' | 'at' | 'user' | 'version'>;

export type Commit = typeof commit;
export type Refuse = typeof refuse;

function commit(
  before: RunState,
  next: RunState,
  ctx: CommandContext,
  pending: PendingEvent[],
  mayComplete = true,
): ApplyResult {
  next.version = before.version + 1;
  const all = [...pending];
  if (mayComplete && next.status === 'active' && isFinished(next)) {
    next.status = 'completed';
    next.endedAt = ctx.at;
    next.endedBy = ctx.user;
    all.push({ type: 'completed' });
  }
  return { ok: true, state: next, events: all.map((e, i) => toEvent(next, ctx, e, i)) };
}

function refuse(code: RefusalCode, reason: string): ApplyResult {
  return { ok: false, code, reason, events: [] };
}

/**
 * A refusal by authorize(): nothing changes; unless the click was merely stale, the attempt is recorded once
 * in the run's audit trail (the event id derives from the action key, so a redelivery records nothing new).
 */
function refusedAttempt(
  state: RunState,
  ctx: CommandContext,
  action: Action,
  code: AuthCode,
  reason: string,
): ApplyResult {
  if (STALE_CODES.has(code)) return refuse(code, reason);
  const target = {
    ...('stepId' in action ? { stepId: action.stepId } : {}),
    ...('gateId' in action ? { gateId: action.gateId } : {}),
    ...('requestId' in action ? { requestId: action.requestId } : {}),
  };
  const event = toEvent(
    state,
    ctx,
    { type: 'refused', action: action.type, code, reason, role: describeRoles(ctx), ...target },
    0,
  );
  return { ok: false, code, reason, events: [event] };
}

/** For the audit record: the roles the actor holds, or `none`. */
function describeRoles(ctx: CommandContext): string {
  return ctx.roles && ctx.roles.length > 0 ? ctx.roles.join(',') : 'none';
}

/** Event ids come from the action's time and key, so a redelivered action produces the same ids. */
export function eventId(ctx: Pick<CommandContext, 'at' | 'key'>, n: number): string {
  return `${ctx.at}#${ctx.key}#${n}`;
}

function toEvent(state: RunState, ctx: CommandContext, e: PendingEvent, n: number): RunEvent {
  return {
    ...e,
    id: eventId(ctx, n),
    runId: state.runId,
    at: ctx.at,
    user: ctx.user,
    version: state.version,
  };
}

function clone(state: RunState): RunState {
  return structuredClone(state);
}
