/** The benchmark's results as Markdown: the table printed by `npm run bench` and pasted into the README. */
import type { SdkMode } from '../scripts/bundle';
import type { AckKind, AckResult, LatencyStats } from './ack-latency';
import type { StormApp, StormMode } from './ack-storm';
import type { AppName, Bundles, ColdStats } from './cold-start';
import { type Machine, machineLine } from './machine';
import type { ScaleResult } from './search-scale';
import type { SlowStoreResult } from './slow-store';

export interface QualityRow {
  ranker: string;
  tuned: { top1: number; top3: number; mrr: number; n: number };
  heldOut: { top1: number; top3: number; mrr: number; n: number };
}

export interface Goal {
  goal: string;
  measured: string;
  target: string;
  /** null: not measured in this run (smoke). */
  met: boolean | null;
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  date: string;
  machine: Machine;
  settings: { coldRuns: number; requests: number; warmup: number; scales: number[] };
  defaultSdk: SdkMode;
  bundles: Bundles[];
  cold: ColdStats[];
  ack: AckResult;
  slowStore: SlowStoreResult;
  searchScale: ScaleResult[];
  quality: QualityRow[];
  goals: Goal[];
  durationS: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toLocaleString('en', { maximumFractionDigits: 0 })} KiB`;
const ms = (x: number) => `${x.toLocaleString('en', { maximumFractionDigits: x < 10 ? 2 : 1 })} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const mib = (kibibytes: number) => `${(kibibytes / 1024).toFixed(1)} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function coldOf(
  results: Pick<BenchResults, 'cold'>,
  sdk: SdkMode,
  app: AppName,
  scale = 1,
): ColdStats {
  const found = results.cold.find((c) => c.sdk === sdk && c.app === app && c.scale === scale);
  if (!found) throw new Error(`no cold-start result for ${app} at ${scale}× (${sdk})`);
  return found;
}

const findCold = (r: Pick<BenchResults, 'cold'>, sdk: SdkMode, app: AppName, scale = 1) =>
  r.cold.find((c) => c.sdk === sdk && c.app === app && c.scale === scale);

export function bundlesOf(results: Pick<BenchResults, 'bundles'>, sdk: SdkMode): Bundles {
  const found = results.bundles.find((b) => b.sdk === sdk);
  if (!found) throw new Error(`no bundle for ${sdk}`);
  return found;
}

type StormRows = { ack: Pick<BenchResults['ack'], 'storm'> };
const stormRowOf = (r: StormRows, mode: StormMode, concurrency: number, app: StormApp) =>
  r.ack.storm.find((x) => x.mode === mode && x.concurrency === concurrency && x.app === app);
const stormOf = (r: Pick<BenchResults, 'ack'>, mode: StormMode, concurrency: number, app: StormApp) =>
  stormRowOf(r, mode, concurrency, app)?.stats;

/**
 * The same-round p99 ratios of two apps (each round one block of each, back to back in time), as
 * `median [min–max]`: what a claim about the warm bar quotes, since one pooled tail moves with any pause.
 */
export function roundRatios(
  r: StormRows,
  mode: StormMode,
  concurrency: number,
  app: StormApp,
  against: StormApp,
): { median: number; min: number; max: number; n: number } | undefined {
  const a = stormRowOf(r, mode, concurrency, app)?.rounds ?? [];
  const b = stormRowOf(r, mode, concurrency, against)?.rounds ?? [];
  const ratios = a.slice(0, b.length).map((x, i) => x.p99 / b[i]!.p99);
  if (ratios.length === 0) return undefined;
  const sorted = [...ratios].sort((x, y) => x - y);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)]!,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    n: sorted.length,
  };
}

const spread = (x: { median: number; min: number; max: number; n: number } | undefined) =>
  x ? `${x.median.toFixed(2)}× [${x.min.toFixed(2)}–${x.max.toFixed(2)}] over ${x.n} rounds` : '—';

/** Ratios the goals are judged on (issue 21's bar), from the measurements. */
export function judgeGoals(r: Omit<BenchResults, 'goals' | 'durationS'>): Goal[] {
  const goals: Goal[] = [];
  const sdk = r.defaultSdk;
  const t = (x: number) => ms(x);
  const answered = (app: AppName, scale = 1) => coldOf(r, sdk, app, scale).answeredMsMedian;
  const cold = (goal: string, ours: number, base: number, max: number) => {
    goals.push({
      goal,
      measured: `${ratio(ours, base)} (${t(ours)} vs ${t(base)})`,
      target: `≤ ${max.toFixed(1)}×`,
      met: ours / base <= max,
    });
  };
  cold(
    'cold start → first answer, secrets in env, vs bare Bolt answering in the ack body',
    answered('ours'),
    answered('bare-ack'),
    1.0,
  );
  cold(
    'cold start → first answer, secrets in env, vs bare Bolt ack + respond()',
    answered('ours'),
    answered('bare-respond'),
    1.0,
  );
  cold(
    'cold start → first answer, secrets read from SSM (deployed), vs bare ack-body with SSM read',
    answered('ours-ssm'),
    answered('bare-ack-ssm'),
    1.1,
  );
  cold(
    'cold start → first answer, secrets read from SSM (deployed), vs bare ack-body without secrets',
    answered('ours-ssm'),
    answered('bare-ack'),
    1.1,
  );
  for (const scale of r.settings.scales.filter((x) => x > 1)) {
    const ours = findCold(r, sdk, 'ours', scale);
    if (ours)
      cold(
        `cold start → first answer at ${scale}× the corpus, vs bare ack-body`,
        ours.answeredMsMedian,
        answered('bare-ack'),
        1.3,
      );
  }
  const rss = (app: AppName, scale = 1) => coldOf(r, sdk, app, scale).rssKiBMedian;
  for (const scale of r.settings.scales) {
    if (!findCold(r, sdk, 'ours', scale)) continue;
    goals.push({
      goal: `peak RSS of a cold start at ${scale}×, vs bare ack-body`,
      measured: `${ratio(rss('ours', scale), rss('bare-ack'))} (${mib(rss('ours', scale))} vs ${mib(rss('bare-ack'))})`,
      target: '≤ 1.1×',
      met: rss('ours', scale) / rss('bare-ack') <= 1.1,
    });
  }
  for (const against of ['bare-ack', 'bare-respond'] as const) {
    const ours = stormOf(r, 'back-to-back', 16, 'ours');
    const base = stormOf(r, 'back-to-back', 16, against);
    if (ours && base)
      goals.push({
        goal: `warm search ack p99, back to back at concurrency 16, vs ${against}`,
        measured: `${ratio(ours.p99, base.p99)} (${t(ours.p99)} vs ${t(base.p99)}); same-round p99 ratio ${spread(roundRatios(r, 'back-to-back', 16, 'ours', against))}`,
        target: '≤ 1.2×',
        met: ours.p99 / base.p99 <= 1.2,
      });
  }
  const at100 = r.searchScale.find((s) => s.scale === 100);
  goals.push({
    goal: 'search query p99 at 100× the corpus',
    measured: at100 ? ms(at100.queryP99Ms) : 'not run (smoke)',
    target: '< 50 ms',
    met: at100 ? at100.queryP99Ms < 50 : null,
  });
  for (const b of r.bundles) {
    goals.push({
      goal: `bundle bytes loaded at cold start vs bare respond() app, SDK ${b.sdk}`,
      measured: ratio(b.ours.jsBytes, b.baseline.jsBytes),
      target: '≤ 1.25×',
      met: b.ours.jsBytes / b.baseline.jsBytes <= 1.25,
    });
  }
  const slowest = Math.max(...(['search', 'done', 'approve'] as const).map((k) => r.ack.kinds[k].p99));
  goals.push({
    goal: 'warm ack p99, slowest kind (Slack waits 3 s)',
    measured: ms(slowest),
    target: '< 3,000 ms',
    met: slowest < 3000,
  });
  const slowAck = Math.max(...r.slowStore.kinds.map((k) => k.max));
  const slowRun = r.slowStore.kinds.length > 0;
  goals.push({
    goal: `ack on Lambda with a ${r.slowStore.delayMs} ms store, slowest kind (max)`,
    measured: slowRun ? ms(slowAck) : 'not run',
    target: '< 3,000 ms',
    met: slowRun ? slowAck < 3000 : null,
  });
  return goals;
}

function coldTable(r: BenchResults): string[] {
  const lines = [
    '| cold start (fresh `node` process → signed `/runbook token expired` answered) | n | ready (median) | answered (median) | ÷ bare ack-body | ÷ bare respond() | peak RSS (median) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const b of r.bundles) {
    const tag = b.sdk === r.defaultSdk ? `SDK ${b.sdk}, deployed` : `SDK ${b.sdk}`;
    const ack = coldOf(r, b.sdk, 'bare-ack');
    const respond = coldOf(r, b.sdk, 'bare-respond');
    const label: Record<AppName, string> = {
      ours: 'runbook bot, secrets in env',
      'ours-ssm': 'runbook bot, secrets read from SSM (as deployed)',
      'bare-respond': 'bare Bolt, ack then `respond()`',
      'bare-ack': 'bare Bolt, answer in the ack body',
      'bare-ack-ssm': 'bare Bolt, ack body, secrets read from SSM',
    };
    for (const c of r.cold.filter((x) => x.sdk === b.sdk)) {
      const name = `${label[c.app]}${c.scale > 1 ? `, ${c.scale}× corpus` : c.app === 'ours' ? ', 1× corpus' : ''}`;
      const vsAck = c.app === 'ours-ssm' ? coldOf(r, b.sdk, 'bare-ack-ssm') : ack;
      lines.push(
        `| ${name} (${tag}) | ${c.runs} | ${ms(c.readyMsMedian)} | ${ms(c.answeredMsMedian)} | ${ratio(c.answeredMsMedian, vsAck.answeredMsMedian)}${c.app === 'ours-ssm' ? ' (÷ bare ack-body with SSM)' : ''} | ${ratio(c.answeredMsMedian, respond.answeredMsMedian)} | ${mib(c.rssKiBMedian)} |`,
      );
    }
  }
  lines.push(
    '',
    '| bundle | runbook bot | bare Bolt (respond) | bare Bolt (ack body) | ratio to respond |',
    '|---|---:|---:|---:|---:|',
  );
  for (const b of r.bundles) {
    const tag = b.sdk === r.defaultSdk ? `SDK ${b.sdk}, deployed` : `SDK ${b.sdk}`;
    lines.push(
      `| loaded at cold start: entry + static chunks (${tag}; ${b.ours.jsFiles} vs ${b.baseline.jsFiles} files) | ${kib(b.ours.jsBytes)} | ${kib(b.baseline.jsBytes)} | ${kib(b.baselineAck.jsBytes)} | ${ratio(b.ours.jsBytes, b.baseline.jsBytes)} |`,
      `| the same, gzipped file by file (${tag}) | ${kib(b.ours.jsGzipBytes)} | ${kib(b.baseline.jsGzipBytes)} | ${kib(b.baselineAck.jsGzipBytes)} | ${ratio(b.ours.jsGzipBytes, b.baseline.jsGzipBytes)} |`,
      `| all JavaScript shipped, incl. chunks behind \`import()\` (${tag}) | ${kib(b.ours.totalJsBytes)} | ${kib(b.baseline.totalJsBytes)} | — | ${ratio(b.ours.totalJsBytes, b.baseline.totalJsBytes)} |`,
    );
  }
  const data = r.bundles[0]?.ours.dataBytes ?? 0;
  lines.push(`| shipped beside the code: the artifact (1×) | ${kib(data)} | — | — | — |`);
  return lines;
}

function stormTable(r: BenchResults): string[] {
  const lines = [
    '| warm `/runbook token expired` ack over loopback HTTP, p50 / p99 | n per app | runbook bot (ack body) | bare Bolt, ack body | bare Bolt, ack + respond() | ratio p99 ÷ ack body / ÷ respond | same-round p99 ratio ÷ ack body, median [range] |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const mode of ['paced', 'back-to-back'] as const) {
    for (const c of [...new Set(r.ack.storm.map((x) => x.concurrency))]) {
      const ours = stormOf(r, mode, c, 'ours');
      const ack = stormOf(r, mode, c, 'bare-ack');
      const respond = stormOf(r, mode, c, 'bare-respond');
      if (!ours || !ack || !respond) continue;
      const cell = (s: LatencyStats) => `${ms(s.p50)} / ${ms(s.p99)}`;
      lines.push(
        `| ${mode}, concurrency ${c} | ${ours.n} | ${cell(ours)} | ${cell(ack)} | ${cell(respond)} | ${ratio(ours.p99, ack.p99)} / ${ratio(ours.p99, respond.p99)} | ${spread(roundRatios(r, mode, c, 'ours', 'bare-ack'))} |`,
      );
    }
  }
  return lines;
}

const ACK_LABELS: Record<Exclude<AckKind, 'baseline'>, string> = {
  search: '`/runbook token expired` (search)',
  done: 'checklist "Done" click',
  approve: 'gate "Approve" click',
};

function ackTable(r: BenchResults): string[] {
  const base = r.ack.kinds.baseline;
  const cell = (s: LatencyStats) => `${ms(s.p50)} / ${ms(s.p99)}`;
  const lines = [
    `| ack (HTTP 200), p50 / p99 over ${base.n} requests | runbook bot | bare Bolt hello command | ratio p50 / p99 |`,
    '|---|---:|---:|---:|',
  ];
  for (const kind of ['search', 'done', 'approve'] as const) {
    const s = r.ack.kinds[kind];
    lines.push(
      `| ${ACK_LABELS[kind]} | ${cell(s)} | ${cell(base)} | ${ratio(s.p50, base.p50)} / ${ratio(s.p99, base.p99)} |`,
    );
  }
  const a = r.ack.answered;
  lines.push(
    `| search answer shown (ours: in the ack body; hello: at response_url) | ${cell(a.search)} | ${cell(a.baseline)} | ${ratio(a.search.p50, a.baseline.p50)} / ${ratio(a.search.p99, a.baseline.p99)} |`,
  );
  return lines;
}

function slowStoreTable(r: BenchResults): string[] {
  const s = r.slowStore;
  if (s.kinds.length === 0) return ['Not run in this run (`--skip-slow-store`).'];
  const lines = [
    `| Slack request (Lambda handler; every DynamoDB call answers after ${s.delayMs} ms) | store calls before the ack | ack p50 | ack max | n |`,
    '|---|---:|---:|---:|---:|',
  ];
  for (const k of s.kinds)
    lines.push(`| ${k.kind} | ${k.storeCalls} | ${ms(k.p50)} | ${ms(k.max)} | ${k.n} |`);
  const effect = s.doneEffectMs.length > 0 ? Math.max(...s.doneEffectMs) : Number.NaN;
  lines.push(
    '',
    `After the ack, the deferred work of a Done (another invocation) takes up to ${ms(effect)} with this store until the message shows it: Slack no longer waits for it.`,
  );
  return lines;
}

function scaleTable(r: BenchResults): string[] {
  const lines = [
    '| corpus | runbook files | sections | artifact (whole, JSON) | parsed at cold start (split index) | compile | index load (median) | query p50 | query p99 | queries timed |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.searchScale) {
    lines.push(
      `| ${s.scale}× | ${s.files} | ${s.sections.toLocaleString('en')} | ${kib(s.artifactBytes)} | ${kib(s.indexBytes)} | ${ms(s.buildMs)} | ${ms(s.loadMsMedian)} | ${ms(s.queryP50Ms)} | ${ms(s.queryP99Ms)} | ${s.queries} |`,
    );
  }
  return lines;
}

function qualityTable(r: BenchResults): string[] {
  const q = r.quality[0];
  const lines = [
    `| ranker | tuned top-1 | tuned top-3 | tuned MRR | held-out top-1 | held-out top-3 | held-out MRR |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.quality) {
    const t = row.tuned;
    const h = row.heldOut;
    lines.push(
      `| ${row.ranker} | ${pct(t.top1)} | ${pct(t.top3)} | ${t.mrr.toFixed(3)} | ${pct(h.top1)} | ${pct(h.top3)} | ${h.mrr.toFixed(3)} |`,
    );
  }
  if (q)
    lines.push(
      '',
      `Tuned set: ${q.tuned.n} queries; held-out set: ${q.heldOut.n} queries (test/eval/queries.json).`,
    );
  return lines;
}

function goalsTable(r: BenchResults): string[] {
  const lines = ['| goal | measured | target | met |', '|---|---:|---:|---|'];
  for (const g of r.goals)
    lines.push(
      `| ${g.goal} | ${g.measured} | ${g.target} | ${g.met === null ? '—' : g.met ? 'yes' : '**no**'} |`,
    );
  return lines;
}

export function renderMarkdown(r: BenchResults): string {
  const s = r.settings;
  return [
    `### Benchmark (${r.mode === 'smoke' ? 'smoke run: correctness only, numbers not meaningful' : 'full run'}), ${r.date}`,
    '',
    `Machine: ${machineLine(r.machine)}.`,
    `Settings: ${s.coldRuns} cold starts per app and SDK mode, ${s.requests} warm requests per kind after ${s.warmup} warm-up rounds, corpus scales ${s.scales.map((x) => `${x}×`).join(', ')}; ${Math.round(r.durationS)} s in all.`,
    '',
    '#### Cold start and bundle (AWS Lambda bundles, fresh `node` processes)',
    '',
    ...coldTable(r),
    '',
    "Ratio: runbook bot ÷ bare Bolt, lower is better (the SSM row ÷ bare Bolt reading SSM the same way). Times run from process start (Node's time origin); peak RSS is the process's own high-water mark (VmHWM).",
    '',
    '#### Warm acknowledgement over loopback HTTP',
    '',
    ...ackTable(r),
    '',
    "Sequential, each request after the previous one's effect (checklist clicks recorded, answers arrived).",
    '',
    ...stormTable(r),
    '',
    'Paced: a client sends its next request once its answer is there; back to back: as soon as its ack is.',
    '',
    '#### Acknowledgement on Lambda with a slow store (900 ms per DynamoDB call)',
    '',
    ...slowStoreTable(r),
    '',
    '#### Search at scale (synthetic runbooks generated from the real ones)',
    '',
    ...scaleTable(r),
    '',
    '#### Search quality (`npm run eval`)',
    '',
    ...qualityTable(r),
    '',
    '#### Goals',
    '',
    ...goalsTable(r),
    '',
  ].join('\n');
}
