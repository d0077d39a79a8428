/**
 * The canary monitor: measures each row of the runbook's canary criteria (src/runbooks/model/model.ts
 * `CanaryCriteria`, compiled from PROMOTION.md) for the canary version and the previous version, and hands
 * the numbers to the pure verdict (src/workflows/canary-verdict.ts). What to read comes from the table:
 *
 * - the two versions: Lambda `GetAlias` on the alias the table names (the version it points at is the
 *   previous release; its additional weight is the canary);
 * - `AWS/Lambda` metrics per `ExecutedVersion` (with `FunctionName` and `Resource` = `function:alias`):
 *   `Errors` and `Invocations` sums, `Duration` at the row's percentile and its sample count, one period
 *   spanning the window (percentiles of different periods cannot be combined);
 * - Logs Insights queries on the named log group, split by the version in the log stream name
 *   (`2025/03/01/[57]0a1b…`);
 * - alarms in ALARM with the named prefix, in the named region.
 *
 * A read that fails leaves its row without data (never a pass); other rows are still measured.
 */
import type { CanaryCriteria, CanaryCriterion } from '../runbooks/model/model';
import { type CanaryVerdict, canaryVerdict, type RowMeasurement } from '../workflows/canary-verdict';
import type { AliasState, AwsGateway } from './gateway';
import { toPartFailure } from './outcome';
import type { MetricQuery, MetricSeries, TimeWindow } from './types';

export interface CanaryReport {
  criteriaId: string;
  region: string;
  window: { start: string; end: string; minutes: number };
  /** Minutes since the canary started (the monitoring step became current). */
  elapsedMinutes: number;
  verdict: CanaryVerdict;
  simulated: string | null;
}

/** `30m`, `1h`, `45` (minutes) → minutes; falls back to 30. */
export function parsePeriodMinutes(text: string | undefined, fallback = 30): number {
  const m = /^\s*(\d+)\s*(m|min|mins|minutes|h|hr|hours)?\s*$/i.exec(text ?? '');
  if (!m) return fallback;
  const n = Number(m[1]);
  const minutes = m[2] && /^h/i.test(m[2]) ? n * 60 : n;
  return minutes > 0 ? minutes : fallback;
}

/** The Logs Insights query a row's source stands for (exported for tests and the simulated gateway). */
export function logsQueryOf(row: CanaryCriterion): string | null {
  const version = 'parse @logStream /\\[(?<version>[^\\]]+)\\]/';
  const s = row.source;
  switch (s.kind) {
    case 'logs-status-class':
      return `filter event = "${s.event}" | ${version} | fields floor(${s.field} / 100) as class | stats count(*) as n by version, class`;
    case 'logs-outcome':
      return `filter event = "${s.event}" | ${version} | stats count(*) as n by version, ${s.field}`;
    case 'logs-count':
      return `filter ${s.field} = "${s.value}" | stats count(*) as n`;
    default:
      return null;
  }
}

export async function readCanary(
  gateway: AwsGateway,
  criteria: CanaryCriteria,
  window: TimeWindow,
): Promise<CanaryReport> {
  const elapsedMinutes = (window.end.getTime() - window.start.getTime()) / 60_000;
  const aliases = await readAliases(gateway, criteria);
  const measurements = await Promise.all(
    criteria.rows.map((row) =>
      measure(gateway, criteria, row, window, elapsedMinutes, aliases).catch(
        (error: unknown): RowMeasurement => ({ kind: 'unavailable', why: toPartFailure(error).message }),
      ),
    ),
  );
  return {
    criteriaId: criteria.id,
    region: criteria.region,
    window: {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      minutes: Math.round(elapsedMinutes),
    },
    elapsedMinutes,
    verdict: canaryVerdict(criteria, measurements, elapsedMinutes),
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
  };
}

type Versions = { previous: string; canary: string } | { why: string };

const functionNameOf = (criteria: CanaryCriteria, fn: string) =>
  criteria.functionName.replace('{function}', fn);

/** Each function's previous and canary version, from its alias (one GetAlias per function). */
async function readAliases(gateway: AwsGateway, criteria: CanaryCriteria): Promise<Map<string, Versions>> {
  const needed = [
    ...new Set(
      criteria.rows
        .filter((r) =>
          ['lambda-errors', 'lambda-duration', 'logs-status-class', 'logs-outcome'].includes(r.source.kind),
        )
        .map((r) => r.function),
    ),
  ];
  const out = new Map<string, Versions>();
  await Promise.all(
    needed.map(async (fn) => {
      const name = functionNameOf(criteria, fn);
      try {
        out.set(
          fn,
          versionsOf(
            await gateway.lambdaAlias({ region: criteria.region, functionName: name, alias: criteria.alias }),
            name,
            criteria.alias,
          ),
        );
      } catch (error) {
        out.set(fn, { why: toPartFailure(error).message });
      }
    }),
  );
  return out;
}

function versionsOf(alias: AliasState, name: string, aliasName: string): Versions {
  const weighted = Object.entries(alias.weights)
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1]);
  const canary = weighted[0]?.[0];
  if (!canary || !alias.version)
    return { why: `${name}:${aliasName} sends no traffic to a second version (no canary weight)` };
  return { previous: alias.version, canary };
}

async function measure(
  gateway: AwsGateway,
  criteria: CanaryCriteria,
  row: CanaryCriterion,
  window: TimeWindow,
  elapsed: number,
  aliases: Map<string, Versions>,
): Promise<RowMeasurement> {
  const s = row.source;
  if (s.kind === 'unmeasured') return { kind: 'unmeasured' };
  if (s.kind === 'alarms') {
    const alarms = await gateway.alarmsInAlarm({ region: s.region, prefix: s.prefix });
    return { kind: 'count', count: alarms.length, items: alarms.map((a) => a.name) };
  }
  if (s.kind === 'logs-count') {
    const result = await gateway.logsQuery({
      region: criteria.region,
      logGroup: s.logGroup,
      query: logsQueryOf(row)!,
      window,
    });
    if (result.status !== 'Complete')
      return { kind: 'unavailable', why: `Logs Insights query ${result.status}` };
    return { kind: 'count', count: result.rows.reduce((n, r) => n + (Number(r['n']) || 0), 0) };
  }
  const versions = aliases.get(row.function) ?? { why: `no alias read for ${row.function}` };
  if ('why' in versions) return { kind: 'unavailable', why: versions.why };
  if (s.kind === 'logs-status-class' || s.kind === 'logs-outcome') {
    const result = await gateway.logsQuery({
      region: criteria.region,
      logGroup: s.logGroup,
      query: logsQueryOf(row)!,
      window,
    });
    if (result.status !== 'Complete')
      return { kind: 'unavailable', why: `Logs Insights query ${result.status}` };
    const sample = (version: string) => {
      const mine = result.rows.filter((r) => r['version'] === version);
      const n = (r: Record<string, string>) => Number(r['n']) || 0;
      const bad =
        s.kind === 'logs-status-class'
          ? mine.filter((r) => Number(r['class']) === 5)
          : mine.filter((r) => r[s.field] === s.errorValue);
      return { sample: mine.reduce((a, r) => a + n(r), 0), bad: bad.reduce((a, r) => a + n(r), 0) };
    };
    return {
      kind: 'versions',
      versions,
      canary: sample(versions.canary),
      previous: sample(versions.previous),
    };
  }
  // Lambda metrics per ExecutedVersion; a rule that applies from minute N is measured from minute N.
  const from =
    s.kind === 'lambda-duration' &&
    row.abort?.kind === 'ratio' &&
    row.abort.fromMinute !== null &&
    elapsed >= row.abort.fromMinute
      ? new Date(window.start.getTime() + row.abort.fromMinute * 60_000)
      : window.start;
  const span = { start: from, end: window.end };
  const fn = functionNameOf(criteria, row.function);
  const period = Math.max(60, Math.ceil((span.end.getTime() - span.start.getTime()) / 60_000) * 60);
  const query = (id: string, version: string, metricName: string, stat: string): MetricQuery => ({
    id,
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: { FunctionName: fn, Resource: `${fn}:${criteria.alias}`, ExecutedVersion: version },
    stat,
    periodSeconds: period,
    label: `${fn} v${version} ${metricName} ${stat}`,
  });
  const queries: MetricQuery[] = [];
  for (const [tag, version] of [
    ['c', versions.canary],
    ['p', versions.previous],
  ] as const) {
    if (s.kind === 'lambda-errors') {
      queries.push(
        query(`${tag}_errors`, version, 'Errors', 'Sum'),
        query(`${tag}_invocations`, version, 'Invocations', 'Sum'),
      );
    } else {
      queries.push(
        query(`${tag}_duration`, version, 'Duration', `p${s.percentile}`),
        query(`${tag}_samples`, version, 'Duration', 'SampleCount'),
      );
    }
  }
  const series = await gateway.metricData({ region: criteria.region, queries, window: span });
  const total = (id: string) => sum(values(series, id));
  const worst = (id: string) => {
    const v = values(series, id);
    return v.length > 0 ? Math.max(...v) : null;
  };
  // A series CloudWatch could not return whole (`InternalError`, `PartialData`, or none) is no data, never
  // zero errors: the version's sample is then empty, which the verdict reads as too little data.
  const complete = (...ids: string[]) =>
    ids.every((id) => {
      const found = series.find((x) => x.id === id);
      return found !== undefined && (found.statusCode === undefined || found.statusCode === 'Complete');
    });
  const sample = (tag: 'c' | 'p') =>
    s.kind === 'lambda-errors'
      ? complete(`${tag}_invocations`, `${tag}_errors`)
        ? { sample: total(`${tag}_invocations`), bad: total(`${tag}_errors`) }
        : { sample: 0, bad: 0 }
      : complete(`${tag}_samples`, `${tag}_duration`)
        ? { sample: total(`${tag}_samples`), valueMs: worst(`${tag}_duration`) }
        : { sample: 0, valueMs: null };
  return { kind: 'versions', versions, canary: sample('c'), previous: sample('p') };
}

function values(series: MetricSeries[], id: string): number[] {
  return (series.find((x) => x.id === id)?.values ?? []).filter((v) => Number.isFinite(v));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
