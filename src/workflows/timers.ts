/**
 * The bot's timers, derived from what is stored on a run, so they survive a restart or a cold Lambda
 * without timer records of their own: a gate (or live-action request) waiting for signatures since a time
 * the run's history gives, and the next stakeholder update the last notice promised.
 *
 * - `remind`: the gate has waited its `remind=` (docs/runbook-format.md; default `DEFAULT_REMIND`);
 * - `escalate`: it has waited twice that: the runbook's escalation contact (`escalate=`) is named;
 * - `update`: the next stakeholder update is due (`update=` on the notice's template).
 *
 * Each timer has a key that names its occasion (run, target, since when), so firing it once is a
 * conditional write on that key (the Slack layer takes a lease on it). Pure.
 */
import { parseDuration } from '../runbooks/model/durations';
import { type Awaiting, awaitingSignatures } from './invites';
import { findStep, type RunState } from './run-state';
import { nextUpdateDue } from './stakeholders';

/** How long a gate waits before its approvers are reminded when the runbook says nothing (`remind=`). */
export const DEFAULT_REMIND = '15m';

export type TimerKind = 'remind' | 'escalate' | 'update';

export interface DueTimer {
  key: string;
  kind: TimerKind;
  runId: string;
  /** For remind and escalate: what waits (`gate:<id>`, `request:<id>`). */
  target?: string;
  /** When the wait (or the cadence) started. */
  since: string;
  /** When the timer was due. */
  dueAt: string;
  /** remind / escalate: the declared wait. */
  remindMs?: number;
  /** escalate: the contact level the runbook names (`escalate=L3`), if any. */
  escalateTo?: string;
}

/** The wait a target may take: its gate's `remind=`; for a request, its step's, else its gate's. */
export function remindAfterMs(state: RunState, awaiting: Awaiting): number {
  const fallback = parseDuration(DEFAULT_REMIND)!;
  if (awaiting.gate) return parseDuration(awaiting.gate.directives?.['remind']) ?? fallback;
  const request = awaiting.requestId ? state.requests?.[awaiting.requestId] : undefined;
  const found = request ? findStep(state, request.stepId) : null;
  if (!found) return fallback;
  const own = parseDuration(found.step.directives['remind']);
  if (own) return own;
  const gate = guardingGate(state, found.index);
  return parseDuration(gate?.directives?.['remind']) ?? fallback;
}

/** The escalation contact level for a target: its gate's `escalate=` (a request: the gate guarding its step). */
export function escalationOf(state: RunState, awaiting: Awaiting): string | undefined {
  if (awaiting.gate) return awaiting.gate.directives?.['escalate'];
  const request = awaiting.requestId ? state.requests?.[awaiting.requestId] : undefined;
  const found = request ? findStep(state, request.stepId) : null;
  if (!found) return undefined;
  return found.step.directives['escalate'] ?? guardingGate(state, found.index)?.directives?.['escalate'];
}

function guardingGate(state: RunState, index: number) {
  for (let i = index - 1; i >= 0; i--) {
    const item = state.items[i];
    if (item?.type === 'gate') return item;
  }
  return undefined;
}

/** Every timer of the run that is due at `now`, oldest occasion first. */
export function dueTimers(state: RunState, now: Date): DueTimer[] {
  const out: DueTimer[] = [];
  const t = now.getTime();
  for (const a of awaitingSignatures(state)) {
    const remindMs = remindAfterMs(state, a);
    const since = Date.parse(a.since);
    if (!Number.isFinite(since)) continue;
    const base = { runId: state.runId, target: a.target, since: a.since, remindMs };
    if (t >= since + remindMs) {
      out.push({
        ...base,
        key: `remind:${state.runId}:${a.target}:${a.since}`,
        kind: 'remind',
        dueAt: new Date(since + remindMs).toISOString(),
      });
    }
    if (t >= since + 2 * remindMs) {
      const escalateTo = escalationOf(state, a);
      out.push({
        ...base,
        key: `escalate:${state.runId}:${a.target}:${a.since}`,
        kind: 'escalate',
        dueAt: new Date(since + 2 * remindMs).toISOString(),
        ...(escalateTo ? { escalateTo } : {}),
      });
    }
  }
  const due = nextUpdateDue(state);
  if (due && t >= Date.parse(due)) {
    out.push({
      key: `update:${state.runId}:${due}`,
      kind: 'update',
      runId: state.runId,
      since: due,
      dueAt: due,
    });
  }
  return out;
}
