/**
 * Approval DMs, kept a view of the store. `syncRun(runId)` runs after every change of a run (the checklist
 * runtime's `observe`) and on every timer sweep, and converges on what the run says:
 *
 * 1. plan who must hold an open invite (src/workflows/invites.ts) and record the plan on the run, with one
 *    conditional write (the bot's own command; a plan from an older version is re-checked, so it records
 *    each invite once);
 * 2. send a DM for each open invite that has none: under a lease on the invite (`dm:<run>:<invite>`), so a
 *    redelivery, a concurrent sync or a replay never DMs twice; then record where it went on the run, which
 *    is what makes a click there count (authorize.ts);
 * 3. update every DM whose stored digest differs from what it should show now: progress while it asks, the
 *    outcome ("Signed by …", "Rejected by …", "Run cancelled", "Superseded") once it does not.
 *
 * A DM is sent only after the state that calls for it is stored (outbox-style). If the process stops after
 * posting a DM and before recording it, the lease runs out and a later sync sends it again: the one case
 * that DMs twice, preferred to an invite nobody hears about.
 */
import { createHash } from 'node:crypto';
import { type HeldLease, takeLease } from '../../../store/lease';
import { executeCommand } from '../../../store/runs';
import type { CommandContext } from '../../../workflows/checklist';
import {
  type ApprovalInvite,
  type Awaiting,
  awaitingSignatures,
  parseTarget,
  planInvites,
} from '../../../workflows/invites';
import type { InviteDm } from '../../../workflows/reach-commands';
import { findRequest } from '../../../workflows/requests';
import { type RunState, roleLabel } from '../../../workflows/run-state';
import type { Message } from '../../render/blocks';
import { gateLabel } from '../../render/checklist-format';
import { renderInviteDm } from '../../render/invite-dm';
import { mentionUser, mentionUserGroup } from '../../render/mentions';
import { slackErrorCode } from '../../slack-error';
import { liveActionFor } from '../aws-steps/requests';
import { type ChecklistRuntime, recordRunNote } from '../checklists/runtime';

/** Longer than a DM takes to send; short enough that a stopped sender is replaced within minutes. */
const DM_LEASE_MS = 2 * 60_000;

/** Slack errors that will not go away by trying again: the invite is marked, not retried on every change. */
const PERMANENT = new Set([
  'cannot_dm_bot',
  'user_not_found',
  'user_disabled',
  'not_allowed',
  'not_authed',
  'invalid_auth',
  'missing_scope',
  'channel_not_found',
  'is_archived',
  'messages_tab_disabled',
]);

export interface SyncResult {
  /** People whose invites opened or closed (their Home tab is behind). */
  changed: Set<string>;
}

export function bookkeeping(rt: ChecklistRuntime, key: string): CommandContext {
  return {
    user: rt.deps.config.slack.botUserId ?? 'UBOT',
    at: rt.deps.now().toISOString(),
    key,
    system: true,
  };
}

export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

export async function syncRun(rt: ChecklistRuntime, runId: string): Promise<SyncResult> {
  const changed = new Set<string>();
  const store = await rt.deps.getStore();
  let state = (await store.getRun(runId))?.state;
  if (!state) return { changed };
  const awaiting = awaitingSignatures(state);
  const roles = [...new Set(awaiting.flatMap((a) => a.roles))];
  const members = new Map(await Promise.all(roles.map(async (r) => [r, await rt.membersOf(r)] as const)));
  const plan = planInvites(
    state,
    (r) => members.get(r) ?? [],
    rt.deps.now().toISOString(),
    (r) => rt.membersKnown(r),
  );
  if (plan.open.length > 0 || plan.close.length > 0) {
    const result = await executeCommand(
      store,
      runId,
      { type: 'invites', ...plan },
      bookkeeping(rt, `invites:${state.version}:${digest(plan)}`),
    );
    state = result.kind === 'applied' ? result.state : ((await store.getRun(runId))?.state ?? state);
    for (const i of plan.open) changed.add(i.user);
    for (const id of plan.close) {
      const user = state.invites?.find((i) => i.id === id)?.user;
      if (user) changed.add(user);
    }
    await announce(rt, state, awaiting, plan.open);
  }
  await deliver(rt, state);
  return { changed };
}

/** In the run's thread, once per opening: who is asked, the roles' user groups mentioned. */
async function announce(
  rt: ChecklistRuntime,
  state: RunState,
  awaiting: Awaiting[],
  opened: ApprovalInvite[],
) {
  for (const a of awaiting) {
    const asked = (state.invites ?? []).filter((i) => i.target === a.target && i.status === 'open');
    if (!opened.some((i) => i.target === a.target)) continue;
    const roles = a.roles
      .map((r) => {
        // A drill rehearses without paging whole groups.
        const group = state.drill ? undefined : rt.groupOf(r);
        return `${roleLabel(r, state.roleNames)}${group ? ` (${mentionUserGroup(group)})` : ''}`;
      })
      .join(', ');
    const what =
      a.kind === 'gate' && a.gate
        ? `*${gateLabel(a.gate)}* is open for signatures: ${roles}.`
        : `The ${requestLabel(state, a.requestId) ?? 'change'} request waits for a second approval: ${roles}.`;
    const who = asked.length
      ? ` Asked by DM: ${asked.map((i) => mentionUser(i.user)).join(', ')}.`
      : ' Nobody in the approvers file can be asked: check `approvers.yaml`.';
    await recordRunNote(rt, rt.slack, state.runId, {
      user: null,
      text: `:bell: ${what}${who}`,
      key: `asked:${a.target}:${a.since}`,
      at: a.since,
    }).catch((error: unknown) => rt.deps.logger.warn('approval request not announced', { error }));
  }
}

const permalinks = new WeakMap<ChecklistRuntime, Map<string, string>>();

export async function permalinkOf(rt: ChecklistRuntime, state: RunState): Promise<string | null> {
  if (!state.messageTs) return null;
  let cache = permalinks.get(rt);
  if (!cache) {
    cache = new Map();
    permalinks.set(rt, cache);
  }
  const key = `${state.channel}/${state.messageTs}`;
  const known = cache.get(key);
  if (known) return known;
  try {
    const link = (await rt.slack.chat.getPermalink({ channel: state.channel, message_ts: state.messageTs }))
      .permalink;
    if (link) cache.set(key, link);
    return link ?? null;
  } catch {
    return null;
  }
}

/** The DM an invite should show now. */
export async function inviteMessage(
  rt: ChecklistRuntime,
  state: RunState,
  invite: ApprovalInvite,
): Promise<Message> {
  const target = parseTarget(invite.target);
  const request = target?.kind === 'request' ? findRequest(state, target.id) : null;
  const action = liveActionFor(request?.kind);
  const groups: Record<string, string> = {};
  for (const item of state.items)
    if (item.type === 'gate')
      for (const r of item.roles) {
        const g = rt.groupOf(r);
        if (g) groups[r] = g;
      }
  return renderInviteDm({
    run: state,
    invite,
    roles: await rt.rolesOf(invite.user),
    // Read after the roles: a group Slack could not list is unknown, not "nothing more needed" (stillAsking).
    rolesUnknown: rt.rolesUnknown(),
    permalink: await permalinkOf(rt, state),
    groups,
    ...(request
      ? {
          request: {
            what: action?.label(request.kind) ?? request.kind,
            verb: action?.verb(request.kind) ?? 'change',
            planText: action && request.plan !== undefined ? action.describe(request.plan) : '',
          },
        }
      : {}),
  });
}

/** Send the DMs that are due and update those that show something else than the store; record both. */
async function deliver(rt: ChecklistRuntime, state: RunState): Promise<void> {
  const store = await rt.deps.getStore();
  const dms: InviteDm[] = [];
  // Held until the DMs are recorded: completed then, released if the recording fails (see the header).
  const leases: HeldLease[] = [];
  for (const invite of state.invites ?? []) {
    if (invite.failed || (!invite.ts && invite.status !== 'open')) continue;
    const message = await inviteMessage(rt, state, invite);
    const shown = digest(message);
    if (invite.ts && invite.channel) {
      if (invite.shown === shown) continue;
      try {
        await rt.slack.chat.update({ channel: invite.channel, ts: invite.ts, ...message });
        dms.push({ id: invite.id, shown });
      } catch (error) {
        rt.deps.logger.warn('approval DM not updated', { runId: state.runId, invite: invite.id, error });
      }
      continue;
    }
    const lease = await takeLease(store, `dm:${state.runId}:${invite.id}`, DM_LEASE_MS, rt.deps.now());
    if (!lease) continue;
    // A failure Slack may get over releases the lease: the next sync sends it.
    const dm = await lease.run(() => sendDm(rt, state, invite, message, shown), 'release').catch(() => null);
    if (!dm) continue;
    dms.push(dm);
    leases.push(lease);
  }
  if (dms.length === 0) return;
  try {
    await executeCommand(
      store,
      state.runId,
      { type: 'invite_dms', dms },
      bookkeeping(rt, `dms:${state.version}:${digest(dms)}`),
    );
  } catch (error) {
    // Not recorded: let a later sync try again (it may DM twice; see the header).
    await Promise.all(leases.map((l) => l.release()));
    throw error;
  }
  await Promise.all(leases.map((l) => l.complete().catch(() => undefined)));
}

/** One approval DM: where it went, or a failure that trying again will not mend (recorded, never retried). */
async function sendDm(
  rt: ChecklistRuntime,
  state: RunState,
  invite: ApprovalInvite,
  message: Message,
  shown: string,
): Promise<InviteDm> {
  try {
    const opened = await rt.slack.conversations.open({ users: invite.user });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    const posted = await rt.slack.chat.postMessage({ channel, ...message, unfurl_links: false });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    return { id: invite.id, channel, ts: posted.ts, shown };
  } catch (error) {
    const code = slackErrorCode(error);
    rt.deps.logger.warn('approval DM not sent', { runId: state.runId, user: invite.user, code, error });
    if (code && PERMANENT.has(code)) return { id: invite.id, failed: code };
    throw error;
  }
}

function requestLabel(state: RunState, requestId: string | undefined): string {
  const kind = findRequest(state, requestId ?? '')?.kind;
  return (kind && liveActionFor(kind)?.label(kind)) ?? 'change';
}
