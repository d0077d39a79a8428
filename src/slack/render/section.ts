/**
 * A runbook section as a Slack answer: title, where it lives, the body, a link to the source, "Share in
 * channel", and up to four "Other matches".
 */
import type { Artifact, Section } from '../../runbooks/model/model';
import { type SectionLookup, sectionLookup } from '../../runbooks/model/split';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context, fallback, header, type Message, section } from './blocks';
import { renderBody } from './body';
import { escapeMrkdwn, mentionUser, quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { inline, markdownToSegments, repoLinkResolver } from './markdown';

export const MAX_OTHER_MATCHES = 4;

export interface SectionAnswerInput {
  section: Section;
  /** `sections` lets the answer include the section's sub-sections (What you see, Fix, ...). */
  artifact: Pick<Artifact, 'runbooks'> & Partial<Pick<Artifact, 'sections'>>;
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
/** A section whose sub-sections add up to more than this shows its own body and a list of them instead. */
export const SUBTREE_MAX_CHARS = 8000;

function descendants(s: Section, byId: SectionLookup): Section[] {
  return s.children.flatMap((id) => {
    const child = byId.get(id);
    return child ? [child, ...descendants(child, byId)] : [];
  });
}

/**
 * What answers a question about `s`: its own body and, below it, its sub-sections with their headings
 * (a symptom's "What you see", "Likely causes", "Diagnosis", "Fix", "Verify", "Escalate"), because the
 * person asking needs the fix, not only the heading's first lines. A section too large for one message
 * (a whole runbook, an issue family) shows its own body and lists what is under it instead.
 */
export function sectionMarkdown(s: Section, sections: readonly Section[] | undefined): string {
  if (!sections || s.children.length === 0) return s.markdown;
  const byId = sectionLookup(sections);
  const below = descendants(s, byId);
  const size = below.reduce((n, d) => n + d.title.length + d.markdown.length, s.markdown.length);
  if (size <= SUBTREE_MAX_CHARS) {
    return [
      s.markdown,
      ...below.map((d) => `${'#'.repeat(Math.min(6, d.level))} ${d.title}\n\n${d.markdown}`),
    ].join('\n\n');
  }
  const children = s.children.flatMap((id) => byId.get(id) ?? []);
  const toc = children.map((c) => `- [${c.title.replace(/[[\]]/g, '')}](#${c.anchor})`).join('\n');
  return `${s.markdown}\n\n**In this section:**\n\n${toc}`;
}

export function renderSectionAnswer(input: SectionAnswerInput): Message {
  const { section: s, artifact, repoUrl, command, query, sharedBy } = input;
  const url = sectionUrl(repoUrl, s);
  // Sub-sections are part of the answer already; offering them again as "other matches" wastes buttons.
  const shown = new Set([s.id, ...descendants(s, sectionLookup(artifact.sections ?? [])).map((d) => d.id)]);
  const others = (input.others ?? []).filter((o) => !shown.has(o.id)).slice(0, MAX_OTHER_MATCHES);
  const resolveLink = repoLinkResolver(repoUrl, s.file);

  const blocks: Block[] = [header(s.title || s.anchor)];
  const where = [`:book: ${escapeMrkdwn(sectionPath(s, artifact))}`];
  if (sharedBy) where.push(`Shared by ${mentionUser(sharedBy)}`);
  else if (query) where.push(`Best match for “${quoteUserText(query, 120)}”`);
  blocks.push(context(where, { verbatim: true }));

  const body = renderBody(
    markdownToSegments(sectionMarkdown(s, artifact.sections), { resolveLink }),
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
