/**
 * The state of one checklist run and the events it produces. Pure data and pure queries: no Slack, no AWS.
 *
 * A run keeps a snapshot of its checklist's items (ids, titles, gates and roles, directives) taken when it
 * started, so editing a runbook never changes a run in flight; `checklistHash` tells which runbook version
 * it came from.
 */
import { createHash } from 'node:crypto';
import { type Checklist, type Directives, takeoverRolesOf } from '../runbooks/model/model';
import type { ApprovalInvite } from './invites';
import type { ActionRequest } from './requests';
import type { StakeholderComms } from './stakeholders';

export type RunStatus = 'active' | 'completed' | 'halted' | 'cancelled';

export interface RunStep {
  type: 'step';
  id: string;
  n: number;
  title: string;
  /** The start of the step's text (one line, at most `STEP_SUMMARY_MAX` characters), shown under its title. */
  summary: string;
  phase: string | null;
  sectionId: string;
  directives: Directives;
  /** The step's parallel group (docs/runbook-format.md): absent for a step done in document order. */
  parallel?: string;
  /** A digest of the step's runbook text when the run started (`textDigest`): Details says when it changed. */
  digest?: string;
}

export const STEP_SUMMARY_MAX = 280;

/** FNV-1a (32 bits) of a step's Markdown, as hex: enough to tell that the text changed, not a secret. */
export function textDigest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export interface RunGate {
  type: 'gate';
  id: string;
  title: string;
  roles: string[];
  sectionId: string;
  /** The gate's hints from the runbook (`remind=`, `escalate=`); absent on runs started before them. */
  directives?: Directives;
}

export type RunItem = RunStep | RunGate;

export interface StepState {
  status: 'pending' | 'done' | 'skipped';
  by?: string;
  at?: string;
  /** Skip reason. */
  reason?: string;
  /** Done although a guard (e.g. evidence) objected: the reason the user gave. */
  override?: string;
}

export interface Approval {
  role: string;
  user: string;
  at: string;
}

export interface GateState {
  approvals: Approval[];
  rejected?: { user: string; at: string; reason: string; role: string };
}

export interface RunState {
  runId: string;
  checklistId: string;
  title: string;
  checklistHash: string;
  items: RunItem[];
  /** A drill is the same flow, marked DRILL everywhere; live actions never execute in a drill. */
  drill: boolean;
  startedBy: string;
  /** ISO 8601. */
  startedAt: string;
  channel: string;
  /**
   * The workspace (`team.id`) and Enterprise Grid org (`enterprise.id`) the run was started from, as the app
   * saw them in the signed request: clicks from anywhere else are refused (src/workflows/authorize.ts).
   * Absent on runs stored before they were recorded.
   */
  team?: string | null;
  enterprise?: string | null;
  /** The checklist message (and the root of its event thread), once posted. */
  messageTs: string | null;
  status: RunStatus;
  steps: Record<string, StepState>;
  gates: Record<string, GateState>;
  endedAt?: string;
  endedBy?: string;
  /** Why a run was cancelled (or which run superseded it). */
  endReason?: string;
  supersededBy?: string;
  /** The run this one took over (the active run of the same checklist it replaced, with a reason). */
  replaced?: string;
  /**
   * Roles that may take this run over besides its starter and its gates' roles: the checklist's
   * `takeover=<role,role>` directive when the run started (docs/runbook-format.md).
   */
  takeoverRoles?: string[];
  /** Display names of the gates' roles as the runbook writes them (`devops` → `DevOps`). */
  roleNames?: Record<string, string>;
  /** Live-action requests (src/workflows/requests.ts), by id: stored with the run, one write for both. */
  requests?: Record<string, ActionRequest>;
  /**
   * Who the bot asked to sign, and where: one record per person per gate (or live-action request) opening,
   * with the DM it sent (src/workflows/invites.ts). Clicks from exactly those DMs are accepted as clicks in
   * the run's channel for the decision they offer (authorize.ts `clickedInRunChannel`).
   */
  invites?: ApprovalInvite[];
  /** What was posted to stakeholders and when the next update is due (src/workflows/stakeholders.ts). */
  comms?: StakeholderComms;
  /** Optimistic-concurrency version: every state change writes `version + 1` on the condition `version`. */
  version: number;
}

export type RunEventType =
  | 'started'
  | 'step_done'
  | 'step_undone'
  | 'step_skipped'
  | 'gate_approved'
  | 'gate_passed'
  | 'gate_rejected'
  /** Before `refused` replaced it; still read from older runs. */
  | 'gate_refused'
  /** Any action authorize() refused: who tried what, and why (the audit trail of refusals). */
  | 'refused'
  | 'action_requested'
  | 'action_approved'
  | 'action_cancelled'
  | 'action_retried'
  | 'action_submitted'
  | 'action_retrying'
  | 'action_succeeded'
  | 'action_failed'
  | 'completed'
  | 'halted'
  | 'cancelled'
  /** On the run replaced: who took it over, why, and the run that replaced it (`runRef`). */
  | 'taken_over'
  /** On the replacing run: the run it took over (`runRef`) and why. */
  | 'took_over'
  /** Something a step extension did or saw (evidence checked, failover executed, notice posted). */
  | 'note';

/** Append-only record of something that happened to a run. */
export interface RunEvent {
  /** Unique per run and stable across redeliveries of the same action: `<at>#<action key>#<n>`. */
  id: string;
  runId: string;
  type: RunEventType;
  /** ISO 8601. */
  at: string;
  user: string | null;
  stepId?: string;
  gateId?: string;
  role?: string;
  reason?: string;
  override?: string;
  /** For `step_done` out of order: the earlier steps that were not resolved yet (ids). */
  jumped?: string[];
  /** For `step_done` out of order: the step's own check had not passed either; the reason waived it too. */
  checkWaived?: boolean;
  /** For `note`: what happened, as mrkdwn written by the bot (never raw user input). */
  text?: string;
  /** For `gate_refused` (older runs): what was attempted. */
  attempted?: 'approve' | 'reject';
  /** For `refused`: the action that was attempted (an `Action` type of authorize.ts) and the refusal code. */
  action?: string;
  code?: string;
  /** For the `action_*` events: the request. */
  requestId?: string;
  /** For `taken_over` / `took_over`: the other run. */
  runRef?: string;
  /** For `taken_over` / `took_over`: a live run replaced a drill (recorded in both runs). */
  liveOverDrill?: boolean;
  /** The run version this event produced (for a refusal, the version it was refused at). */
  version: number;
}

export interface NewRun {
  runId: string;
  checklist: Checklist;
  drill: boolean;
  startedBy: string;
  startedAt: string;
  channel: string;
  team?: string | null;
  enterprise?: string | null;
  /** The active run this one takes over. */
  replaced?: string;
}

/** A fresh run at version 1, with every step pending and every gate unsigned. */
export function createRunState(input: NewRun): RunState {
  const items = snapshotItems(input.checklist);
  const steps: Record<string, StepState> = {};
  const gates: Record<string, GateState> = {};
  for (const item of items) {
    if (item.type === 'step') steps[item.id] = { status: 'pending' };
    else gates[item.id] = { approvals: [] };
  }
  return {
    runId: input.runId,
    checklistId: input.checklist.id,
    title: input.checklist.title,
    checklistHash: checklistHash(input.checklist),
    items,
    drill: input.drill,
    startedBy: input.startedBy,
    startedAt: input.startedAt,
    channel: input.channel,
    ...(input.team !== undefined ? { team: input.team } : {}),
    ...(input.enterprise !== undefined ? { enterprise: input.enterprise } : {}),
    messageTs: null,
    status: 'active',
    steps,
    gates,
    roleNames: roleNamesOf(input.checklist),
    ...(input.replaced ? { replaced: input.replaced } : {}),
    ...(takeoverRolesOf(input.checklist).length > 0
      ? { takeoverRoles: takeoverRolesOf(input.checklist) }
      : {}),
    version: 1,
  };
}

/** `Approvers: Security, DevOps, Business Owner.` in a gate's text → slug → name as written. */
function roleNamesOf(checklist: Checklist): Record<string, string> {
  const names: Record<string, string> = {};
  for (const item of checklist.items) {
    if (item.type !== 'gate') continue;
    const listed = /Approvers?\s*:\s*([^\n]+)/i.exec(item.markdown.replace(/[*_]/g, ''))?.[1] ?? '';
    for (const raw of listed.replace(/\.\s*$/, '').split(/,|\band\b|\//i)) {
      const name = raw.trim();
      const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      if (name && item.roles.includes(slug)) names[slug] = name;
    }
  }
  return names;
}

export function snapshotItems(checklist: Checklist): RunItem[] {
  return checklist.items.map(
    (item): RunItem =>
      item.type === 'step'
        ? {
            type: 'step',
            id: item.id,
            n: item.n,
            title: item.title,
            summary: summarize(item.markdown, item.title),
            phase: item.phase,
            sectionId: item.sectionId,
            directives: { ...item.directives },
            ...(item.parallel ? { parallel: item.parallel } : {}),
            digest: textDigest(item.markdown),
          }
        : {
            type: 'gate',
            id: item.id,
            title: item.title,
            roles: [...item.roles],
            sectionId: item.sectionId,
            ...(item.directives ? { directives: { ...item.directives } } : {}),
          },
  );
}

/**
 * The step's prose as one line, without code blocks (those are in Details), reading as the runbook's
 * sentences: a title that is a sentence of its own (`**Tag the release.** Then …`) is not repeated, but a
 * title that opens a longer sentence (`**The standby region is healthy**, because …`) keeps that sentence
 * whole, so the summary never starts with a dangling clause. Too long: cut after the last whole sentence
 * that fits (a word boundary only when no sentence ends early enough). Notes that commands follow.
 */
export function summarize(markdown: string, title: string): string {
  const hasCode = /^\s*(```|~~~)/m.test(markdown);
  let t = markdown
    .replace(/^\s*(```|~~~)[^\n]*\n[\s\S]*?^\s*\1[^\n]*$/gm, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/^\s*>.*$/gm, ' ') // a blockquote inside a step is a note or a gate, never its sentence
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '') // list markers inside a step: their text runs on
    .replace(/\*\*|__/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const plain = (x: string) => x.replace(/[`*_]/g, '').toLowerCase();
  const lead = plain(t).startsWith(plain(title)) ? leadingChars(t, title) : 0;
  if (lead > 0) {
    const rest = t.slice(lead);
    // The title ends its sentence: drop it. Otherwise the sentence goes on from the title: keep it whole.
    // \u2014 \u2013 are the dashes — and –, escaped for the bundle (scripts/bundle.ts assertOneByteSource).
    if (/^\s*[.:!?\u2014\u2013]/.test(rest) || rest.trim() === '')
      t = rest.replace(/^[\s.:!?\u2014\u2013-]+/, '');
  }
  const suffix = hasCode ? ' (commands in Details)' : '';
  if (t.length + suffix.length <= STEP_SUMMARY_MAX)
    return t ? `${t}${suffix}` : hasCode ? 'Commands in Details.' : '';
  const room = STEP_SUMMARY_MAX - ' (more in Details)'.length;
  const head = t.slice(0, room);
  let end = -1;
  for (const m of head.matchAll(SENTENCE_END)) end = m.index + m[0].length;
  if (end > room / 3) return `${head.slice(0, end)} (more in Details)`;
  const space = head.lastIndexOf(' ');
  return `${space > room / 2 ? head.slice(0, space) : head}… (more in Details)`;
}

/** The end of a sentence: `.`, `!` or `?` (after a closing bracket or quote too) before a space, not `e.g.`. */
// \u201d: a closing ” (escaped, see above).
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|vs|[A-Za-z]))[.!?][)"\u201d']?(?=\s)/g;

/** How many characters of `text` spell `title` (ignoring Markdown marks), so the title can be cut off. */
function leadingChars(text: string, title: string): number {
  let i = 0;
  let j = 0;
  const want = title.toLowerCase();
  while (i < text.length && j < want.length) {
    const c = text.charAt(i).toLowerCase();
    if (c === want.charAt(j)) j++;
    else if (!/[`*_]/.test(c)) return 0;
    i++;
  }
  while (i < text.length && /[`*_]/.test(text.charAt(i))) i++;
  return j === want.length ? i : 0;
}

/**
 * Short hash of what a run depends on: its items and their directives, and the checklist's own directives
 * and tables (`switch=`, `records=`: what its live actions act on); not prose edits elsewhere.
 */
export function checklistHash(checklist: Checklist): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        items: snapshotItems(checklist),
        directives: checklist.directives,
        records: checklist.records ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 12);
}

/**
 * The hash runs stored before `checklistHash` covered the checklist's own directives (items only): a run
 * started on that version, whose runbook did not change, still matches it.
 */
export function itemsOnlyChecklistHash(checklist: Checklist): string {
  return createHash('sha256')
    .update(JSON.stringify(snapshotItems(checklist)))
    .digest('hex')
    .slice(0, 12);
}

// ---- Queries --------------------------------------------------------------------------------------------

export function findStep(state: RunState, id: string): { step: RunStep; index: number } | null {
  const index = state.items.findIndex((it) => it.type === 'step' && it.id === id);
  const item = state.items[index];
  return item?.type === 'step' ? { step: item, index } : null;
}

export function findGate(state: RunState, id: string): { gate: RunGate; index: number } | null {
  const index = state.items.findIndex((it) => it.type === 'gate' && it.id === id);
  const item = state.items[index];
  return item?.type === 'gate' ? { gate: item, index } : null;
}

export function stepState(state: RunState, id: string): StepState {
  return state.steps[id] ?? { status: 'pending' };
}

export function gateState(state: RunState, id: string): GateState {
  return state.gates[id] ?? { approvals: [] };
}

export function isResolved(step: StepState): boolean {
  return step.status === 'done' || step.status === 'skipped';
}

export function missingRoles(state: RunState, gate: RunGate): string[] {
  const signed = new Set(gateState(state, gate.id).approvals.map((a) => a.role));
  return gate.roles.filter((r) => !signed.has(r));
}

export function isGateComplete(state: RunState, gate: RunGate): boolean {
  return gateState(state, gate.id).rejected === undefined && missingRoles(state, gate).length === 0;
}

/** The first gate before `index` that is not complete: it locks the item at `index`. */
export function lockingGate(state: RunState, index: number): RunGate | null {
  for (let i = 0; i < index; i++) {
    const item = state.items[i];
    if (item?.type === 'gate' && !isGateComplete(state, item)) return item;
  }
  return null;
}

/** Steps before `index` that are neither done nor skipped (a gate opens only when there are none). */
export function unresolvedStepsBefore(state: RunState, index: number): RunStep[] {
  const out: RunStep[] = [];
  for (let i = 0; i < index; i++) {
    const item = state.items[i];
    if (item?.type === 'step' && !isResolved(stepState(state, item.id))) out.push(item);
  }
  return out;
}

/**
 * Steps the runbook puts before the step at `index` that are neither done nor skipped, its own parallel
 * group aside: while there are any, the step is out of order (Done needs an override reason, and its live
 * actions are refused).
 */
export function earlierUnresolved(state: RunState, index: number): RunStep[] {
  const step = state.items[index];
  const group = step?.type === 'step' ? step.parallel : undefined;
  return unresolvedStepsBefore(state, index).filter((s) => group === undefined || s.parallel !== group);
}

/** The steps to work on now: pending, not locked by a gate, with nothing unresolved before them. */
export function currentSteps(state: RunState): RunStep[] {
  if (state.status !== 'active') return [];
  const out: RunStep[] = [];
  state.items.forEach((item, index) => {
    if (item.type !== 'step' || stepState(state, item.id).status !== 'pending') return;
    if (lockingGate(state, index) === null && earlierUnresolved(state, index).length === 0) out.push(item);
  });
  return out;
}

/** The first gate after the item at `index` that someone has signed: undoing that item can only be refused. */
export function signedGateAfter(state: RunState, index: number): RunGate | null {
  for (let i = index + 1; i < state.items.length; i++) {
    const item = state.items[i];
    if (item?.type === 'gate' && gateState(state, item.id).approvals.length > 0) return item;
  }
  return null;
}

/** A gate is open for signatures once everything before it is resolved and earlier gates are complete. */
export function isGateOpen(state: RunState, index: number): boolean {
  return lockingGate(state, index) === null && unresolvedStepsBefore(state, index).length === 0;
}

export interface Progress {
  stepsResolved: number;
  stepsTotal: number;
  gatesPassed: number;
  gatesTotal: number;
}

export function progress(state: RunState): Progress {
  const p: Progress = { stepsResolved: 0, stepsTotal: 0, gatesPassed: 0, gatesTotal: 0 };
  for (const item of state.items) {
    if (item.type === 'step') {
      p.stepsTotal++;
      if (isResolved(stepState(state, item.id))) p.stepsResolved++;
    } else {
      p.gatesTotal++;
      if (isGateComplete(state, item)) p.gatesPassed++;
    }
  }
  return p;
}

export function isFinished(state: RunState): boolean {
  const p = progress(state);
  return p.stepsResolved === p.stepsTotal && p.gatesPassed === p.gatesTotal;
}

/** Steps that can be done now: pending and not locked by a gate, in document order. */
export function actionableSteps(state: RunState): RunStep[] {
  const out: RunStep[] = [];
  for (let i = 0; i < state.items.length; i++) {
    const item = state.items[i]!;
    if (item.type === 'gate') {
      if (!isGateComplete(state, item)) break;
      continue;
    }
    if (stepState(state, item.id).status === 'pending') out.push(item);
  }
  return out;
}

/** The gate waiting for signatures, if one is open. */
export function openGate(state: RunState): RunGate | null {
  for (let i = 0; i < state.items.length; i++) {
    const item = state.items[i]!;
    if (item.type === 'gate' && !isGateComplete(state, item)) return isGateOpen(state, i) ? item : null;
  }
  return null;
}

/**
 * The roles a refusal recorded (`devops,incident-commander`, or `none`) as people read them:
 * `DevOps, Incident Commander`, or `no role`.
 */
export function rolesLabel(roles: string | undefined, names?: Record<string, string>): string {
  const list = (roles ?? '').split(',').filter((r) => r && r !== 'none');
  return list.length > 0 ? roleLabels(list, names) : 'no role';
}

/** Display labels of several roles, comma-separated (`DevOps, Incident Commander`); '' for none. */
export function roleLabels(roles: readonly string[], names?: Record<string, string>): string {
  return roles.map((r) => roleLabel(r, names)).join(', ');
}

/** Display label of a role: as the runbook names it when known, else from the slug (`business-owner` → `Business Owner`). */
export function roleLabel(role: string, names?: Record<string, string>): string {
  const named = names?.[role];
  if (named) return named;
  return role
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}
