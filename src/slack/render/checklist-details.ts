/**
 * "Details" for a step (or gate): the runbook text behind it, ephemeral, with a link to the section in the
 * repository. The text comes from the current artifact; if the runbook changed since the run started, it
 * says so.
 */
import type { Artifact, ChecklistItem } from '../../runbooks/model/model';
import { type RunState, textDigest } from '../../workflows/run-state';
import { type Block, context, fallback, type Message, section } from './blocks';
import { renderBody } from './body';
import { runTitle } from './checklist-format';
import { escapeMrkdwn } from './escape';
import { SLACK_LIMITS } from './limits';
import { inline, markdownToSegments, repoLinkResolver } from './markdown';
import { sectionUrl } from './section';

export interface DetailsInput {
  state: RunState;
  itemId: string;
  artifact: Pick<Artifact, 'checklists' | 'sections' | 'procedures'>;
  repoUrl: string;
}

export function renderStepDetails({ state, itemId, artifact, repoUrl }: DetailsInput): Message {
  const snapshot = state.items.find((it) => it.id === itemId);
  const checklist = [...artifact.checklists, ...(artifact.procedures ?? [])].find(
    (c) => c.id === state.checklistId,
  );
  const current: ChecklistItem | undefined = checklist?.items.find((it) => it.id === itemId);
  const sectionId = current?.sectionId ?? snapshot?.sectionId;
  const s = artifact.sections.find((x) => x.id === sectionId);
  const title = snapshot?.type === 'step' ? `${snapshot.n}. ${snapshot.title}` : (snapshot?.title ?? itemId);

  const blocks: Block[] = [section(`*${escapeMrkdwn(title)}*`)];
  const where = [`:clipboard: ${escapeMrkdwn(runTitle(state))}`];
  if (snapshot?.type === 'step' && snapshot.phase) where.push(escapeMrkdwn(snapshot.phase));
  if (s) where.push(`<${sectionUrl(repoUrl, s)}|${escapeMrkdwn(s.file)} › ${escapeMrkdwn(s.title)}>`);
  blocks.push(context(where));

  const markdown = current?.markdown ?? s?.markdown ?? '';
  const resolveLink = s ? repoLinkResolver(repoUrl, s.file) : undefined;
  const body = renderBody(
    markdownToSegments(markdown, resolveLink ? { resolveLink } : {}),
    { maxBlocks: SLACK_LIMITS.blocksPerMessage - 5, maxChars: SLACK_LIMITS.messageBlocksChars - 1500 },
    (m) => inline(m, resolveLink ? { resolveLink } : {}),
  );
  if (body.blocks.length === 0) blocks.push(section('_This step has no further text in the runbook._'));
  blocks.push(...body.blocks);
  if (body.truncated && s)
    blocks.push(section(`:scissors: <${sectionUrl(repoUrl, s)}|Read the rest in the runbook>.`));
  // Gone, or no longer the step the run has (ids follow titles: an inserted step shifts them), or its text
  // changed (a digest taken at start; runs started before digests were kept compare number and title).
  const changed =
    snapshot !== undefined &&
    (!current ||
      (snapshot.type === 'step' &&
        current.type === 'step' &&
        (current.n !== snapshot.n ||
          current.title !== snapshot.title ||
          (snapshot.digest !== undefined && snapshot.digest !== textDigest(current.markdown)))));
  if (changed) {
    blocks.push(context(['_The runbook changed since this run started; this is the closest current text._']));
  }
  return { text: fallback(`Details: ${title}`), blocks };
}

/** What a preamble may take of its thread note (a section's 3,000 characters, less the note's own words). */
const PREAMBLE_CHARS = 2_600;

/**
 * The checklist's own text before its first step (its section: what it is for, its warnings, the `export`
 * block of the variables every command uses), as mrkdwn for a note in the run's thread when the run
 * starts: the steps' Details show only their own text, and a command pasted without its variables runs
 * on empty values. Null when the section has no text of its own. Pure.
 */
export function checklistPreamble(
  artifact: Pick<Artifact, 'sections'>,
  sectionId: string,
  repoUrl: string,
): string | null {
  const s = artifact.sections.find((x) => x.id === sectionId);
  if (!s?.markdown.trim()) return null;
  const resolveLink = repoLinkResolver(repoUrl, s.file);
  const body = renderBody(
    markdownToSegments(s.markdown, { resolveLink }),
    { maxBlocks: 1, maxChars: PREAMBLE_CHARS },
    (m) => inline(m, { resolveLink }),
  );
  const text = body.blocks
    .map((b) => (b as { text?: { text?: string } }).text?.text ?? '')
    .join('\n')
    .trim();
  const link = `<${sectionUrl(repoUrl, s)}|${escapeMrkdwn(s.file)} › ${escapeMrkdwn(s.title)}>`;
  // Its first part alone is longer than the note (a long export block): the link, never nothing.
  if (!text)
    return `:clipboard: *Before you start*: the checklist's own text (its variables and warnings) is too long to show here; read it in the runbook: ${link}.`;
  return `:clipboard: *Before you start* (${link}):\n${text}${body.truncated ? `\n:scissors: The rest is in the runbook: ${link}.` : ''}`;
}
