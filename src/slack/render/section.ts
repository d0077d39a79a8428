/**
 * A runbook section as a Slack answer: title, where it lives, the body, a link to the source, "Share in
 * channel", and up to four "Other matches".
 */
import type { Artifact, Section } from '../../runbooks/model';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context, fallback, header, type Message, section } from './blocks';
import { renderBody } from './body';
import { escapeMrkdwn, quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { inline, markdownToSegments, repoLinkResolver } from './markdown';

export const MAX_OTHER_MATCHES = 4;

export interface SectionAnswerInput {
  section: Section;
  artifact: Pick<Artifact, 'runbooks'>;
  repoUrl: string;
  /** The slash command as configured, for "what next" hints. */
  command: string;
  /** What the user typed (raw; escaped here). */
  query?: string;
  /** Other good matches, best first; at most four are shown. */
  others?: Section[];
  /** Set when the answer is shared in the channel: the Slack user ID of who shared it. */
  sharedBy?: string;
}

export function sectionUrl(repoUrl: string, s: Pick<Section, 'file' | 'anchor'>): string {
  return `${repoUrl.replace(/\/+$/, '')}/${s.file}#${s.anchor}`;
}

/** `Runbook title › Parent › Parent` (the section's own title is in the header). */
export function sectionPath(s: Section, artifact: Pick<Artifact, 'runbooks'>): string {
  const runbook = artifact.runbooks.find((r) => r.file === s.file)?.title ?? s.file;
  return [runbook, ...s.headings.slice(0, -1)].join(' › ');
}

// Blocks around the body: header, context, (truncation note), source context, share actions, others
// context, others actions.
const FRAME_BLOCKS = 7;
const FRAME_CHARS = 2000;

export function renderSectionAnswer(input: SectionAnswerInput): Message {
  const { section: s, artifact, repoUrl, command, query, sharedBy } = input;
  const url = sectionUrl(repoUrl, s);
  const others = (input.others ?? []).filter((o) => o.id !== s.id).slice(0, MAX_OTHER_MATCHES);
  const resolveLink = repoLinkResolver(repoUrl, s.file);

  const blocks: Block[] = [header(s.title || s.anchor)];
  const where = [`:book: ${escapeMrkdwn(sectionPath(s, artifact))}`];
  if (sharedBy) where.push(`Shared by <@${sharedBy}>`);
  else if (query) where.push(`Best match for “${quoteUserText(query, 120)}”`);
  blocks.push(context(where, { verbatim: true }));

  const body = renderBody(
    markdownToSegments(s.markdown, { resolveLink }),
    {
      maxBlocks: SLACK_LIMITS.blocksPerMessage - FRAME_BLOCKS,
      maxChars: SLACK_LIMITS.messageBlocksChars - FRAME_CHARS,
    },
    (md) => inline(md, { resolveLink }),
  );
  if (body.blocks.length === 0) {
    blocks.push(section(emptyBodyText(s, url)));
  }
  blocks.push(...body.blocks);
  if (body.truncated) {
    blocks.push(section(`:scissors: *This section continues.* <${url}|Read the rest in the runbook>.`));
  }

  const next = sharedBy
    ? `<${url}|Open in the repository> · \`${command} ${truncate(s.title, 60)}\` shows it to you`
    : `<${url}|Open in the repository> · Not it? Try other words, or \`${command} list\` · \`${command} help\``;
  blocks.push(context([next]));

  if (!sharedBy) {
    blocks.push(
      actions([
        button({ text: 'Share in channel', actionId: ActionIds.shareSection, value: s.id, style: 'primary' }),
        button({ text: 'View in repository', actionId: ActionIds.viewSource, url }),
      ]),
    );
    if (others.length > 0) {
      blocks.push(context(['*Other matches*']));
      blocks.push(
        actions(
          others.map((o, n) =>
            button({
              text: otherLabel(o),
              actionId: `${ActionIds.openSection}:${n}`,
              value: encodeOpenValue(o, [s, ...others]),
            }),
          ),
        ),
      );
    }
  }

  const lead = sharedBy ? `Shared runbook section: ${s.title}` : `Runbook: ${s.title}`;
  return { text: fallback(`${lead} — ${s.summary} ${url}`), blocks };
}

/**
 * An "Other matches" button carries its section and the rest of the list (`id\nid\nid`), so the
 * answer it opens still offers the others.
 */
export function encodeOpenValue(target: Section, list: Section[]): string {
  const ids = [target.id, ...list.filter((x) => x.id !== target.id).map((x) => x.id)];
  const value = ids.join('\n');
  return value.length <= SLACK_LIMITS.buttonValue ? value : target.id;
}

function otherLabel(o: Section): string {
  const parent = o.headings.length > 1 ? o.headings[o.headings.length - 2] : undefined;
  const label = parent && o.title.length < 30 ? `${o.title} (${parent})` : o.title;
  return truncate(label, SLACK_LIMITS.buttonText);
}

function emptyBodyText(s: Section, url: string): string {
  return s.children.length > 0
    ? `This heading groups the sections below it. <${url}|Open it in the repository> or pick one of the matches below.`
    : `This section has no text yet. <${url}|Open it in the repository>.`;
}
