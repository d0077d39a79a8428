import type { Artifact } from '../../runbooks/model/model';
import type { Subcommand } from '../feature';
import { type Block, context, fallback, header, type Message, section } from './blocks';
import { escapeMrkdwn } from './escape';
import { SLACK_LIMITS } from './limits';

export interface HelpInput {
  command: string;
  subcommands: readonly Subcommand[];
  artifact: Pick<Artifact, 'sections' | 'checklists'>;
}

/** Symptom examples come from the runbooks, so help always shows searches that work. */
function examples(artifact: HelpInput['artifact']): string[] {
  const quoted = artifact.sections
    .map((s) => /^"([^"]{3,40})"/.exec(s.title)?.[1])
    .filter((t): t is string => t !== undefined);
  const picks = quoted.length > 0 ? quoted.slice(0, 3) : ['token expired', 'generation timeout', 'rollback'];
  return picks.map((p) => p.toLowerCase());
}

export function renderHelp({ command, subcommands, artifact }: HelpInput): Message {
  const lines = subcommands
    .filter((s) => s.usage !== 'help')
    .map((s) => `• \`${command} ${escapeMrkdwn(s.usage)}\` — ${escapeMrkdwn(s.summary)}`);
  const search = examples(artifact)
    .map((e) => `\`${command} ${escapeMrkdwn(e)}\``)
    .join(' · ');
  const blocks: Block[] = [
    header('Runbook bot'),
    section(
      `*Describe the problem in your own words* — the error message users see works best:\n${search}\n` +
        `You get the best matching runbook section, only visible to you, with a button to share it in the channel.`,
    ),
  ];
  // Subcommands in chunks that respect the per-block limit.
  let chunk = '*Commands*';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > SLACK_LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  // Every checklist the runbooks declare, by the command that starts it.
  const checklists = artifact.checklists.map(
    (c) =>
      `• \`${command} ${escapeMrkdwn(c.commands[0] ?? c.id)}\` — ${escapeMrkdwn(c.title)}${c.commands.length > 1 ? ` (also \`${escapeMrkdwn(c.commands.slice(1).join('`, `'))}\`)` : ''}`,
  );
  if (checklists.length > 0) {
    blocks.push(
      section(
        truncateLines(
          [
            '*Checklists* (posted in the channel, with approval gates; `drill <command>` practises without changing anything)',
            ...checklists,
          ],
          SLACK_LIMITS.sectionText,
        ),
      ),
    );
  }
  blocks.push(
    context([
      `Stuck at 3 a.m.? \`${command} escalate\` posts the escalation path; \`${command} contacts\` shows who to call.`,
    ]),
  );
  return {
    text: fallback(
      `Runbook bot help: ${command} <words> searches the runbooks; ${command} list, contacts, escalate.`,
    ),
    blocks,
  };
}

/** Lines joined while they fit `max` characters (a section's limit). */
function truncateLines(lines: string[], max: number): string {
  let out = '';
  for (const line of lines) {
    if (out.length + line.length + 1 > max) break;
    out = out ? `${out}\n${line}` : line;
  }
  return out;
}
