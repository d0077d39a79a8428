/**
 * Warm-up as a step with evidence: which provisioned concurrency writes a warm-up (or a return to standby)
 * needs, and whether the functions have reached the runbook's targets. Warm-up is done only when every
 * function of the table is READY with at least its failover concurrency allocated; an unreadable function
 * is never a pass. Pure.
 */
import type { WarmupTarget } from '../runbooks/model/model';

export type WarmupMode = 'warm' | 'release';

export interface ProvisionedConcurrencyState {
  functionName: string;
  region: string;
  qualifier: string;
  /** NONE: no provisioned concurrency configured on that qualifier. */
  status: 'READY' | 'IN_PROGRESS' | 'FAILED' | 'NONE';
  requested: number | null;
  allocated: number | null;
  reason: string | null;
}

export type WarmupRead = { ok: true; state: ProvisionedConcurrencyState } | { ok: false; error: string };

export interface WarmupLine {
  target: WarmupTarget;
  ok: boolean;
  text: string;
}

export interface WarmupVerdict {
  mode: WarmupMode;
  done: boolean;
  /** A function failed: waiting will not help. */
  failed: boolean;
  lines: WarmupLine[];
  summary: string;
}

export interface WarmupWrite {
  target: WarmupTarget;
  action: 'put' | 'delete';
  /** For `put`. */
  concurrency: number | null;
}

const label = (t: WarmupTarget) => `${t.functionName}:${t.qualifier} (${t.region})`;

/** What `mode` wants for one function: a concurrency, or none at all. */
function wanted(t: WarmupTarget, mode: WarmupMode): number | null {
  return mode === 'warm' ? t.concurrency : t.standby;
}

export function planWarmup(targets: WarmupTarget[], reads: WarmupRead[], mode: WarmupMode): WarmupWrite[] {
  const writes: WarmupWrite[] = [];
  targets.forEach((t, i) => {
    const read = reads[i];
    const want = wanted(t, mode);
    const state = read?.ok ? read.state : null;
    if (want === null) {
      // Unknown state: deleting a configuration that does not exist is harmless, so try.
      if (state?.status !== 'NONE') writes.push({ target: t, action: 'delete', concurrency: null });
      return;
    }
    // Warming never lowers: capacity raised by hand above the table's number is kept (Lambda would swap the
    // allocation down in the middle of the incident). Standby sets exactly the table's number.
    const enough = mode === 'warm' ? (state?.requested ?? 0) >= want : state?.requested === want;
    if (!state || !enough || state.status === 'FAILED' || state.status === 'NONE')
      writes.push({ target: t, action: 'put', concurrency: want });
  });
  return writes;
}

export function warmupVerdict(targets: WarmupTarget[], reads: WarmupRead[], mode: WarmupMode): WarmupVerdict {
  const lines: WarmupLine[] = targets.map((t, i) => {
    const read = reads[i];
    const want = wanted(t, mode);
    if (!read?.ok)
      return {
        target: t,
        ok: false,
        text: `${label(t)}: could not be read (${read?.ok === false ? read.error : 'not asked'})`,
      };
    const s = read.state;
    if (want === null) {
      return s.status === 'NONE'
        ? { target: t, ok: true, text: `${label(t)}: no provisioned concurrency (standby)` }
        : {
            target: t,
            ok: false,
            text: `${label(t)}: ${s.status}, ${s.requested ?? 0} requested; standby has none`,
          };
    }
    const detail = `${s.status}, ${s.allocated ?? 0} of ${s.requested ?? 0} allocated (target ${want})`;
    if (s.status === 'FAILED')
      return { target: t, ok: false, text: `${label(t)}: FAILED: ${s.reason ?? 'no reason given'}` };
    if (s.status === 'NONE')
      return { target: t, ok: false, text: `${label(t)}: no provisioned concurrency (target ${want})` };
    // Warm: at least its failover concurrency (more, raised by hand, is warm too); standby: exactly.
    const requested = s.requested ?? 0;
    const ok =
      s.status === 'READY' &&
      (mode === 'warm' ? requested >= want : requested === want) &&
      (s.allocated ?? 0) >= want;
    return { target: t, ok, text: `${label(t)}: ${detail}` };
  });
  const failed = reads.some((r) => r?.ok && r.state.status === 'FAILED');
  const done = targets.length > 0 && lines.every((l) => l.ok);
  const ready = lines.filter((l) => l.ok).length;
  const what = mode === 'warm' ? 'at their failover concurrency' : 'back at standby';
  let summary = `${ready} of ${targets.length} functions ${what}.`;
  if (targets.length === 0) summary = 'The warm-up table lists no functions.';
  else if (failed) summary += ' A function FAILED: read its reason; waiting will not help.';
  else if (done) summary = `All ${targets.length} functions ${what}.`;
  return { mode, done, failed, lines, summary };
}
