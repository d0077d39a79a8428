/**
 * Which roles a Slack user holds, from the approvers file (approvers.ts): a resolver that expands Slack user
 * groups (`S…`) into members, cached for a few minutes. Listing a group's members is injected
 * (`usergroups.users.list` in the Slack layer), so this stays free of Slack imports.
 */
import type { Approvers } from './approvers';

/** Roles that gates require but the approvers file does not define: nobody could ever sign them. */
export function undefinedRoles(approvers: Approvers, gateRoles: Iterable<string>): string[] {
  return [...new Set(gateRoles)].filter((r) => !(r in approvers.roles)).sort();
}

export type ListGroupMembers = (groupId: string) => Promise<string[]>;

export interface RoleResolver {
  /** The roles `userId` holds, directly or through a user group. */
  rolesOf(userId: string): Promise<string[]>;
  /** Everyone who holds `role`: its users and the members of its groups (a group that cannot be listed adds no one). */
  membersOf(role: string): Promise<string[]>;
  /** The role's own user group (`group:` in the approvers file), for mentions. */
  groupOf(role: string): string | undefined;
  /**
   * False while a group of the role could not be listed and nothing is known of it: its members are
   * unknown, not none (an open invite of theirs is kept, not closed).
   */
  membersKnown?(role: string): boolean;
}

export interface RoleResolverOptions {
  /** How long a group's member list is trusted (default 5 minutes). */
  ttlMs?: number;
  now?: () => number;
  /** Told when a group lookup fails; the last known members (or none) are used meanwhile. */
  onLookupError?: (groupId: string, error: unknown) => void;
  /**
   * After a failed lookup, how long before asking Slack again (default 1 minute): every click resolves
   * roles, so a group that cannot be listed must not cost an API call per click.
   */
  retryFailedMs?: number;
  /**
   * How long the last members Slack listed are trusted while every lookup since has failed (default 1
   * hour): a member removed from the group meanwhile keeps the role no longer than this. After it the
   * group's members are unknown (none hold the role through it, `membersKnown` false).
   */
  maxStaleMs?: number;
}

export function createRoleResolver(
  approvers: Approvers,
  listGroupMembers: ListGroupMembers,
  options: RoleResolverOptions = {},
): RoleResolver {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
  /** `fetchedAt`: when to ask again counts from it; `listedAt`: when Slack last listed the members. */
  const cache = new Map<string, { members: Set<string>; fetchedAt: number; listedAt: number }>();
  const inFlight = new Map<string, Promise<Set<string>>>();
  /** Groups whose lookup failed with no member list known from before. */
  const unknown = new Set<string>();

  async function members(groupId: string): Promise<Set<string>> {
    const cached = cache.get(groupId);
    if (cached && now() - cached.fetchedAt < ttlMs) return cached.members;
    let pending = inFlight.get(groupId);
    if (!pending) {
      pending = listGroupMembers(groupId)
        .then((list) => {
          const fresh = new Set(list);
          cache.set(groupId, { members: fresh, fetchedAt: now(), listedAt: now() });
          unknown.delete(groupId);
          return fresh;
        })
        .catch((error: unknown) => {
          options.onLookupError?.(groupId, error);
          // The last members listed stand in for a while (a short outage of Slack's API), never for ever.
          const trusted = cached !== undefined && now() - cached.listedAt < maxStaleMs;
          const known = trusted ? cached.members : new Set<string>();
          if (!trusted) unknown.add(groupId);
          // Remembered as if fetched `ttlMs - retryFailedMs` ago: asked again after `retryFailedMs`.
          const retryFailedMs = Math.min(options.retryFailedMs ?? 60_000, ttlMs);
          const listedAt = trusted ? cached.listedAt : Number.NEGATIVE_INFINITY;
          cache.set(groupId, { members: known, fetchedAt: now() - ttlMs + retryFailedMs, listedAt });
          return known;
        })
        .finally(() => inFlight.delete(groupId));
      inFlight.set(groupId, pending);
    }
    return pending;
  }

  return {
    async rolesOf(userId) {
      const checks = Object.entries(approvers.roles).map(async ([role, m]) => {
        if (m.users.includes(userId)) return role;
        const sets = await Promise.all(m.groups.map(members));
        return sets.some((set) => set.has(userId)) ? role : null;
      });
      return (await Promise.all(checks)).filter((r): r is string => r !== null);
    },
    async membersOf(role) {
      const m = approvers.roles[role];
      if (!m) return [];
      const sets = await Promise.all(m.groups.map(members));
      return [...new Set([...m.users, ...sets.flatMap((set) => [...set])])];
    },
    groupOf(role) {
      return approvers.roles[role]?.group;
    },
    membersKnown(role) {
      return (approvers.roles[role]?.groups ?? []).every((g) => !unknown.has(g));
    },
  };
}

/**
 * The order in which someone holding several roles signs a gate that needs more than one of them: the role
 * fewest other people hold first (ties keep the approvers file's order). Signing it leaves the roles others
 * can sign open; signing the common one first could leave a gate that nobody else may close.
 */
export async function signingOrder(
  user: string,
  roles: readonly string[],
  membersOf: (role: string) => Promise<string[]>,
  /** Who cannot sign this gate whatever roles they hold: the run's starter and who signed it already. */
  excluded: readonly string[] = [],
  /**
   * False for a role with a group Slack could not list: others may hold it, unknown how many, so it is
   * signed last (counting its group as empty would sign it first, leaving a role only this signer holds).
   */
  membersKnown: (role: string) => boolean = () => true,
): Promise<string[]> {
  if (roles.length < 2) return [...roles];
  const others = await Promise.all(
    roles.map(async (role) => {
      const members = await membersOf(role); // listed first: a lookup that fails marks the role unknown
      return membersKnown(role)
        ? members.filter((m) => m !== user && !excluded.includes(m)).length
        : Number.POSITIVE_INFINITY;
    }),
  );
  return roles
    .map((role, i) => ({ role, i, others: others[i] ?? 0 }))
    .sort((a, b) => a.others - b.others || a.i - b.i)
    .map((r) => r.role);
}
