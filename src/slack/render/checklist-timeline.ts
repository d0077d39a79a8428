/**
 * "Export": a run as a Markdown timeline (steps with who, when and how long, approvals, rejections,
 * refusals, skips with reasons, then every event), posted in the run's thread as `markdown` blocks and
 * ready to paste into a post-incident review. Pure.
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
import type { Block, Message } from './blocks';
import { between, formatDuration, runTitle, utc } from './checklist-format';
import { attemptWords } from './checklist-thread';
import { escapeMrkdwn, mentionUser } from './escape';
import { SLACK_LIMITS, truncate } from './limits';

export interface TimelineInput {
  state: RunState;
  events: RunEvent[];
  /** Display names by user ID (from users.info); a missing one shows as `<@U…>`. */
  names?: Record<string, string>;
}

export function renderTimeline({ state, events, names = {} }: TimelineInput): string {
  const who = (id: string | null | undefined) =>
    id ? (names[id] ? `@${md(names[id])}` : mentionUser(id)) : 'the bot';
  const time = (iso: string | undefined) => (iso ? clock(iso, state.startedAt) : '');
  const p = progress(state);
  const out: string[] = [];

  out.push(`# ${md(runTitle(state))}: timeline`, '');
  if (state.drill) out.push('> **DRILL**: a practice run. No live action was executed.', '');
  out.push(
    `- **Run:** \`${state.runId}\` (checklist \`${state.checklistId}\`, runbook version \`${state.checklistHash}\`)`,
    `- **Started:** ${utc(state.startedAt)} by ${who(state.startedBy)}`,
    `- **Status:** ${statusLine(state)}`,
    `- **Progress:** ${p.stepsResolved} of ${p.stepsTotal} steps, ${p.gatesPassed} of ${p.gatesTotal} approval gates`,
    '',
  );

  out.push('## Steps', '', '| # | Step | Status | By | At (UTC) | Took |', '|---|---|---|---|---|---|');
  const took = stepDurations(state);
  for (const item of state.items) {
    if (item.type === 'gate') {
      out.push(
        `|  | **Gate: ${cell(item.title)}** | ${gateStatus(state, item)} |  | ${time(gatePassedAt(state, item))} |  |`,
      );
      continue;
    }
    const st = stepState(state, item.id);
    const status =
      st.status === 'skipped'
        ? `skipped: ${cell(st.reason ?? '')}`
        : st.status === 'done'
          ? `done${st.override ? ` (override: ${cell(st.override)})` : ''}`
          : 'pending';
    const d = took.get(item.id);
    out.push(
      `| ${item.n} | ${cell(item.title)} | ${status} | ${st.by ? who(st.by) : ''} | ${time(st.at)} | ${d === undefined ? '' : formatDuration(d)} |`,
    );
  }
  out.push('');

  const gates = state.items.filter((it): it is RunGate => it.type === 'gate');
  if (gates.length > 0) {
    out.push('## Approvals', '', '| Gate | Role | Decision | By | At (UTC) |', '|---|---|---|---|---|');
    for (const gate of gates) {
      const gs = state.gates[gate.id] ?? { approvals: [] };
      for (const a of gs.approvals) {
        out.push(
          `| ${cell(gate.title)} | ${roleLabel(a.role, state.roleNames)} | approved | ${who(a.user)} | ${time(a.at)} |`,
        );
      }
      if (gs.rejected) {
        out.push(
          `| ${cell(gate.title)} | ${roleLabel(gs.rejected.role, state.roleNames)} | rejected: ${cell(gs.rejected.reason)} | ${who(gs.rejected.user)} | ${time(gs.rejected.at)} |`,
        );
      }
      if (gs.approvals.length === 0 && !gs.rejected)
        out.push(
          `| ${cell(gate.title)} | ${gate.roles.map((r) => roleLabel(r, state.roleNames)).join(', ')} | waiting |  |  |`,
        );
    }
    out.push('');
    const refusals = events.filter(
      (e) => e.type === 'gate_refused' || (e.type === 'refused' && e.gateId !== undefined),
    );
    if (refusals.length > 0) {
      out.push(
        '### Refused signatures',
        '',
        '| At (UTC) | Who | Role | Gate | Tried | Why |',
        '|---|---|---|---|---|---|',
      );
      for (const e of refusals) {
        const gate = e.gateId ? findGate(state, e.gateId)?.gate.title : undefined;
        out.push(
          `| ${time(e.at)} | ${who(e.user)} | ${cell(e.role ?? '')} | ${cell(gate ?? e.gateId ?? '')} | ${e.attempted ?? attemptWords(e.action)} | ${cell(e.reason ?? '')} |`,
        );
      }
      out.push('');
    }
  }

  const skipped = state.items.filter(
    (it): it is RunStep => it.type === 'step' && stepState(state, it.id).status === 'skipped',
  );
  if (skipped.length > 0) {
    out.push('## Skipped steps', '');
    for (const s of skipped) {
      const st = stepState(state, s.id);
      out.push(
        `- **${s.n}. ${md(s.title)}**, skipped by ${who(st.by)} at ${time(st.at)}: ${md(st.reason ?? '')}`,
      );
    }
    out.push('');
  }

  out.push('## Event log', '');
  for (const e of events) out.push(`- ${time(e.at)} ${eventText(state, e, who)}`);
  return out.join('\n');
}

/** The timeline as thread messages: `markdown` blocks within Slack's per-message total, split at lines. */
export function timelineMessages(markdown: string, title: string): Message[] {
  const max = Math.min(SLACK_LIMITS.markdownBlocksTotal, SLACK_LIMITS.messageBlocksChars) - 500;
  const parts: string[] = [];
  let current = '';
  for (const line of markdown.split('\n')) {
    const piece = truncate(line, max);
    if (current && current.length + 1 + piece.length > max) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) parts.push(current);
  return parts.map((text, i) => ({
    text: truncate(
      `Timeline of ${title}${parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : ''}`,
      SLACK_LIMITS.fallbackText,
    ),
    blocks: [{ type: 'markdown', text } as Block],
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

function eventText(state: RunState, e: RunEvent, who: (id: string | null | undefined) => string): string {
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
      return md(e.text ?? '');
  }
}

/**
 * Text for Markdown: Slack's control characters escaped (so nothing pings or links), Markdown's link and
 * emphasis punctuation neutralised, on one line.
 */
function md(text: string): string {
  return escapeMrkdwn(text.replace(/\s+/g, ' ').trim()).replace(/([\\`*_[\]|~])/g, '\\$1');
}

function cell(text: string): string {
  return md(truncate(text, 300));
}
