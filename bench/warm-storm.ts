/**
 * `npx tsx bench/warm-storm.ts [--rounds=8] [--requests=320] [--concurrency=16] [--base=<checkout>]
 * [--server-flags=--trace-gc] [--scale=1] [--runs=N]`: the warm c16 back-to-back row of the full bench
 * (bench/ack-storm.ts) alone, with its spread and taken apart.
 *
 * Each app answers `/runbook token expired` (bare Bolt: `hello token expired` in the ack body) from
 * `--concurrency` clients that each send the next request as soon as the last is acknowledged. A round
 * is `--requests` per app, apps one after another in a rotating order; round 0 is a warm-up and is
 * discarded. Per round and app it reports the client's p50/p99 and, from the server process
 * (bench/server-trace.ts), the same requests' time inside the server (headers in → last byte out), the GC
 * pauses and the event loop's worst delay, and both processes' CPU per request; then the median and range
 * of the per-round p99 ratios, which is what a claim about the bar should quote.
 *
 * `--base=<checkout>` (another worktree with node_modules, e.g. of main) adds that checkout's app, served
 * from its own process by this tree's bench/ack-server.ts: a same-run A/B.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeSlack } from '../src/local/slack-web-api';
import {
  type AppServer,
  commandBody,
  pickChecklist,
  startServer,
  timedPost,
  writeBenchInputs,
} from './ack-latency';
import { argReader } from './args';
import { BENCH_QUERY, checkAnswer } from './fixtures';
import { benchArtifact } from './search-scale';
import type { ServerStats } from './server-trace';
import { median, percentile, round } from './stats';

interface App {
  name: string;
  url: string;
  kind: 'ours' | 'baseline';
  server: AppServer;
  /** The app's name inside its server process (server-trace keys). */
  traced: string;
}

interface RoundRow {
  app: string;
  p50: number;
  p99: number;
  max: number;
  serverP50: number;
  serverP99: number;
  gcMs: number;
  gcMaxMs: number;
  majorGcs: number;
  /** GC pauses by kind: count/total ms. */
  gcKinds: string;
  loopMaxMs: number;
  serverCpuPerReq: number;
  clientCpuPerReq: number;
  heapMiB: number;
}

const f = (n: number, d = 2) => round(n, d).toFixed(d);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = argReader(args);
  const rounds = Number(arg('rounds') ?? 8);
  const requests = Number(arg('requests') ?? 320);
  const concurrency = Number(arg('concurrency') ?? 16);
  const scale = Number(arg('scale') ?? 1);
  const base = arg('base');
  const serverFlags = (arg('server-flags') ?? '').split(' ').filter(Boolean);
  const work = mkdtempSync(join(tmpdir(), 'runbook-warm-storm-'));
  const fake = await startFakeSlack();
  const servers: AppServer[] = [];
  try {
    const artifact = await benchArtifact(scale);
    const { artifactPath, approversFile } = writeBenchInputs(work, artifact);
    const config = { apiUrl: fake.apiUrl, artifactPath, approversFile, trace: true };
    const own = await startServer(config, serverFlags);
    servers.push(own);
    const apps: App[] = [
      { name: 'ours', url: own.ours, kind: 'ours', server: own, traced: 'ours' },
      { name: 'bare-ack', url: own.helloAck, kind: 'baseline', server: own, traced: 'helloAck' },
    ];
    if (base) {
      const other = await startServer({ ...config, appRoot: resolve(base) }, serverFlags);
      servers.push(other);
      apps.push({ name: 'base', url: other.ours, kind: 'ours', server: other, traced: 'ours' });
    }

    let channel = 0;
    const block = async (app: App): Promise<{ times: number[]; clientCpu: number }> => {
      const times: number[] = [];
      const bodies: string[] = [];
      let left = requests;
      const cpu = process.cpuUsage();
      const client = async () => {
        while (left > 0) {
          left--;
          const responseUrl = fake.responseUrl({ channel: `C0STORM${++channel}`, user: 'U0BENCH' });
          const res = await timedPost(app.url, commandBody(BENCH_QUERY, 'U0BENCH', 'C0BENCH', responseUrl));
          if (res.status !== 200)
            throw new Error(`${app.name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
          times.push(res.ms);
          bodies.push(res.text);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, client));
      const used = process.cpuUsage(cpu);
      // Checked after the block: the client's parsing must not delay requests still in flight.
      for (const text of bodies)
        checkAnswer(app.kind, JSON.parse(text) as Record<string, unknown>, `${app.name}, ack body`);
      return { times, clientCpu: (used.user + used.system) / 1000 };
    };

    // `--runs=N`: N checklist runs started first (as the full bench's click phase leaves them), so the
    // server's timer sweep (every TIMER_INTERVAL_MS, 30 s) has runs to visit while the rounds go on.
    const runs = Number(arg('runs') ?? 0);
    if (runs > 0) {
      const command = pickChecklist(artifact.checklists).commands[0]!;
      for (const app of apps.filter((a) => a.kind === 'ours'))
        for (let i = 0; i < runs; i++) {
          const ch = `C0SWEEP${i}`;
          const res = await timedPost(
            app.url,
            commandBody(command, 'U0BSTARTER', ch, fake.responseUrl({ channel: ch, user: 'U0BSTARTER' })),
          );
          if (res.status !== 200) throw new Error(`${app.name}: starting run ${i}: HTTP ${res.status}`);
        }
    }
    const load = [loadavg()[0]!];
    const rows: RoundRow[][] = [];
    for (let r = 0; r <= rounds; r++) {
      const order = apps.map((_, k) => apps[(r + k) % apps.length]!);
      const round: RoundRow[] = [];
      for (const app of order) {
        await app.server.stats(); // start this app's window afresh
        const { times, clientCpu } = await block(app);
        const s: ServerStats = await app.server.stats();
        const serverMs = s.serverMs[app.traced] ?? [];
        const gc = Object.values(s.gc);
        round.push({
          app: app.name,
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          max: Math.max(...times),
          serverP50: percentile(serverMs, 50),
          serverP99: percentile(serverMs, 99),
          gcMs: gc.reduce((a, g) => a + g.totalMs, 0),
          gcMaxMs: Math.max(0, ...gc.map((g) => g.maxMs)),
          majorGcs: s.gc['mark-compact']?.n ?? 0,
          gcKinds: Object.entries(s.gc)
            .map(([k, g]) => `${k} ${g.n}/${f(g.totalMs, 1)}`)
            .join(', '),
          loopMaxMs: s.loopDelay.maxMs,
          serverCpuPerReq: s.cpuMs / requests,
          clientCpuPerReq: clientCpu / requests,
          heapMiB: s.heapUsedMiB,
        });
      }
      if (r > 0) rows.push(round);
      load.push(loadavg()[0]!);
    }

    console.log(
      `load average ${load.map((l) => l.toFixed(2)).join(' → ')}; ${rounds} rounds (+1 warm-up) of ${requests} requests per app, concurrency ${concurrency}, back to back; scale ${scale}×`,
    );
    console.log(
      'round app        p50     p99     max | server p50  p99 | GC ms (max, major) | loop max | CPU/req server client | heap MiB | GC n/ms by kind',
    );
    rows.forEach((round, i) => {
      for (const x of round)
        console.log(
          `${String(i + 1).padStart(5)} ${x.app.padEnd(9)} ${f(x.p50).padStart(6)} ${f(x.p99).padStart(7)} ${f(x.max).padStart(7)} | ${f(x.serverP50).padStart(10)} ${f(x.serverP99).padStart(5)} | ${f(x.gcMs, 1).padStart(5)} (${f(x.gcMaxMs, 1)}, ${x.majorGcs}) | ${f(x.loopMaxMs, 1).padStart(8)} | ${f(x.serverCpuPerReq, 3).padStart(10)} ${f(x.clientCpuPerReq, 3).padStart(6)} | ${f(x.heapMiB, 1)} | ${x.gcKinds}`,
        );
    });
    const of = (name: string, key: keyof RoundRow) =>
      rows.map((r) => r.find((x) => x.app === name)![key] as number);
    const spread = (values: number[], d = 2) =>
      `${f(median(values), d)} [${f(Math.min(...values), d)}–${f(Math.max(...values), d)}]`;
    console.log('\nmedian [min–max] over the rounds:');
    for (const app of apps)
      console.log(
        `${app.name.padEnd(9)} p50 ${spread(of(app.name, 'p50'))}  p99 ${spread(of(app.name, 'p99'))}  server p99 ${spread(of(app.name, 'serverP99'))}  CPU/req server ${spread(of(app.name, 'serverCpuPerReq'), 3)} client ${spread(of(app.name, 'clientCpuPerReq'), 3)}`,
      );
    const ratios = (a: string, b: string, key: 'p50' | 'p99') => {
      const x = of(a, key);
      const y = of(b, key);
      return x.map((v, i) => v / y[i]!);
    };
    for (const [a, b] of [
      ['ours', 'bare-ack'],
      ...(base
        ? [
            ['base', 'bare-ack'],
            ['ours', 'base'],
          ]
        : []),
    ] as const)
      console.log(
        `${a} ÷ ${b}: p50 ${spread(ratios(a, b, 'p50'))}×  p99 ${spread(ratios(a, b, 'p99'))}×  (per round, same round)`,
      );
    const gcLines = servers.flatMap((s) => s.logs.filter((l) => l.includes('Mark-Compact'))).length;
    if (serverFlags.includes('--trace-gc')) console.log(`--trace-gc: ${gcLines} Mark-Compact lines`);
  } finally {
    for (const s of servers) await s.stop();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
