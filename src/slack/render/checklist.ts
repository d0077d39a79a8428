/**
 * A checklist run as one Slack message, updated in place: title, who started it and when, progress, then
 * the items in order. Resolved steps and passed gates are compact context lines (who, when); the current
 * step(s) get a section with Done / Skip / Details and the step-extension blocks (live actions); the next
 * pending ones get "Done out of order…" (a reason is asked); the open gate gets Approve / Reject;
 * everything later is a line. A footer offers Undo (for steps that may still be undone) and Export.
 *
 * Long checklists must fit Slack's 50 blocks and our character budget: the message is built with
 * progressively tighter settings (fewer expanded steps, no extension blocks, older lines folded) until it
 * fits. Pure: no Slack calls.
 */
import type { types } from '@slack/bolt';
import {
  earlierUnresolved,
  type GateState,
  gateState,
  isGateComplete,
  isGateOpen,
  isResolved,
  lockingGate,
  missingRoles,
  progress,
  type RunGate,
  type RunState,
  type RunStep,
  roleLabel,
  type StepState,
  signedGateAfter,
  stepState,
} from '../../workflows/run-state';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context, fallback, header, type Message, section } from './blocks';
import {
  between,
  formatDuration,
  gateLabel,
  mention,
  runTitle,
  slackDate,
  stepLabel,
} from './checklist-format';
import { escapeMrkdwn, quoteUserText } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { mentionUserGroup } from './mentions';

export interface RenderChecklistOptions {
  /** Blocks step extensions add under an expanded step, by step id (see features/checklists/extensions.ts). */
  extraBlocks?: Record<string, Block[]>;
  /** The Slack user group of a role, when the approvers file names one: the open gate mentions it. */
  roleGroups?: Record<string, string>;
}

/** How many actionable steps are expanded with buttons when everything fits. */
export const EXPANDED_STEPS = 3;
/** Blocks an extension may add under one step; more are cut. */
export const MAX_EXTRA_BLOCKS_PER_STEP = 3;

interface Settings {
  expanded: number;
  extras: boolean;
  /** Resolved lines kept before the earliest ones are folded into one summary line. */
  resolvedLines: number;
  /** Upcoming (pending or locked) lines kept before the rest are summarised. */
  upcomingLines: number;
}

const ATTEMPTS: Settings[] = [
  {
    expanded: EXPANDED_STEPS,
    extras: true,
    resolvedLines: Number.POSITIVE_INFINITY,
    upcomingLines: Number.POSITIVE_INFINITY,
  },
  { expanded: EXPANDED_STEPS, extras: true, resolvedLines: 12, upcomingLines: 12 },
  { expanded: 2, extras: true, resolvedLines: 8, upcomingLines: 8 },
  { expanded: 1, extras: true, resolvedLines: 5, upcomingLines: 5 },
  { expanded: 1, extras: false, resolvedLines: 3, upcomingLines: 3 },
];

export function renderChecklist(state: RunState, options: RenderChecklistOptions = {}): Message {
  let message: Message | null = null;
  for (const settings of ATTEMPTS) {
    message = build(state, options, settings);
    if (fits(message.blocks)) return message;
  }
  // Only pathological input (hundreds of extension blocks' worth of text) gets here: keep the head.
  const blocks = message!.blocks.slice(0, SLACK_LIMITS.blocksPerMessage);
  while (blocks.length > 1 && blockChars(blocks) > SLACK_LIMITS.messageBlocksChars) blocks.splice(-2, 1);
  return { text: message!.text, blocks };
}

export function fits(blocks: Block[]): boolean {
  return (
    blocks.length <= SLACK_LIMITS.blocksPerMessage && blockChars(blocks) <= SLACK_LIMITS.messageBlocksChars
  );
}

/** Characters of every text in the blocks (what Slack's overall size limit counts, near enough). */
export function blockChars(blocks: readonly unknown[]): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k === 'text' || typeof x === 'object') walk(x);
    }
  };
  walk(blocks);
  return n;
}

// ---- Building ---------------------------------------------------------------------------------------------

interface Line {
  text: string;
  kind: 'resolved' | 'upcoming';
}

function build(state: RunState, options: RenderChecklistOptions, settings: Settings): Message {
  const active = state.status === 'active';
  const blocks: Block[] = [header(runTitle(state)), context([metaLine(state)])];
  const outcome = outcomeText(state);
  if (outcome) blocks.push(section(outcome, { verbatim: true }));

  let lines: Line[] = [];
  const flush = () => {
    blocks.push(...lineBlocks(lines, settings));
    lines = [];
  };
  let expanded = 0;
  let phase: string | null = null;

  state.items.forEach((item, index) => {
    if (item.type === 'step') {
      if (item.phase && item.phase !== phase)
        lines.push({ text: `*${escapeMrkdwn(item.phase)}*`, kind: 'upcoming' });
      phase = item.phase;
      const st = stepState(state, item.id);
      if (isResolved(st)) {
        lines.push({ text: resolvedLine(item, st), kind: 'resolved' });
        return;
      }
      const locked = lockingGate(state, index) !== null;
      if (active && !locked && expanded < settings.expanded) {
        // The current step(s) get their live actions; a later one only an out-of-order Done (with a reason).
        const waiting = earlierUnresolved(state, index);
        flush();
        blocks.push(
          ...(waiting.length === 0
            ? expandedStep(state, item, settings.extras ? (options.extraBlocks?.[item.id] ?? []) : [])
            : laterStep(state, item, waiting)),
        );
        expanded++;
        return;
      }
      lines.push({
        text: `${locked ? ':lock:' : ':white_large_square:'} ${stepLabel(item)}`,
        kind: 'upcoming',
      });
      return;
    }
    const gs = gateState(state, item.id);
    if (isGateComplete(state, item)) {
      lines.push({ text: passedGateLine(item, gs, state.roleNames), kind: 'resolved' });
    } else if (gs.rejected) {
      lines.push({ text: rejectedGateLine(item, gs, state.roleNames), kind: 'resolved' });
    } else if (active && isGateOpen(state, index)) {
      flush();
      blocks.push(...openGateBlocks(state, item, gs, options.roleGroups ?? {}));
    } else {
      lines.push({ text: waitingGateLine(state, item, gs), kind: 'upcoming' });
    }
  });
  flush();
  const footer = footerBlock(state);
  if (footer) blocks.push(footer);

  const p = progress(state);
  const text = fallback(
    `${runTitle(state)}: ${p.stepsResolved} of ${p.stepsTotal} steps done` +
      (p.gatesTotal > 0 ? `, ${p.gatesPassed} of ${p.gatesTotal} approval gates passed` : '') +
      ` — ${state.status}`,
  );
  return { text, blocks };
}

function metaLine(state: RunState): string {
  const p = progress(state);
  const parts = [
    `Started by ${mention(state.startedBy)} ${slackDate(state.startedAt)}`,
    `*${p.stepsResolved} of ${p.stepsTotal}* steps done`,
  ];
  if (p.gatesTotal > 0) parts.push(`${p.gatesPassed} of ${p.gatesTotal} approval gates passed`);
  if (state.drill) parts.push(':test_tube: *DRILL*: practice run, live actions never execute');
  return parts.join(' · ');
}

function outcomeText(state: RunState): string | null {
  const took = state.endedAt ? ` (${formatDuration(between(state.startedAt, state.endedAt))})` : '';
  switch (state.status) {
    case 'active':
      return null;
    case 'completed':
      return `:tada: *Complete*: every step resolved and every gate approved${took}.`;
    case 'halted': {
      const rejected = state.items
        .filter((it): it is RunGate => it.type === 'gate')
        .map((g) => ({ g, r: gateState(state, g.id).rejected }))
        .find((x) => x.r);
      if (!rejected?.r) return `:octagonal_sign: *Halted*${took}.`;
      const { g, r } = rejected;
      return (
        `:octagonal_sign: *Halted*: ${mention(r.user)} rejected _${gateLabel(g)}_ as ${roleLabel(r.role, state.roleNames)}` +
        ` ${slackDate(r.at, '{time}')}: “${quoteUserText(r.reason, 500)}”. Start a new run once it is resolved.`
      );
    }
    case 'cancelled':
      return state.supersededBy
        ? `:arrows_counterclockwise: *Taken over* by ${mention(state.endedBy)}${state.endReason ? `: “${quoteUserText(state.endReason, 300)}”` : ''}. A newer run of this checklist continues in this channel; use its message.`
        : `:x: *Cancelled* by ${mention(state.endedBy)}${state.endReason ? `: “${quoteUserText(state.endReason, 300)}”` : ''}.`;
  }
}

function resolvedLine(step: RunStep, st: StepState): string {
  const when = st.at ? slackDate(st.at, '{time}') : '';
  if (st.status === 'skipped') {
    return `:fast_forward: ~${stepLabel(step)}~ skipped by ${mention(st.by)} ${when}: “${quoteUserText(st.reason ?? '', 150)}”`;
  }
  const override = st.override ? ` (override: “${quoteUserText(st.override, 120)}”)` : '';
  return `:white_check_mark: ${stepLabel(step)} — ${mention(st.by)} ${when}${override}`;
}

function passedGateLine(gate: RunGate, gs: GateState, names: RunState['roleNames']): string {
  const who = gs.approvals.map((a) => `${mention(a.user)} (${roleLabel(a.role, names)})`).join(', ');
  return `:unlock: _${gateLabel(gate)}_ approved by ${who}`;
}

function rejectedGateLine(gate: RunGate, gs: GateState, names: RunState['roleNames']): string {
  const r = gs.rejected!;
  return `:no_entry: _${gateLabel(gate)}_ rejected by ${mention(r.user)} (${roleLabel(r.role, names)}): “${quoteUserText(r.reason, 150)}”`;
}

function waitingGateLine(state: RunState, gate: RunGate, gs: GateState): string {
  const signed = gs.approvals.map((a) => `${roleLabel(a.role, state.roleNames)} :white_check_mark:`);
  const missing = missingRoles(state, gate).map((r) => roleLabel(r, state.roleNames));
  return `:lock: _Approval gate: ${gateLabel(gate)}_ — needs ${[...signed, ...missing].join(', ')}`;
}

function expandedStep(state: RunState, step: RunStep, extra: Block[]): Block[] {
  const value = encodeItemValue(state.runId, step.id);
  const text = [`*${stepLabel(step)}*`];
  if (step.summary) text.push(escapeMrkdwn(truncate(step.summary, 400)));
  return [
    section(text.join('\n')),
    actions([
      button({ text: 'Done', actionId: ActionIds.checklistDone, value, style: 'primary' }),
      button({ text: 'Skip…', actionId: ActionIds.checklistSkip, value }),
      button({ text: 'Details', actionId: ActionIds.checklistDetails, value }),
    ]),
    ...extra.slice(0, MAX_EXTRA_BLOCKS_PER_STEP),
  ];
}

/** A pending step after an unresolved one: what it waits for; Done only out of order, with a reason. */
function laterStep(state: RunState, step: RunStep, waiting: RunStep[]): Block[] {
  const value = encodeItemValue(state.runId, step.id);
  const first = waiting[0]!;
  const text = [
    `*${stepLabel(step)}*`,
    `_Comes after ${stepLabel(first)}, not done yet${waiting.length > 1 ? ` (nor ${waiting.length - 1} more step${waiting.length > 2 ? 's' : ''} before this one)` : ''}._`,
  ];
  return [
    section(text.join('\n')),
    actions([
      button({ text: 'Done out of order…', actionId: ActionIds.checklistDoneAnyway, value }),
      button({ text: 'Skip…', actionId: ActionIds.checklistSkip, value }),
      button({ text: 'Details', actionId: ActionIds.checklistDetails, value }),
    ]),
  ];
}

function openGateBlocks(
  state: RunState,
  gate: RunGate,
  gs: GateState,
  groups: Record<string, string>,
): Block[] {
  const value = encodeItemValue(state.runId, gate.id);
  const roles = gate.roles.map((role) => {
    const a = gs.approvals.find((x) => x.role === role);
    const group = groups[role];
    return a
      ? `:white_check_mark: ${roleLabel(role, state.roleNames)}: ${mention(a.user)} ${slackDate(a.at, '{time}')}`
      : `:hourglass_flowing_sand: ${roleLabel(role, state.roleNames)}${group ? ` (${mentionUserGroup(group)})` : ''}: waiting`;
  });
  return [
    section(
      `:lock: *Approval gate: ${gateLabel(gate)}*\n${roles.join('\n')}\n` +
        `_Steps after this gate stay locked until every role has signed. ${mention(state.startedBy)} started this run and cannot sign it._`,
    ),
    actions([
      button({ text: 'Approve', actionId: ActionIds.checklistApprove, value, style: 'primary' }),
      button({ text: 'Reject…', actionId: ActionIds.checklistReject, value, style: 'danger' }),
    ]),
  ];
}

function footerBlock(state: RunState): Block | null {
  const elements: (types.Button | types.StaticSelect)[] = [];
  if (state.status === 'active') {
    // Only what may still be undone: a step with a signed gate after it can only be refused.
    const resolved = state.items
      .filter(
        (it, index): it is RunStep =>
          it.type === 'step' && isResolved(stepState(state, it.id)) && signedGateAfter(state, index) === null,
      )
      .sort((a, b) => (stepState(state, b.id).at ?? '').localeCompare(stepState(state, a.id).at ?? ''));
    const latest = resolved[0];
    if (latest) {
      elements.push(
        button({
          text: `Undo step ${latest.n}`,
          actionId: ActionIds.checklistUndo,
          value: encodeItemValue(state.runId, latest.id),
        }),
      );
    }
    if (resolved.length > 1) {
      elements.push({
        type: 'static_select',
        action_id: ActionIds.checklistUndoPick,
        placeholder: { type: 'plain_text', text: 'Undo a step…' },
        options: resolved.slice(0, SLACK_LIMITS.staticSelectOptions).map((s) => ({
          text: { type: 'plain_text', text: truncate(`Undo ${s.n}. ${s.title}`, SLACK_LIMITS.optionText) },
          value: encodeStepNumberValue(state.runId, s.n),
        })),
      });
    }
  }
  elements.push(
    button({
      text: 'Export timeline',
      actionId: ActionIds.checklistExport,
      value: encodeItemValue(state.runId, ''),
    }),
  );
  // Started by mistake, or no longer needed: ends the run with a reason (who may: authorize.ts mayCancel).
  if (state.status === 'active')
    elements.push(
      button({
        text: 'Cancel run…',
        actionId: ActionIds.checklistCancel,
        value: encodeItemValue(state.runId, ''),
      }),
    );
  return actions(elements as types.Button[]);
}

/** Lines → context blocks, each within the text limit; older resolved lines and far upcoming ones folded. */
function lineBlocks(lines: Line[], settings: Settings): Block[] {
  const folded = fold(lines, settings);
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of folded) {
    if (chunk && chunk.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      blocks.push(context([chunk], { verbatim: true }));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(context([chunk], { verbatim: true }));
  return blocks;
}

function fold(lines: Line[], settings: Settings): string[] {
  const resolved = lines.filter((l) => l.kind === 'resolved').length;
  const foldResolved = Math.max(0, resolved - settings.resolvedLines);
  const out: string[] = [];
  let skippedResolved = 0;
  let upcomingShown = 0;
  let upcomingHidden = 0;
  for (const line of lines) {
    if (line.kind === 'resolved' && skippedResolved < foldResolved) {
      if (skippedResolved === 0)
        out.push(`:white_check_mark: _${foldResolved} earlier items done — see the thread or Export_`);
      skippedResolved++;
      continue;
    }
    if (line.kind === 'upcoming') {
      if (upcomingShown >= settings.upcomingLines) {
        upcomingHidden++;
        continue;
      }
      upcomingShown++;
    }
    out.push(line.text);
  }
  if (upcomingHidden > 0) out.push(`_…and ${upcomingHidden} more below_`);
  return out;
}

// ---- Button values ---------------------------------------------------------------------------------------
// A button carries references to stored state, never authority: `<runId>|<item id>` or `<runId>|<request id>`.
// Anything of another shape (an old button, an edited value) is a stale reference and changes nothing.

/** `newRunId`'s format (src/store/runs.ts): `20240101T120000-a1b2c3`. */
export const RUN_ID = /^\d{8}T\d{6}-[0-9a-f]{6}$/;
/** Item ids are slugs (the compiler makes them so). */
export const ITEM_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** `<runId>|<item id>`: enough to find the run and the item; staleness is judged from the run's state. */
export function encodeItemValue(runId: string, itemId: string): string {
  return `${runId}|${itemId}`;
}

/** For select options (values are limited to 150 characters, step ids are not): `<runId>|#<step n>`. */
export function encodeStepNumberValue(runId: string, n: number): string {
  return `${runId}|#${n}`;
}

/** The step number of an item id written by `encodeStepNumberValue`, else null. */
export function stepNumberOf(itemId: string): number | null {
  const m = /^#(\d{1,4})$/.exec(itemId);
  return m ? Number(m[1]) : null;
}

/** The run and item a value names, or null when it is not a value this bot wrote. */
export function decodeItemValue(value: string | undefined): { runId: string; itemId: string } | null {
  if (!value || value.length > 200) return null;
  const bar = value.indexOf('|');
  if (bar <= 0) return null;
  const runId = value.slice(0, bar);
  const itemId = value.slice(bar + 1);
  if (!RUN_ID.test(runId)) return null;
  if (itemId !== '' && !ITEM_ID.test(itemId) && stepNumberOf(itemId) === null) return null;
  return { runId, itemId };
}
