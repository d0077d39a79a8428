/**
 * "Export": a run's timeline (steps with who, when and how long, approvals, rejections, refusals, skips
 * with reasons, then every event), posted in the run's thread as text people can read in Slack and paste
 * into a post-incident review: tables aligned in code blocks, names instead of mentions, a Route 53 change
 * summarised with its JSON attached. Pure.
 */
import {
  findGate,
  findStep,
  isGateComplete,
  progress,
  type RunEvent,
  type RunGate,
  type RunState,
  type RunStep,
  roleLabel,
  roleLabels,
  rolesLabel,
  stepState,
} from '../../workflows/run-state';
import { type Message, section } from './blocks';
import { splitLines } from './body';
import { type AttachmentKind, submittedAttachments, type TimelineAttachment } from './checklist-attachments';
import { between, formatDuration, runTitle, utc } from './checklist-format';
import { attemptWords } from './checklist-thread';
import { decodeSlackEntities, escapeMrkdwn } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { slackToPlain } from './plain-text';

export interface TimelineInput {
  state: RunState;
  events: RunEvent[];
  /** Display names by user ID (from users.info); a missing one shows as its ID, never as a mention. */
  names?: Record<string, string>;
}

/** How one format writes the timeline: Slack mrkdwn (the thread messages) or plain text (the file). */
export interface TimelineStyle {
  /** Free text (stored, possibly Slack-escaped) as this format shows it, on one line. */
  text(t: string): string;
  /** Mrkdwn the bot wrote (a note, a live action's report), read as plain words, on one line. */
  note(mrkdwn: string): string;
  /** Text the timeline itself made (a change summary): nothing to decode, shown as it is. */
  literal(t: string): string;
  /** A person: `@Name`, else the ID as text (never a mention). */
  person(id: string | null | undefined): string;
  /** The title line, and a section heading. */
  title(t: string): string;
  heading(t: string): string;
  /** Emphasis inside a line (already formatted text), and an inline literal (an ID, a time). */
  strong(t: string): string;
  code(t: string): string;
  /** An aligned table (lines already padded) or a JSON document, kept as one preformatted block. */
  block(t: string): string;
  /** One table cell: cleaned, on one line, cut to `max` characters. */
  cell(t: string, max: number): string;
  /** Cell widths: the Step column and the others. */
  widths: [step: number, other: number];
  /**
   * How wide a cell shows, when that is not its length: Slack shows `&lt;` as one character, so padding
   * by the escaped length would shift every later column of that row.
   */
  shownLength?(cell: string): number;
}

/**
 * Slack mrkdwn: everything escaped (nothing pings or links), tables and JSON in code blocks. A mention in
 * free text (the reasons authorize.ts writes for a refusal hold `<@U…>`) is the person's name, as in the
 * file, never the raw `<@U…>` shown as text.
 */
export function slackStyle(names: Record<string, string>): TimelineStyle {
  const text = (t: string) => md(namedMentions(t, names));
  return {
    text,
    // Plain words, then escaped once: nothing pings again, no `&lt;@U…&gt;` (emoji still render in Slack).
    note: (t) => escapeMrkdwn(oneLine(slackToPlain(t, { names, keepEmoji: true }))),
    literal: (t) => escapeMrkdwn(oneLine(t)),
    person: (id) => md(personName(id, names)),
    title: (t) => `*${t}*`,
    heading: (t) => `*${t}*`,
    strong: (t) => `*${t}*`,
    code: (t) => `\`${t}\``,
    block: fenceCode,
    // Cut as shown, then escaped: a cut never splits an `&amp;`.
    cell: (t, max) => escapeMrkdwn(truncate(oneLine(decodeSlackEntities(namedMentions(t, names))), max)),
    widths: [40, 28],
    // Every `&` of a cell starts one of its escapes.
    shownLength: (cell) => decodeSlackEntities(cell).length,
  };
}

/** `<@U…>` (with or without a label) as `@Name`, else the ID as text: the file's rule (checklist-timeline-file.ts). */
function namedMentions(text: string, names: Record<string, string>): string {
  return text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => personName(id, names));
}

export function personName(id: string | null | undefined, names: Record<string, string>): string {
  return id ? (names[id] ? `@${names[id]}` : id) : 'the bot';
}

/** What an attachment holds, as the timeline names it. */
export const ATTACHMENT_TITLES: Readonly<Record<AttachmentKind, string>> = {
  route53: 'Route 53 change batch',
  switch: 'failover switch writes',
};

export interface TimelineParts {
  lines: string[];
  /** What the log's changes wrote, as JSON, in order (the log says "attachment N"): ./checklist-attachments.ts. */
  attachments: TimelineAttachment[];
}

/**
 * The run as Slack text: a summary, the steps and approvals as aligned tables in code blocks (readable in
 * Slack and pasted into a review alike), then the event log. People appear by name, never as mentions; a
 * Route 53 change in the log is summarised, its JSON attached at the end as a code block.
 */
export function renderTimeline({ state, events, names = {} }: TimelineInput): string {
  const style = slackStyle(names);
  const { lines, attachments } = buildTimeline({ state, events, names }, style);
  if (attachments.length > 0) {
    lines.push('');
    attachments.forEach((a, i) => {
      lines.push(`*Attachment ${i + 1}: ${ATTACHMENT_TITLES[a.kind]}*`, fenceCode(a.json), '');
    });
  }
  return lines.join('\n');
}

/** The timeline's lines in `style`, and the change batches it refers to as attachments. */
export function buildTimeline({ state, events, names = {} }: TimelineInput, s: TimelineStyle): TimelineParts {
  const name = (id: string | null | undefined) => personName(id, names);
  const who = s.person;
  const time = (iso: string | undefined) => (iso ? clock(iso, state.startedAt, s) : '');
  const p = progress(state);
  const attachments: TimelineAttachment[] = [];
  const out: string[] = [];
  const table = (header: string[], rows: string[][]) => tableOf(header, rows, s);

  out.push(s.title(`${s.text(runTitle(state))}: timeline`));
  if (state.drill) out.push(`${s.strong('DRILL')}: a practice run. No live action was executed.`);
  out.push(
    `Run ${s.code(state.runId)} · checklist ${s.code(state.checklistId)} · runbook version ${s.code(state.checklistHash)}`,
    `Started ${utc(state.startedAt)} by ${who(state.startedBy)} · ${statusLine(state, s)}`,
    `${p.stepsResolved} of ${p.stepsTotal} steps, ${p.gatesPassed} of ${p.gatesTotal} approval gates`,
    '',
  );

  const took = stepDurations(state);
  const steps = state.items.map((item) => {
    if (item.type === 'gate')
      return ['', `Gate: ${item.title}`, gateStatus(state, item), '', time(gatePassedAt(state, item)), ''];
    const st = stepState(state, item.id);
    const status =
      st.status === 'skipped'
        ? `skipped: ${st.reason ?? ''}`
        : st.status === 'done'
          ? `done${st.override ? ` (override: ${st.override})` : ''}`
          : 'pending';
    const d = took.get(item.id);
    return [
      String(item.n),
      item.title,
      status,
      st.by ? name(st.by) : '',
      time(st.at),
      d === undefined ? '' : formatDuration(d),
    ];
  });
  out.push(s.heading('Steps'), table(['#', 'Step', 'Status', 'By', 'At (UTC)', 'Took'], steps), '');

  const gates = state.items.filter((it): it is RunGate => it.type === 'gate');
  if (gates.length > 0) {
    const rows: string[][] = [];
    for (const gate of gates) {
      const gs = state.gates[gate.id] ?? { approvals: [] };
      for (const a of gs.approvals)
        rows.push([gate.title, roleLabel(a.role, state.roleNames), 'approved', name(a.user), time(a.at)]);
      if (gs.rejected)
        rows.push([
          gate.title,
          roleLabel(gs.rejected.role, state.roleNames),
          `rejected: ${gs.rejected.reason}`,
          name(gs.rejected.user),
          time(gs.rejected.at),
        ]);
      if (gs.approvals.length === 0 && !gs.rejected)
        rows.push([gate.title, roleLabels(gate.roles, state.roleNames), 'waiting', '', '']);
    }
    out.push(s.heading('Approvals'), table(['Gate', 'Role', 'Decision', 'By', 'At (UTC)'], rows), '');
    const refusals = events.filter(
      (e) => e.type === 'gate_refused' || (e.type === 'refused' && e.gateId !== undefined),
    );
    if (refusals.length > 0) {
      const refused = refusals.map((e) => [
        time(e.at),
        name(e.user),
        rolesLabel(e.role, state.roleNames),
        (e.gateId ? findGate(state, e.gateId)?.gate.title : undefined) ?? e.gateId ?? '',
        e.attempted ?? attemptWords(e.action),
        e.reason ?? '',
      ]);
      out.push(
        s.heading('Refused signatures'),
        table(['At (UTC)', 'Who', 'Role', 'Gate', 'Tried', 'Why'], refused),
        '',
      );
    }
  }

  const skipped = state.items.filter(
    (it): it is RunStep => it.type === 'step' && stepState(state, it.id).status === 'skipped',
  );
  if (skipped.length > 0) {
    out.push(s.heading('Skipped steps'));
    for (const step of skipped) {
      const st = stepState(state, step.id);
      out.push(
        `• ${s.strong(`${step.n}. ${s.text(step.title)}`)}, skipped by ${who(st.by)} at ${time(st.at)}: ${s.text(st.reason ?? '')}`,
      );
    }
    out.push('');
  }

  out.push(s.heading('Event log'));
  for (const e of events) out.push(`• ${s.code(time(e.at))} ${eventText(state, e, s, attachments)}`);
  return { lines: out, attachments };
}

const FENCE = '```';

/** Rows as an aligned monospace table, one preformatted block (cells cleaned, one line each, cut when long). */
function tableOf(header: string[], rows: string[][], s: TimelineStyle): string {
  const cells = [header, ...rows].map((r) =>
    header.map((_, i) => s.cell(r[i] ?? '', i === 1 ? s.widths[0] : s.widths[1])),
  );
  const shown = (c: string) => s.shownLength?.(c) ?? c.length;
  const widths = header.map((_, i) => Math.max(...cells.map((r) => shown(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - shown(c))))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return s.block([line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n'));
}

export function fenceCode(code: string): string {
  return `${FENCE}\n${code.split(FENCE).join("'''")}\n${FENCE}`;
}

/** Blocks of one timeline message; fewer than Slack's 50. */
const TIMELINE_BLOCKS = 40;

/**
 * The timeline as thread messages of `section` blocks within Slack's limits: code blocks (tables, the
 * Route 53 JSON) stay whole, split at lines (each part fenced) only when one alone exceeds a block.
 */
export function timelineMessages(text: string, title: string): Message[] {
  const maxChars = SLACK_LIMITS.messageBlocksChars - 1000;
  const chunks: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === FENCE) {
      const end = lines.indexOf(FENCE, i + 1);
      const body = lines.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? lines.length : end;
      for (const part of splitLines(body.join('\n'), SLACK_LIMITS.sectionText - 10))
        chunks.push(fenceCode(part));
      continue;
    }
    chunks.push(...splitLines(line, SLACK_LIMITS.sectionText));
    if (line === '') chunks.push('');
  }
  const messages: string[][] = [];
  let blocks: string[] = [];
  let chars = 0;
  let current = '';
  const closeBlock = () => {
    if (current.trim()) {
      blocks.push(current.trim());
      chars += current.length;
    }
    current = '';
  };
  const closeMessage = () => {
    closeBlock();
    if (blocks.length > 0) messages.push(blocks);
    blocks = [];
    chars = 0;
  };
  for (const chunk of chunks) {
    const code = chunk.startsWith(FENCE);
    if (code || current.length + chunk.length + 1 > SLACK_LIMITS.sectionText) closeBlock();
    if (blocks.length >= TIMELINE_BLOCKS || chars + current.length + chunk.length > maxChars) closeMessage();
    if (code) {
      current = chunk;
      closeBlock();
    } else current = current ? `${current}\n${chunk}` : chunk;
  }
  closeMessage();
  return messages.map((texts, i) => ({
    text: truncate(
      `Timeline of ${title}${messages.length > 1 ? ` (part ${i + 1} of ${messages.length})` : ''}`,
      SLACK_LIMITS.fallbackText,
    ),
    // Verbatim: a URL or @word someone typed as a reason stays text.
    blocks: texts.map((t) => section(t, { verbatim: true })),
  }));
}

/** `10:03:07` (UTC), with the date in front when it is not the run's start date. */
function clock(iso: string, startIso: string, s: TimelineStyle): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return s.text(iso);
  const full = d.toISOString();
  const time = full.slice(11, 19);
  return full.slice(0, 10) === startIso.slice(0, 10) ? time : `${full.slice(0, 10)} ${time}`;
}

function statusLine(state: RunState, s: TimelineStyle): string {
  const ended = state.endedAt
    ? ` at ${utc(state.endedAt)} after ${formatDuration(between(state.startedAt, state.endedAt))}`
    : '';
  switch (state.status) {
    case 'active':
      return 'in progress';
    case 'completed':
      return `completed${ended}`;
    case 'halted':
      return `halted by a rejection${ended}`;
    case 'cancelled':
      return state.supersededBy
        ? `superseded by run ${s.code(state.supersededBy)}${ended}`
        : `cancelled${ended}`;
  }
}

function gateStatus(state: RunState, gate: RunGate): string {
  const gs = state.gates[gate.id];
  if (gs?.rejected) return 'rejected';
  return isGateComplete(state, gate) ? 'approved' : 'waiting';
}

function gatePassedAt(state: RunState, gate: RunGate): string | undefined {
  if (!isGateComplete(state, gate)) return undefined;
  return (state.gates[gate.id]?.approvals ?? [])
    .map((a) => a.at)
    .sort()
    .pop();
}

/**
 * How long each resolved step took: from the moment it could start (the run's start, or the latest
 * resolution of an earlier item, gate approvals included) to its own resolution.
 */
function stepDurations(state: RunState): Map<string, number> {
  const out = new Map<string, number>();
  let ready = state.startedAt;
  for (const item of state.items) {
    const at = item.type === 'step' ? stepState(state, item.id).at : gatePassedAt(state, item);
    if (item.type === 'step' && at) out.set(item.id, Math.max(0, between(ready, at)));
    if (at && at > ready) ready = at;
  }
  return out;
}

function eventText(
  state: RunState,
  e: RunEvent,
  st: TimelineStyle,
  attachments: TimelineAttachment[],
): string {
  const who = st.person;
  const md = st.text;
  const step = e.stepId ? findStep(state, e.stepId)?.step : undefined;
  const gate = e.gateId ? findGate(state, e.gateId)?.gate : undefined;
  const s = step ? `step ${step.n} "${md(step.title)}"` : `step ${md(e.stepId ?? '')}`;
  const g = gate ? `"${md(gate.title)}"` : md(e.gateId ?? '');
  const why = e.reason ? `: ${md(e.reason)}` : '';
  switch (e.type) {
    case 'started':
      return `${who(e.user)} started the run${state.drill ? ' (drill)' : ''}`;
    case 'step_done':
      return `${who(e.user)} marked ${s} done${e.override ? ` (override: ${md(e.override)})` : ''}`;
    case 'step_undone':
      return `${who(e.user)} undid ${s}`;
    case 'step_skipped':
      return `${who(e.user)} skipped ${s}${why}`;
    case 'gate_approved':
      return `${who(e.user)} approved ${g} as ${roleLabel(e.role ?? '', state.roleNames)}`;
    case 'gate_passed':
      return `gate ${g} passed`;
    case 'gate_rejected':
      return `${who(e.user)} rejected ${g} as ${roleLabel(e.role ?? '', state.roleNames)}${why}`;
    case 'gate_refused':
      return `refused: ${who(e.user)} (${md(rolesLabel(e.role, state.roleNames))}) tried to ${e.attempted ?? 'sign'} ${g}${why}`;
    case 'refused':
      return `refused: ${who(e.user)} (${md(rolesLabel(e.role, state.roleNames))}) tried to ${attemptWords(e.action)} ${e.gateId ? g : e.stepId ? s : ''}${why}`;
    case 'action_requested':
      return `${who(e.user)} asked for a live action on ${s}`;
    case 'action_approved':
      return `${who(e.user)} approved the live action on ${s}${e.role ? ` as ${roleLabel(e.role, state.roleNames)}` : ''}`;
    case 'action_cancelled':
      return `${who(e.user)} cancelled the live action request on ${s}`;
    case 'action_retried':
      return `${who(e.user)} retried the live action on ${s}`;
    case 'action_submitted': {
      // What the change wrote, from the stored request: attached as JSON, the log line says where.
      const attached = submittedAttachments(
        e.requestId ? state.requests?.[e.requestId] : undefined,
        e.text ?? '',
      );
      const refs = attached.map((a) => attachments.push(a));
      const said = st.note(e.text ?? '');
      return refs.length > 0 ? `${said} ${st.literal(`(JSON: attachment ${refs.join(', ')})`)}` : said;
    }
    case 'action_retrying':
    case 'action_succeeded':
    case 'action_failed':
      return st.note(e.text ?? '');
    case 'halted':
      return 'run halted';
    case 'completed':
      return 'run completed';
    case 'cancelled':
      return `run cancelled${why}`;
    case 'taken_over':
      return e.liveOverDrill
        ? `a live run (${md(e.runRef ?? '')}) started by ${who(e.user)} replaced this drill`
        : `${who(e.user)} took the run over with run ${md(e.runRef ?? '')}${why}`;
    case 'took_over':
      return e.liveOverDrill
        ? `this live run replaced the drill ${md(e.runRef ?? '')}`
        : `${who(e.user)} took over from run ${md(e.runRef ?? '')}${why}`;
    case 'note':
      return noteText(e.text ?? '', st, attachments);
  }
}

/**
 * A note as people read it (the style reads its mrkdwn: names, not mentions; Slack's escapes undone once),
 * and a Route 53 change batch in it becomes one line, its JSON attached at the end.
 */
function noteText(raw: string, st: TimelineStyle, attachments: TimelineAttachment[]): string {
  const open = raw.indexOf('{');
  const close = raw.lastIndexOf('}');
  if (open >= 0 && close > open) {
    const batch = parseJson(raw.slice(open, close + 1)) as { Changes?: unknown } | null;
    if (batch && Array.isArray(batch.Changes)) {
      attachments.push({ kind: 'route53', json: JSON.stringify(batch, null, 2) });
      return [
        st.note(raw.slice(0, open)),
        st.literal(`${changeSummary(batch.Changes)} (JSON: attachment ${attachments.length})`),
        st.note(raw.slice(close + 1)),
      ]
        .filter(Boolean)
        .join(' ');
    }
  }
  return st.note(raw);
}

/** JSON as the bot wrote it into mrkdwn (escaped once, or not at all), else null. */
function parseJson(text: string): unknown {
  for (const candidate of [decodeSlackEntities(text), text]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // Not JSON in this form.
    }
  }
  return null;
}

/** `UPSERT api.sitecraft.example. A PRIMARY → d-8hz3….execute-api.eu-west-1.amazonaws.com.` */
function changeSummary(changes: unknown[]): string {
  return changes
    .map((c) => {
      const change = c as { Action?: string; ResourceRecordSet?: Record<string, unknown> };
      const set = change.ResourceRecordSet ?? {};
      const target = (set['AliasTarget'] as { DNSName?: string } | undefined)?.DNSName ?? '';
      return [change.Action, set['Name'], set['Type'], set['Failover'], target ? `→ ${target}` : '']
        .filter(Boolean)
        .join(' ');
    })
    .join('; ');
}

/** Slack's control characters escaped (nothing pings or links), on one line. */
function md(text: string): string {
  return escapeMrkdwn(oneLine(decodeSlackEntities(text)));
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
