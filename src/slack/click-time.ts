/**
 * When a click happened, as far as the bot believes its payload. Its own module: the search answer's
 * feedback buttons (loaded at cold start) date their records with it without loading the click path.
 */

/** How far a click's own time may lie ahead of the clock (skew), and behind it (a deferred task runs ≤ 15 min late). */
const CLICK_AHEAD_MS = 60_000;
const CLICK_BEHIND_MS = 60 * 60_000;

/**
 * Slack's `action_ts` (`1700000000.123456`) as ISO time; `fallback` (now) when absent, malformed, or out of
 * reach of now: the payload is the client's, and a click dated an hour ahead would find every lease run
 * out (Retry on an execution still in progress) and date the audit trail where it likes.
 */
export function isoFromActionTs(actionTs: string | null | undefined, fallback: Date): string {
  const ms = Math.round(Number(actionTs) * 1000);
  const now = fallback.getTime();
  return Number.isFinite(ms) && ms > 0 && ms <= now + CLICK_AHEAD_MS && ms >= now - CLICK_BEHIND_MS
    ? new Date(ms).toISOString()
    : fallback.toISOString();
}
