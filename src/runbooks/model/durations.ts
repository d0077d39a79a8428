/**
 * Durations as runbooks write them in bot hints (`remind=10m`, `update=30m`, `period=2h`): a whole number
 * and a unit, `s`, `m` or `h`. Pure.
 */

const DURATION = /^(\d{1,4})\s*(s|m|h)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `10m` → 600000; null for anything else (the runbook lint says so at build time). */
export function parseDuration(text: string | undefined): number | null {
  const m = DURATION.exec((text ?? '').trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  return ms > 0 ? ms : null;
}

/** 600000 → `10 min`, 5400000 → `1 h 30 min`, 45000 → `45 s`. */
export function describeDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}
