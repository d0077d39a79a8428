/**
 * Guided checklists: `/runbook failover`, `/runbook promote sit prod`, `/runbook deploy`, … start the
 * checklist whose `command` phrases (from the runbooks, via the artifact) match the text exactly;
 * `/runbook drill <phrase>` starts the same flow as a drill; `/runbook checklists` lists them.
 *
 * A run is posted in the channel and updated in place; its thread records each event. Buttons and modals
 * are in actions.ts, shared plumbing in runtime.ts, step extensions (AWS evidence,
 * failover actions, notices) in extensions.ts.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Checklist } from '../../../runbooks/model/model';
import { executeCommand, StartBusyError, startRun } from '../../../store/runs';
import { authorize } from '../../../workflows/authorize';
import { actorOf } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import type { AppDeps } from '../../deps';
import type { CommandContext, CommandRunner, Feature } from '../../feature';
import { actionKey, clickFrom } from '../../interaction';
import { notQueuedText } from '../../not-queued';
import { refusalText } from '../../render/checklist-format';
import { escapeMrkdwn, quoteUserText } from '../../render/escape';
import { replyTo } from '../../reply';
import { registerChecklistActions } from './actions';
import { findChecklistByPhrase, nearChecklistCommandsOf } from './phrase';
import { runtimeFor } from './runtime';
import { checklistsSubcommand, drillSubcommand } from './subcommands';
import { activeRunAnswer, publishRun } from './takeover';

export const START_TASK = 'checklists.start';

/** What starting a checklist needs, from the slash command's (or the alarm click's) signed envelope. */
export interface StartRequest {
  checklistId: string;
  drill: boolean;
  user: string;
  team: string | null;
  enterprise: string | null;
  channel: string;
  responseUrl: string | null;
  /** The request's `trigger_id`: a redelivery of the same request starts nothing new. */
  triggerId: string | null;
}

/** `/runbook failover`: ack (done by the command listener), then start the run in deferred work. */
export async function startChecklist(
  ctx: CommandContext,
  checklist: Checklist,
  drill: boolean,
): Promise<void> {
  const { command } = ctx;
  await requestStart(ctx.deps, {
    checklistId: checklist.id,
    drill,
    user: command.user_id,
    team: command.team_id || null,
    enterprise: (command as { enterprise_id?: string }).enterprise_id || null,
    channel: command.channel_id,
    responseUrl: command.response_url || null,
    triggerId: command.trigger_id || null,
  });
}

/** Queue a start; if even that fails, say so. */
export async function requestStart(deps: AppDeps, request: StartRequest): Promise<void> {
  const target: ReplyTarget = {
    user: request.user,
    channel: request.channel,
    responseUrl: request.responseUrl,
  };
  try {
    await deps.defer({ kind: START_TASK, payload: request, replyTo: target });
  } catch (error) {
    deps.logger.warn('checklist start not queued', { checklist: request.checklistId, error });
    await replyTo(deps, target, {
      text: notQueuedText(error, { thing: 'the checklist’s start', nothing: 'nothing was started' }),
    });
    deps.logger.debug('checklist interaction handled', { what: 'start', checklist: request.checklistId });
  }
}

async function start(deps: AppDeps, request: StartRequest): Promise<void> {
  const rt = runtimeFor(deps);
  const reply: ReplyTarget = {
    user: request.user,
    channel: request.channel,
    responseUrl: request.responseUrl,
  };
  const checklist = rt.checklist(request.checklistId);
  if (!checklist) {
    await replyTo(deps, reply, { text: 'That checklist is no longer in the runbooks.' });
    return;
  }
  const runCtx = {
    user: request.user,
    at: deps.now().toISOString(),
    key: actionKey(['start', request.triggerId ?? deps.now().toISOString(), request.user, checklist.id]),
    team: request.team,
    enterprise: request.enterprise,
    channel: request.channel,
  };
  // Typed or clicked ("Run as checklist", an alarm's "Start failover"), a start is judged in one place.
  const roles = await rt.rolesOf(request.user);
  const verdict = authorize(null, { type: 'start' }, actorOf({ ...runCtx, roles }), runCtx.at);
  if (!verdict.ok) {
    await replyTo(deps, reply, { text: `:no_entry: ${refusalText(verdict.reason)} Nothing was started.` });
    return;
  }
  const store = await deps.getStore();
  let started: Awaited<ReturnType<typeof startRun>>;
  try {
    started = await startRun(
      store,
      {
        checklist,
        drill: request.drill,
        channel: request.channel,
        team: request.team,
        enterprise: request.enterprise,
        ...(request.triggerId ? { startKey: `${request.team ?? ''}:${request.triggerId}` } : {}),
      },
      runCtx,
    );
  } catch (error) {
    if (!(error instanceof StartBusyError)) throw error;
    await replyTo(deps, reply, {
      text: ':hourglass_flowing_sand: Someone is starting this checklist in this channel right now; nothing was started. Try again in a moment.',
    });
    return;
  }
  const { state, events, superseded, repeated, blocked } = started;
  if (blocked) {
    // Never a silent takeover: say which run is active, and offer Take over… to whoever may.
    await replyTo(deps, reply, await activeRunAnswer(rt, state, request));
    return;
  }
  if (repeated) {
    // The same request again (a redelivery, a double submit): show the run it started, start nothing.
    const link = state.messageTs ? await permalink(rt.slack, state.channel, state.messageTs) : null;
    await replyTo(deps, reply, {
      text: `:information_source: You started this checklist a moment ago${link ? `: <${link}|open it>` : ''}; no second run was started.`,
    });
    if (state.messageTs) await rt.refreshMessage(state.runId).catch(() => undefined);
    return;
  }

  const supersededEvents = superseded
    ? (await store.listEvents(superseded.runId)).filter(
        (e) => e.type === 'taken_over' && e.runRef === state.runId,
      )
    : [];
  const published = await publishRun(
    rt,
    state,
    events,
    superseded ? { state: superseded, events: supersededEvents } : null,
    runCtx,
  );
  if (!published.posted) {
    await executeCommand(
      store,
      state.runId,
      { type: 'cancel', reason: 'the checklist message could not be posted' },
      { ...runCtx, key: `cancel:${state.runId}`, system: true },
    );
    await replyTo(deps, reply, {
      text: `:warning: I could not post the checklist in this channel. Invite me (\`/invite @runbook\`) or run \`${deps.config.slashCommand} ${escapeMrkdwn(checklist.commands[0] ?? checklist.id)}\` in a channel I am in.`,
    });
  }
}

async function permalink(client: ReturnType<typeof runtimeFor>['slack'], channel: string, ts: string) {
  try {
    return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink ?? null;
  } catch {
    return null;
  }
}

// A start is idempotent through its start key (claimed once in the store), so it needs no task lease.
registerDeferred(
  START_TASK,
  async (payload, deps) => {
    const request = payload as StartRequest;
    try {
      await start(deps, request);
    } finally {
      deps.logger.debug('checklist interaction handled', { what: 'start', checklist: request.checklistId });
    }
  },
  { once: false },
);

function listChecklists(deps: AppDeps): string {
  const command = deps.config.slashCommand;
  const lines = deps.artifact.checklists.map(
    (c) => `• \`${command} ${escapeMrkdwn(c.commands[0] ?? c.id)}\` — ${escapeMrkdwn(c.title)}`,
  );
  return lines.length > 0
    ? `*Checklists* (add \`drill\` to practise: \`${command} drill ${escapeMrkdwn(deps.artifact.checklists[0]?.commands[0] ?? '')}\`)\n${lines.join('\n')}`
    : 'The runbooks define no checklists yet.';
}

export const checklistsFeature: Feature = {
  id: 'checklists',
  subcommands: [
    {
      ...drillSubcommand,
      run: async (ctx) => {
        const checklist = findChecklistByPhrase(ctx.deps.artifact.checklists, ctx.args);
        if (!checklist) {
          const asked = ctx.args ? `No checklist is called “${quoteUserText(ctx.args, 80)}”.\n` : '';
          await ctx.respond({ response_type: 'ephemeral', text: `${asked}${listChecklists(ctx.deps)}` });
          return;
        }
        await startChecklist(ctx, checklist, true);
      },
    },
    {
      ...checklistsSubcommand,
      run: async (ctx) => {
        await ctx.respond({ response_type: 'ephemeral', text: listChecklists(ctx.deps) });
      },
    },
  ],
  claimText(text: string, deps: AppDeps): CommandRunner | null {
    const checklist = findChecklistByPhrase(deps.artifact.checklists, text);
    if (checklist) return (ctx) => startChecklist(ctx, checklist, false);
    const near = new Set(nearChecklistCommandsOf(deps.artifact, text));
    if (near.size === 0) return null;
    return async (ctx) => {
      const command = deps.config.slashCommand;
      const lines = deps.artifact.checklists
        .filter((c) => c.commands.some((cmd) => near.has(cmd)))
        .map((c) => `• \`${command} ${escapeMrkdwn(c.commands[0] ?? c.id)}\` — ${escapeMrkdwn(c.title)}`);
      await ctx.respond({
        response_type: 'ephemeral',
        text: `“${quoteUserText(text, 80)}” is not a checklist here; nothing was started. Did you mean:\n${lines.join('\n')}\n\`${command} checklists\` lists them all.`,
      });
    };
  },
  register(app, deps) {
    registerChecklistActions(app, runtimeFor(deps));
    registerRunChecklist(app, deps);
  },
};

/**
 * "Run as checklist" on a search answer: the value names a checklist of the runbooks (a reference, never
 * authority). It starts exactly as typing that checklist's command in the clicked channel would: the same
 * `requestStart` with Slack's signed envelope (user, workspace, org, channel, trigger), then `start()`,
 * which asks `authorize()`. A value that names no checklist starts nothing and says so.
 */
function registerRunChecklist(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.runChecklist, async ({ ack, action, body, respond }) => {
    await ack();
    const click = clickFrom(body, action);
    const checklist = runtimeFor(deps).checklist(click.value);
    if (!checklist || !click.channel) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `That checklist is no longer in the runbooks; nothing was started. \`${deps.config.slashCommand} checklists\` lists the ones there are.`,
      });
      return;
    }
    await requestStart(deps, {
      checklistId: checklist.id,
      drill: false,
      user: click.user,
      team: click.team,
      enterprise: click.enterprise,
      channel: click.channel,
      responseUrl: click.responseUrl,
      triggerId: body.trigger_id || null,
    });
  });
}
