/**
 * `npx tsx bench/storm-only.ts [--requests=400] [--concurrency=1,16] [--server-flags="--cpu-prof --cpu-prof-dir=/tmp/p"]`:
 * the warm-ack storm of `npm run bench` (bench/ack-storm.ts) alone, for work on the warm path: the same app
 * server process (started with `--server-flags`, as bench/warm-storm.ts does), apps alternating in blocks,
 * p50/p99/max per app and the ratios the issue's bar uses, with the load average.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../src/local/slack-web-api';
import { loadTestArtifact } from '../test/helpers/artifact';
import { startServer, writeBenchInputs } from './ack-latency';
import { ackStorm } from './ack-storm';
import { argReader } from './args';
import { roundRatios } from './report';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = argReader(args);
  const requests = Number(arg('requests') ?? 400);
  const concurrencies = (arg('concurrency') ?? '1,16').split(',').map(Number);
  const serverFlags = (arg('server-flags') ?? '').split(' ').filter(Boolean);
  const work = mkdtempSync(join(tmpdir(), 'runbook-storm-'));
  const fake = await startFakeSlack();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  try {
    const { artifactPath, approversFile } = writeBenchInputs(work, await loadTestArtifact());
    const server = await startServer({ apiUrl: fake.apiUrl, artifactPath, approversFile }, serverFlags);
    try {
      const before = load();
      const rows = await ackStorm(server, fake, { requests, concurrencies });
      console.log(`load average ${before} → ${load()}; ${requests} requests per app and setting`);
      for (const row of rows) {
        const bare = rows.find(
          (r) => r.mode === row.mode && r.concurrency === row.concurrency && r.app === 'bare-ack',
        )!;
        const ratio = (k: 'p50' | 'p99') => (row.stats[k] / bare.stats[k]).toFixed(2);
        const rounds = roundRatios({ ack: { storm: rows } }, row.mode, row.concurrency, row.app, 'bare-ack');
        const same = rounds
          ? `, same-round p99 ${rounds.median.toFixed(2)}× [${rounds.min.toFixed(2)}–${rounds.max.toFixed(2)}]`
          : '';
        console.log(
          `${row.mode.padEnd(12)} c${String(row.concurrency).padEnd(3)} ${row.app.padEnd(13)} p50 ${row.stats.p50} ms, p99 ${row.stats.p99} ms, max ${row.stats.max} ms${row.app === 'bare-ack' ? '' : ` (÷ bare-ack: p50 ${ratio('p50')}×, p99 ${ratio('p99')}×${same})`}`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
