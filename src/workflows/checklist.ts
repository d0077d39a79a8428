/**
 * The checklist state machine: `apply(state, command, ctx)` either returns the next state and the events
 * it produced, or refuses with a sentence for the user. Every rule lives here (locking, undo rights,
 * separation of duties, rejection halts the run) and is tested without Slack or AWS.
 *
 * Who may approve depends on role membership, resolved outside (Slack user groups are asynchronous) and
 * passed in `ctx.roles`.
 */
import {
  type Approval,
  findGate,
  findStep,
  gateState,
  isFinished,
  isGateComplete,
  isGateOpen,
  lockingGate,
  missingRoles,
  type RunEvent,
  type RunGate,
  type RunState,
  type RunStep,
  roleLabel,
  stepState,
  unresolvedStepsBefore,
} from './run-state';

export type RunCommand =
  | { type: 'done'; stepId: string; override?: string }
  | { type: 'undo'; stepId: string }
  | { type: 'skip'; stepId: string; reason: string }
  | { type: 'approve'; gateId: string; role?: string }
  | { type: 'reject'; gateId: string; reason: string }
  | { type: 'cancel'; reason: string; supersededBy?: string }
  /** Record where the checklist message was posted; produces no event. */
  | { type: 'attach'; messageTs: string };

export interface CommandContext {
  user: string;
  /** ISO 8601 time of the action (Slack's action_ts when there is one, so redeliveries agree). */
  at: string;
  /** Idempotency key of the action; event ids derive from it. */
  key: string;
  /** The roles `user` belongs to (approvers.yaml, user groups expanded). Needed for approve/reject. */
  roles?: readonly string[];
  /** Set by the bot itself (superseding a run), which may cancel runs it did not start. */
  system?: boolean;
}

export type RefusalCode =
  | 'not_active'
  | 'unknown_item'
  | 'already_resolved'
  | 'not_resolved'
  | 'locked'
  | 'not_allowed'
  | 'reason_required'
  | 'gate_not_open'
  | 'gate_closed'
  | 'separation_of_duties'
  | 'already_signed'
  | 'role_signed'
  | 'not_approver';

export type ApplyResult =
  | { ok: true; state: RunState; events: RunEvent[] }
  /** `events` holds the audit record of a refused approval or rejection (other refusals record nothing). */
  | { ok: false; code: RefusalCode; reason: string; events: RunEvent[] };

export function apply(state: RunState, command: RunCommand, ctx: CommandContext): ApplyResult {
  if (command.type === 'attach') {
    return {
      ok: true,
      state: { ...state, messageTs: command.messageTs, version: state.version + 1 },
      events: [],
    };
  }
  if (state.status !== 'active') return refuse('not_active', notActiveReason(state));
  switch (command.type) {
    case 'done':
      return done(state, command.stepId, command.override, ctx);
    case 'undo':
      return undo(state, command.stepId, ctx);
    case 'skip':
      return skip(state, command.stepId, command.reason, ctx);
    case 'approve':
      return approve(state, command.gateId, command.role, ctx);
    case 'reject':
      return reject(state, command.gateId, command.reason, ctx);
    case 'cancel':
      return cancel(state, command.reason, command.supersededBy, ctx);
  }
}

function done(
  state: RunState,
  stepId: string,
  override: string | undefined,
  ctx: CommandContext,
): ApplyResult {
  const found = openStep(state, stepId);
  if ('refusal' in found) return found.refusal;
  const next = clone(state);
  const note = override?.trim();
  next.steps[stepId] = { status: 'done', by: ctx.user, at: ctx.at, ...(note ? { override: note } : {}) };
  return commit(state, next, ctx, [{ type: 'step_done', stepId, ...(note ? { override: note } : {}) }]);
}

// The reason is checked last in skip and reject: a probe with an empty reason tells the Slack layer whether
// to open the reason modal at all (`reason_required` means everything else is fine).
function skip(state: RunState, stepId: string, reason: string, ctx: CommandContext): ApplyResult {
  const found = openStep(state, stepId);
  if ('refusal' in found) return found.refusal;
  const why = reason.trim();
  if (!why) return refuse('reason_required', 'A skip needs a reason.');
  const next = clone(state);
  next.steps[stepId] = { status: 'skipped', by: ctx.user, at: ctx.at, reason: why };
  return commit(state, next, ctx, [{ type: 'step_skipped', stepId, reason: why }]);
}

function undo(state: RunState, stepId: string, ctx: CommandContext): ApplyResult {
  const found = findStep(state, stepId);
  if (!found) return unknownItem();
  const current = stepState(state, stepId);
  if (current.status === 'pending')
    return refuse('not_resolved', `${stepName(found.step)} is not done, so there is nothing to undo.`);
  if (ctx.user !== current.by && ctx.user !== state.startedBy) {
    return refuse(
      'not_allowed',
      `Only <@${current.by}> (who marked ${stepName(found.step)}) or <@${state.startedBy}> (who started this run) can undo it.`,
    );
  }
  const signedAfter = state.items
    .slice(found.index + 1)
    .find((it): it is RunGate => it.type === 'gate' && gateState(state, it.id).approvals.length > 0);
  if (signedAfter) {
    return refuse(
      'locked',
      `${stepName(found.step)} cannot be undone: the gate "${signedAfter.title}" after it has already been signed.`,
    );
  }
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
  const found = findGate(state, gateId);
  if (!found) return unknownItem();
  const { gate, index } = found;
  const audit = (code: RefusalCode, reason: string, refusedRole?: string) =>
    refuseGate(state, ctx, gate, 'approve', code, reason, refusedRole ?? role ?? describeRoles(gate, ctx));

  const closed = gateClosedReason(state, gate, index);
  if (closed) return audit(closed.code, closed.reason);
  if (ctx.user === state.startedBy) {
    return audit(
      'separation_of_duties',
      `You started this run, so you cannot approve it. Ask ${rolesNeeded(state, gate)} to sign.`,
    );
  }
  const mine = gateState(state, gate.id).approvals.find((a) => a.user === ctx.user);
  if (mine) {
    return audit(
      'already_signed',
      `You already signed "${gate.title}" as ${roleLabel(mine.role, state.roleNames)}; one person signs for one role per gate.`,
      mine.role,
    );
  }
  const missing = missingRoles(state, gate);
  const member = userRolesFor(gate, ctx);
  const eligible = missing.filter((r) => member.includes(r));
  if (role !== undefined && !eligible.includes(role)) {
    const signedBy = gateState(state, gate.id).approvals.find((a) => a.role === role);
    if (signedBy)
      return audit(
        'role_signed',
        `${roleLabel(role, state.roleNames)} has already signed "${gate.title}" (<@${signedBy.user}>).`,
      );
    return audit(
      'not_approver',
      `You are not a member of ${roleLabel(role, state.roleNames)}, so you cannot sign for it.`,
    );
  }
  const chosen = role ?? eligible[0];
  if (chosen === undefined) {
    if (member.length > 0) {
      const signedRoles = member.map((r) => roleLabel(r, state.roleNames)).join(', ');
      return audit(
        'role_signed',
        `${signedRoles} already signed "${gate.title}". Still needed: ${rolesNeeded(state, gate)}.`,
      );
    }
    return audit(
      'not_approver',
      `You are not an approver for "${gate.title}". It needs: ${rolesNeeded(state, gate)}.`,
    );
  }

  const next = clone(state);
  const approval: Approval = { role: chosen, user: ctx.user, at: ctx.at };
  next.gates[gate.id] = {
    ...gateState(state, gate.id),
    approvals: [...gateState(state, gate.id).approvals, approval],
  };
  const events: PendingEvent[] = [{ type: 'gate_approved', gateId: gate.id, role: chosen }];
  if (isGateComplete(next, gate)) events.push({ type: 'gate_passed', gateId: gate.id });
  return commit(state, next, ctx, events);
}

function reject(state: RunState, gateId: string, reason: string, ctx: CommandContext): ApplyResult {
  const found = findGate(state, gateId);
  if (!found) return unknownItem();
  const { gate, index } = found;
  const member = userRolesFor(gate, ctx);
  const audit = (code: RefusalCode, why: string) =>
    refuseGate(state, ctx, gate, 'reject', code, why, describeRoles(gate, ctx));

  const closed = gateClosedReason(state, gate, index);
  if (closed) return audit(closed.code, closed.reason);
  if (ctx.user === state.startedBy) {
    return audit('separation_of_duties', `You started this run, so you cannot sign or reject its gates.`);
  }
  const role = member[0];
  if (role === undefined) {
    return audit(
      'not_approver',
      `Only an approver of "${gate.title}" (${gate.roles.map((r) => roleLabel(r, state.roleNames)).join(', ')}) can reject it.`,
    );
  }
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
  if (!ctx.system && ctx.user !== state.startedBy) {
    return refuse('not_allowed', `Only <@${state.startedBy}>, who started this run, can cancel it.`);
  }
  const next = clone(state);
  next.status = 'cancelled';
  next.endedAt = ctx.at;
  next.endedBy = ctx.user;
  next.endReason = reason;
  if (supersededBy) next.supersededBy = supersededBy;
  return commit(state, next, ctx, [{ type: 'cancelled', reason }], false);
}

// ---- Shared rules ---------------------------------------------------------------------------------------

/** A step that can be done or skipped now, or the refusal saying why not. */
function openStep(state: RunState, stepId: string): { step: RunStep } | { refusal: ApplyResult } {
  const found = findStep(state, stepId);
  if (!found) return { refusal: unknownItem() };
  const current = stepState(state, stepId);
  if (current.status !== 'pending') {
    const how = current.status === 'done' ? 'done' : 'skipped';
    return {
      refusal: refuse('already_resolved', `${stepName(found.step)} was already ${how} by <@${current.by}>.`),
    };
  }
  const gate = lockingGate(state, found.index);
  if (gate) {
    return {
      refusal: refuse('locked', `${stepName(found.step)} is locked until "${gate.title}" is approved.`),
    };
  }
  return { step: found.step };
}

function gateClosedReason(
  state: RunState,
  gate: RunGate,
  index: number,
): { code: RefusalCode; reason: string } | null {
  if (isGateComplete(state, gate))
    return { code: 'gate_closed', reason: `"${gate.title}" is already approved.` };
  if (!isGateOpen(state, index)) {
    const waiting = unresolvedStepsBefore(state, index);
    const earlier = lockingGate(state, index);
    const what = earlier
      ? `"${earlier.title}" is approved`
      : `${waiting.map(stepName).join(', ')} ${waiting.length === 1 ? 'is' : 'are'} done`;
    return { code: 'gate_not_open', reason: `"${gate.title}" opens for signatures once ${what}.` };
  }
  return null;
}

function userRolesFor(gate: RunGate, ctx: CommandContext): string[] {
  const roles = ctx.roles ?? [];
  return gate.roles.filter((r) => roles.includes(r));
}

/** For the audit record of a refusal: the user's roles on this gate, else all their roles, else `none`. */
function describeRoles(gate: RunGate, ctx: CommandContext): string {
  const onGate = userRolesFor(gate, ctx);
  const roles = onGate.length > 0 ? onGate : [...(ctx.roles ?? [])];
  return roles.length > 0 ? roles.join(',') : 'none';
}

function rolesNeeded(state: RunState, gate: RunGate): string {
  return missingRoles(state, gate)
    .map((r) => roleLabel(r, state.roleNames))
    .join(', ');
}

export function stepName(step: RunStep): string {
  return `step ${step.n} "${step.title}"`;
}

function notActiveReason(state: RunState): string {
  switch (state.status) {
    case 'completed':
      return 'This run is already complete; nothing changes.';
    case 'halted':
      return 'This run was halted by a rejected approval; nothing changes. Start a new run to try again.';
    default:
      return state.supersededBy
        ? 'This run was superseded by a newer run of the same checklist; use the newer message.'
        : 'This run was cancelled; nothing changes.';
  }
}

// ---- Results --------------------------------------------------------------------------------------------

type PendingEvent = Omit<RunEvent, 'id' | 'runId' | 'at' | 'user' | 'version'>;

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

function unknownItem(): ApplyResult {
  return refuse(
    'unknown_item',
    'That item is not part of this run (the runbook may have changed since it started).',
  );
}

function refuseGate(
  state: RunState,
  ctx: CommandContext,
  gate: RunGate,
  attempted: 'approve' | 'reject',
  code: RefusalCode,
  reason: string,
  role: string,
): ApplyResult {
  const event = toEvent(state, ctx, { type: 'gate_refused', gateId: gate.id, attempted, reason, role }, 0);
  return { ok: false, code, reason, events: [event] };
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
