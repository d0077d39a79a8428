import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRoleResolver, signingOrder, undefinedRoles } from '../../src/workflows/approver-roles';
import { ApproversFileError, loadApprovers, parseApprovers } from '../../src/workflows/approvers';
import { tempDir } from '../helpers/temp';

const YAML = `
roles:
  devops: [U01DEVOPS1, S01PLATFORM]
  security: [U01SECURE1]
  architecture: [U01ARCH001, S01PLATFORM]
  business-owner: [U01OWNER01]
`;

describe('parseApprovers', () => {
  it('splits user IDs from user group IDs per role', () => {
    const approvers = parseApprovers(YAML, 'approvers.yaml');
    expect(approvers.roles['devops']).toEqual({ users: ['U01DEVOPS1'], groups: ['S01PLATFORM'] });
    expect(Object.keys(approvers.roles)).toEqual(['devops', 'security', 'architecture', 'business-owner']);
  });

  it('reads the mapping form: a role that names its user group (mentioned at its gates) and more members', async () => {
    const approvers = parseApprovers(
      'roles:\n  incident-commander:\n    group: S01ICS\n    members: [U01IC1, S01ICS]\n  devops: [U01D]\n',
      'approvers.yaml',
    );
    expect(approvers.roles['incident-commander']).toEqual({
      users: ['U01IC1'],
      groups: ['S01ICS'],
      group: 'S01ICS',
    });
    const resolver = createRoleResolver(approvers, async (g) => (g === 'S01ICS' ? ['U01IC2', 'U01IC1'] : []));
    expect((await resolver.membersOf('incident-commander')).sort()).toEqual(['U01IC1', 'U01IC2']);
    expect(resolver.groupOf('incident-commander')).toBe('S01ICS');
    expect(resolver.groupOf('devops')).toBeUndefined();
    expect(await resolver.membersOf('nobody')).toEqual([]);
  });

  it.each([
    ['roles:\n  ic:\n    group: U01NOTGROUP', 'is not a user group ID'],
    ['roles:\n  ic:\n    groups: [S01X]', 'unknown key(s) groups'],
    ['roles:\n  ic:\n    members: U01X', 'members must be a list'],
    ['not: yaml: [', 'is not valid YAML'],
    ['people: {}', 'top-level `roles:`'],
    ['roles:\n  Security: [U01]', 'role "Security" must be a slug'],
    ['roles:\n  security: U01SECURE1', 'must be a list of Slack IDs'],
    ['roles:\n  security: [alice]', '"alice" is neither a user ID'],
  ])('rejects %j naming the file', (text, problem) => {
    const error = (() => {
      try {
        parseApprovers(text, 'runbooks/approvers.yaml');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ApproversFileError);
    expect((error as Error).message).toContain('runbooks/approvers.yaml: ');
    expect((error as Error).message).toContain(problem);
  });

  it('names the missing file', () => {
    expect(() => loadApprovers('/nonexistent/approvers.yaml')).toThrow(
      '/nonexistent/approvers.yaml: not found',
    );
  });

  it('loads a file from disk', () => {
    const dir = tempDir('approvers-');
    const file = join(dir, 'approvers.yaml');
    writeFileSync(file, YAML);
    expect(loadApprovers(file).roles['security']?.users).toEqual(['U01SECURE1']);
  });

  it('lists gate roles nobody is configured for', () => {
    expect(undefinedRoles(parseApprovers(YAML, 'f'), ['security', 'legal', 'qa', 'legal'])).toEqual([
      'legal',
      'qa',
    ]);
  });
});

describe('createRoleResolver', () => {
  const approvers = parseApprovers(YAML, 'approvers.yaml');

  it('finds direct members and members through user groups', async () => {
    const resolver = createRoleResolver(approvers, async (group) =>
      group === 'S01PLATFORM' ? ['U0PLAT'] : [],
    );
    expect(await resolver.rolesOf('U01SECURE1')).toEqual(['security']);
    expect(await resolver.rolesOf('U0PLAT')).toEqual(['devops', 'architecture']);
    expect(await resolver.rolesOf('U0NOBODY')).toEqual([]);
  });

  it('asks Slack for a group once per cache period, and again after it', async () => {
    let clock = 0;
    const calls: string[] = [];
    const resolver = createRoleResolver(
      approvers,
      async (group) => {
        calls.push(group);
        return clock < 1000 ? ['U0PLAT'] : ['U0NEW'];
      },
      { ttlMs: 1000, now: () => clock },
    );
    await Promise.all([resolver.rolesOf('U0PLAT'), resolver.rolesOf('U0X'), resolver.rolesOf('U0Y')]);
    expect(calls).toEqual(['S01PLATFORM']);
    clock = 999;
    expect(await resolver.rolesOf('U0PLAT')).toEqual(['devops', 'architecture']);
    clock = 1000;
    expect(await resolver.rolesOf('U0PLAT')).toEqual([]);
    expect(await resolver.rolesOf('U0NEW')).toEqual(['devops', 'architecture']);
    expect(calls).toEqual(['S01PLATFORM', 'S01PLATFORM']);
  });

  it('keeps the last known members when a lookup fails', async () => {
    let clock = 0;
    let fail = false;
    const errors: string[] = [];
    const resolver = createRoleResolver(
      approvers,
      async () => {
        if (fail) throw new Error('ratelimited');
        return ['U0PLAT'];
      },
      { ttlMs: 10, now: () => clock, onLookupError: (group) => errors.push(group) },
    );
    expect(await resolver.rolesOf('U0PLAT')).toContain('devops');
    fail = true;
    clock = 100;
    expect(await resolver.rolesOf('U0PLAT')).toContain('devops');
    expect(errors).toEqual(['S01PLATFORM']);
  });

  it('does not ask Slack again on every click after a failed lookup, only after a while', async () => {
    let clock = 0;
    const calls: number[] = [];
    const resolver = createRoleResolver(
      approvers,
      async () => {
        calls.push(clock);
        throw new Error('no_such_subteam');
      },
      { ttlMs: 300_000, retryFailedMs: 60_000, now: () => clock },
    );
    for (const t of [0, 1_000, 30_000, 59_000]) {
      clock = t;
      expect(await resolver.rolesOf('U0PLAT')).toEqual([]);
    }
    clock = 61_000;
    await resolver.rolesOf('U0PLAT');
    expect(calls).toEqual([0, 61_000]);
  });
});

describe('signingOrder', () => {
  const members: Record<string, string[]> = {
    security: ['U0BOTH', 'U0SEC', 'U0SEC2'],
    architecture: ['U0BOTH'],
    devops: ['U0BOTH', 'U0OPS'],
    'business-owner': ['U0BOTH', 'U0BIZ'],
  };
  const lookups: string[] = [];
  const membersOf = async (role: string) => {
    lookups.push(role);
    return members[role] ?? [];
  };

  it('puts the role fewest others hold first, ties in the given order', async () => {
    const order = await signingOrder(
      'U0BOTH',
      ['security', 'devops', 'architecture', 'business-owner'],
      membersOf,
    );
    expect(order).toEqual(['architecture', 'devops', 'business-owner', 'security']);
  });

  it('asks for no members when the signer holds one role or none', async () => {
    lookups.length = 0;
    expect(await signingOrder('U0SEC', ['security'], membersOf)).toEqual(['security']);
    expect(await signingOrder('U0X', [], membersOf)).toEqual([]);
    expect(lookups).toEqual([]);
  });
});
