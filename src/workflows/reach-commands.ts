/**
 * Run commands for reaching people outside the run's channel, applied by `apply()`:
 *
 * - `invites` / `invite_dms` (the bot only): record who was asked to sign and the DMs sent for it
 *   (src/workflows/invites.ts). A plan computed from an older version is re-checked against this one, so a
 *   retried write records each invite once and closes only what is still open.
 * - `record_comms`: a stakeholder notice, update or all-clear was posted (authorized as `post_notice`,
 *   `post_update` or `post_all_clear` by `apply()` before it gets here).
 * - `close_comms` (the bot only): no more updates are due (the all-clear was posted by the run that
 *   followed this one).
 *
 * None of them changes the checklist itself, so none completes a run or produces events: the thread hears of
 * them from the Slack layer, which knows what was sent.
 */
import type { CommandContext, Commit, Refuse } from './checklist';
import type { ApprovalInvite } from './invites';
import type { RunState } from './run-state';
import type { CommsPost } from './stakeholders';

export interface InviteDm {
  id: string;
  channel?: string;
  ts?: string;
  shown?: string;
  failed?: string;
}

export type ReachCommand =
  | { type: 'invites'; open: ApprovalInvite[]; close: string[] }
  | { type: 'invite_dms'; dms: InviteDm[] }
  /** `at` and `by` come from the command's context (who posted, when). */
  | { type: 'record_comms'; post: Omit<CommsPost, 'at' | 'by'> }
  | { type: 'close_comms'; reason: string };

const REACH_TYPES = new Set(['invites', 'invite_dms', 'record_comms', 'close_comms']);

export function isReachCommand(command: { type: string }): command is ReachCommand {
  return REACH_TYPES.has(command.type);
}

/** The bot's own bookkeeping: never from a click. */
export function isSystemOnly(command: ReachCommand): boolean {
  return command.type !== 'record_comms';
}

export function applyReachCommand(
  state: RunState,
  command: ReachCommand,
  ctx: CommandContext,
  { commit, refuse }: { commit: Commit; refuse: Refuse },
) {
  const next = structuredClone(state);
  const unchanged = () => refuse('already_resolved', 'Nothing to change.');
  switch (command.type) {
    case 'invites': {
      const invites = [...(next.invites ?? [])];
      let changed = false;
      for (const id of command.close) {
        const i = invites.findIndex((x) => x.id === id && x.status === 'open');
        if (i < 0) continue;
        invites[i] = { ...invites[i]!, status: 'closed', closedAt: ctx.at };
        changed = true;
      }
      for (const invite of command.open) {
        const taken = invites.some(
          (x) =>
            x.id === invite.id ||
            (x.status === 'open' && x.target === invite.target && x.user === invite.user),
        );
        if (taken) continue;
        invites.push(invite);
        changed = true;
      }
      if (!changed) return unchanged();
      next.invites = invites;
      return commit(state, next, ctx, [], false);
    }
    case 'invite_dms': {
      let changed = false;
      next.invites = (next.invites ?? []).map((invite) => {
        const dm = command.dms.find((d) => d.id === invite.id);
        if (!dm) return invite;
        const updated: ApprovalInvite = {
          ...invite,
          ...(dm.channel !== undefined ? { channel: dm.channel } : {}),
          ...(dm.ts !== undefined ? { ts: dm.ts } : {}),
          ...(dm.shown !== undefined ? { shown: dm.shown } : {}),
          ...(dm.failed !== undefined ? { failed: dm.failed } : {}),
        };
        if (JSON.stringify(updated) !== JSON.stringify(invite)) changed = true;
        return updated;
      });
      return changed ? commit(state, next, ctx, [], false) : unchanged();
    }
    case 'record_comms': {
      const posts = next.comms?.posts ?? [];
      next.comms = {
        ...(next.comms ?? {}),
        posts: [...posts, { ...command.post, at: ctx.at, by: ctx.user }],
      };
      return commit(state, next, ctx, [], false);
    }
    case 'close_comms': {
      if (next.comms?.closed) return unchanged();
      next.comms = {
        posts: next.comms?.posts ?? [],
        closed: { at: ctx.at, by: ctx.user, reason: command.reason },
      };
      return commit(state, next, ctx, [], false);
    }
  }
}
