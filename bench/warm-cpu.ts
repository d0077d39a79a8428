/**
 * `npx tsx bench/warm-cpu.ts [--requests=2000] [--scale=1] [--base=<checkout>]`: CPU time per warm `/runbook token expired`,
 * in one process: our app as `npm start` runs it (src/entry/http.ts, embedded store) and the bare Bolt
 * hello answering in the ack body, each sent the same signed requests one after another (in blocks of
 * 100, alternating). `process.cpuUsage()` over each block counts the client's share too (the same
 * fetch and signing for both), so the difference is the apps'. `--base=<checkout>` (another worktree with
 * its node_modules) adds that checkout's app, loaded from its own sources into this process, in the same
 * rotation: a same-run A/B (the apps share one heap, so a GC is paid by the block whose allocations
 * trigger it). Compare ms per request of several runs, never one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { startHttp } from '../src/entry/http';
import { startFakeSlack } from '../src/local/slack-web-api';
import { commandBody, timedPost, warmUp, writeBenchInputs } from './ack-latency';
import { argReader } from './args';
import { startHelloHttp } from './baseline/hello-http';
import { BENCH_QUERY, BENCH_SECRET, BENCH_TOKEN, benchAppEnv } from './fixtures';
import { benchArtifact } from './search-scale';

const BLOCK = 100;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = argReader(args);
  const requests = Number(arg('requests') ?? 2000);
  const scale = Number(arg('scale') ?? 1);
  const base = arg('base');
  const work = mkdtempSync(join(tmpdir(), 'runbook-warm-cpu-'));
  const fake = await startFakeSlack();
  try {
    const artifact = await benchArtifact(scale);
    const { artifactPath, approversFile } = writeBenchInputs(work, artifact);
    const config = loadConfig(benchAppEnv(fake.apiUrl, { artifactPath, approversFile }));
    const ours = await startHttp(config);
    const other = base
      ? await (
          (await import(join(resolve(base), 'src/entry/http.ts'))) as typeof import('../src/entry/http')
        ).startHttp(config)
      : undefined;
    const hello = await startHelloHttp({
      signingSecret: BENCH_SECRET,
      token: BENCH_TOKEN,
      slackApiUrl: fake.apiUrl,
      inAck: true,
    });
    const apps = [
      {
        name: 'ours',
        url: `http://127.0.0.1:${ours.port}/slack/events`,
        kind: 'ours' as const,
        cpu: 0,
        n: 0,
      },
      { name: 'bare-ack', url: hello.url, kind: 'baseline' as const, cpu: 0, n: 0 },
      ...(other
        ? [
            {
              name: 'base',
              url: `http://127.0.0.1:${other.port}/slack/events`,
              kind: 'ours' as const,
              cpu: 0,
              n: 0,
            },
          ]
        : []),
    ];
    const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
    const body = commandBody(BENCH_QUERY, 'U0BENCH', 'C0BENCH', responseUrl);
    // Warm-up: every code path compiled and optimised before anything counts.
    await warmUp(apps, body, 200);
    const before = loadavg()[0]!.toFixed(2);
    for (let done = 0; done < requests; done += BLOCK) {
      // A rotating order, so no app always follows the same other app.
      const k = (done / BLOCK) % apps.length;
      for (const app of [...apps.slice(k), ...apps.slice(0, k)]) {
        const start = process.cpuUsage();
        for (let i = 0; i < BLOCK; i++) await timedPost(app.url, body);
        const used = process.cpuUsage(start);
        app.cpu += (used.user + used.system) / 1000;
        app.n += BLOCK;
      }
    }
    console.log(
      `load average ${before} → ${loadavg()[0]!.toFixed(2)}; scale ${scale}×; ${requests} requests each`,
    );
    for (const app of apps)
      console.log(
        `${app.name.padEnd(9)} ${(app.cpu / app.n).toFixed(3)} ms CPU per request (client included)`,
      );
    await hello.stop();
    if (other) {
      await other.close();
      if (!other.deps.closeStore) await (await other.deps.getStore()).close();
    }
    await ours.close();
  } finally {
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
