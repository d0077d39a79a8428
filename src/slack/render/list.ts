import type { Artifact, RunbookFile, Section } from '../../runbooks/model/model';
import { type Block, context, fallback, header, type Message, section } from './blocks';
import { escapeMrkdwn, quoteUserText } from './escape';
import { SLACK_LIMITS } from './limits';
import { sectionUrl } from './section';

export interface ListInput {
  artifact: Pick<Artifact, 'runbooks' | 'sections'> & Partial<Pick<Artifact, 'checklists'>>;
  repoUrl: string;
  command: string;
  /** Optional words: only runbooks whose title or file name contains them, with every section. */
  filter?: string;
}

// Header, overflow note and the closing hint.
const FRAME_BLOCKS = 3;
const FRAME_CHARS = 1000;

/** Heading depth below the document title: 1 for `##` in a file with a `#` title. */
function depth(s: Section): number {
  return s.headings.length;
}

function runbookUrl(repoUrl: string, r: RunbookFile): string {
  return `${repoUrl.replace(/\/+$/, '')}/${r.file}`;
}

/** A symptom heading by the message users see (`"Token expired" — …` → `Token expired`). */
function shortTitle(s: Section): string {
  // “ ” — – as escapes: scripts/bundle.ts assertOneByteSource.
  return /^["\u201c](.+?)["\u201d]\s*[\u2014\u2013-]/.exec(s.title)?.[1] ?? s.title;
}

/**
 * Every runbook, each in one block: its link, then each top-level topic with what is under it, by name
 * (`Generation issues: Generation timeout · Invalid response · Connection lost`). Names, not links, keep
 * every runbook in one message; `/runbook <name>` opens any of them.
 */
function renderOverview({ artifact, repoUrl, command }: ListInput): Message {
  const byId = new Map(artifact.sections.map((s) => [s.id, s]));
  const blocks: Block[] = [header('Runbooks')];
  for (const r of artifact.runbooks) {
    const top = r.sections
      .map((id) => byId.get(id))
      .filter(
        (s): s is Section => s !== undefined && depth(s) === 1 && !(s.level === 1 && s.title === r.title),
      );
    const lines = top.map((s) => {
      const under = s.children.map((id) => byId.get(id)).filter((c): c is Section => c !== undefined);
      const names = under.map((c) => escapeMrkdwn(shortTitle(c))).join(' · ');
      return `• *${escapeMrkdwn(s.title)}*${names ? `: ${names}` : ''}`;
    });
    const text = [
      `*<${runbookUrl(repoUrl, r)}|${escapeMrkdwn(r.title)}>* (\`${escapeMrkdwn(r.file)}\`)`,
      ...lines,
    ].join('\n');
    blocks.push(section(text));
  }
  const checklists =
    artifact.checklists?.map((c) => `\`${command} ${escapeMrkdwn(c.commands[0] ?? c.id)}\``) ?? [];
  blocks.push(
    context([
      `Open any of them: \`${command} <name or symptom>\` · one runbook in full: \`${command} list <runbook>\`${checklists.length > 0 ? ` · checklists: ${checklists.join(', ')}` : ''} · \`${command} help\``,
    ]),
  );
  return {
    text: fallback(`Runbooks: ${artifact.runbooks.map((r) => r.title).join(', ')}`),
    blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage),
  };
}

export function renderList(input: ListInput): Message {
  const { artifact, repoUrl, command, filter } = input;
  const words = (filter ?? '').trim().toLowerCase();
  if (!words) return renderOverview(input);
  const byId = new Map(artifact.sections.map((s) => [s.id, s]));
  const runbooks = words
    ? artifact.runbooks.filter((r) => `${r.title} ${r.file}`.toLowerCase().includes(words))
    : artifact.runbooks;
  // Without a filter, the top two heading levels; with one, every section of the matching runbooks.
  const maxDepth = words ? 6 : 2;

  const blocks: Block[] = [header(words ? 'Runbook sections' : 'Runbooks')];
  if (runbooks.length === 0) {
    blocks.push(
      section(
        `No runbook matches “${quoteUserText(filter ?? '', 60)}”. \`${command} list\` shows them all.`,
        {
          verbatim: true,
        },
      ),
    );
  }

  const maxBlocks = SLACK_LIMITS.blocksPerMessage - FRAME_BLOCKS;
  const maxChars = SLACK_LIMITS.messageBlocksChars - FRAME_CHARS;
  let chars = 0;
  const cut: string[] = [];
  for (const r of runbooks) {
    const title = `*<${runbookUrl(repoUrl, r)}|${escapeMrkdwn(r.title)}>* (\`${escapeMrkdwn(r.file)}\`)`;
    const lines = r.sections
      .map((id) => byId.get(id))
      // The document title (a lone `#`) is the runbook line itself.
      .filter(
        (s): s is Section =>
          s !== undefined && !(s.level === 1 && s.title === r.title) && depth(s) > 0 && depth(s) <= maxDepth,
      )
      .map((s) => `${'\u2003'.repeat(depth(s) - 1)}• <${sectionUrl(repoUrl, s)}|${escapeMrkdwn(s.title)}>`);
    let chunk = title;
    let shown = 0;
    let stopped = false;
    for (const line of [...lines, null]) {
      const full = line === null || chunk.length + line.length + 1 > SLACK_LIMITS.sectionText;
      if (full) {
        if (blocks.length >= maxBlocks || chars + chunk.length > maxChars) {
          stopped = true;
          break;
        }
        blocks.push(section(chunk));
        chars += chunk.length;
        chunk = '';
      }
      if (line === null) break;
      chunk = chunk ? `${chunk}\n${line}` : line;
      shown++;
    }
    if (stopped) cut.push(`<${runbookUrl(repoUrl, r)}|${escapeMrkdwn(r.title)}>`);
    else if (shown < lines.length) cut.push(escapeMrkdwn(r.title));
  }

  const hints: string[] = [];
  if (cut.length > 0) {
    hints.push(
      words
        ? `Too long to show in full: ${cut.join(', ')} — open it in the repository.`
        : `Not all shown: ${cut.join(', ')} — \`${command} list <runbook name>\` shows one in full.`,
    );
  }
  hints.push(
    `Open a section here: \`${command} <section title or symptom>\` · \`${command} help\` for everything else`,
  );
  blocks.push(context(hints));
  return {
    text: fallback(`Runbooks: ${runbooks.map((r) => r.title).join(', ') || 'none matched'}`),
    blocks,
  };
}
