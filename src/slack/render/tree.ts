/**
 * Decision trees in Block Kit (`/runbook diagnose`): the list of trees, one step of a walk (the question
 * with one button per answer, Back, Start over), a leaf (the section's summary and a button to open it),
 * an escalation leaf (the path's levels with their contacts), and clear answers for stale buttons. Pure.
 */
import type { Artifact, Contact, DecisionTree, EscalationPath, Section } from '../../runbooks/model/model';
import { encodeWalkState, startWalk, type WalkProblem, type WalkView } from '../../workflows/tree-walk';
import { ActionIds } from '../action-ids';
import {
  actions,
  type Block,
  type Button,
  button,
  context,
  fallback,
  header,
  type Message,
  section,
} from './blocks';
import { renderWho } from './contacts';
import { escapeMrkdwn, quoteUserText } from './escape';
import { SLACK_LIMITS } from './limits';
import { inline, repoLinkResolver } from './markdown';
import { sectionPath, sectionUrl } from './section';

export interface TreeRenderContext {
  artifact: Pick<Artifact, 'trees' | 'sections' | 'runbooks' | 'escalationPaths' | 'contacts'>;
  repoUrl: string;
  /** The slash command as configured (`/runbook`). */
  command: string;
}

/** Answers shown before the current question; older ones are summarised. */
const TRAIL_SHOWN = 8;
const LIST_MAX = SLACK_LIMITS.blocksPerMessage - 4;

export function renderTreeList(
  ctx: TreeRenderContext,
  opts: { query?: string; matches?: readonly DecisionTree[]; note?: string } = {},
): Message {
  const { trees } = ctx.artifact;
  const shown = opts.matches && opts.matches.length > 0 ? opts.matches : trees;
  const blocks: Block[] = [header('Decision trees')];
  // A note may echo a button's value (a forged one too): verbatim, as every echo of user text.
  if (opts.note) blocks.push(section(opts.note, { verbatim: true }));
  if (opts.query !== undefined) {
    const q = quoteUserText(opts.query, 80);
    const lead =
      opts.matches && opts.matches.length > 0
        ? `Several trees match “${q}”: pick one.`
        : `No decision tree matches “${q}”. Here are all of them:`;
    blocks.push(section(lead, { verbatim: true }));
  }
  if (trees.length === 0) {
    blocks.push(
      section('The runbooks have no decision trees yet (`<!-- bot: tree=<id> -->` in TROUBLESHOOTING.md).'),
    );
  }
  for (const tree of shown.slice(0, LIST_MAX)) {
    const words = tree.keywords.length > 0 ? `\n${escapeMrkdwn(tree.keywords.slice(0, 12).join(', '))}` : '';
    blocks.push({
      ...section(`*${escapeMrkdwn(tree.title)}*${words}`),
      accessory: button({ text: 'Start', actionId: ActionIds.treeStart, value: tree.id }),
    } as Block);
  }
  blocks.push(
    context([
      `Next: \`${ctx.command} diagnose <words>\` starts the tree that fits, e.g. \`${ctx.command} diagnose login\``,
    ]),
  );
  return { text: fallback(`Decision trees: ${shown.map((t) => t.title).join(', ') || 'none'}`), blocks };
}

export function renderTreeStep(ctx: TreeRenderContext, view: WalkView): Message {
  const { tree, node } = view;
  const blocks: Block[] = [header(tree.title)];
  const trail = trailText(view);
  if (trail) blocks.push(context([trail]));

  const nav: Button[] = [];
  if (view.back)
    nav.push(button({ text: 'Back', actionId: ActionIds.treeBack, value: encodeWalkState(view.back) }));
  if (view.state.path.length > 0) {
    nav.push(
      button({ text: 'Start over', actionId: ActionIds.treeRestart, value: encodeWalkState(view.startOver) }),
    );
  }

  if (node.kind === 'question' || node.kind === 'action') {
    blocks.push(
      section(
        node.kind === 'question'
          ? `:question: *${escapeMrkdwn(node.label)}*`
          : `:point_right: ${escapeMrkdwn(node.label)}`,
      ),
    );
    const choices = view.choices.map((c) =>
      button({
        text: c.label,
        actionId: `${ActionIds.treeChoose}:${c.index}`,
        value: encodeWalkState(c.next),
      }),
    );
    for (let k = 0; k < choices.length; k += SLACK_LIMITS.actionsElements) {
      blocks.push(actions(choices.slice(k, k + SLACK_LIMITS.actionsElements)));
    }
    if (nav.length > 0) blocks.push(actions(nav));
    return { text: fallback(`${tree.title}: ${node.label}`), blocks };
  }

  const target = ctx.artifact.sections.find((s) => s.id === node.target);
  const path = node.escalation
    ? ctx.artifact.escalationPaths.find((p) => p.id === node.escalation)
    : undefined;
  const leafButtons: Button[] = [];
  if (path) {
    blocks.push(
      section(`:rotating_light: *Escalate: ${escapeMrkdwn(path.title)}*\n${escapeMrkdwn(node.label)}`),
    );
    blocks.push(...escalationBlocks(ctx, path));
    leafButtons.push(
      button({
        text: 'Post escalation in channel',
        actionId: ActionIds.treePostEscalation,
        value: path.id,
        style: 'danger',
      }),
    );
  } else if (target) {
    blocks.push(section(`:white_check_mark: *${escapeMrkdwn(target.title)}*`));
    blocks.push(context([`:book: ${escapeMrkdwn(sectionPath(target, ctx.artifact))}`]));
    blocks.push(section(leafSummary(ctx, target)));
  } else {
    blocks.push(section(`:white_check_mark: *${escapeMrkdwn(node.label)}*`));
  }
  if (target) {
    leafButtons.push(
      button({
        text: `Open “${target.title}”`,
        actionId: ActionIds.treeOpenSection,
        value: target.id,
        style: path ? undefined : 'primary',
      }),
      button({
        text: 'View in repository',
        actionId: ActionIds.viewSource,
        url: sectionUrl(ctx.repoUrl, target),
      }),
    );
  }
  blocks.push(actions([...leafButtons, ...nav]));
  const what = path ? `escalate: ${path.title}` : (target?.title ?? node.label);
  return { text: fallback(`${tree.title}: ${what}`), blocks };
}

/** A button from an old message that no longer fits the runbooks. */
export function renderTreeProblem(
  ctx: TreeRenderContext,
  problem: WalkProblem | { kind: 'bad-value' },
): Message {
  if (problem.kind === 'unknown-tree' || problem.kind === 'bad-value') {
    const note =
      problem.kind === 'unknown-tree'
        ? `:warning: The decision tree \`${codeText(problem.treeId)}\` is no longer in the runbooks. Pick another:`
        : ':warning: That button does not belong to a decision tree this bot knows. Pick a tree:';
    return renderTreeList(ctx, { note });
  }
  const { tree } = problem;
  const why =
    problem.kind === 'changed'
      ? `has changed since this message was posted, so its buttons no longer match it`
      : 'no longer has the step this button pointed at';
  const restart = encodeWalkState(startWalk(tree).state);
  return {
    text: fallback(`The decision tree ${tree.title} ${why}. Start over.`),
    blocks: [
      section(
        `:warning: The decision tree *${escapeMrkdwn(tree.title)}* ${why}. Start again from the first question:`,
      ),
      actions([
        button({ text: 'Start over', actionId: ActionIds.treeRestart, value: restart, style: 'primary' }),
      ]),
    ],
  };
}

/**
 * A button's value shown in a code span: quoted as user text (escaped, one line, shortened), its backticks
 * changed to `ˋ` (as render/markdown.ts does), since a backtick would end the span and render the rest as
 * mrkdwn (bold, links).
 */
function codeText(value: string): string {
  return quoteUserText(value, 80).replace(/`/g, 'ˋ');
}

function trailText(view: WalkView): string {
  if (view.trail.length === 0) return '';
  const lines = view.trail.map(
    (t, k) => `${k + 1}. ${escapeMrkdwn(t.node.label)} → *${escapeMrkdwn(t.edge.label || 'Next')}*`,
  );
  const hidden = lines.length - TRAIL_SHOWN;
  return hidden > 0 ? [`_${hidden} earlier answers_`, ...lines.slice(hidden)].join('\n') : lines.join('\n');
}

/** Sub-headings of a symptom section worth showing at a leaf (docs/runbook-format.md, "Sections"). */
const LEAF_PARTS = ['what you see', 'likely causes', 'fix'];
const LEAF_PART_CHARS = 600;

/**
 * What a leaf shows before "Open": the section's first paragraph, or, for a symptom section whose body
 * sits under its sub-headings, the start of "What you see", "Likely causes" and "Fix".
 */
function leafSummary(ctx: TreeRenderContext, target: Section): string {
  if (target.summary) return escapeMrkdwn(target.summary);
  const children = target.children
    .map((id) => ctx.artifact.sections.find((s) => s.id === id))
    .filter((c): c is Section => c !== undefined && c.text.trim() !== '');
  const named = children.filter((c) =>
    LEAF_PARTS.includes(
      c.title
        .toLowerCase()
        .replace(/[^a-z ]/g, '')
        .trim(),
    ),
  );
  const resolveLink = repoLinkResolver(ctx.repoUrl, target.file);
  const parts = (named.length > 0 ? named : children.slice(0, 2)).map(
    (c) => `*${escapeMrkdwn(c.title)}*\n${brief(c.markdown, (md) => inline(md, { resolveLink }))}`,
  );
  return parts.length > 0 ? parts.join('\n\n') : '_Open the section for the details._';
}

/** The prose of a section body as short mrkdwn: list items as bullets, paragraphs joined, code left out. */
function brief(markdown: string, toMrkdwn: (md: string) => string): string {
  const items: string[] = [];
  let inFence = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence || /^(```|~~~)/.test(line) || line.startsWith('<!--')) continue;
    const item = /^([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) items.push(`• ${item[2]}`);
    else if (line === '') items.push('');
    else if (items.length > 0 && items[items.length - 1] !== '') items[items.length - 1] += ` ${line}`;
    else items.push(line);
  }
  let out = '';
  for (const item of items.filter(Boolean)) {
    const next = toMrkdwn(item);
    if (out.length + next.length > LEAF_PART_CHARS) return `${out}\n…`.trim();
    out = out ? `${out}\n${next}` : next;
  }
  return out;
}

/** Contacts for an escalation level: `L2` matches `L2`; `AWS Support — TAM` matches `AWS Support`. */
function contactsFor(contacts: readonly Contact[], level: string): Contact[] {
  const want = level.toUpperCase();
  return contacts.filter((c) => {
    const have = c.level.toUpperCase();
    return have !== '' && (want === have || want.startsWith(`${have} `));
  });
}

/** The path's levels, each with what to do and who to call (ephemeral: mentions do not notify here). */
function escalationBlocks(ctx: TreeRenderContext, path: EscalationPath): Block[] {
  const lines = path.steps.map((step) => {
    const who = contactsFor(ctx.artifact.contacts, step.level).map(
      (c) =>
        `${escapeMrkdwn(c.role)}: ${renderWho(c.who, { mentions: true })}${c.phone ? ` (${escapeMrkdwn(c.phone)})` : ''}`,
    );
    const label = step.label && step.label !== step.level ? ` — ${escapeMrkdwn(step.label)}` : '';
    const body = `*${escapeMrkdwn(step.level)}*${label}\n${inline(step.text)}`;
    return who.length > 0 ? `${body}\n\u2003_Contact:_ ${who.join(' · ')}` : body;
  });
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 2 > SLACK_LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  return blocks.slice(0, 10);
}
