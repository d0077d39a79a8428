/**
 * The runbook tables a failover checklist names in its directive (`switch=`, `dns=`, `warmup=`,
 * `records=`), the verdict notes the failover and warm-up steps record, and the write outcome a stored
 * switch request stands for. Shared by ./route-step.ts, ./switch.ts, ./fallback.ts and ./warmup.ts.
 */
import type { Checklist, DnsCheck, FailoverSwitchSet, WarmupTarget } from '../../../runbooks/model/model';
import type { FailoverDirection } from '../../../workflows/failover-plan';
import type { FailoverVerdict, SwitchWriteOutcome } from '../../../workflows/failover-verdict';
import type { ActionRequest } from '../../../workflows/requests';
import type { AppDeps } from '../../deps';
import type { ChecklistRuntime } from '../checklists/runtime';
import { recordRunNote } from '../checklists/runtime';
import { type EventSource, latestNote, NoteKind, noteKey, type StoredNote } from './notes';

export function switchSetOf(deps: AppDeps, checklist: Checklist | undefined): FailoverSwitchSet | null {
  const id = checklist?.directives['switch'];
  return id ? (deps.artifact.switches?.[id] ?? null) : null;
}

export function dnsCheckOf(deps: AppDeps, checklist: Checklist | undefined): DnsCheck | null {
  const id = checklist?.directives['dns'];
  return id ? (deps.artifact.dnsChecks?.[id] ?? null) : null;
}

export function warmupTargetsOf(deps: AppDeps, checklist: Checklist | undefined): WarmupTarget[] {
  const id = checklist?.directives['warmup'];
  return id ? (deps.artifact.warmups?.[id] ?? []) : [];
}

export function directionOf(action: string): FailoverDirection | null {
  if (action === 'route53-failover' || action === FALLBACK_KIND.failover) return 'failover';
  if (action === 'route53-failback' || action === FALLBACK_KIND.failback) return 'failback';
  return null;
}

/** The record-swap fallback's request kinds: not the switch's request, and never the step's own action. */
export const FALLBACK_KIND: Record<FailoverDirection, string> = {
  failover: 'record-swap-failover',
  failback: 'record-swap-failback',
};

export const isFallbackKind = (kind: string) => Object.values(FALLBACK_KIND).includes(kind);

// ---- The route verdict, as a note ------------------------------------------------------------------------

/** `answered` when the name servers answer the target region; `-fallback` when the fallback is offered. */
export type RouteOutcome = 'answered' | 'waiting' | 'answered-fallback' | 'waiting-fallback';

export function routeOutcome(v: Pick<FailoverVerdict, 'routeDone' | 'fallback'>): RouteOutcome {
  const base = v.routeDone ? 'answered' : 'waiting';
  return v.fallback.available ? `${base}-fallback` : base;
}

export const routeAnswered = (note: StoredNote | null) => note?.outcome.startsWith('answered') === true;
export const fallbackOffered = (note: StoredNote | null) => note?.outcome.endsWith('-fallback') === true;

export function latestRouteNote(source: EventSource, runId: string, stepId: string) {
  return latestNote(source, runId, NoteKind.route, stepId);
}

/** Record a verdict on the run (the thread shows it; the step and its Done read it back). */
export async function recordRouteNote(
  rt: ChecklistRuntime,
  run: { runId: string },
  stepId: string,
  note: { user: string | null; text: string; outcome: RouteOutcome; unique: string; at?: string },
): Promise<void> {
  await recordRunNote(rt, rt.slack, run.runId, {
    user: note.user,
    text: note.text,
    key: noteKey(NoteKind.route, stepId, note.outcome, note.unique),
    at: note.at ?? rt.deps.now().toISOString(),
  });
}

/**
 * What the step's latest switch request wrote, for a verdict read later ("Check again"): the switches its
 * recorded change names, or a write that failed, or nothing known. A record-swap fallback that succeeded
 * after that failure answers it: the failure no longer offers the fallback.
 */
export function writeOfStep(requests: ActionRequest[]): SwitchWriteOutcome | null {
  const lastSwitch = requests.filter((r) => !isFallbackKind(r.kind)).at(-1) ?? null;
  const fallbackSince = requests.some(
    (r) =>
      isFallbackKind(r.kind) && r.status === 'succeeded' && r.requestedAt >= (lastSwitch?.requestedAt ?? ''),
  );
  return fallbackSince ? null : writeOfRequest(lastSwitch);
}

/**
 * What a stored switch request wrote, for the verdict: the switches its recorded change names, or a write
 * that failed (no change recorded, request failed), or nothing known.
 */
export function writeOfRequest(request: ActionRequest | null): SwitchWriteOutcome | null {
  if (!request || isFallbackKind(request.kind)) return null;
  if (request.changeId?.startsWith('switch:'))
    return { succeeded: request.changeId.slice('switch:'.length).split(','), failed: [] };
  if (request.status === 'failed' && request.lastError?.startsWith(SWITCH_WRITE_FAILED))
    return { succeeded: [], failed: [{ switchId: 'switch', error: request.lastError }] };
  return null;
}

/** How a request's stored error starts when no switch accepted the write (./switch.ts). */
export const SWITCH_WRITE_FAILED = 'No failover switch accepted the write';
