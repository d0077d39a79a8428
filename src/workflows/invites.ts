/**
 * Who the bot asks to sign, as data on the run. When a gate becomes the one that blocks its checklist (or a
 * live action's request waits for its second person), every person who may sign it is invited: members of
 * its missing roles (approvers file, user groups expanded by the caller), except the run's starter (gates)
 * or the requester (requests), and anyone who already signed a role of the gate. An invite is closed as
 * soon as it no longer asks anything of its person: the gate passed, was rejected, or is no longer open;
 * their roles were signed by others; the run ended.
 *
 * An invite records the DM the bot sent for it (`channel`, `ts`): authorize() accepts a decision from
 * exactly those DMs (and from the person's Home tab) as from the run's channel, and the Slack layer keeps
 * each DM showing what is stored (`shown`). Pure: planning only; sending is src/slack/features/reach/.
 */
import { approverRolesFor } from './requests';
import {
  earlierUnresolved,
  findStep,
  gateState,
  isResolved,
  lockingGate,
  missingRoles,
  openGate,
  type RunGate,
  type RunState,
  stepState,
} from './run-state';

export interface ApprovalInvite {
  /** `<target>:<user>:<n>`: deterministic, so planning the same invite twice records it once. */
  id: string;
  /** `gate:<gate id>` or `request:<request id>`. */
  target: string;
  user: string;
  /** How many invites this person had for this target before (a gate may open again after an Undo). */
  n: number;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
  /** The DM the bot sent for it (`D…` channel and message ts), once sent. */
  channel?: string;
  ts?: string;
  /** A digest of what the DM shows now: it is updated only when what it should show changes. */
  shown?: string;
  /** Why no DM could be sent (Slack's error), so it is not tried on every change. */
  failed?: string;
}

/** Something waiting for signatures, and who may give them. */
export interface Awaiting {
  target: string;
  kind: 'gate' | 'request';
  /** Roles that may still sign it. */
  roles: string[];
  /** When it started waiting (ISO). */
  since: string;
  /** People who may not sign it: the starter (gates), the requester (requests), those who signed. */
  excluded: string[];
  gate?: RunGate;
  requestId?: string;
}

export const gateTarget = (gateId: string) => `gate:${gateId}`;
export const requestTarget = (requestId: string) => `request:${requestId}`;

/** `gate:<id>` → { kind, id }; null for anything else. */
export function parseTarget(target: string): { kind: 'gate' | 'request'; id: string } | null {
  const m = /^(gate|request):(.+)$/.exec(target);
  return m ? { kind: m[1] as 'gate' | 'request', id: m[2]! } : null;
}

/** When the gate at `index` opened: the latest time an item before it was resolved, or the run's start. */
export function gateOpenedAt(state: RunState, index: number): string {
  let latest = state.startedAt;
  for (let i = 0; i < index; i++) {
    const item = state.items[i];
    if (!item) continue;
    const times =
      item.type === 'step'
        ? [stepState(state, item.id).at]
        : gateState(state, item.id).approvals.map((a) => a.at);
    for (const at of times) if (at && at > latest) latest = at;
  }
  return latest;
}

/**
 * The first item of the parallel group the step at `index` belongs to (itself when in none): its siblings,
 * done while it waits, never made it wait (`earlierUnresolved` leaves them out too).
 */
function groupStart(state: RunState, index: number): number {
  const item = state.items[index];
  const group = item?.type === 'step' ? item.parallel : undefined;
  if (!group) return index;
  let i = index;
  while (i > 0) {
    const before = state.items[i - 1];
    if (before?.type !== 'step' || before.parallel !== group) break;
    i--;
  }
  return i;
}

/** The gate blocking the checklist and the requests waiting for a second person, now. */
export function awaitingSignatures(state: RunState): Awaiting[] {
  if (state.status !== 'active') return [];
  const out: Awaiting[] = [];
  const gate = openGate(state);
  if (gate) {
    const index = state.items.indexOf(gate);
    const signers = gateState(state, gate.id).approvals.map((a) => a.user);
    out.push({
      target: gateTarget(gate.id),
      kind: 'gate',
      roles: missingRoles(state, gate),
      since: gateOpenedAt(state, index),
      excluded: [state.startedBy, ...signers],
      gate,
    });
  }
  const requests = Object.values(state.requests ?? {}).sort((a, b) =>
    a.requestedAt.localeCompare(b.requestedAt),
  );
  for (const request of requests) {
    if (request.status !== 'pending') continue;
    const found = findStep(state, request.stepId);
    // Only what authorize() would let them approve: not behind a gate, not resolved, and the current step (an
    // Undo of an earlier step makes it wait again: no DMs, reminders or Home-tab buttons meanwhile).
    if (
      !found ||
      lockingGate(state, found.index) ||
      isResolved(stepState(state, found.step.id)) ||
      earlierUnresolved(state, found.index).length > 0
    )
      continue;
    out.push({
      target: requestTarget(request.id),
      kind: 'request',
      roles: approverRolesFor(state, request.stepId),
      // Waiting since it could last be approved: asked, or its step current again after an earlier step was
      // undone and done again (no reminder or page the minute it is approvable again, as a gate's wait).
      since:
        [request.requestedAt, gateOpenedAt(state, groupStart(state, found.index))].sort().at(-1) ??
        request.requestedAt,
      excluded: [request.requestedBy],
      requestId: request.id,
    });
  }
  return out;
}

export interface InvitePlan {
  open: ApprovalInvite[];
  /** Ids of open invites that no longer ask anything of their person. */
  close: string[];
}

/**
 * What to change so that exactly the people who may sign what is waiting hold an open invite.
 * `membersOf(role)`: the Slack users of a role (the approvers file, user groups expanded).
 */
export function planInvites(
  state: RunState,
  membersOf: (role: string) => readonly string[],
  now: string,
  membersKnown: (role: string) => boolean = () => true,
): InvitePlan {
  const invites = state.invites ?? [];
  const wanted = new Map<string, Set<string>>();
  for (const a of awaitingSignatures(state)) {
    const users = new Set(a.roles.flatMap((r) => membersOf(r)));
    // A role whose group could not be listed (a failed lookup, nothing known): its people are unknown, so
    // the invites already open stay open; none is closed for a lookup that failed.
    if (!a.roles.every(membersKnown))
      for (const i of invites) if (i.status === 'open' && i.target === a.target) users.add(i.user);
    for (const u of a.excluded) users.delete(u);
    wanted.set(a.target, users);
  }
  const close = invites
    .filter((i) => i.status === 'open' && !wanted.get(i.target)?.has(i.user))
    .map((i) => i.id);
  const open: ApprovalInvite[] = [];
  for (const [target, users] of wanted) {
    for (const user of users) {
      if (invites.some((i) => i.status === 'open' && i.target === target && i.user === user)) continue;
      const n = invites.filter((i) => i.target === target && i.user === user).length;
      open.push({ id: `${target}:${user}:${n}`, target, user, n, status: 'open', openedAt: now });
    }
  }
  return { open, close };
}

export function findInvite(state: RunState, id: string): ApprovalInvite | undefined {
  return (state.invites ?? []).find((i) => i.id === id);
}

/** Whether `user` was invited, on this run, through a DM in `channel` (any target, open or closed). */
export function invitedIn(state: RunState, user: string, channel: string | null): boolean {
  if (!channel) return false;
  return (state.invites ?? []).some((i) => i.user === user && i.channel === channel);
}

/** Whether the bot invited `user` to sign anything on this run (their Home tab then offers it). */
export function invitedOnRun(state: RunState, user: string): boolean {
  return (state.invites ?? []).some((i) => i.user === user);
}
