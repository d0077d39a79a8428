/**
 * `/runbook <words>`: the best section, ephemeral, with "Share in channel" and "Other matches";
 * `/runbook list`: runbooks and their sections.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Section } from '../../runbooks/model/model';
import { ActionIds, openSectionPattern } from '../action-ids';
import type { AppDeps } from '../deps';
import type { CommandContext, Feature } from '../feature';
import { renderNoMatch, renderSectionGone } from '../render/no-match';
import { MAX_OTHER_MATCHES, renderSectionAnswer } from '../render/section';

/** Longer queries are cut before searching: nobody types more, and the search stays fast. */
export const MAX_QUERY_CHARS = 300;

export async function answerQuery(ctx: CommandContext): Promise<void> {
  const { deps, respond } = ctx;
  const query = ctx.args;
  const searched = query.slice(0, MAX_QUERY_CHARS);
  await deps.search.prepare?.(searched);
  const outcome = deps.search.search(searched, { limit: MAX_OTHER_MATCHES + 1 });
  const [best, ...rest] = outcome.results;
  const command = deps.config.slashCommand;
  if (!best || !outcome.confident) {
    await respond({
      response_type: 'ephemeral',
      ...renderNoMatch({
        query,
        suggestions: [...outcome.results.map((r) => r.section), ...outcome.suggestions],
        command,
      }),
    });
    return;
  }
  await respond({
    response_type: 'ephemeral',
    ...renderSectionAnswer({
      section: best.section,
      others: rest.map((r) => r.section),
      artifact: deps.artifact,
      repoUrl: deps.config.repoUrl,
      command,
      query,
    }),
  });
}

function findSection(deps: AppDeps, id: string): Section | undefined {
  return deps.artifact.sections.find((s) => s.id === id);
}

function register(app: App, deps: AppDeps): void {
  const { repoUrl, slashCommand: command } = deps.config;

  app.action<BlockAction<ButtonAction>>(ActionIds.shareSection, async ({ ack, action, body, respond }) => {
    await ack();
    const s = findSection(deps, action.value ?? '');
    if (!s) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderSectionGone(command) });
      return;
    }
    await respond({
      response_type: 'in_channel',
      replace_original: false,
      ...renderSectionAnswer({
        section: s,
        artifact: deps.artifact,
        repoUrl,
        command,
        sharedBy: body.user.id,
      }),
    });
  });

  app.action<BlockAction<ButtonAction>>(openSectionPattern, async ({ ack, action, respond }) => {
    await ack();
    const [id = '', ...restIds] = (action.value ?? '').split('\n');
    const s = findSection(deps, id);
    if (!s) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderSectionGone(command) });
      return;
    }
    const others = restIds.map((r) => findSection(deps, r)).filter((x): x is Section => x !== undefined);
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...renderSectionAnswer({ section: s, others, artifact: deps.artifact, repoUrl, command }),
    });
  });

  // Link buttons still send an interaction; acknowledge it so Slack shows no error.
  app.action(ActionIds.viewSource, async ({ ack }) => {
    await ack();
  });
}

export const searchFeature: Feature = {
  id: 'search',
  subcommands: [
    {
      names: ['list', 'ls', 'runbooks'],
      usage: 'list [runbook]',
      answersInAck: true,
      summary: 'The runbooks and their sections.',
      run: async ({ args, respond, deps }) => {
        // Not on the search path: loaded on first use, like the lazy features (features/index.ts).
        const { renderList } = await import('../render/list.js');
        await respond({
          response_type: 'ephemeral',
          ...renderList({
            artifact: deps.artifact,
            repoUrl: deps.config.repoUrl,
            command: deps.config.slashCommand,
            filter: args,
          }),
        });
      },
    },
  ],
  register,
};
