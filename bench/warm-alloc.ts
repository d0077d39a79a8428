/**
 * `npx tsx bench/warm-alloc.ts [--requests=2000] [--app=ours|bare-ack|both] [--top=40] [--interval=4096] [--save=<file>] [--cpu=<file>]`:
 * what a warm `/runbook token expired` allocates, per request and by function. Our app as `npm start` runs it
 * (src/entry/http.ts, embedded store) and the bare Bolt hello answering in the ack body, in this process,
 * sent the same signed requests one after another (`node:http`, as the storm's client).
 *
 * V8's sampling heap profiler, started through the inspector with the objects later collected by minor and
 * major GCs kept in the profile (`node --heap-prof` keeps only what is still alive at the end, which on a
 * warm path is next to nothing): bytes allocated, not bytes retained. Allocations by the client (signing,
 * reading the answer) are in it too and are shown under their own frames (bench/…); the server's are under
 * node:http's server, Bolt, and src/…. Also counts the scavenges per request (`PerformanceObserver` gc).
 * `--cpu=<file>`: a V8 CPU profile of the same requests instead (`<file>.<app>.cpuprofile`), no heap sampling.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { startHttp } from '../src/entry/http';
import { startFakeSlack } from '../src/local/slack-web-api';
import { commandBody, timedPost, warmUp, writeBenchInputs } from './ack-latency';
import { argReader } from './args';
import { startHelloHttp } from './baseline/hello-http';
import { BENCH_QUERY, BENCH_SECRET, BENCH_TOKEN, benchAppEnv } from './fixtures';
import { benchArtifact } from './search-scale';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SampleNode[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolvePost, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolvePost(result as T))),
  );
}

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/(src|bench|test)\//, '$1/');

/** Self bytes by function, and by file, and the bytes whose stack passes through a given file. */
function summarise(root: SampleNode, requests: number, top: number): void {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const underFile = new Map<string, number>();
  let total = 0;
  const walk = (node: SampleNode, path: Set<string>) => {
    const frame = node.callFrame;
    const file = frame.url ? short(frame.url) : '(native)';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    const here = new Set(path).add(file);
    if (node.selfSize > 0) {
      total += node.selfSize;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
      for (const f of here) underFile.set(f, (underFile.get(f) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(root, new Set());
  const kib = (bytes: number) => (bytes / 1024 / requests).toFixed(2).padStart(8);
  console.log(`allocated ${kib(total)} KiB per request (sampled)`);
  const list = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (KiB per request)`);
    for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kib(v)}  ${k}`);
  };
  list('self, by function', byFunction);
  list('self, by file', byFile);
  list('inclusive, by file on the stack', underFile);
}

async function main(): Promise<void> {
  const arg = argReader(process.argv.slice(2));
  const requests = Number(arg('requests') ?? 2000);
  const which = arg('app') ?? 'ours';
  const top = Number(arg('top') ?? 40);
  const interval = Number(arg('interval') ?? 4096);
  const work = mkdtempSync(join(tmpdir(), 'runbook-warm-alloc-'));
  const fake = await startFakeSlack();
  try {
    const { artifactPath, approversFile } = writeBenchInputs(work, await benchArtifact(1));
    const config = loadConfig(
      benchAppEnv(fake.apiUrl, { artifactPath, approversFile }, { TIMER_INTERVAL_MS: '0' }),
    );
    const ours = await startHttp(config);
    const hello = await startHelloHttp({
      signingSecret: BENCH_SECRET,
      token: BENCH_TOKEN,
      slackApiUrl: fake.apiUrl,
      inAck: true,
    });
    const apps = [
      { name: 'ours', url: `http://127.0.0.1:${ours.port}/slack/events`, kind: 'ours' as const },
      { name: 'bare-ack', url: hello.url, kind: 'baseline' as const },
    ].filter((a) => which === 'both' || a.name === which);
    const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
    const body = commandBody(BENCH_QUERY, 'U0BENCH', 'C0BENCH', responseUrl);
    await warmUp(apps, body, 300);
    const session = new Session();
    session.connect();
    for (const app of apps) {
      let scavenges = 0;
      let majors = 0;
      const gcs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
          if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
          else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
        }
      });
      gcs.observe({ entryTypes: ['gc'] });
      const cpu = arg('cpu');
      if (cpu) {
        await post(session, 'Profiler.enable');
        await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
        await post(session, 'Profiler.start');
      } else {
        await post(session, 'HeapProfiler.enable');
        await post(session, 'HeapProfiler.startSampling', {
          samplingInterval: interval,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      }
      const used = process.cpuUsage();
      for (let i = 0; i < requests; i++) await timedPost(app.url, body);
      const spent = process.cpuUsage(used);
      const ms = (spent.user + spent.system) / 1000 / requests;
      await new Promise((r) => setImmediate(r));
      gcs.disconnect();
      console.log(
        `\n=== ${app.name}: ${requests} requests, ${scavenges} scavenges (${((scavenges * 1000) / requests).toFixed(1)} per 1,000), ${majors} major GCs, ${ms.toFixed(3)} ms CPU per request (client included, profiler on)`,
      );
      if (cpu) {
        const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
        writeFileSync(`${cpu}.${app.name}.cpuprofile`, JSON.stringify(profile));
        console.log(`CPU profile: ${cpu}.${app.name}.cpuprofile`);
      } else {
        const { profile } = await post<{ profile: { head: SampleNode } }>(
          session,
          'HeapProfiler.stopSampling',
        );
        summarise(profile.head, requests, top);
        const save = arg('save');
        if (save) writeFileSync(`${save}.${app.name}.heapprofile`, JSON.stringify(profile));
      }
    }
    session.disconnect();
    await hello.stop();
    await ours.close();
    if (!ours.deps.closeStore) await (await ours.deps.getStore()).close();
  } finally {
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
