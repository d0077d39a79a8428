/**
 * Who may do what to a run, in one place. Every state-changing action (and the reads that post into the
 * run's thread) is checked here, before it is applied, by the click that asks for it and again by the
 * deferred task that carries it out. Pure: the run comes from the store, the actor from Slack's signed
 * envelope (user, team, enterprise, channel of the click) plus the roles the approvers file gives that
 * user; nothing in a button value or `private_metadata` is authority.
 *
 * The checks run in a fixed order, one sentence each (the table `RULES` says which apply to which action):
 *   1. the run is live (not ended or superseded); a drill never performs AWS writes;
 *   2. the click comes from the run's workspace and channel;
 *   3. the item exists, is unlocked, and is in the runbook's order: a step after an unresolved one is
 *      marked done only with an override reason, and its live actions wait until it is current;
 *   4. the actor holds a role for this action (approvers file);
 *   5. separation of duties against the STORED starter, signers and requester;
 *   6. the request is pending (the conditional write on the run's version then lets the first one win).
 * Issue 18 (ordering, take over) and issue 19 (approval DMs, stakeholder updates) widened the table;
 * `clickedInRunChannel` accepts an approval DM or Home tab for the personal decisions.
 */

import { TWO_PERSON_ACTIONS } from '../runbooks/model/model';
import { invitedIn, invitedOnRun } from './invites';
import {
  type ActionRequest,
  approverRolesFor,
  findRequest,
  isCancellable,
  isOpenRequest,
  isRetryable,
  openRequestFor,
  REQUEST_ID,
  requesterRolesOf,
  requestsForStep,
} from './requests';
import {
  earlierUnresolved,
  findGate,
  findStep,
  gateState,
  isGateComplete,
  isGateOpen,
  isResolved,
  lockingGate,
  missingRoles,
  type RunGate,
  type RunState,
  type RunStep,
  roleLabel,
  roleLabels,
  signedGateAfter,
  stepState,
  unresolvedStepsBefore,
} from './run-state';
import { allClearPosted, noticePosted } from './stakeholders';

/** Who clicks, from Slack's signed envelope; `roles` from the approvers file (user groups expanded). */
export interface Actor {
  user: string;
  roles: readonly string[];
  /** `body.team.id` (slash command: `team_id`). */
  team: string | null;
  /** `body.enterprise.id` (slash command: `enterprise_id`); null outside Enterprise Grid. */
  enterprise: string | null;
  /** The channel of the message clicked (`container.channel_id`), or of the command; null when unknown. */
  channel: string | null;
  /** The bot itself (attaching its message, superseding a run): only the run's liveness is checked. */
  system?: boolean;
  /** The click came from the actor's own App Home tab (a `home` view in Slack's signed envelope). */
  home?: boolean;
  /**
   * Approving or executing a live-action request: the roles its requester holds now (approvers.yaml, user
   * groups expanded), read again by the caller. Who may ask was checked when they asked; someone who lost
   * the role since (offboarded, removed from the group) is no longer a person of the two-person rule.
   */
  requesterRoles?: readonly string[];
  /**
   * Roles whose members could not be read just now (a user group Slack did not list): the actor may hold
   * one, so a refusal for lack of it says so instead of calling them no approver.
   */
  rolesUnknown?: readonly string[];
}

export type Action =
  | { type: 'start' }
  /** `override`: the person gave a reason to mark it done although a check objects or it is out of order. */
  | { type: 'done'; stepId: string; override?: boolean }
  | { type: 'undo'; stepId: string }
  | { type: 'skip'; stepId: string }
  | {
      type: 'approve_gate';
      gateId: string;
      role?: string;
      /**
       * Which of the signer's roles to sign as first when several are still open (the Slack layer orders
       * them, fewest other holders first): a preference, never authority; roles not held are ignored.
       */
      prefer?: readonly string[];
    }
  | { type: 'reject_gate'; gateId: string }
  | { type: 'cancel_run' }
  | { type: 'view_details'; itemId: string }
  | { type: 'export_timeline' }
  | { type: 'check_evidence'; stepId: string }
  | { type: 'check_canary'; stepId: string }
  | { type: 'preview_action'; stepId: string }
  | { type: 'post_notice'; stepId: string }
  /** A read that records what a step's action left behind (the DNS answer, the warm-up status). */
  | { type: 'check_action'; stepId: string }
  /** Warm up / return to standby: one authorized click, not a two-person action (TWO_PERSON_ACTIONS). */
  | { type: 'apply_warmup'; stepId: string }
  /**
   * Ask for a live action. `kinds`: the request kinds asked for (the record-swap fallback's, not the step's
   * own action); a change of another kind the step made does not count as this one made. Absent: any kind.
   */
  | { type: 'request_action'; stepId: string; kinds?: readonly string[] }
  | { type: 'approve_request'; requestId: string }
  | { type: 'cancel_request'; requestId: string }
  | { type: 'retry_request'; requestId: string }
  /** The deferred task that carries out an approved request (re-authorized before any AWS write). */
  | { type: 'execute_request'; requestId: string }
  /** The same, in a drill: the approved request is rehearsed (the exact change shown), nothing written. */
  | { type: 'rehearse_request'; requestId: string }
  /** The executor holding the lease reports progress (submitted, succeeded, failed). */
  | { type: 'report_execution'; requestId: string; attempt: number }
  /** Post a stakeholder update after the run's notice (also once the checklist is complete). */
  | { type: 'post_update' }
  /** Post the all-clear the completed checklist offers. */
  | { type: 'post_all_clear' }
  /** Replace this active run with a new run of the same checklist (`drill`: the new run is a drill). */
  | { type: 'take_over'; drill: boolean };

export type ActionType = Action['type'];

export type AuthCode =
  | 'not_active'
  | 'drill'
  | 'wrong_workspace'
  | 'wrong_channel'
  | 'unknown_item'
  | 'locked'
  | 'not_current'
  | 'out_of_order'
  | 'gate_not_open'
  | 'gate_closed'
  | 'not_allowed'
  | 'not_approver'
  | 'no_approver_roles'
  | 'separation_of_duties'
  | 'already_signed'
  | 'role_signed'
  | 'unknown_request'
  | 'request_open'
  | 'request_not_pending'
  | 'not_retryable'
  | 'lease_held';

export type AuthResult =
  | { ok: true /** approve_gate: the role the actor signs as. */; role?: string }
  | { ok: false; code: AuthCode; reason: string };

/**
 * Refusals that say "this already happened" rather than "you may not": a stale button, a second delivery.
 * They redraw the message but are not an attempt worth recording in the audit trail.
 */
export const STALE_CODES: ReadonlySet<AuthCode> = new Set([
  'not_active',
  'request_not_pending',
  'lease_held',
]);

interface Ctx {
  run: RunState;
  action: Action;
  actor: Actor;
  /** When the action happens (ISO): leases are judged against it. */
  at: string;
  /** Set by the role check of `approve_gate`. */
  role?: string;
}

type Refusal = { code: AuthCode; reason: string };
type Check = (c: Ctx) => Refusal | null;

// ---- 1. live ----------------------------------------------------------------------------------------------

const live: Check = ({ run }) =>
  run.status === 'active' ? null : { code: 'not_active', reason: notActiveReason(run) };

const noWritesInDrill: Check = ({ run }) =>
  run.drill
    ? {
        code: 'drill',
        reason:
          'This run is a drill: nothing is written to AWS. The approved request is rehearsed: the bot shows the exact change instead.',
      }
    : null;

/** A rehearsal belongs to a drill: a live run's approved request is executed, never only rehearsed. */
const drillOnly: Check = ({ run }) =>
  run.drill
    ? null
    : {
        code: 'not_allowed',
        reason: 'This run is live: its approved request is executed, not rehearsed.',
      };

// ---- 2. where the click comes from ---------------------------------------------------------------------------

const sameWorkspace: Check = ({ run, actor }) => {
  if (actor.system || run.team === undefined) return null; // runs stored before teams were recorded
  const sameTeam = actor.team === run.team;
  const sameOrg = (actor.enterprise ?? null) === (run.enterprise ?? null);
  return sameTeam && sameOrg
    ? null
    : {
        code: 'wrong_workspace',
        reason: 'This run belongs to another Slack workspace, so nothing changed.',
      };
};

/** The decisions an approval DM offers (and the execution an approval there starts). */
const PERSONAL_ACTIONS: ReadonlySet<ActionType> = new Set([
  'approve_gate',
  'reject_gate',
  'approve_request',
  'cancel_request',
  'execute_request',
  'rehearse_request',
]);

/**
 * The run's own channel; and, for the decisions an approval DM offers, a DM the bot sent this very person
 * for this run (recorded on the run: `RunState.invites`), or their own Home tab when the bot invited them
 * on this run. Nothing else: another DM, another person's DM, a Home tab of someone never invited.
 */
const clickedInRunChannel: Check = ({ run, actor, action }) => {
  if (actor.system || actor.channel === run.channel) return null;
  if (PERSONAL_ACTIONS.has(action.type)) {
    if (actor.home ? invitedOnRun(run, actor.user) : invitedIn(run, actor.user, actor.channel)) return null;
  }
  return {
    code: 'wrong_channel',
    reason: `This run's buttons work only in <#${run.channel}>, where the run is; nothing changed.`,
  };
};

// ---- 3. the item ---------------------------------------------------------------------------------------------

const stepOf = (c: Ctx): string => ('stepId' in c.action ? c.action.stepId : '');

const unknownItem: Refusal = {
  code: 'unknown_item',
  reason: 'That item is not part of this run (the runbook may have changed since it started).',
};

const stepExists: Check = (c) => (findStep(c.run, stepOf(c)) ? null : unknownItem);

/** The step offers this action at all (its runbook directive): a Preview on a step with no action is stale. */
const stepOffers =
  (directive: string): Check =>
  (c) =>
    findStep(c.run, stepOf(c))?.step.directives[directive] !== undefined ? null : unknownItem;

/** The step's `action=` is one of `kinds` (a Warm up click on the Route 53 step is stale, and the reverse). */
const stepActionIn =
  (kinds: ReadonlySet<string>): Check =>
  (c) =>
    kinds.has(findStep(c.run, stepOf(c))?.step.directives['action'] ?? '') ? null : unknownItem;

const WARMUP_ACTIONS: ReadonlySet<string> = new Set(['warmup', 'warmup-release']);

const itemExists: Check = ({ run, action }) =>
  action.type === 'view_details' && run.items.some((it) => it.id === action.itemId) ? null : unknownItem;

const stepUnlocked: Check = (c) => {
  const found = findStep(c.run, stepOf(c));
  if (!found) return unknownItem;
  const gate = lockingGate(c.run, found.index);
  return gate
    ? { code: 'locked', reason: `${stepName(found.step)} is locked until "${gate.title}" is approved.` }
    : null;
};

/** "step 3 "Update Route 53"" / "steps 3 "…" and 4 "…"": what is still open before a step. */
function waitingFor(steps: readonly RunStep[]): string {
  const names = steps.map(stepName);
  const list =
    names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${list} ${steps.length === 1 ? 'is' : 'are'} not done yet`;
}

/** Done in the runbook's order, or out of order with an override reason (recorded with the step). */
const inOrder: Check = (c) => {
  if (c.action.type === 'done' && c.action.override) return null;
  const found = findStep(c.run, stepOf(c));
  if (!found) return unknownItem;
  const open = earlierUnresolved(c.run, found.index);
  return open.length === 0
    ? null
    : {
        code: 'out_of_order',
        reason: `${stepName(found.step)} comes after ${waitingFor(open)}. Mark it done out of order only with a reason (Done anyway…).`,
      };
};

/**
 * A live action (request a change, post a notice, check the canary, preview) only on the current step: not
 * locked, not resolved, nothing unresolved before it. No override: the action waits for its turn.
 */
const stepCurrent =
  (stepId: (c: Ctx) => string): Check =>
  (c) => {
    const found = findStep(c.run, stepId(c));
    if (!found) return unknownItem;
    const gate = lockingGate(c.run, found.index);
    if (gate)
      return {
        code: 'locked',
        reason: `${stepName(found.step)} is locked until "${gate.title}" is approved.`,
      };
    const st = stepState(c.run, found.step.id);
    if (isResolved(st))
      return {
        code: 'not_current',
        reason: `${stepName(found.step)} was already ${st.status} by <@${st.by}>, so it takes no more actions.`,
      };
    const open = earlierUnresolved(c.run, found.index);
    return open.length === 0
      ? null
      : {
          code: 'out_of_order',
          reason: `${stepName(found.step)} is not the current step: ${waitingFor(open)}. Its actions are offered when it is.`,
        };
  };

/** A change the step already made (succeeded) is not asked for again: mark the step done instead. */
const notExecutedYet: Check = (c) => {
  const kinds = c.action.type === 'request_action' ? c.action.kinds : undefined;
  const done = Object.values(c.run.requests ?? {}).find(
    (r) => r.stepId === stepOf(c) && r.status === 'succeeded' && (!kinds || kinds.includes(r.kind)),
  );
  return done
    ? {
        code: 'not_current',
        reason: `This change was already made (asked by <@${done.requestedBy}>, approved by <@${done.decidedBy ?? '?'}>); mark the step done.`,
      }
    : null;
};

const undoRights: Check = ({ run, action, actor }) => {
  const found = findStep(run, action.type === 'undo' ? action.stepId : '');
  if (!found) return unknownItem;
  const current = stepState(run, found.step.id);
  if (current.status === 'pending') return null; // nothing to undo: apply() says so
  if (actor.user === current.by || actor.user === run.startedBy) return null;
  return {
    code: 'not_allowed',
    reason: `Only <@${current.by}> (who marked ${stepName(found.step)}) or <@${run.startedBy}> (who started this run) can undo it.`,
  };
};

const noSignedGateAfter: Check = ({ run, action }) => {
  const found = findStep(run, action.type === 'undo' ? action.stepId : '');
  if (!found || stepState(run, found.step.id).status === 'pending') return null;
  const signedAfter = signedGateAfter(run, found.index);
  return signedAfter
    ? {
        code: 'locked',
        reason: `${stepName(found.step)} cannot be undone: the gate "${signedAfter.title}" after it has already been signed.`,
      }
    : null;
};

const gateOf = (c: Ctx) =>
  findGate(c.run, c.action.type === 'approve_gate' || c.action.type === 'reject_gate' ? c.action.gateId : '');

const gateExists: Check = (c) => (gateOf(c) ? null : unknownItem);

const gateOpen: Check = (c) => {
  const found = gateOf(c);
  if (!found) return unknownItem;
  const { gate, index } = found;
  if (isGateComplete(c.run, gate))
    return { code: 'gate_closed', reason: `"${gate.title}" is already approved.` };
  if (isGateOpen(c.run, index)) return null;
  const waiting = unresolvedStepsBefore(c.run, index);
  const earlier = lockingGate(c.run, index);
  const what = earlier
    ? `"${earlier.title}" is approved`
    : `${waiting.map(stepName).join(', ')} ${waiting.length === 1 ? 'is' : 'are'} done`;
  return { code: 'gate_not_open', reason: `"${gate.title}" opens for signatures once ${what}.` };
};

// ---- 4. roles ------------------------------------------------------------------------------------------------

const gateRolesOf = (gate: RunGate, actor: Actor) => gate.roles.filter((r) => actor.roles.includes(r));

/** Approve: the actor holds a role of the gate that is still unsigned; picks it (or checks the one asked for). */
const signsForGate: Check = (c) => {
  const found = gateOf(c);
  if (!found || c.action.type !== 'approve_gate') return unknownItem;
  const { gate } = found;
  const asked = c.action.role;
  const member = gateRolesOf(gate, c.actor);
  const eligible = missingRoles(c.run, gate).filter((r) => member.includes(r));
  const names = c.run.roleNames;
  if (asked !== undefined && !eligible.includes(asked)) {
    const signedBy = gateState(c.run, gate.id).approvals.find((a) => a.role === asked);
    return signedBy
      ? {
          code: 'role_signed',
          reason: `${roleLabel(asked, names)} has already signed "${gate.title}" (<@${signedBy.user}>).`,
        }
      : {
          code: 'not_approver',
          reason: `You are not a member of ${roleLabel(asked, names)}, so you cannot sign for it.`,
        };
  }
  if (member.length === 0) {
    const unread = gate.roles.filter((r) => c.actor.rolesUnknown?.includes(r));
    return {
      code: 'not_approver',
      reason:
        unread.length > 0
          ? `Slack did not list the members of ${roleLabels(unread, names)} just now, so the bot could not check your role for "${gate.title}": nothing was signed; try again in a minute.`
          : `You are not an approver for "${gate.title}". It needs: ${rolesNeeded(c.run, gate)}.`,
    };
  }
  // Someone holding two open roles signs the one fewest others could sign, so the gate can still close.
  const preferred = c.action.prefer?.find((r) => eligible.includes(r));
  c.role = asked ?? preferred ?? eligible[0];
  return null;
};

const rejectsForGate: Check = (c) => {
  const found = gateOf(c);
  if (!found) return unknownItem;
  if (gateRolesOf(found.gate, c.actor).length > 0) return null;
  const roles = roleLabels(found.gate.roles, c.run.roleNames);
  return {
    code: 'not_approver',
    reason: `Only an approver of "${found.gate.title}" (${roles}) can reject it.`,
  };
};

/**
 * Take over: the run's starter, whoever asked for one of its live actions, a member of one of its gates'
 * roles, or of the roles the checklist names with `takeover=` (stored on the run when it started).
 */
export function takeoverRolesFor(run: RunState): string[] {
  return [...new Set([...requesterRolesOf(run), ...(run.takeoverRoles ?? [])])];
}

const mayTakeOver: Check = ({ run, actor }) => {
  if (actor.user === run.startedBy) return null;
  if (Object.values(run.requests ?? {}).some((r) => r.requestedBy === actor.user)) return null;
  const roles = takeoverRolesFor(run);
  if (roles.some((r) => actor.roles.includes(r))) return null;
  const names = roleLabels(roles, run.roleNames);
  return {
    code: 'not_allowed',
    reason: `Only <@${run.startedBy}> (who started it)${names ? ` or a member of ${names}` : ''} can take this run over. Ask them, or use the run as it is.`,
  };
};

/** A drill never replaces a live run. */
const noDrillOverLive: Check = ({ run, action }) =>
  action.type === 'take_over' && action.drill && !run.drill
    ? {
        code: 'drill',
        reason:
          'A live run of this checklist is active here; a drill never replaces it. Practise in another channel.',
      }
    : null;

/** Ending a run: its starter, or whoever the runbook puts in charge of its runs (`takeover=`: the IC). */
const mayCancel: Check = ({ run, actor }) => {
  const charge = run.takeoverRoles ?? [];
  if (actor.system || actor.user === run.startedBy || charge.some((r) => actor.roles.includes(r)))
    return null;
  const names = roleLabels(charge, run.roleNames);
  return {
    code: 'not_allowed',
    reason: `Only <@${run.startedBy}>, who started this run${names ? `, or a member of ${names}` : ''}, can cancel it.`,
  };
};

const requestStep = (c: Ctx) =>
  'requestId' in c.action ? (findRequest(c.run, c.action.requestId)?.stepId ?? '') : '';

const approverRolesDeclared =
  (stepId: (c: Ctx) => string): Check =>
  (c) =>
    approverRolesFor(c.run, stepId(c)).length > 0
      ? null
      : {
          code: 'no_approver_roles',
          reason:
            'This step names nobody who may approve it (no approval gate before it and no `approve=` roles), so it cannot be executed. Fix the runbook.',
        };

const mayRequest: Check = ({ run, actor }) => {
  if (actor.user === run.startedBy) return null;
  const roles = requesterRolesOf(run);
  if (roles.some((r) => actor.roles.includes(r))) return null;
  return {
    code: 'not_allowed',
    reason: `Only <@${run.startedBy}> (who started this run) or a member of ${roleLabels(roles, run.roleNames) || 'an approver role'} can ask for this change.`,
  };
};

/**
 * Whether a request's requester may still ask for it, with their roles read now: the run's starter always
 * may; otherwise one of the run's gate roles (`mayRequest`), `unknown` while that role's user group could
 * not be listed (`rolesUnknown`), `lost` when they hold none (offboarded, removed from the group). Roles
 * not read count as none. One rule for the approval, the execution and the timers that remind of it.
 */
export function requesterStanding(
  run: RunState,
  request: Pick<ActionRequest, 'requestedBy'>,
  requesterRoles: readonly string[] | undefined,
  rolesUnknown: readonly string[] | undefined,
): { standing: 'may' } | { standing: 'unknown' | 'lost'; roles: string[] } {
  if (request.requestedBy === run.startedBy) return { standing: 'may' };
  const roles = requesterRolesOf(run);
  if (roles.some((r) => requesterRoles?.includes(r))) return { standing: 'may' };
  const unread = roles.filter((r) => rolesUnknown?.includes(r));
  return unread.length > 0 ? { standing: 'unknown', roles: unread } : { standing: 'lost', roles };
}

/** The requester may still ask for the change (`requesterStanding`), or the refusal says why not. */
const requesterStillMay: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  const s = requesterStanding(c.run, request, c.actor.requesterRoles, c.actor.rolesUnknown);
  if (s.standing === 'may') return null;
  return {
    code: 'not_allowed',
    reason:
      s.standing === 'unknown'
        ? `Slack did not list the members of ${roleLabels(s.roles, c.run.roleNames)} just now, so the bot could not check that <@${request.requestedBy}>, who asked for this change, still may: nothing is written; try again in a minute.`
        : `<@${request.requestedBy}>, who asked for this change, is no longer a member of ${roleLabels(s.roles, c.run.roleNames) || 'an approver role'}: nothing is written. Cancel the request and ask again.`,
  };
};

const holdsApproverRole: Check = (c) => {
  const roles = approverRolesFor(c.run, requestStep(c));
  if (roles.some((r) => c.actor.roles.includes(r))) return null;
  // A role whose user group Slack did not list just now may be theirs: say so, as for a gate's signer and a
  // requester, rather than call them no approver (the approval, its execution and a Retry alike).
  const unread = roles.filter((r) => c.actor.rolesUnknown?.includes(r));
  return {
    code: 'not_approver',
    reason:
      unread.length > 0
        ? `Slack did not list the members of ${roleLabels(unread, c.run.roleNames)} just now, so the bot could not check your role for this change: nothing is written; try again in a minute.`
        : `Only a member of ${roleLabels(roles, c.run.roleNames) || 'the approver roles'} can approve this change.`,
  };
};

const requestOf = (c: Ctx) => ('requestId' in c.action ? findRequest(c.run, c.action.requestId) : null);

const requestExists: Check = (c) =>
  'requestId' in c.action && REQUEST_ID.test(c.action.requestId) && requestOf(c)
    ? null
    : {
        code: 'unknown_request',
        reason: 'This request is not part of this run (a stale or altered button); nothing changed.',
      };

const cancelRights: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  const roles = approverRolesFor(c.run, request.stepId);
  if (c.actor.user === request.requestedBy || c.actor.user === c.run.startedBy) return null;
  if (roles.some((r) => c.actor.roles.includes(r))) return null;
  return {
    code: 'not_allowed',
    reason: `Only <@${request.requestedBy}> (who asked), <@${c.run.startedBy}> (who started the run) or an approver can cancel this request.`,
  };
};

/** Retrying only a wait (the change was submitted) is harmless; repeating the write needs an approver. */
const retryRights: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  if (request.changeId && [request.requestedBy, request.decidedBy].includes(c.actor.user)) return null;
  return holdsApproverRole(c);
};

/** The stored approval still stands: decided by someone else than the requester, who holds an approver role now. */
const stillApproved: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  if (!request.decidedBy || request.decidedBy === request.requestedBy || c.actor.user !== request.decidedBy) {
    return {
      code: 'separation_of_duties',
      reason: 'This request has no valid second-person approval; nothing is written.',
    };
  }
  return holdsApproverRole(c);
};

// ---- 5. separation of duties ---------------------------------------------------------------------------------

const notStarterOfGate: Check = ({ run, actor, action }) => {
  if (actor.user !== run.startedBy) return null;
  const gate = findGate(run, 'gateId' in action ? action.gateId : '')?.gate;
  return {
    code: 'separation_of_duties',
    reason:
      action.type === 'reject_gate'
        ? 'You started this run, so you cannot sign or reject its gates.'
        : `You started this run, so you cannot approve it. Ask ${gate ? rolesNeeded(run, gate) : 'an approver'} to sign.`,
  };
};

const notSignedYet: Check = ({ run, actor, action }) => {
  const gate = findGate(run, 'gateId' in action ? action.gateId : '')?.gate;
  if (!gate) return null;
  const mine = gateState(run, gate.id).approvals.find((a) => a.user === actor.user);
  return mine
    ? {
        code: 'already_signed',
        reason: `You already signed "${gate.title}" as ${roleLabel(mine.role, run.roleNames)}; one person signs for one role per gate.`,
      }
    : null;
};

/** The approve check above picked a role; with every role of the actor signed by others, say who is missing. */
const roleStillOpen: Check = (c) => {
  if (c.action.type !== 'approve_gate' || c.role !== undefined) return null;
  const gate = gateOf(c)?.gate;
  if (!gate) return unknownItem;
  const signed = roleLabels(gateRolesOf(gate, c.actor), c.run.roleNames);
  return {
    code: 'role_signed',
    reason: `${signed} already signed "${gate.title}". Still needed: ${rolesNeeded(c.run, gate)}.`,
  };
};

const notRequester: Check = (c) => {
  const request = requestOf(c);
  return request && request.requestedBy === c.actor.user
    ? {
        code: 'separation_of_duties',
        reason: 'Two-person rule: the person who asked for this change cannot approve it. Ask a colleague.',
      }
    : null;
};

// ---- 6. pending ----------------------------------------------------------------------------------------------

/**
 * A retried request becomes open again: not while another request on its step is (the switch retried while
 * its record-swap fallback waits would let both mechanisms write for one failover).
 */
const noOtherOpenRequest: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  const other = requestsForStep(c.run, request.stepId).find((r) => r.id !== request.id && isOpenRequest(r));
  return other
    ? {
        code: 'request_open',
        reason: `<@${other.requestedBy}> asked for another change on this step; it is ${other.status}. Approve or cancel that request first.`,
      }
    : null;
};

/** A retry writes again: not once another request on its step made the change (the fallback, say). */
const noOtherMadeIt: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  const done = requestsForStep(c.run, request.stepId).find(
    (r) => r.id !== request.id && r.status === 'succeeded',
  );
  return done
    ? {
        code: 'not_current',
        reason: `Another request on this step already made the change (asked by <@${done.requestedBy}>, approved by <@${done.decidedBy ?? '?'}>); nothing to retry. Check the route on the step.`,
      }
    : null;
};

const noOpenRequest: Check = (c) => {
  const open = openRequestFor(c.run, stepOf(c));
  return open
    ? {
        code: 'request_open',
        reason: `<@${open.requestedBy}> already asked for this change; it is ${open.status}. Approve or cancel that request first.`,
      }
    : null;
};

const decided = (status: string, by?: string) =>
  `This request was already ${status}${by ? ` (by <@${by}>)` : ''}; nothing changed.`;

const requestPending: Check = (c) => {
  const request = requestOf(c);
  if (!request || request.status === 'pending') return null;
  return { code: 'request_not_pending', reason: decided(request.status, request.decidedBy) };
};

/** Pending, or approved and never begun (`isCancellable`). */
const requestCancellable: Check = (c) => {
  const request = requestOf(c);
  if (!request || isCancellable(request)) return null;
  return { code: 'request_not_pending', reason: decided(request.status, request.decidedBy) };
};

const requestRetryable: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  if (isRetryable(request, c.at)) return null;
  return request.status === 'executing' || !isOpenRequest(request) || request.status === 'pending'
    ? { code: 'not_retryable', reason: `This request is ${request.status}; there is nothing to retry.` }
    : { code: 'not_retryable', reason: 'This request is being executed; wait for its result.' };
};

/** approved, or executing under a lease that has run out (its executor died): take it over. */
const executable: Check = (c) => {
  const request = requestOf(c);
  if (!request) return null;
  if (request.status === 'approved') return null;
  if (request.status === 'executing') {
    return request.leaseUntil && request.leaseUntil > c.at
      ? { code: 'lease_held', reason: 'This request is being executed by another delivery of the same task.' }
      : null;
  }
  return { code: 'request_not_pending', reason: decided(request.status, request.decidedBy) };
};

const holdsLease: Check = (c) => {
  const request = requestOf(c);
  if (!request || c.action.type !== 'report_execution') return null;
  return request.status === 'executing' && request.attempts === c.action.attempt
    ? null
    : {
        code: 'lease_held',
        reason: 'Another execution of this request has taken over; this report is ignored.',
      };
};

// ---- Stakeholder updates ---------------------------------------------------------------------------------------

const noticeWasPosted: Check = ({ run }) =>
  noticePosted(run)
    ? null
    : {
        code: 'unknown_item',
        reason: 'No stakeholder notice was posted from this run, so there is nothing to update.',
      };

const updatesStillDue: Check = ({ run }) => {
  const done = allClearPosted(run);
  if (!done && !run.comms?.closed) return null;
  return {
    code: 'not_active',
    reason: done
      ? `The all-clear was already posted (by <@${done.by}>); no more updates are due from this run.`
      : 'No more stakeholder updates are due from this run (the all-clear was posted).',
  };
};

const runCompleted: Check = ({ run }) =>
  run.status === 'completed'
    ? null
    : {
        code: 'not_current',
        reason: 'The all-clear is offered once every step of this checklist is done.',
      };

/** Who speaks to stakeholders for a run: its starter, or anyone holding one of its gate roles. */
const speaksForRun: Check = ({ run, actor }) => {
  if (actor.user === run.startedBy) return null;
  const roles = requesterRolesOf(run);
  if (roles.some((r) => actor.roles.includes(r))) return null;
  return {
    code: 'not_allowed',
    reason: `Only <@${run.startedBy}> (who started this run) or a member of ${roleLabels(roles, run.roleNames) || 'an approver role'} can post to stakeholders for it.`,
  };
};

// ---- The table -----------------------------------------------------------------------------------------------

const where = [sameWorkspace, clickedInRunChannel] as const;

/** Which checks apply to which action, in the order of the header (1 → 6). */
export const RULES: { readonly [K in ActionType]: readonly Check[] } = {
  // Anyone in a workspace where the app is installed may start a checklist (issue 18 may restrict it).
  start: [],
  done: [live, ...where, stepExists, stepUnlocked, inOrder],
  skip: [live, ...where, stepExists, stepUnlocked],
  undo: [live, ...where, stepExists, undoRights, noSignedGateAfter],
  approve_gate: [
    live,
    ...where,
    gateExists,
    gateOpen,
    signsForGate,
    notStarterOfGate,
    notSignedYet,
    roleStillOpen,
  ],
  reject_gate: [live, ...where, gateExists, gateOpen, rejectsForGate, notStarterOfGate],
  cancel_run: [live, ...where, mayCancel],
  // Reads that answer the clicker or post into the run's own thread: only where the run is.
  view_details: [...where, itemExists],
  export_timeline: [...where],
  check_evidence: [live, ...where, stepExists, stepOffers('evidence'), stepUnlocked],
  // Live actions: only on the current step (docs/security.md, "Order").
  check_canary: [live, ...where, stepExists, stepOffers('monitor'), stepCurrent(stepOf)],
  preview_action: [live, ...where, stepExists, stepOffers('action'), stepCurrent(stepOf)],
  // The notice speaks for the run to people outside the channel: its starter or a gate role only.
  post_notice: [live, ...where, stepExists, stepOffers('notify'), stepCurrent(stepOf), speaksForRun],
  // Check again is a read of the step's evidence (also after it was executed).
  check_action: [live, ...where, stepExists, stepOffers('action'), stepUnlocked],
  // One person's click (the starter or a gate role); in a drill the write is rehearsed, never made.
  apply_warmup: [live, ...where, stepExists, stepActionIn(WARMUP_ACTIONS), stepCurrent(stepOf), mayRequest],
  // A drill asks and approves exactly as a live run does (issue 18.3); only the execution differs: a drill's
  // approved request is rehearsed (`rehearse_request`), a live run's executed (`execute_request`).
  request_action: [
    live,
    ...where,
    stepExists,
    stepActionIn(TWO_PERSON_ACTIONS),
    stepCurrent(stepOf),
    notExecutedYet,
    approverRolesDeclared(stepOf),
    mayRequest,
    noOpenRequest,
  ],
  approve_request: [
    live,
    ...where,
    requestExists,
    stepCurrent(requestStep),
    approverRolesDeclared(requestStep),
    holdsApproverRole,
    notRequester,
    requestPending,
    requesterStillMay,
  ],
  cancel_request: [live, ...where, requestExists, cancelRights, requestCancellable],
  retry_request: [
    live,
    noWritesInDrill,
    ...where,
    requestExists,
    stepCurrent(requestStep),
    retryRights,
    notRequesterUnlessWaiting(),
    requestRetryable,
    noOtherOpenRequest,
    noOtherMadeIt,
  ],
  execute_request: [
    live,
    noWritesInDrill,
    ...where,
    requestExists,
    stepCurrent(requestStep),
    approverRolesDeclared(requestStep),
    stillApproved,
    requesterStillMay,
    executable,
  ],
  rehearse_request: [
    live,
    drillOnly,
    ...where,
    requestExists,
    stepCurrent(requestStep),
    approverRolesDeclared(requestStep),
    stillApproved,
    requesterStillMay,
    executable,
  ],
  report_execution: [requestExists, holdsLease],
  // After the notice, updates continue while the incident does: also once the checklist is complete.
  post_update: [...where, noticeWasPosted, updatesStillDue, speaksForRun],
  post_all_clear: [...where, runCompleted, updatesStillDue, speaksForRun],
  take_over: [live, ...where, noDrillOverLive, mayTakeOver],
};

/** The requester may press Retry only to repeat a wait; repeating the write needs a second person. */
function notRequesterUnlessWaiting(): Check {
  return (c) => (requestOf(c)?.changeId ? null : notRequester(c));
}

export function authorize(run: RunState | null, action: Action, actor: Actor, at: string): AuthResult {
  if (action.type === 'start') return { ok: true };
  if (!run) return { ok: false, code: 'unknown_item', reason: 'This checklist run no longer exists.' };
  if (
    actor.system &&
    action.type !== 'report_execution' &&
    action.type !== 'execute_request' &&
    action.type !== 'rehearse_request'
  ) {
    // The bot's own commands (attach, supersede, a live run replacing a drill) are checked for liveness only.
    const refusal =
      action.type === 'cancel_run' || action.type === 'take_over' ? live({ run, action, actor, at }) : null;
    return refusal ? { ok: false, ...refusal } : { ok: true };
  }
  const ctx: Ctx = { run, action, actor, at };
  for (const check of RULES[action.type]) {
    const refusal = check(ctx);
    if (refusal) return { ok: false, ...refusal };
  }
  return ctx.role !== undefined ? { ok: true, role: ctx.role } : { ok: true };
}

// ---- Words ---------------------------------------------------------------------------------------------------

export function stepName(step: { n: number; title: string }): string {
  return `step ${step.n} "${step.title}"`;
}

function rolesNeeded(state: RunState, gate: RunGate): string {
  return roleLabels(missingRoles(state, gate), state.roleNames);
}

export function notActiveReason(state: RunState): string {
  switch (state.status) {
    case 'completed':
      return 'This run is already complete; nothing changes.';
    case 'halted':
      return 'This run was halted by a rejected approval; nothing changes. Start a new run to try again.';
    default:
      return state.supersededBy
        ? 'This run was taken over by a newer run of the same checklist; use the newer message.'
        : 'This run was cancelled; nothing changes.';
  }
}
