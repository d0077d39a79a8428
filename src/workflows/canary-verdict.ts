/**
 * "Monitoring period" after SIT → PROD: does the canary meet an abort criterion? Pure. The criteria are the
 * runbook's table (`CanaryCriteria`, compiled from PROMOTION.md), row for row; this module has no threshold
 * of its own. The AWS adapter (src/aws/canary.ts) measures each row for the canary version and the previous
 * version over the window; here each row is judged by exactly its rule, and:
 *
 * - "no data", or a canary sample below the row's minimum, is never a pass (`insufficient`);
 * - a rule that applies "from minute N" is not judged before it (`waiting`);
 * - a signal the bot cannot measure is "not measured by the bot — check by hand" (`by-hand`), never a pass.
 *
 * Rates compare counts (Σbad / Σtotal), not averages of per-minute rates.
 */
import type { AbortRule, CanaryCriteria, CanaryCriterion } from '../runbooks/model/model';

/** One version's numbers for one row. */
export interface VersionSample {
  /** What the row's minimum counts (requests, invocations, generations). */
  sample: number;
  /** Of those, the bad ones (5xx, errors), for rate and `any` rules. */
  bad?: number;
  /** The duration percentile (ms), for duration rules; null: no datapoint. */
  valueMs?: number | null;
}

export type RowMeasurement =
  | {
      kind: 'versions';
      canary: VersionSample;
      previous: VersionSample | null;
      versions: { canary: string; previous: string };
    }
  /** Occurrences over all versions (a log count, alarms in ALARM), with what they were (alarm names). */
  | { kind: 'count'; count: number; items?: string[] }
  /** The bot could not read it: why (no canary weight, a failed query, …). */
  | { kind: 'unavailable'; why: string }
  /** The runbook names a source the bot cannot measure. */
  | { kind: 'unmeasured' };

export type RowOutcome = 'ok' | 'abort' | 'insufficient' | 'waiting' | 'by-hand';

export interface RowVerdict {
  row: CanaryCriterion;
  outcome: RowOutcome;
  /** One line with the numbers, for the thread. */
  detail: string;
}

export type CanaryOutcome =
  /** An abort criterion is met: abort. */
  | 'fail'
  /** No criterion met, but a row has too little data, or is not judged yet. */
  | 'insufficient-data'
  /** Every measured row passed; some rows are not measured by the bot and must be checked by hand. */
  | 'by-hand'
  /** Every row measured, at or above its minimum, and none met. */
  | 'pass';

export interface CanaryVerdict {
  verdict: CanaryOutcome;
  rows: RowVerdict[];
}

/** `elapsedMinutes`: since the canary started taking traffic (the monitoring step became current). */
export function canaryVerdict(
  criteria: Pick<CanaryCriteria, 'rows'>,
  measurements: readonly RowMeasurement[],
  elapsedMinutes: number,
): CanaryVerdict {
  const rows = criteria.rows.map((row, i) =>
    judge(row, measurements[i] ?? { kind: 'unavailable', why: 'not read' }, elapsedMinutes),
  );
  const has = (o: RowOutcome) => rows.some((r) => r.outcome === o);
  const verdict: CanaryOutcome = has('abort')
    ? 'fail'
    : has('insufficient') || has('waiting')
      ? 'insufficient-data'
      : has('by-hand')
        ? 'by-hand'
        : 'pass';
  return { verdict, rows };
}

function judge(row: CanaryCriterion, m: RowMeasurement, elapsed: number): RowVerdict {
  const result = (outcome: RowOutcome, detail: string): RowVerdict => ({ row, outcome, detail });
  if (m.kind === 'unmeasured' || row.abort === null)
    return result('by-hand', `not measured by the bot — check by hand (${row.sourceText})`);
  if (m.kind === 'unavailable') return result('insufficient', `no data: ${m.why}`);
  const rule = row.abort;
  if (m.kind === 'count') {
    if (rule.kind !== 'any') return result('insufficient', 'no data: the measurement does not fit the rule');
    const what = m.items && m.items.length > 0 ? `: ${m.items.slice(0, 5).join(', ')}` : '';
    return m.count > 0 ? result('abort', `${m.count} seen${what}`) : result('ok', 'none seen');
  }
  const { canary, previous } = m;
  const versions = `v${m.versions.canary} vs v${m.versions.previous}`;
  // No data is never a pass: even a row with no minimum needs one sample.
  if (canary.sample < Math.max(1, row.minSample))
    return result(
      'insufficient',
      `${versions}: canary sample ${canary.sample} ${row.sampleUnit || 'events'}, below the minimum of ${row.minSample}`,
    );
  return judgeVersions(rule, canary, previous, versions, elapsed, result);
}

function judgeVersions(
  rule: AbortRule,
  canary: VersionSample,
  previous: VersionSample | null,
  versions: string,
  elapsed: number,
  result: (o: RowOutcome, d: string) => RowVerdict,
): RowVerdict {
  switch (rule.kind) {
    case 'any': {
      const bad = canary.bad ?? 0;
      return bad > 0
        ? result('abort', `${versions}: ${bad} on the canary`)
        : result('ok', `${versions}: none on the canary (${canary.sample} in the sample)`);
    }
    case 'rate': {
      const rate = (canary.bad ?? 0) / canary.sample;
      const points = rule.pointsAbovePrevious;
      const limit = `limit ${percent(rule.above)}${points === null ? '' : ` ${rule.join} ${points} point${points === 1 ? '' : 's'} above the previous version`}`;
      const overLimit = rate > rule.above;
      if (points === null)
        return result(overLimit ? 'abort' : 'ok', `${versions}: canary ${percent(rate)} (${limit})`);
      const base = previous && previous.sample > 0 ? (previous.bad ?? 0) / previous.sample : null;
      if (base === null)
        // Above the absolute limit aborts on its own when the runbook says "or"; else nothing to compare.
        return rule.join === 'or' && overLimit
          ? result('abort', `${versions}: canary ${percent(rate)} (${limit})`)
          : result(
              'insufficient',
              `${versions}: canary ${percent(rate)}; no traffic on the previous version to compare with`,
            );
      const above = (rate - base) * 100;
      // Compared in hundredths of a point, so 3.0% against 2.5% is exactly 0.5 points, not 0.5000000001.
      const relative = round(above) > round(points);
      const met = rule.join === 'and' ? overLimit && relative : overLimit || relative;
      const detail = `${versions}: canary ${percent(rate)} vs previous ${percent(base)}, ${signed(above)} points (${limit})`;
      return result(met ? 'abort' : 'ok', detail);
    }
    case 'ratio': {
      if (rule.fromMinute !== null && elapsed < rule.fromMinute)
        return result(
          'waiting',
          `${versions}: judged from minute ${rule.fromMinute} (now minute ${Math.floor(elapsed)})`,
        );
      const c = canary.valueMs ?? null;
      const p = previous?.valueMs ?? null;
      if (c === null || p === null)
        return result(
          'insufficient',
          `${versions}: no ${c === null ? 'canary' : 'previous-version'} duration datapoint`,
        );
      const limit = p * (1 + rule.percent / 100);
      const detail = `${versions}: canary ${ms(c)} vs previous ${ms(p)} (limit ${ms(limit)}, +${rule.percent}%)`;
      return result(round(c) > round(limit) ? 'abort' : 'ok', detail);
    }
    case 'above-ms': {
      const c = canary.valueMs ?? null;
      if (c === null) return result('insufficient', `${versions}: no canary duration datapoint`);
      return result(c > rule.ms ? 'abort' : 'ok', `${versions}: canary ${ms(c)} (limit ${ms(rule.ms)})`);
    }
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** `0.0123` → `1.23%`. */
export function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(2)}%`;
}

export function ms(value: number | null): string {
  return value === null ? 'n/a' : `${Math.round(value)} ms`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
}
