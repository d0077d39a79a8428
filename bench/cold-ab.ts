/**
 * Same-run A/B of the cold path: this tree's bundle against another commit's, both against the bare Bolt
 * apps, every variant interleaved in a rotating order (bench/cold-start.ts `coldSample`, answers checked).
 *
 *   # in a checkout of the other commit: its bundles, kept
 *   npx tsx bench/cold-only.ts --runs=1 --scales=1 --keep        # prints "kept /tmp/runbook-cold-XXXX"
 *   # here:
 *   npx tsx bench/cold-ab.ts --base=/tmp/runbook-cold-XXXX [--runs=20] [--scales=1,100] [--profile=10] [--interval=100]
 *
 * `--node-flags="--min-semi-space-size=4"`: also ours and the bare ack-body app with those node flags (what
 * NODE_OPTIONS would set on Lambda), against each other: a runtime setting is judged on both apps alike.
 *
 * `--profile=N`: afterwards N more cold starts per app (ours, base, bare-ack; `--profile-scale=100`: ours and
 * base at that scale, which `--scales` must list) under `--cpu-prof` (sampling
 * every `--interval` µs), summed over the N and divided by N: self time per source function (file:line
 * through the source map) and inclusive time per source file (a file counts once per sample when any of
 * its functions is on the stack), the two lists where ours spends more than bare.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SDK_MODE, entryFile, RUNTIME_ARTIFACT_FILE } from '../scripts/bundle';
import { startFakeSlack } from '../src/local/slack-web-api';
import { readRunbookSources } from '../src/runbooks/model/source-hash';
import { loadTestArtifact, RUNBOOKS_DIR } from '../test/helpers/artifact';
import { writeBenchInputs } from './ack-latency';
import { argReader } from './args';
import {
  type Bundles,
  buildBundles,
  type ColdSample,
  type ColdVariant,
  coldSample,
  startFakeSsm,
} from './cold-start';
import { profileTotals } from './cpu-profile';
import { compileScaled } from './search-scale';
import { median, round } from './stats';

interface Arm {
  name: string;
  variant: ColdVariant;
  bundles: Bundles;
  /** `--node-flags`: this arm's child runs with them. */
  nodeFlags?: readonly string[];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = argReader(args);
  const runs = Number(arg('runs') ?? 20);
  const profiles = Number(arg('profile') ?? 0);
  const interval = Number(arg('interval') ?? 100);
  const baseDir = arg('base');
  // A Lambda setting to try on ours and the bare app alike (NODE_OPTIONS), e.g. --node-flags=--min-semi-space-size=4
  // (space-separated flags): adds the arms `ours+flags` and `bare-ack+flags`.
  const nodeFlags = args
    .find((a) => a.startsWith('--node-flags='))
    ?.slice('--node-flags='.length)
    .split(' ')
    .filter(Boolean);
  // Other corpus scales (the base's kept directory must have them: its cold-only run with the same --scales).
  const scales = (arg('scales') ?? '1').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'runbook-ab-'));
  const fake = await startFakeSlack();
  const ssm = await startFakeSsm();
  try {
    const artifact = await loadTestArtifact();
    const { artifactPath, approversFile } = writeBenchInputs(work, artifact);
    const real = await readRunbookSources(RUNBOOKS_DIR);
    const scaled: Record<number, Awaited<ReturnType<typeof compileScaled>>['compiled']> = {};
    for (const scale of scales) if (scale !== 1) scaled[scale] = (await compileScaled(real, scale)).compiled;
    const bundles = await buildBundles(join(work, 'bundles'), DEFAULT_SDK_MODE, {
      artifact: artifactPath,
      approvers: approversFile,
      scaled,
    });
    const arms: Arm[] = [
      { name: 'ours', variant: { app: 'ours', scale: 1 }, bundles },
      { name: 'ours-ssm', variant: { app: 'ours-ssm', scale: 1 }, bundles },
      { name: 'bare-ack', variant: { app: 'bare-ack', scale: 1 }, bundles },
      { name: 'bare-ack-ssm', variant: { app: 'bare-ack-ssm', scale: 1 }, bundles },
    ];
    if (baseDir) {
      // The other commit's production bundle, its artifact and approvers file, as its cold-only built them.
      const ourDir = join(baseDir, 'bundles', DEFAULT_SDK_MODE, 'ours');
      const base: Bundles = {
        ...bundles,
        ours: {
          ...bundles.ours,
          handler: entryFile(ourDir, 'handler'),
          approvers: join(ourDir, 'approvers.yaml'),
        },
        artifacts: Object.fromEntries(
          scales.map((scale) => [
            scale,
            scale === 1
              ? join(ourDir, RUNTIME_ARTIFACT_FILE)
              : join(baseDir, 'bundles', DEFAULT_SDK_MODE, `artifact-${scale}x`, RUNTIME_ARTIFACT_FILE),
          ]),
        ),
      };
      arms.push(
        { name: 'base', variant: { app: 'ours', scale: 1 }, bundles: base },
        { name: 'base-ssm', variant: { app: 'ours-ssm', scale: 1 }, bundles: base },
      );
      for (const scale of scales.filter((x) => x !== 1))
        arms.push({ name: `base ${scale}×`, variant: { app: 'ours', scale }, bundles: base });
    }
    for (const scale of scales.filter((x) => x !== 1))
      arms.splice(1, 0, { name: `ours ${scale}×`, variant: { app: 'ours', scale }, bundles });
    if (nodeFlags?.length)
      arms.push(
        { name: 'ours+flags', variant: { app: 'ours', scale: 1 }, bundles, nodeFlags },
        { name: 'bare-ack+flags', variant: { app: 'bare-ack', scale: 1 }, bundles, nodeFlags },
      );
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    const before = load();
    const samples = arms.map(() => [] as ColdSample[]);
    for (let i = 0; i < runs; i++)
      for (let k = 0; k < arms.length; k++) {
        const a = (i + k) % arms.length;
        const arm = arms[a]!;
        samples[a]!.push(
          await coldSample(arm.variant, arm.bundles, fake, {
            ssm,
            ...(arm.nodeFlags ? { nodeFlags: arm.nodeFlags } : {}),
          }),
        );
      }
    console.log(`load average ${before} → ${load()}; n=${runs}; ours JS ${bundles.ours.jsBytes} B`);
    const med = (name: string, of: (s: ColdSample) => number = (s) => s.answered) => {
      const a = arms.findIndex((x) => x.name === name);
      return a < 0 ? undefined : median(samples[a]!.map(of));
    };
    for (const [a, arm] of arms.entries()) {
      const own = samples[a]!;
      const answered = median(own.map((s) => s.answered));
      const bareOf = arm.name.endsWith('-ssm')
        ? 'bare-ack-ssm'
        : arm.name.endsWith('+flags')
          ? 'bare-ack+flags'
          : 'bare-ack';
      const bare = med(bareOf);
      const ratio = arm.name.startsWith('bare') || !bare ? '' : ` ${(answered / bare).toFixed(2)}× bare`;
      const cpu = median(own.map((s) => s.cpuMs ?? 0));
      const bareCpu = med(bareOf, (s) => s.cpuMs ?? 0);
      const cpuRatio = arm.name.startsWith('bare') || !bareCpu ? '' : ` (${(cpu / bareCpu).toFixed(2)}×)`;
      console.log(
        `${arm.name.padEnd(13)} ready ${round(median(own.map((s) => s.ready)))} ms, answered ${round(answered)} ms${ratio}, CPU ${round(cpu)} ms${cpuRatio}, RSS ${(median(own.map((s) => s.maxRssKiB)) / 1024).toFixed(1)} MiB`,
      );
    }
    if (profiles > 0) {
      const dir = join(work, 'profiles');
      // Columns: ours, base (when given), bare-ack; sorted by what ours spends more than bare.
      // `--profile-scale=100`: ours and base at that corpus scale (the arms of `--scales`), against bare.
      const at = Number(arg('profile-scale') ?? 1);
      const suffix = at === 1 ? '' : ` ${at}×`;
      const profiled = [`ours${suffix}`, `base${suffix}`, 'bare-ack'].flatMap((n) =>
        arms.filter((a) => a.name === n),
      );
      for (let i = 0; i < profiles; i++)
        for (const arm of profiled) {
          const out = join(dir, arm.name.replace(/\W+/g, '-'));
          await coldSample(arm.variant, arm.bundles, fake, {
            ssm,
            cpuProfDir: out,
            cpuProfInterval: interval,
          });
        }
      const totals = Object.fromEntries(
        profiled.map((arm) => {
          const out = join(dir, arm.name.replace(/\W+/g, '-'));
          const files = readdirSync(out).map((f) => join(out, f));
          return [arm.name, profileTotals(files, 3 * interval)];
        }),
      );
      for (const kind of ['self', 'inclusive'] as const) {
        const names = new Set(profiled.flatMap((a) => [...totals[a.name]![kind].keys()]));
        const rows = [...names]
          .map((n) => ({
            n,
            ms: profiled.map((a) => (totals[a.name]![kind].get(n) ?? 0) / profiles / 1000),
          }))
          .sort((x, y) => y.ms[0]! - y.ms[y.ms.length - 1]! - (x.ms[0]! - x.ms[x.ms.length - 1]!));
        console.log(
          `\n${kind} ms per cold start (${profiled.map((a) => a.name).join(' / ')}), n=${profiles}`,
        );
        for (const r of rows.slice(0, kind === 'self' ? 45 : 35))
          console.log(`${r.ms.map((m) => m.toFixed(2).padStart(7)).join(' ')}  ${r.n}`);
      }
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
