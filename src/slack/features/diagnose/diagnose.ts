/**
 * `/runbook diagnose [words]`: lists the decision trees, or starts the one the words pick, then walks it
 * with buttons. The walk lives in the buttons themselves (src/workflows/tree-walk.ts): every click carries
 * the state it leads to, so no store is needed, an old message keeps working while its tree is unchanged,
 * and a changed or removed tree is answered clearly.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeWalkState, pickTree, resumeWalk, startWalk } from '../../../workflows/tree-walk';
import { ActionIds, treeWalkPattern } from '../../action-ids';
import type { AppDeps } from '../../deps';
import type { CommandContext, Feature } from '../../feature';
import { postOnce } from '../../post-once';
import { renderEscalation } from '../../render/contacts';
import { renderSectionGone } from '../../render/no-match';
import { renderSectionAnswer, sectionUrl } from '../../render/section';
import { renderTreeList, renderTreeProblem, renderTreeStep, type TreeRenderContext } from '../../render/tree';
import { searchableText } from '../../router';
import { diagnoseSubcommand } from './subcommands';

function renderContext(deps: AppDeps): TreeRenderContext {
  return { artifact: deps.artifact, repoUrl: deps.config.repoUrl, command: deps.config.slashCommand };
}

async function diagnose({ args, respond, deps }: CommandContext): Promise<void> {
  const ctx = renderContext(deps);
  if (args.trim() === '') {
    await respond({ response_type: 'ephemeral', ...renderTreeList(ctx) });
    return;
  }
  // Picked by what the words say, not by who they mention (router.ts searchableText); echoed as typed.
  const pick = pickTree(deps.artifact.trees, searchableText(args));
  const message = pick.tree
    ? renderTreeStep(ctx, startWalk(pick.tree))
    : renderTreeList(ctx, { query: args, matches: pick.ranked });
  await respond({ response_type: 'ephemeral', ...message });
}

function register(app: App, deps: AppDeps): void {
  const ctx = renderContext(deps);

  app.action<BlockAction<ButtonAction>>(ActionIds.treeStart, async ({ ack, action, respond }) => {
    await ack();
    const treeId = action.value ?? '';
    const tree = deps.artifact.trees.find((t) => t.id === treeId);
    const message = tree
      ? renderTreeStep(ctx, startWalk(tree))
      : renderTreeProblem(ctx, { kind: 'unknown-tree', treeId });
    await respond({ response_type: 'ephemeral', replace_original: true, ...message });
  });

  // Answers, Back and Start over: each button's value is the walk state it leads to.
  app.action<BlockAction<ButtonAction>>(treeWalkPattern, async ({ ack, action, respond }) => {
    await ack();
    const state = decodeWalkState(action.value ?? '');
    const outcome = state ? resumeWalk(deps.artifact.trees, state) : null;
    const message = outcome?.ok
      ? renderTreeStep(ctx, outcome.view)
      : renderTreeProblem(ctx, outcome ? outcome.problem : { kind: 'bad-value' });
    await respond({ response_type: 'ephemeral', replace_original: true, ...message });
  });

  // The leaf's section in full, as a new message: the walk stays where it is, Back still works.
  app.action<BlockAction<ButtonAction>>(ActionIds.treeOpenSection, async ({ ack, action, respond }) => {
    await ack();
    const s = deps.artifact.sections.find((x) => x.id === action.value);
    const message = s
      ? renderSectionAnswer({
          section: s,
          artifact: deps.artifact,
          repoUrl: ctx.repoUrl,
          command: ctx.command,
        })
      : renderSectionGone(ctx.command);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
  });

  app.action<BlockAction<ButtonAction>>(
    ActionIds.treePostEscalation,
    async ({ ack, action, body, respond }) => {
      await ack();
      const path = deps.artifact.escalationPaths.find((p) => p.id === action.value);
      if (!path) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          ...renderSectionGone(ctx.command),
        });
        return;
      }
      const byId = new Map(deps.artifact.sections.map((s) => [s.id, s]));
      // In the channel, pinging the path's contacts: the same click delivered again (Slack's retry after a
      // slow ack, the same action_ts) posts once, as /runbook escalate does (post-once.ts).
      const key = `escalate:tree:${body.user.id}-${action.action_ts}`;
      await postOnce(
        deps,
        { key, what: 'tree escalation', responseUrl: body.response_url },
        renderEscalation({
          paths: [path],
          contacts: deps.artifact.contacts,
          args: '',
          command: ctx.command,
          postedBy: body.user.id,
          sectionUrl: (id) => {
            const s = byId.get(id);
            return s ? sectionUrl(ctx.repoUrl, s) : undefined;
          },
        }),
      );
    },
  );
}

export const diagnoseFeature: Feature = {
  id: 'diagnose',
  subcommands: [{ ...diagnoseSubcommand, run: diagnose }],
  register,
};
