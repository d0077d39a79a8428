/**
 * `npx tsx bench/cold-only.ts [--runs=15] [--scales=1,100] [--cpu-prof] [--keep]`: the cold-start table of
 * `npm run bench` alone (deployed SDK mode), for A/B work on the cold path: every variant interleaved in a
 * rotating order, as the full bench runs them, medians printed with the ratios the bars use and
 * the load average at start and end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SDK_MODE } from '../scripts/bundle';
import { startFakeSlack } from '../src/local/slack-web-api';
import { readRunbookSources } from '../src/runbooks/model/source-hash';
import { loadTestArtifact, RUNBOOKS_DIR } from '../test/helpers/artifact';
import { writeBenchInputs } from './ack-latency';
import { argReader } from './args';
import {
  buildBundles,
  coldStart,
  coldVariants,
  profileColdStart,
  startFakeSsm,
  variantName,
} from './cold-start';
import { summarizeProfileDir } from './cpu-profile';
import { compileScaled } from './search-scale';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = argReader(args);
  const runs = Number(arg('runs') ?? 15);
  const scales = (arg('scales') ?? '1,100').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'runbook-cold-'));
  const fake = await startFakeSlack();
  const ssm = await startFakeSsm();
  try {
    const artifact = await loadTestArtifact();
    const { artifactPath, approversFile } = writeBenchInputs(work, artifact);
    const real = await readRunbookSources(RUNBOOKS_DIR);
    const scaled: Record<number, Awaited<ReturnType<typeof compileScaled>>['compiled']> = {};
    for (const scale of scales) scaled[scale] = (await compileScaled(real, scale)).compiled;
    const bundles = await buildBundles(join(work, 'bundles'), DEFAULT_SDK_MODE, {
      artifact: artifactPath,
      approvers: approversFile,
      scaled,
    });
    const variants = coldVariants(DEFAULT_SDK_MODE, scales, DEFAULT_SDK_MODE);
    const before = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    const stats = await coldStart(bundles, fake, ssm, runs, variants);
    const after = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    const of = (name: string) => stats.find((s) => variantName(s) === name)!;
    const ack = of('bare-ack');
    console.log(
      `load average ${before} → ${after}; n=${runs}; files loaded: ours ${bundles.ours.jsFiles}, bare ${bundles.baselineAck.jsFiles}; ours JS ${bundles.ours.jsBytes} B`,
    );
    for (const s of stats) {
      const base = s.app === 'ours-ssm' ? of('bare-ack-ssm') : s.app === 'ours' ? ack : undefined;
      const ratio = base ? ` ${(s.answeredMsMedian / base.answeredMsMedian).toFixed(2)}× ${base.app}` : '';
      const resp =
        s.app === 'ours'
          ? ` ${(s.answeredMsMedian / of('bare-respond').answeredMsMedian).toFixed(2)}× bare-respond`
          : '';
      const rss = base ? ` RSS ${(s.rssKiBMedian / base.rssKiBMedian).toFixed(2)}×` : '';
      console.log(
        `${variantName(s).padEnd(16)} ready ${s.readyMsMedian} ms, answered ${s.answeredMsMedian} ms, RSS ${Math.round(s.rssKiBMedian / 1024)} MiB${ratio}${resp}${rss}`,
      );
    }
    if (args.includes('--cpu-prof')) {
      const dir = await profileColdStart(
        bundles,
        fake,
        ssm,
        work.replace('runbook-cold-', 'runbook-cold-prof-'),
        variants,
      );
      console.log(summarizeProfileDir(dir));
    }
  } finally {
    await fake.close();
    await ssm.close();
    if (args.includes('--keep')) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
