/**
 * Who may sign for which role: `runbooks/approvers.yaml` (or APPROVERS_FILE), read and validated once at
 * start. The resolver that expands Slack user groups into members is in approver-roles.ts (only the
 * checklists feature, loaded lazily, needs it; validating the file is part of every start).
 *
 * ```yaml
 * roles:
 *   devops: [U01DEVOPS1, S01PLATFORM]
 *   security: [U01SECURE1]
 * ```
 *
 * Listing a group's members is injected (`usergroups.users.list` in the Slack layer), so this stays free
 * of Slack imports.
 */
import { readFileSync } from 'node:fs';

export interface RoleMembers {
  users: string[];
  groups: string[];
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
  const roles: Record<string, RoleMembers> = {};
  for (const [role, value] of Object.entries(doc['roles'])) {
    if (!ROLE_SLUG.test(role)) {
      throw new ApproversFileError(
        file,
        `role "${role}" must be a slug like business-owner (lower case, digits, -)`,
      );
    }
    const ids = value === null ? [] : value;
    if (!Array.isArray(ids)) throw new ApproversFileError(file, `role "${role}" must be a list of Slack IDs`);
    const members: RoleMembers = { users: [], groups: [] };
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
    roles[role] = members;
  }
  return { file, roles };
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
