/**
 * `npx tsx bench/cold-ab.ts <kept-A> <kept-B> [--runs=15] [--scales=1,10,100]`: the cold start of two
 * builds of ours, A and B (each a folder `bench/cold-only.ts --keep` left behind, built from its own
 * checkout), against the bare ack-body hello of B's build, every variant interleaved in a rotating order
 * in one run: a same-run A/B of a change on the cold path, at each corpus scale.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../src/local/slack-web-api';
import { type Bundles, type ColdSample, coldSample, startFakeSsm } from './cold-start';
import { median, round } from './stats';

function keptBundles(kept: string, scales: readonly number[]): Bundles {
  const dir = join(kept, 'bundles', 'bundled');
  const artifacts: Record<number, string> = { 1: join(dir, 'ours', 'artifact.json') };
  for (const s of scales) if (s !== 1) artifacts[s] = join(dir, `artifact-${s}x`, 'artifact.json');
  // What `coldSample` reads of a build: its handlers, approvers file and artifacts.
  return {
    sdk: 'bundled',
    ours: { handler: join(dir, 'ours', 'handler.mjs'), approvers: join(dir, 'ours', 'approvers.yaml') },
    baselineAck: { handler: join(dir, 'baseline', 'hello-ack.mjs') },
    artifacts,
  } as unknown as Bundles;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const [a, b] = args.filter((x) => !x.startsWith('--'));
  if (!a || !b) throw new Error('usage: cold-ab.ts <kept-A> <kept-B> [--runs=15] [--scales=1,10,100]');
  const runs = Number(arg('runs') ?? 15);
  const scales = (arg('scales') ?? '1,10,100').split(',').map(Number);
  const builds = { A: keptBundles(a, scales), B: keptBundles(b, scales) };
  const variants = [
    ...scales.flatMap((scale) =>
      (['A', 'B'] as const).map((side) => ({ name: `${side} ${scale}×`, side, app: 'ours' as const, scale })),
    ),
    { name: 'bare-ack', side: 'B' as const, app: 'bare-ack' as const, scale: 1 },
  ];
  const fake = await startFakeSlack();
  const ssm = await startFakeSsm();
  const samples = variants.map(() => [] as ColdSample[]);
  const before = loadavg()[0]!.toFixed(2);
  try {
    for (let i = 0; i < runs; i++)
      for (let k = 0; k < variants.length; k++) {
        const v = (i + k) % variants.length;
        const variant = variants[v]!;
        samples[v]!.push(await coldSample(variant, builds[variant.side], fake, { ssm }));
      }
  } finally {
    await fake.close();
    await ssm.close();
  }
  const bare = median(samples[variants.length - 1]!.map((s) => s.answered));
  const cpu = (own: readonly ColdSample[]) => median(own.map((s) => s.cpuMs ?? 0));
  const bareCpu = cpu(samples[variants.length - 1]!);
  console.log(`load average ${before} → ${loadavg()[0]!.toFixed(2)}; n=${runs} per variant, interleaved`);
  variants.forEach((v, i) => {
    const own = samples[i]!;
    const answered = median(own.map((s) => s.answered));
    const rss = median(own.map((s) => s.maxRssKiB)) / 1024;
    console.log(
      `${v.name.padEnd(9)} answered ${round(answered)} ms (${(answered / bare).toFixed(2)}× bare-ack), CPU ${round(cpu(own))} ms (${(cpu(own) / bareCpu).toFixed(2)}×), ready ${round(median(own.map((s) => s.ready)))} ms, RSS ${rss.toFixed(1)} MiB`,
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
