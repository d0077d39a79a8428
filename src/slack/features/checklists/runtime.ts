/**
 * What the checklist listeners share for one app: the approvers (read once, at start: approvers-at-start.ts), role resolution
 * with cached user-group lookups, rendering with step extensions, in-place message updates, the event
 * thread, and "execute a command and report the outcome".
 */
import { createHash } from 'node:crypto';
import { webApi } from '@slack/bolt';
import type { Checklist } from '../../../runbooks/model/model';
import { type ExecuteResult, executeCommand } from '../../../store/runs';
import { createRoleResolver, type RoleResolver, undefinedRoles } from '../../../workflows/approver-roles';
import { type Approvers, ApproversFileMissingError } from '../../../workflows/approvers';
import { type CommandContext, eventId, type RunCommand } from '../../../workflows/checklist';
import { actionableSteps, type RunEvent, type RunState } from '../../../workflows/run-state';
import type { AppDeps } from '../../deps';
import { type Block, context, type Message } from '../../render/blocks';
import { EXPANDED_STEPS, renderChecklist } from '../../render/checklist';
import { refusalText } from '../../render/checklist-format';
import { threadMessage } from '../../render/checklist-thread';
import { approversOf } from './approvers-at-start';
import {
  extensionsFor,
  RENDER_TIMEOUT_MS,
  type StepActionContext,
  type StepExtensionContext,
} from './extensions';

type WebClient = webApi.WebClient;

export interface ChecklistRuntime {
  deps: AppDeps;
  rolesOf(userId: string): Promise<string[]>;
  /** Why nobody can approve anything (approvers file missing), or null. */
  approversProblem: string | null;
  checklist(id: string): Checklist | undefined;
  renderRun(state: RunState, client: WebClient): Promise<Message>;
  /** Re-render the run's message from its latest state; concurrent calls coalesce, the last state wins. */
  refreshMessage(runId: string, client: WebClient): Promise<void>;
  postThread(state: RunState, events: RunEvent[], client: WebClient): Promise<void>;
  /** Execute a command and report: update the message and thread, or answer the refusal with `reply`. */
  run(
    runId: string,
    command: RunCommand,
    ctx: CommandContext,
    client: WebClient,
    reply: (text: string) => Promise<void>,
  ): Promise<ExecuteResult>;
}

const runtimes = new WeakMap<AppDeps, ChecklistRuntime>();

/** One runtime per app (per deps), created when the checklists feature registers (lazily: when it loads). */
export function runtimeFor(deps: AppDeps): ChecklistRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    rt = createChecklistRuntime(deps);
    runtimes.set(deps, rt);
  }
  return rt;
}

function createChecklistRuntime(deps: AppDeps): ChecklistRuntime {
  const { config, logger } = deps;
  const { approvers, problem } = readApprovers(deps);
  const slack = new webApi.WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  });
  const resolver: RoleResolver = createRoleResolver(
    approvers,
    async (usergroup) => (await slack.usergroups.users.list({ usergroup })).users ?? [],
    { onLookupError: (group, error) => logger.warn('user group lookup failed', { group, error }) },
  );

  const refreshing = new Map<string, { again: boolean; done: Promise<void> }>();

  const rt: ChecklistRuntime = {
    deps,
    approversProblem: problem,
    rolesOf: (userId) => resolver.rolesOf(userId),
    checklist: (id) => deps.artifact.checklists.find((c) => c.id === id),

    async renderRun(state, client) {
      return renderChecklist(state, { extraBlocks: await extensionBlocks(rt, state, client) });
    },

    refreshMessage(runId, client) {
      const current = refreshing.get(runId);
      if (current) {
        current.again = true;
        return current.done;
      }
      const entry = { again: false, done: Promise.resolve() };
      entry.done = (async () => {
        try {
          do {
            entry.again = false;
            await updateMessage(rt, runId, client);
          } while (entry.again);
        } finally {
          refreshing.delete(runId);
        }
      })();
      refreshing.set(runId, entry);
      return entry.done;
    },

    async postThread(state, events, client) {
      if (!state.messageTs || events.length === 0) return;
      await client.chat.postMessage({
        channel: state.channel,
        thread_ts: state.messageTs,
        ...threadMessage(state, events),
      });
    },

    async run(runId, command, ctx, client, reply) {
      const store = await deps.getStore();
      const result = await executeCommand(store, runId, command, ctx);
      switch (result.kind) {
        case 'not_found':
          await reply('This checklist run no longer exists. Start a new one with the checklist command.');
          break;
        case 'duplicate':
          logger.debug('checklist action already applied', { runId, command: command.type });
          break;
        case 'refused':
          await reply(`:no_entry_sign: ${refusalText(result.reason)}`);
          await rt.postThread(result.state, result.events, client);
          // A click on a finished run's message means the message may be out of date: redraw it.
          if (result.code === 'not_active') await rt.refreshMessage(runId, client);
          break;
        case 'applied':
          await Promise.all([
            rt.refreshMessage(runId, client),
            rt.postThread(result.state, result.events, client),
          ]);
          break;
      }
      return result;
    },
  };
  return rt;
}

function readApprovers(deps: AppDeps): { approvers: Approvers; problem: string | null } {
  const file = deps.config.approversFile;
  // Read when the app was created (a malformed file stopped start-up there); a missing one leaves gates
  // unsignable.
  const approvers = approversOf(deps);
  if (approvers instanceof ApproversFileMissingError) {
    deps.logger.error('approvers file not loaded: nobody can approve gates', { file, error: approvers });
    return {
      approvers: { file, roles: {} },
      problem: `The approvers file (${file}) was not found, so nobody can approve yet.`,
    };
  }
  const gateRoles = deps.artifact.checklists.flatMap((c) =>
    c.items.flatMap((it) => (it.type === 'gate' ? it.roles : [])),
  );
  const missing = undefinedRoles(approvers, gateRoles);
  if (missing.length > 0) {
    deps.logger.warn('approval gates name roles the approvers file does not define', {
      file,
      roles: missing,
    });
  }
  return { approvers, problem: null };
}

async function updateMessage(rt: ChecklistRuntime, runId: string, client: WebClient): Promise<void> {
  const record = await (await rt.deps.getStore()).getRun(runId);
  const state = record?.state;
  if (!state?.messageTs) return;
  const message = await rt.renderRun(state, client);
  await client.chat.update({
    channel: state.channel,
    ts: state.messageTs,
    text: message.text,
    blocks: message.blocks,
  });
}

/** Blocks from step extensions for the steps that will be expanded; a slow or failing one is left out. */
async function extensionBlocks(
  rt: ChecklistRuntime,
  state: RunState,
  client: WebClient,
): Promise<Record<string, Block[]>> {
  if (state.status !== 'active') return {};
  const out: Record<string, Block[]> = {};
  await Promise.all(
    actionableSteps(state)
      .slice(0, EXPANDED_STEPS)
      .map(async (step) => {
        const blocks: Block[] = [];
        for (const { key, value, extension } of extensionsFor(step)) {
          if (!extension.renderBlocks) continue;
          const ctx = extensionContext(rt, state, step, value, client);
          try {
            blocks.push(
              ...(await withTimeout(Promise.resolve(extension.renderBlocks(ctx)), RENDER_TIMEOUT_MS)),
            );
          } catch (error) {
            rt.deps.logger.warn('step extension failed to render', { key, step: step.id, error });
            blocks.push(context([`:warning: ${key} information is unavailable right now.`]));
          }
        }
        if (blocks.length > 0) out[step.id] = blocks;
      }),
  );
  return out;
}

export function extensionContext(
  rt: ChecklistRuntime,
  run: RunState,
  step: StepExtensionContext['step'],
  value: string,
  client: WebClient,
): StepExtensionContext {
  return {
    run,
    step,
    value,
    checklist: rt.checklist(run.checklistId),
    drill: run.drill,
    deps: rt.deps,
    client,
  };
}

export function actionContext(
  rt: ChecklistRuntime,
  run: RunState,
  step: StepExtensionContext['step'],
  value: string,
  client: WebClient,
  user: string,
): StepActionContext {
  return { ...extensionContext(rt, run, step, value, client), user };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface RunNote {
  /** Who it is about (the clicker), or null for the bot itself. */
  user: string | null;
  /** mrkdwn written by the extension; escape anything a user typed (escapeMrkdwn). */
  text: string;
  /**
   * `key` and `at` identify the note (its event id is `<at>#note:<key>#0`): pass the click's time
   * (`isoFromActionTs`) and a key stable for the occurrence, so a retry records it once. Without `at`
   * the current time is used and every call is a new note.
   */
  key: string;
  at?: string;
}

/**
 * For step extensions: record something that happened on a run (evidence checked, failover executed,
 * notice posted) as a `note` event, once per key, and post it in the run's thread. False when it was
 * already recorded.
 */
export async function recordRunNote(
  rt: ChecklistRuntime,
  client: WebClient,
  runId: string,
  note: RunNote,
): Promise<boolean> {
  const store = await rt.deps.getStore();
  const record = await store.getRun(runId);
  if (!record) return false;
  const at = note.at ?? rt.deps.now().toISOString();
  const event: RunEvent = {
    id: eventId({ at, key: `note:${note.key}` }, 0),
    runId,
    type: 'note',
    at,
    user: note.user,
    text: note.text,
    version: record.state.version,
  };
  const written = await store.appendEvent(event);
  if (written) await rt.postThread(record.state, [event], client);
  return written;
}

/**
 * Idempotency key of an interaction: the same click redelivered (Slack retry) gives the same key; two
 * clicks never do (their `action_ts` differ).
 */
export function actionKey(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('base64url')
    .slice(0, 22);
}

/** Slack's `action_ts` (`1700000000.123456`) as ISO time; `fallback` when absent or malformed. */
export function isoFromActionTs(actionTs: string | undefined, fallback: Date): string {
  const seconds = Number(actionTs);
  return Number.isFinite(seconds) && seconds > 0
    ? new Date(Math.round(seconds * 1000)).toISOString()
    : fallback.toISOString();
}
