import type { Artifact, Section } from '../../runbooks/model';
import { type Block, context, fallback, header, type Message, section } from './blocks';
import { escapeMrkdwn, quoteUserText } from './escape';
import { SLACK_LIMITS } from './limits';
import { sectionUrl } from './section';

export interface ListInput {
  artifact: Pick<Artifact, 'runbooks' | 'sections'>;
  repoUrl: string;
  command: string;
  /** Optional words: only runbooks whose title or file name contains them, with every section. */
  filter?: string;
}

const FRAME_BLOCKS = 4;

export function renderList({ artifact, repoUrl, command, filter }: ListInput): Message {
  const words = (filter ?? '').trim().toLowerCase();
  const byId = new Map(artifact.sections.map((s) => [s.id, s]));
  const runbooks = words
    ? artifact.runbooks.filter((r) => `${r.title} ${r.file}`.toLowerCase().includes(words))
    : artifact.runbooks;
  // Without a filter, show the top two heading levels below the title; with one, every section.
  const maxDepth = words ? 6 : 2;

  const blocks: Block[] = [header(words ? 'Runbook sections' : 'Runbooks')];
  if (runbooks.length === 0) {
    blocks.push(
      section(
        `No runbook matches “${quoteUserText(filter ?? '', 60)}”. \`${command} list\` shows them all.`,
        { verbatim: true },
      ),
    );
  }
  let chars = 0;
  let omitted = 0;
  for (const r of runbooks) {
    const sections = r.sections
      .map((id) => byId.get(id))
      .filter((s): s is Section => s !== undefined && s.headings.length > 0 && s.headings.length <= maxDepth);
    const lines = sections.map(
      (s) =>
        `${'\u2003'.repeat(s.headings.length - 1)}• <${sectionUrl(repoUrl, s)}|${escapeMrkdwn(s.title)}>`,
    );
    let text = `*${escapeMrkdwn(r.title)}* (\`${escapeMrkdwn(r.file)}\`)`;
    let shown = 0;
    for (const line of lines) {
      if (text.length + line.length + 40 > SLACK_LIMITS.sectionText) break;
      text += `\n${line}`;
      shown++;
    }
    if (shown < lines.length)
      text += `\n… and ${lines.length - shown} more: \`${command} list ${escapeMrkdwn(r.file.replace(/\.md$/i, ''))}\``;
    if (
      blocks.length + FRAME_BLOCKS > SLACK_LIMITS.blocksPerMessage ||
      chars + text.length > SLACK_LIMITS.messageBlocksChars - 1500
    ) {
      omitted++;
      continue;
    }
    chars += text.length;
    blocks.push(section(text));
  }
  if (omitted > 0)
    blocks.push(context([`${omitted} more runbooks not shown: \`${command} list <runbook name>\``]));
  blocks.push(
    context([
      `Open one here: \`${command} <section title or symptom>\` · \`${command} help\` for everything else`,
    ]),
  );
  return {
    text: fallback(`Runbooks: ${runbooks.map((r) => r.title).join(', ') || 'none matched'}`),
    blocks,
  };
}
