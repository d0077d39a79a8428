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
  stepState,
} from '../../workflows/run-state';
import { type Message, section } from './blocks';
import { splitLines } from './body';
import { between, formatDuration, runTitle, utc } from './checklist-format';
import { attemptWords } from './checklist-thread';
import { decodeSlackEntities, escapeMrkdwn } from './escape';
import { SLACK_LIMITS, truncate } from './limits';

export interface TimelineInput {
  state: RunState;
  events: RunEvent[];
  /** Display names by user ID (from users.info); a missing one shows as its ID, never as a mention. */
  names?: Record<string, string>;
}

/**
 * The run as Slack text: a summary, the steps and approvals as aligned tables in code blocks (readable in
 * Slack and pasted into a review alike), then the event log. People appear by name, never as mentions; a
 * Route 53 change in the log is summarised, its JSON attached at the end as a code block.
 */
export function renderTimeline({ state, events, names = {} }: TimelineInput): string {
  const name = (id: string | null | undefined) => (id ? (names[id] ? `@${names[id]}` : id) : 'the bot');
  const who = (id: string | null | undefined) => md(name(id));
  const time = (iso: string | undefined) => (iso ? clock(iso, state.startedAt) : '');
  const p = progress(state);
  const attachments: string[] = [];
  const out: string[] = [];

  out.push(`*${md(runTitle(state))}: timeline*`);
  if (state.drill) out.push('*DRILL*: a practice run. No live action was executed.');
  out.push(
    `Run \`${state.runId}\` · checklist \`${state.checklistId}\` · runbook version \`${state.checklistHash}\``,
    `Started ${utc(state.startedAt)} by ${who(state.startedBy)} · ${statusLine(state)}`,
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
  out.push('*Steps*', table(['#', 'Step', 'Status', 'By', 'At (UTC)', 'Took'], steps), '');

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
        rows.push([
          gate.title,
          gate.roles.map((r) => roleLabel(r, state.roleNames)).join(', '),
          'waiting',
          '',
          '',
        ]);
    }
    out.push('*Approvals*', table(['Gate', 'Role', 'Decision', 'By', 'At (UTC)'], rows), '');
    const refusals = events.filter(
      (e) => e.type === 'gate_refused' || (e.type === 'refused' && e.gateId !== undefined),
    );
    if (refusals.length > 0) {
      const refused = refusals.map((e) => [
        time(e.at),
        name(e.user),
        e.role ?? '',
        (e.gateId ? findGate(state, e.gateId)?.gate.title : undefined) ?? e.gateId ?? '',
        e.attempted ?? attemptWords(e.action),
        e.reason ?? '',
      ]);
      out.push(
        '*Refused signatures*',
        table(['At (UTC)', 'Who', 'Role', 'Gate', 'Tried', 'Why'], refused),
        '',
      );
    }
  }

  const skipped = state.items.filter(
    (it): it is RunStep => it.type === 'step' && stepState(state, it.id).status === 'skipped',
  );
  if (skipped.length > 0) {
    out.push('*Skipped steps*');
    for (const s of skipped) {
      const st = stepState(state, s.id);
      out.push(
        `• *${s.n}. ${md(s.title)}*, skipped by ${who(st.by)} at ${time(st.at)}: ${md(st.reason ?? '')}`,
      );
    }
    out.push('');
  }

  out.push('*Event log*');
  for (const e of events) out.push(`• \`${time(e.at)}\` ${eventText(state, e, who, names, attachments)}`);
  if (attachments.length > 0) {
    out.push('');
    attachments.forEach((json, i) => {
      out.push(`*Attachment ${i + 1}: Route 53 change batch*`, fenceCode(json), '');
    });
  }
  return out.join('\n');
}

const FENCE = '```';

/** Rows as an aligned monospace table in a code block (cells escaped, one line each, cut when long). */
function table(header: string[], rows: string[][]): string {
  const clean = (t: string) => escapeMrkdwn(decodeSlackEntities(t).replace(/\s+/g, ' ').trim());
  const cells = [header, ...rows].map((r) =>
    header.map((_, i) => truncate(clean(r[i] ?? ''), i === 1 ? 40 : 28)),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return fenceCode([line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n'));
}

function fenceCode(code: string): string {
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
function clock(iso: string, startIso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return md(iso);
  const full = d.toISOString();
  const time = full.slice(11, 19);
  return full.slice(0, 10) === startIso.slice(0, 10) ? time : `${full.slice(0, 10)} ${time}`;
}

function statusLine(state: RunState): string {
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
      return state.supersededBy ? `superseded by run \`${state.supersededBy}\`${ended}` : `cancelled${ended}`;
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
  who: (id: string | null | undefined) => string,
  names: Record<string, string>,
  attachments: string[],
): string {
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
      return `refused: ${who(e.user)} (${md(e.role ?? 'none')}) tried to ${e.attempted ?? 'sign'} ${g}${why}`;
    case 'refused':
      return `refused: ${who(e.user)} (${md(e.role ?? 'none')}) tried to ${attemptWords(e.action)} ${e.gateId ? g : e.stepId ? s : ''}${why}`;
    case 'action_requested':
      return `${who(e.user)} asked for a live action on ${s}`;
    case 'action_approved':
      return `${who(e.user)} approved the live action on ${s}${e.role ? ` as ${roleLabel(e.role, state.roleNames)}` : ''}`;
    case 'action_cancelled':
      return `${who(e.user)} cancelled the live action request on ${s}`;
    case 'action_retried':
      return `${who(e.user)} retried the live action on ${s}`;
    case 'action_submitted':
    case 'action_retrying':
    case 'action_succeeded':
    case 'action_failed':
      return md(e.text ?? '');
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
      return noteText(e.text ?? '', names, attachments);
  }
}

/**
 * A note as people read it: mentions written by the bot become names (no ping, no `&lt;@U…&gt;`), text
 * already escaped for Slack is not escaped twice, and a Route 53 change batch becomes one line, its JSON
 * attached at the end.
 */
function noteText(raw: string, names: Record<string, string>, attachments: string[]): string {
  let text = decodeSlackEntities(raw).replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) =>
    names[id] ? `@${names[id]}` : id,
  );
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (open >= 0 && close > open) {
    try {
      const batch = JSON.parse(text.slice(open, close + 1)) as { Changes?: unknown };
      if (Array.isArray(batch.Changes)) {
        attachments.push(JSON.stringify(batch, null, 2));
        text = `${text.slice(0, open)}${changeSummary(batch.Changes)} (JSON: attachment ${attachments.length})${text.slice(close + 1)}`;
      }
    } catch {
      // Not JSON: the note stays as written.
    }
  }
  return md(text);
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
  return escapeMrkdwn(decodeSlackEntities(text).replace(/\s+/g, ' ').trim());
}
