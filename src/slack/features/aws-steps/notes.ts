/**
 * What the AWS step extensions remember about a run lives in the run's own event log, as `note` events
 * written with `recordRunNote` (../checklists/runtime.ts): evidence checked, change requested / decided /
 * applied, notice posted, canary verdict. The note's key carries a machine-readable outcome, so guards
 * read it back from `store.listEvents` without any state of their own (works across Lambda invocations).
 *
 * Key layout: `<kind>:<step id>:<outcome>:<unique>`; the event id is `<at>#note:<key>#0`.
 */
import type { Store } from '../../../store/store';
import type { RunEvent } from '../../../workflows/run-state';

export const NoteKind = {
  evidence: 'aws-evidence',
  preview: 'aws-r53-preview',
  request: 'aws-r53-request',
  decision: 'aws-r53-decision',
  result: 'aws-r53-result',
  notice: 'aws-notice',
  canary: 'aws-canary',
  /** The failover verdict of "Update Route 53" / "DNS cutback" (./failover-notes.ts has the outcomes). */
  route: 'aws-route',
  /** The warm-up status of "Warm up" / "Return to standby". */
  warmup: 'aws-warmup',
} as const;

export type NoteKindName = (typeof NoteKind)[keyof typeof NoteKind];

export interface StoredNote {
  kind: string;
  stepId: string;
  outcome: string;
  unique: string;
  at: string;
  text: string;
}

/** Step ids are slugs, outcomes and unique parts are ours: keep `:` and `#` out of all of them. */
function clean(part: string): string {
  return part.replace(/[:#]/g, '_');
}

export function noteKey(kind: NoteKindName, stepId: string, outcome: string, unique: string): string {
  return `${kind}:${clean(stepId)}:${clean(outcome)}:${clean(unique)}`;
}

const NOTE_ID = /^([^#]+)#note:([^:#]+):([^:#]*):([^:#]*):([^#]*)#\d+$/;

export function parseNote(event: { id: string; type: string; at: string; text?: string }): StoredNote | null {
  if (event.type !== 'note') return null;
  const m = NOTE_ID.exec(event.id);
  if (!m) return null;
  return {
    at: m[1] ?? event.at,
    kind: m[2] ?? '',
    stepId: m[3] ?? '',
    outcome: m[4] ?? '',
    unique: m[5] ?? '',
    text: event.text ?? '',
  };
}

/** The run's events, or a store to read them from. */
export type EventSource = Store | readonly RunEvent[];

/** Every AWS note of one kind for one step, oldest first. */
export async function notesFor(
  source: EventSource,
  runId: string,
  kind: NoteKindName,
  stepId: string,
): Promise<StoredNote[]> {
  const events = 'listEvents' in source ? await source.listEvents(runId) : source;
  return events
    .map(parseNote)
    .filter((n): n is StoredNote => n !== null && n.kind === kind && n.stepId === clean(stepId))
    .sort((a, b) => a.at.localeCompare(b.at));
}

export async function latestNote(
  store: EventSource,
  runId: string,
  kind: NoteKindName,
  stepId: string,
): Promise<StoredNote | null> {
  const notes = await notesFor(store, runId, kind, stepId);
  return notes[notes.length - 1] ?? null;
}

/** For a guard: the events its caller read already, else the store. */
export async function eventsOf(ctx: {
  events?: readonly RunEvent[];
  deps: { getStore(): Promise<Store> };
}): Promise<EventSource> {
  return ctx.events ?? (await ctx.deps.getStore());
}
