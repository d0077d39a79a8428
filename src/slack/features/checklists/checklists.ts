/**
 * Guided checklists: `/runbook failover`, `/runbook promote sit prod`, `/runbook deploy`, … start the
 * checklist whose `command` phrases (from the runbooks, via the artifact) match the text exactly;
 * `/runbook drill <phrase>` starts the same flow as a drill; `/runbook checklists` lists them.
 *
 * A run is posted in the channel and updated in place; its thread records each event. Buttons and modals
 * are in actions.ts, shared plumbing in runtime.ts, step extensions (AWS evidence,
 * failover actions, notices) in extensions.ts.
 */
import type { Checklist } from '../../../runbooks/model/model';
import { executeCommand, startRun } from '../../../store/runs';
import type { AppDeps } from '../../deps';
import type { CommandContext, CommandRunner, Feature } from '../../feature';
import { escapeMrkdwn, quoteUserText } from '../../render/escape';
import { registerChecklistActions } from './actions';
import { findChecklistByPhrase } from './phrase';
import { actionKey, runtimeFor } from './runtime';
import { checklistsSubcommand, drillSubcommand } from './subcommands';

export async function startChecklist(
  ctx: CommandContext,
  checklist: Checklist,
  drill: boolean,
): Promise<void> {
  try {
    await start(ctx, checklist, drill);
  } finally {
    ctx.deps.logger.debug('checklist interaction handled', { what: 'start', checklist: checklist.id });
  }
}

async function start(ctx: CommandContext, checklist: Checklist, drill: boolean): Promise<void> {
  const { deps, command, client, respond } = ctx;
  const rt = runtimeFor(deps);
  const store = await deps.getStore();
  const runCtx = {
    user: command.user_id,
    at: deps.now().toISOString(),
    key: actionKey(['start', command.trigger_id, command.user_id, command.text]),
  };
  const { state, events, superseded } = await startRun(
    store,
    { checklist, drill, channel: command.channel_id },
    runCtx,
  );

  const message = await rt.renderRun(state, client);
  let ts: string | undefined;
  try {
    ts = (await client.chat.postMessage({ channel: state.channel, ...message })).ts;
  } catch (error) {
    deps.logger.warn('checklist message not posted', { runId: state.runId, channel: state.channel, error });
  }
  if (!ts) {
    await executeCommand(
      store,
      state.runId,
      { type: 'cancel', reason: 'the checklist message could not be posted' },
      { ...runCtx, key: `cancel:${state.runId}`, system: true },
    );
    await respond({
      response_type: 'ephemeral',
      text: `:warning: I could not post the checklist in this channel. Invite me (\`/invite @runbook\`) or run \`${deps.config.slashCommand} ${escapeMrkdwn(checklist.commands[0] ?? checklist.id)}\` in a channel I am in.`,
    });
    return;
  }

  const attached = await rt.run(
    state.runId,
    { type: 'attach', messageTs: ts },
    { ...runCtx, key: `attach:${ts}`, system: true },
    client,
    async () => undefined,
  );
  const live = attached.kind === 'applied' ? attached.state : { ...state, messageTs: ts };
  await rt.postThread(live, events, client);

  if (superseded) {
    await rt.refreshMessage(superseded.runId, client);
    if (superseded.messageTs) {
      const link = await permalink(client, state.channel, ts);
      await client.chat.postMessage({
        channel: superseded.channel,
        thread_ts: superseded.messageTs,
        text: `:fast_forward: Superseded by a new run started by <@${state.startedBy}>${link ? `: <${link}|open it>` : ''}. This message no longer changes.`,
      });
    }
  }
}

async function permalink(
  client: CommandContext['client'],
  channel: string,
  ts: string,
): Promise<string | null> {
  try {
    return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink ?? null;
  } catch {
    return null;
  }
}

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
    return checklist ? (ctx) => startChecklist(ctx, checklist, false) : null;
  },
  register(app, deps) {
    registerChecklistActions(app, runtimeFor(deps));
  },
};
