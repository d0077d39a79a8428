/** The benchmark's results as Markdown: the table printed by `npm run bench` and pasted into the README. */
import type { SdkMode } from '../scripts/bundle';
import type { AckKind, AckResult, LatencyStats } from './ack-latency';
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
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function coldOf(results: Pick<BenchResults, 'cold'>, sdk: SdkMode, app: AppName): ColdStats {
  const found = results.cold.find((c) => c.sdk === sdk && c.app === app);
  if (!found) throw new Error(`no cold-start result for ${app} (${sdk})`);
  return found;
}

export function bundlesOf(results: Pick<BenchResults, 'bundles'>, sdk: SdkMode): Bundles {
  const found = results.bundles.find((b) => b.sdk === sdk);
  if (!found) throw new Error(`no bundle for ${sdk}`);
  return found;
}

/** Ratios the goals are judged on, from the measurements. */
export function judgeGoals(r: Omit<BenchResults, 'goals' | 'durationS'>): Goal[] {
  const goals: Goal[] = [];
  const tag = (sdk: SdkMode) => (sdk === r.defaultSdk ? `SDK ${sdk} (deployed)` : `SDK ${sdk}`);
  for (const { sdk } of r.bundles) {
    const ours = coldOf(r, sdk, 'ours').answeredMsMedian;
    const base = coldOf(r, sdk, 'baseline').answeredMsMedian;
    goals.push({
      goal: `1. cold start to first answer, ${tag(sdk)}`,
      measured: ratio(ours, base),
      target: '≤ 1.3×',
      met: ours / base <= 1.3,
    });
  }
  for (const b of r.bundles) {
    goals.push({
      goal: `2. bundle bytes loaded at cold start (handler.mjs + static chunks), ${tag(b.sdk)}`,
      measured: ratio(b.ours.jsBytes, b.baseline.jsBytes),
      target: '≤ 1.25×',
      met: b.ours.jsBytes / b.baseline.jsBytes <= 1.25,
    });
  }
  const slowest = Math.max(...(['search', 'done', 'approve'] as const).map((k) => r.ack.kinds[k].p99));
  goals.push({
    goal: '3. warm ack p99, slowest kind (Slack waits 3 s)',
    measured: ms(slowest),
    target: '< 3,000 ms',
    met: slowest < 3000,
  });
  const slowAck = Math.max(...r.slowStore.kinds.map((k) => k.max));
  goals.push({
    goal: `5. ack on Lambda with a ${r.slowStore.delayMs} ms store, slowest kind (max)`,
    measured: ms(slowAck),
    target: '< 3,000 ms',
    met: slowAck < 3000,
  });
  const at100 = r.searchScale.find((s) => s.scale === 100);
  goals.push({
    goal: '4. search query p99 at 100× the corpus',
    measured: at100 ? ms(at100.queryP99Ms) : 'not run (smoke)',
    target: '< 50 ms',
    met: at100 ? at100.queryP99Ms < 50 : null,
  });
  return goals;
}

function coldTable(r: BenchResults): string[] {
  const lines = ['| measure | runbook bot | bare Bolt hello | ratio |', '|---|---:|---:|---:|'];
  for (const b of r.bundles) {
    const tag = b.sdk === r.defaultSdk ? `SDK ${b.sdk}, deployed` : `SDK ${b.sdk}`;
    const ours = coldOf(r, b.sdk, 'ours');
    const ssm = coldOf(r, b.sdk, 'ours-ssm');
    const base = coldOf(r, b.sdk, 'baseline');
    lines.push(
      `| cold start → first \`/runbook token expired\` answered (${tag}, median of ${ours.runs}) | ${ms(ours.answeredMsMedian)} | ${ms(base.answeredMsMedian)} | ${ratio(ours.answeredMsMedian, base.answeredMsMedian)} |`,
      `| cold start → handler loaded (${tag}) | ${ms(ours.readyMsMedian)} | ${ms(base.readyMsMedian)} | ${ratio(ours.readyMsMedian, base.readyMsMedian)} |`,
      `| … with the Slack secrets read from SSM at cold start, as deployed (${tag}) | ${ms(ssm.answeredMsMedian)} | ${ms(base.answeredMsMedian)} | ${ratio(ssm.answeredMsMedian, base.answeredMsMedian)} |`,
      `| bundle loaded at cold start: handler.mjs + its static chunks, bytes (${tag}; ${b.ours.jsFiles} vs ${b.baseline.jsFiles} files) | ${kib(b.ours.jsBytes)} | ${kib(b.baseline.jsBytes)} | ${ratio(b.ours.jsBytes, b.baseline.jsBytes)} |`,
      `| bundle loaded at cold start, gzipped file by file (${tag}) | ${kib(b.ours.jsGzipBytes)} | ${kib(b.baseline.jsGzipBytes)} | ${ratio(b.ours.jsGzipBytes, b.baseline.jsGzipBytes)} |`,
      `| all JavaScript shipped: every entry and chunk, incl. those behind \`import()\` (${tag}) | ${kib(b.ours.totalJsBytes)} | ${kib(b.baseline.totalJsBytes)} | ${ratio(b.ours.totalJsBytes, b.baseline.totalJsBytes)} |`,
    );
  }
  const data = r.bundles[0]?.ours.dataBytes ?? 0;
  lines.push(`| shipped beside the code: artifact.json | ${kib(data)} | — | — |`);
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
    `| search answer at response_url (after the ack) | ${cell(a.search)} | ${cell(a.baseline)} | ${ratio(a.search.p50, a.baseline.p50)} / ${ratio(a.search.p99, a.baseline.p99)} |`,
  );
  return lines;
}

function slowStoreTable(r: BenchResults): string[] {
  const s = r.slowStore;
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
    '| corpus | runbook files | sections | artifact | compile | index load (median) | query p50 | query p99 | queries timed |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.searchScale) {
    lines.push(
      `| ${s.scale}× | ${s.files} | ${s.sections.toLocaleString('en')} | ${kib(s.artifactBytes)} | ${ms(s.buildMs)} | ${ms(s.loadMsMedian)} | ${ms(s.queryP50Ms)} | ${ms(s.queryP99Ms)} | ${s.queries} |`,
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
    "Ratio: runbook bot ÷ bare Bolt, lower is better. Times run from process start (Node's time origin).",
    '',
    '#### Warm acknowledgement over loopback HTTP',
    '',
    ...ackTable(r),
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
