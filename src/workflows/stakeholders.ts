/**
 * What a run told its stakeholders, and what it promised: the notice (`notify=` step), the updates on the
 * cadence the notice's template declares (`update=30m`), and the all-clear that ends them. Stored on the
 * run (`RunState.comms`), so the next update's due time survives a restart. Pure.
 */
import type { RunState } from './run-state';

export type CommsKind = 'notice' | 'update' | 'all-clear';

export interface CommsPost {
  kind: CommsKind;
  /** The runbook template it was filled from. */
  template: string;
  /** ISO time it was posted. */
  at: string;
  by: string;
  /** Where it went (stakeholder channels; the run's thread in a drill). */
  channels: string[];
  /** When the next update is due (ISO): the template's cadence, or what the person posting chose. */
  nextDueAt?: string;
  /** The `notify=` step that posted a notice. */
  stepId?: string;
}

export interface StakeholderComms {
  posts: CommsPost[];
  /** No more updates are due: the all-clear was posted (here or by the run that followed this one). */
  closed?: { at: string; by: string; reason: string };
}

export function commsPosts(state: RunState): CommsPost[] {
  return state.comms?.posts ?? [];
}

export function noticePosted(state: RunState): CommsPost | undefined {
  return commsPosts(state).find((p) => p.kind === 'notice');
}

export function allClearPosted(state: RunState): CommsPost | undefined {
  return commsPosts(state).find((p) => p.kind === 'all-clear');
}

/** The last notice or update: where the next update goes, and when it is due. */
export function latestPost(state: RunState): CommsPost | undefined {
  const posts = commsPosts(state).filter((p) => p.kind !== 'all-clear');
  return posts[posts.length - 1];
}

/** When the next stakeholder update is due, or null when none is (no cadence, or it was closed). */
export function nextUpdateDue(state: RunState): string | null {
  if (state.comms?.closed || allClearPosted(state)) return null;
  // A drill told no stakeholder anything: once it has ended, it owes no update (and no all-clear follows).
  if (state.drill && state.status !== 'active') return null;
  return latestPost(state)?.nextDueAt ?? null;
}

/** A run the timers must keep looking at: still active, or still owing its stakeholders an update. */
export function isWatched(state: RunState): boolean {
  return state.status === 'active' || nextUpdateDue(state) !== null;
}
