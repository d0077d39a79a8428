/**
 * What the checklist listeners share for one app: the approvers (read once, at start: approvers-at-start.ts),
 * role resolution with cached user-group lookups, rendering with step extensions, in-place message updates,
 * the event thread, and "execute a command and report the outcome".
 *
 * The message is a view of the store: every change is written first (one conditional write), then the
 * message is rendered from what is stored. A refusal or a duplicate redraws the message from the store, so
 * the next click repairs a message a failed update left behind; a change that was recorded is reported as
 * recorded even when Slack refused the update.
 */
import type { webApi } from '@slack/bolt';
import type { Checklist } from '../../../runbooks/model/model';
import { type ExecuteResult, executeCommand } from '../../../store/runs';
import { createRoleResolver, type RoleResolver, undefinedRoles } from '../../../workflows/approver-roles';
import { type Approvers, ApproversFileMissingError } from '../../../workflows/approvers';
import { type CommandContext, eventId, type RunCommand } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import { currentSteps, type RunEvent, type RunState } from '../../../workflows/run-state';
import type { AppDeps } from '../../deps';
import { type Click, clickKey, isoFromActionTs } from '../../interaction';
import { type Block, context, type Message } from '../../render/blocks';
import { EXPANDED_STEPS, renderChecklist } from '../../render/checklist';
import { refusalText } from '../../render/checklist-format';
import { eventLine, threadMessage } from '../../render/checklist-thread';
import { replyTo } from '../../reply';
import { webClientFor } from '../../web-client';
import { approversOf } from './approvers-at-start';
import {
  extensionsFor,
  RENDER_TIMEOUT_MS,
  type StepActionContext,
  type StepExtensionContext,
} from './extensions';

export { actionKey, isoFromActionTs } from '../../interaction';

type WebClient = webApi.WebClient;

export const RUN_GONE = 'This checklist run no longer exists. Start a new one with the checklist command.';

export interface ChecklistRuntime {
  deps: AppDeps;
  /** A Web API client from config: deferred work has no Bolt client. */
  slack: WebClient;
  rolesOf(userId: string): Promise<string[]>;
  /** Everyone who holds `role` (approvers file, user groups expanded). */
  membersOf(role: string): Promise<string[]>;
  /** The role's own Slack user group, when the approvers file names one (`group:`). */
  groupOf(role: string): string | undefined;
  /** False while a group of the role could not be listed and nothing is known of it (RoleResolver). */
  membersKnown(role: string): boolean;
  /** The roles whose members are unknown now (`membersKnown` false): read after resolving someone's roles. */
  rolesUnknown(): string[];
  /**
   * Also keep other views of a run in step with the store (approval DMs, Home tabs: src/slack/features/reach/):
   * `observer(runId)` runs after the run's message is redrawn, whatever changed; it must not throw.
   */
  observe(observer: (runId: string) => Promise<void>): void;
  /** Run the observers now (a new run: its message was just posted from the store). */
  refreshViews(runId: string): Promise<void>;
  /** Why nobody can approve anything (approvers file missing), or null. */
  approversProblem: string | null;
  checklist(id: string): Checklist | undefined;
  /** The command context of a click: Slack's signed envelope plus the clicker's roles. */
  contextOf(click: Click): Promise<CommandContext>;
  renderRun(state: RunState): Promise<Message>;
  /**
   * Re-render the run's message from its latest stored state, then the other views of the run (`observe`);
   * concurrent calls coalesce, the last state wins. Rejects when Slack refuses the message's update (the
   * store is right; the message is not, until next time).
   */
  refreshMessage(runId: string): Promise<void>;
  postThread(state: RunState, events: RunEvent[]): Promise<void>;
  /** Execute a command and report: the message redrawn from the store, the thread, the clicker's answer. */
  run(
    runId: string,
    command: RunCommand,
    ctx: CommandContext,
    reply: ReplyTarget | null,
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
  const { logger } = deps;
  const { approvers, problem } = readApprovers(deps);
  const slack = webClientFor(deps);
  const resolver: RoleResolver = createRoleResolver(
    approvers,
    async (usergroup) => (await slack.usergroups.users.list({ usergroup })).users ?? [],
    { onLookupError: (group, error) => logger.warn('user group lookup failed', { group, error }) },
  );

  const rolesUnknown = () =>
    Object.keys(approvers.roles).filter((role) => resolver.membersKnown?.(role) === false);
  const refreshing = new Map<string, { again: boolean; done: Promise<void> }>();
  const observers: ((runId: string) => Promise<void>)[] = [];
  const tell = (reply: ReplyTarget | null, text: string) =>
    reply ? replyTo(deps, reply, { text }) : Promise.resolve(false);
  const redraw = (runId: string) =>
    rt.refreshMessage(runId).catch((error: unknown) => logger.warn('message not redrawn', { runId, error }));

  const rt: ChecklistRuntime = {
    deps,
    slack,
    approversProblem: problem,
    rolesOf: (userId) => resolver.rolesOf(userId),
    membersOf: (role) => resolver.membersOf(role),
    groupOf: (role) => resolver.groupOf(role),
    membersKnown: (role) => resolver.membersKnown?.(role) ?? true,
    rolesUnknown,
    observe(observer) {
      observers.push(observer);
    },
    async refreshViews(runId) {
      for (const observer of observers) await observer(runId);
    },
    // A declared checklist, or a numbered procedure an answer offers to run (never typed).
    checklist: (id) =>
      deps.artifact.checklists.find((c) => c.id === id) ?? deps.artifact.procedures?.find((c) => c.id === id),

    async contextOf(click) {
      return {
        user: click.user,
        at: isoFromActionTs(click.actionTs, deps.now()),
        key: clickKey(click),
        roles: await resolver.rolesOf(click.user),
        // Read after the roles: a group Slack could not list just now makes its role's members unknown.
        rolesUnknown: rolesUnknown(),
        team: click.team,
        enterprise: click.enterprise,
        channel: click.channel,
        ...(click.home ? { home: true } : {}),
      };
    },

    async renderRun(state) {
      // The roles' user groups (approvers.yaml `group:`), mentioned at the open gate; not in a drill.
      const roleGroups: Record<string, string> = {};
      for (const item of state.drill ? [] : state.items) {
        if (item.type !== 'gate') continue;
        for (const role of item.roles) {
          const group = resolver.groupOf(role);
          if (group) roleGroups[role] = group;
        }
      }
      return renderChecklist(state, { extraBlocks: await extensionBlocks(rt, state), roleGroups });
    },

    refreshMessage(runId) {
      const current = refreshing.get(runId);
      if (current) {
        current.again = true;
        return current.done;
      }
      const entry = { again: false, done: Promise.resolve() };
      entry.done = (async () => {
        let failure: unknown = null;
        try {
          do {
            entry.again = false;
            failure = null;
            await updateMessage(rt, runId).catch((error: unknown) => {
              failure = error ?? new Error('chat.update failed');
            });
            for (const observer of observers) await observer(runId);
          } while (entry.again);
        } finally {
          refreshing.delete(runId);
        }
        if (failure) throw failure;
      })();
      refreshing.set(runId, entry);
      return entry.done;
    },

    async postThread(state, events) {
      if (!state.messageTs || events.length === 0) return;
      await slack.chat.postMessage({
        channel: state.channel,
        thread_ts: state.messageTs,
        ...threadMessage(state, events),
      });
    },

    async run(runId, command, ctx, reply) {
      const store = await deps.getStore();
      const result = await executeCommand(store, runId, command, ctx);
      switch (result.kind) {
        case 'not_found':
          await tell(reply, RUN_GONE);
          break;
        case 'duplicate':
          // A redelivery of something already applied: the message may be what is wrong, so redraw it.
          logger.debug('checklist action already applied', { runId, command: command.type });
          await redraw(runId);
          break;
        case 'refused':
          await tell(reply, `:no_entry_sign: ${refusalText(result.reason)}`);
          await rt.postThread(result.state, result.events).catch((error: unknown) => {
            logger.warn('refusal not posted in the thread', { runId, error });
          });
          await redraw(runId);
          break;
        case 'applied': {
          if (result.eventsPending !== undefined)
            logger.warn('change recorded; its events wait in the outbox', {
              runId,
              error: result.eventsPending,
            });
          const [update, thread] = await Promise.allSettled([
            rt.refreshMessage(runId),
            rt.postThread(result.state, result.events),
          ]);
          if (thread.status === 'rejected') logger.warn('thread not posted', { runId, error: thread.reason });
          if (update.status === 'rejected') {
            logger.warn('message not refreshed after a recorded change', { runId, error: update.reason });
            await tell(reply, recordedText(result.state, result.events));
          }
          break;
        }
      }
      return result;
    },
  };
  return rt;
}

/** The change was stored; only the message is behind. */
function recordedText(state: RunState, events: RunEvent[]): string {
  const what = events[0] ? eventLine(state, events[0]) : 'your change';
  return `:white_check_mark: Recorded: ${what}\n:warning: The checklist message could not be refreshed; it will be on the next click.`;
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

async function updateMessage(rt: ChecklistRuntime, runId: string): Promise<void> {
  const record = await (await rt.deps.getStore()).getRun(runId);
  const state = record?.state;
  if (!state?.messageTs) return;
  const message = await rt.renderRun(state);
  await rt.slack.chat.update({
    channel: state.channel,
    ts: state.messageTs,
    text: message.text,
    blocks: message.blocks,
  });
}

/**
 * Blocks from step extensions (live actions) for the current step(s) only: a later step's actions are not
 * offered before its turn. A slow or failing one is left out.
 */
async function extensionBlocks(rt: ChecklistRuntime, state: RunState): Promise<Record<string, Block[]>> {
  if (state.status !== 'active') return {};
  const out: Record<string, Block[]> = {};
  await Promise.all(
    currentSteps(state)
      .slice(0, EXPANDED_STEPS)
      .map(async (step) => {
        const blocks: Block[] = [];
        for (const { key, value, extension } of extensionsFor(step)) {
          if (!extension.renderBlocks) continue;
          const ctx = extensionContext(rt, state, step, value, rt.slack);
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
  _client: WebClient,
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
  if (written) {
    await rt.postThread(record.state, [event]).catch((error: unknown) => {
      rt.deps.logger.warn('note not posted in the thread (it is recorded)', { runId, error });
    });
  }
  return written;
}
