/**
 * Who may sign for which role: `runbooks/approvers.yaml` (or APPROVERS_FILE), read and validated once at
 * start. The resolver that expands Slack user groups into members is in approver-roles.ts (only the
 * checklists feature, loaded lazily, needs it; validating the file is part of every start).
 *
 * ```yaml
 * roles:
 *   devops: [U01DEVOPS1, S01PLATFORM]
 *   security: [U01SECURE1]
 *   incident-commander:            # the mapping form: a role that names its Slack user group
 *     group: S01INCCMDS            # its members may sign, and gates needing the role mention it
 *     members: [U01INCCMD1]        # more people or groups (optional)
 * ```
 *
 * Listing a group's members is injected (`usergroups.users.list` in the Slack layer), so this stays free
 * of Slack imports.
 */
import { readFileSync } from 'node:fs';

export interface RoleMembers {
  users: string[];
  groups: string[];
  /** The role's own Slack user group (`group:` in the mapping form): a gate needing the role mentions it. */
  group?: string;
}

export interface Approvers {
  /** Where it was read from, for error messages. */
  file: string;
  roles: Record<string, RoleMembers>;
}

export class ApproversFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ApproversFileError';
  }
}

const ROLE_SLUG = /^[a-z0-9][a-z0-9-]*$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const GROUP_ID = /^S[A-Z0-9]{2,}$/;

/**
 * JSON is YAML too, and the Lambda bundle ships the file as JSON (scripts/bundle.ts): read that way it
 * needs no YAML parser, which would cost every cold start about 15 ms to load and 7 ms for its first parse
 * (measured with the bundle, `npm run bench`). Anything else, or JSON that does not parse, goes to the YAML
 * parser, loaded on first use.
 */
function parseDocument(text: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // A YAML flow mapping (`{roles: {devops: [U1]}}`), or broken: the YAML parser decides and explains.
    }
  }
  return loadYamlParser().parse(text);
}

function loadYamlParser(): typeof import('yaml') {
  try {
    return require('yaml') as typeof import('yaml');
  } catch {
    // The Lambda bundle leaves the YAML parser out and ships the approvers file as JSON (scripts/bundle.ts).
    throw new Error(
      'this build reads the approvers file as JSON only (the deploy bundle converts approvers.yaml to JSON): run `npm run bundle`, or point APPROVERS_FILE at the bundled file',
    );
  }
}

export function parseApprovers(text: string, file: string): Approvers {
  let doc: unknown;
  try {
    doc = parseDocument(text);
  } catch (error) {
    throw new ApproversFileError(file, `is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(doc) || !isRecord(doc['roles'])) {
    throw new ApproversFileError(
      file,
      'must have a top-level `roles:` mapping of role → [Slack user or group IDs]',
    );
  }
  // No prototype: a gate naming "constructor" or "toString" finds no role.
  const roles: Record<string, RoleMembers> = Object.create(null);
  for (const [role, value] of Object.entries(doc['roles'])) {
    if (!ROLE_SLUG.test(role)) {
      throw new ApproversFileError(
        file,
        `role "${role}" must be a slug like business-owner (lower case, digits, -)`,
      );
    }
    const { ids, group } = roleEntry(file, role, value);
    const members: RoleMembers = { users: [], groups: [] };
    if (group !== undefined) {
      if (!GROUP_ID.test(group))
        throw new ApproversFileError(file, `role "${role}": group "${group}" is not a user group ID (S…)`);
      members.group = group;
      members.groups.push(group);
    }
    for (const id of ids) {
      const s = String(id).trim();
      if (USER_ID.test(s)) members.users.push(s);
      else if (GROUP_ID.test(s)) members.groups.push(s);
      else {
        throw new ApproversFileError(
          file,
          `role "${role}": "${s}" is neither a user ID (U…/W…) nor a user group ID (S…)`,
        );
      }
    }
    members.groups = [...new Set(members.groups)];
    roles[role] = members;
  }
  return { file, roles };
}

/** A role's value: a list of IDs, or `{ group: S…, members: [IDs] }` (either key optional, nothing else). */
function roleEntry(file: string, role: string, value: unknown): { ids: unknown[]; group?: string } {
  if (value === null) return { ids: [] };
  if (Array.isArray(value)) return { ids: value };
  if (isRecord(value)) {
    const unknown = Object.keys(value).filter((k) => k !== 'group' && k !== 'members');
    if (unknown.length > 0)
      throw new ApproversFileError(
        file,
        `role "${role}": unknown key(s) ${unknown.join(', ')} (use group, members)`,
      );
    const members = value['members'] ?? [];
    if (!Array.isArray(members))
      throw new ApproversFileError(file, `role "${role}": members must be a list of Slack IDs`);
    const group = value['group'];
    if (group !== undefined && typeof group !== 'string')
      throw new ApproversFileError(file, `role "${role}": group must be one user group ID (S…)`);
    return { ids: members, ...(group !== undefined ? { group: group.trim() } : {}) };
  }
  throw new ApproversFileError(file, `role "${role}" must be a list of Slack IDs, or { group, members }`);
}

/** The file does not exist (as opposed to existing and being wrong). */
export class ApproversFileMissingError extends ApproversFileError {
  constructor(file: string) {
    super(file, 'not found (set APPROVERS_FILE to the approvers YAML)');
    this.name = 'ApproversFileMissingError';
  }
}

/** Read and validate the file; a missing or malformed file is an `ApproversFileError` naming it. */
export function loadApprovers(file: string): Approvers {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApproversFileMissingError(file);
    throw new ApproversFileError(file, `cannot be read (${code})`);
  }
  return parseApprovers(text, file);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
