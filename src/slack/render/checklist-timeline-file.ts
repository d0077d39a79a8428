/**
 * "Export" as files (issue 20): the run's timeline as a plain-text file people can read anywhere (Slack's
 * file preview, a post-incident review, an email), each Route 53 change batch as a JSON file of its own,
 * and the short thread message that carries them. Same content as ./checklist-timeline.ts (one builder,
 * two styles); in the file what people typed is plain text (a file is never parsed as mrkdwn), mentions
 * written by the bot are names, and every time is UTC. Pure.
 */
import type { RunState } from '../../workflows/run-state';
import { progress } from '../../workflows/run-state';
import { type Message, section } from './blocks';
import type { AttachmentKind } from './checklist-attachments';
import { runTitle, utc } from './checklist-format';
import {
  ATTACHMENT_TITLES,
  buildTimeline,
  oneLine,
  personName,
  type TimelineInput,
  type TimelineStyle,
} from './checklist-timeline';
import { decodeSlackEntities, escapeMrkdwn } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { slackToPlain } from './plain-text';

export interface TimelineFile {
  filename: string;
  title: string;
  content: string;
  /** `files.getUploadURLExternal`'s snippet_type. */
  snippetType: 'text' | 'json';
}

export interface TimelineExport {
  /** The timeline first, then one JSON file per Route 53 change batch, in the order the log names them. */
  files: TimelineFile[];
  /** The thread message the files are shared with: what happened, in a few lines. */
  summary: Message;
}

/** Plain text: Slack's escapes undone, mentions as names, nothing escaped (a file is not mrkdwn). */
function plainStyle(names: Record<string, string>): TimelineStyle {
  const text = (t: string) =>
    oneLine(
      decodeSlackEntities(
        t.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => personName(id, names)),
      ),
    );
  return {
    text,
    note: (t) => oneLine(slackToPlain(t, { names })),
    literal: oneLine,
    person: (id) => personName(id, names),
    title: (t) => `${t}\n${'='.repeat(t.length)}`,
    heading: (t) => `${t}\n${'-'.repeat(t.length)}`,
    strong: (t) => t,
    code: (t) => t,
    block: (t) => t,
    cell: (t, max) => truncate(text(t), max),
    widths: [60, 48],
  };
}

/** The export of one run: the files to upload and the message they go with. */
export function renderTimelineExport(input: TimelineInput): TimelineExport {
  const { state } = input;
  const names = input.names ?? {};
  const { lines, attachments } = buildTimeline({ ...input, names }, plainStyle(names));
  const base = fileBase(state);
  // Numbered per kind: `route53-change-1-…` stays the first Route 53 batch whatever else was attached.
  const seen: Record<string, number> = {};
  const json: TimelineFile[] = attachments.map((a) => {
    const n = (seen[a.kind] ?? 0) + 1;
    seen[a.kind] = n;
    return {
      filename: `${FILE_PREFIX[a.kind]}-${n}-${base}.json`,
      title: `${capitalise(ATTACHMENT_TITLES[a.kind])} ${n} of ${oneLine(runTitle(state))}`,
      content: `${a.json}\n`,
      snippetType: 'json',
    };
  });
  // Under the title: what the reader needs to read the times and find the attachments.
  lines.splice(1, 0, 'All times are UTC.');
  if (json.length > 0) {
    lines.push('', 'Attachments', '-----------');
    lines.push(
      ...json.map(
        (f, i) =>
          `${i + 1}. ${f.filename}: ${capitalise(ATTACHMENT_TITLES[attachments[i]?.kind ?? 'route53'])} (JSON)`,
      ),
    );
  }
  const timeline: TimelineFile = {
    filename: `timeline-${base}.txt`,
    title: `Timeline of ${oneLine(runTitle(state))}`,
    content: `${lines.join('\n')}\n`,
    snippetType: 'text',
  };
  const files = [timeline, ...json];
  return { files, summary: timelineSummary(state, files) };
}

const FILE_PREFIX: Readonly<Record<AttachmentKind, string>> = {
  route53: 'route53-change',
  switch: 'failover-switch-writes',
};

const capitalise = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** `promote-sit-prod-20240501T100000-a1b2c3`: safe in a file name whatever the runbook called things. */
function fileBase(state: RunState): string {
  const slug = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  return `${slug(state.checklistId)}-${slug(state.runId)}`;
}

/** The message the files are shared with: title, status and progress, and what each file holds. */
function timelineSummary(state: RunState, files: TimelineFile[]): Message {
  const title = escapeMrkdwn(oneLine(decodeSlackEntities(runTitle(state))));
  const p = progress(state);
  const [timeline, ...json] = files;
  const lines = [
    `:page_facing_up: *Timeline of ${title}*${state.drill ? ' (drill)' : ''}`,
    `Started ${utc(state.startedAt)} · ${statusWords(state)} · ${p.stepsResolved} of ${p.stepsTotal} steps, ${p.gatesPassed} of ${p.gatesTotal} approval gates`,
    `Every step, approval, refusal and event with who and when (UTC) is in \`${timeline?.filename ?? ''}\`${
      json.length > 0
        ? `; what the run’s changes wrote (Route 53 change batches, failover switch writes) is attached as JSON (${json.map((f) => `\`${f.filename}\``).join(', ')})`
        : ''
    }.`,
  ];
  return {
    text: truncate(`Timeline of ${title}`, SLACK_LIMITS.fallbackText),
    blocks: [section(lines.join('\n'), { verbatim: true })],
  };
}

function statusWords(state: RunState): string {
  switch (state.status) {
    case 'active':
      return 'in progress';
    case 'completed':
      return state.endedAt ? `completed ${utc(state.endedAt)}` : 'completed';
    case 'halted':
      return 'halted by a rejection';
    case 'cancelled':
      return state.supersededBy ? 'superseded by a new run' : 'cancelled';
  }
}
