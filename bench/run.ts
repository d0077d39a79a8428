/**
 * `npm run bench`: cold start, bundle bytes, warm acknowledgement latency, search at scale and search
 * quality, each next to its baseline measured the same way in the same run. Prints Markdown tables and
 * writes bench/results/latest.json and README-table.md (for the README); the smoke run, smoke.json only.
 *
 *   npm run bench                  full: 15 cold starts per variant and SDK mode, 300 requests per kind,
 *                                  400 per app and setting at load, 1/10/100×
 *   npm run bench:smoke            --smoke: 2 cold starts, 20 requests, 1/10×; checks correctness only
 *   npm run bench -- --cpu-prof    also one V8 CPU profile per app's cold start (in a temporary directory),
 *                                  summarised by package through the bundles' source maps
 *
 * Correctness is asserted in every mode (every request answered 200 with the right answer, every click
 * recorded); timing never is: a goal not met is reported, not a failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SDK_MODE, type SdkMode } from '../scripts/bundle';
import { startFakeSlack } from '../src/local/slack-web-api';
import { readRunbookSources } from '../src/runbooks/model/source-hash';
import { evaluate } from '../test/eval/metrics';
import { loadTestArtifact, RUNBOOKS_DIR } from '../test/helpers/artifact';
import { ackLatency, pickChecklist, writeBenchInputs } from './ack-latency';
import {
  type Bundles,
  buildBundles,
  type ColdStats,
  coldStart,
  coldVariants,
  profileColdStart,
  startFakeSsm,
  variantName,
} from './cold-start';
import { summarizeProfileDir } from './cpu-profile';
import { describeMachine, finishMachine } from './machine';
import { type BenchResults, judgeGoals, type QualityRow, renderMarkdown } from './report';
import { compileScaled, type ScaledCorpus, searchScale } from './search-scale';
import { slowStoreAck } from './slow-store';

const RESULTS = resolve(__dirname, 'results');
const SDK_MODES: SdkMode[] = ['bundled', 'external'];

const SETTINGS = {
  full: {
    coldRuns: 15,
    requests: 300,
    stormRequests: 1600,
    warmup: 20,
    scales: [1, 10, 100],
    loads: 5,
    rounds: 5,
    maxQueries: undefined,
    slowStoreRounds: 10,
  },
  smoke: {
    coldRuns: 2,
    requests: 20,
    stormRequests: 20,
    warmup: 3,
    scales: [1, 10],
    loads: 1,
    rounds: 1,
    maxQueries: 30,
    slowStoreRounds: 1,
  },
} as const;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode = args.includes('--smoke') ? 'smoke' : 'full';
  // Profiles go outside the repository (they are large and not results): the path is printed.
  const cpuProfDir = args.includes('--cpu-prof')
    ? mkdtempSync(join(tmpdir(), 'runbook-bench-cpu-prof-'))
    : null;
  const set = SETTINGS[mode];
  const started = performance.now();
  const machine = describeMachine();
  mkdirSync(RESULTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const fake = await startFakeSlack();
  const ssm = await startFakeSsm();
  try {
    // The real runbooks compiled as `npm run build:artifact` compiles them (cached across test runs).
    progress('compiling the runbooks');
    const artifact = await loadTestArtifact();
    const checklist = pickChecklist(artifact.checklists);
    const { artifactPath, approversFile, approvers: roleUsers } = writeBenchInputs(work, artifact);

    // The synthetic corpora (bench/search-scale.ts), compiled once: the cold starts at 10× and 100× load
    // them as the bundle ships an artifact, and the search-at-scale table measures them.
    const real = await readRunbookSources(RUNBOOKS_DIR);
    const corpora: Record<number, ScaledCorpus> = {};
    for (const scale of set.scales) {
      progress(`compiling the synthetic corpus at ${scale}×`);
      corpora[scale] = await compileScaled(real, scale);
    }
    const scaled = Object.fromEntries(Object.entries(corpora).map(([k, c]) => [k, c.compiled]));

    const bundles: Bundles[] = [];
    for (const sdk of SDK_MODES) {
      progress(`bundling (SDK ${sdk})`);
      bundles.push(
        await buildBundles(join(work, 'bundles'), sdk, {
          artifact: artifactPath,
          approvers: approversFile,
          scaled,
        }),
      );
    }

    const cold: ColdStats[] = [];
    for (const b of bundles) {
      const variants = coldVariants(b.sdk, set.scales, DEFAULT_SDK_MODE);
      progress(
        `cold starts (SDK ${b.sdk}): ${set.coldRuns} per variant, ${variants.map(variantName).join(', ')}`,
      );
      cold.push(...(await coldStart(b, fake, ssm, set.coldRuns, variants)));
      if (cpuProfDir) {
        const dir = await profileColdStart(b, fake, ssm, cpuProfDir, variants);
        progress(`CPU profiles in ${dir}:\n${summarizeProfileDir(dir)}`);
      }
    }

    progress(`warm acknowledgements: ${set.requests} per kind after ${set.warmup} warm-up rounds`);
    const ack = await ackLatency({
      fake,
      artifactPath,
      approversFile,
      roleUsers,
      checklist,
      requests: set.requests,
      warmup: set.warmup,
      stormRequests: set.stormRequests,
    });

    // `--skip-slow-store`: for checking the other parts while that one is being fixed; reported as not run.
    const skipSlowStore = args.includes('--skip-slow-store');
    progress(
      skipSlowStore
        ? 'ack on Lambda with a 900 ms store: skipped (--skip-slow-store)'
        : `ack on Lambda with a 900 ms store: ${set.slowStoreRounds} round(s) of each kind`,
    );
    const slowStore = skipSlowStore
      ? { delayMs: 900, kinds: [], doneEffectMs: [] }
      : await slowStoreAck({
          artifact,
          workDir: work,
          rounds: set.slowStoreRounds,
          delayMs: 900,
        });

    progress(`search at ${set.scales.map((s) => `${s}×`).join(', ')}`);
    const scale = await searchScale(
      RUNBOOKS_DIR,
      [...set.scales],
      {
        loads: set.loads,
        rounds: set.rounds,
        budgetMs: 60_000,
        workDir: work,
        ...(set.maxQueries ? { maxQueries: set.maxQueries } : {}),
      },
      corpora,
    );

    progress('search quality');
    const evaluation = evaluate(artifact);
    const quality: QualityRow[] = Object.keys(evaluation.tuned).map((ranker) => {
      const pick = (s: { top1: number; top3: number; mrr: number; n: number }) => ({
        top1: s.top1,
        top3: s.top3,
        mrr: s.mrr,
        n: s.n,
      });
      return { ranker, tuned: pick(evaluation.tuned[ranker]!), heldOut: pick(evaluation.heldOut[ranker]!) };
    });

    const partial: Omit<BenchResults, 'goals' | 'durationS'> = {
      mode,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      machine: finishMachine(machine),
      settings: {
        coldRuns: set.coldRuns,
        requests: set.requests,
        warmup: set.warmup,
        scales: [...set.scales],
      },
      defaultSdk: DEFAULT_SDK_MODE,
      bundles,
      cold,
      ack,
      slowStore,
      searchScale: scale,
      quality,
    };
    const results: BenchResults = {
      ...partial,
      goals: judgeGoals(partial),
      durationS: (performance.now() - started) / 1000,
    };
    const markdown = renderMarkdown(results);
    process.stdout.write(`${markdown}\n`);
    // The smoke run keeps its own file, so CI or a quick check never overwrites the last full run.
    const json = join(RESULTS, mode === 'full' ? 'latest.json' : 'smoke.json');
    writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
    if (mode === 'full') writeFileSync(join(RESULTS, 'README-table.md'), markdown);
    progress(`wrote ${json}${mode === 'full' ? ' and README-table.md' : ''}`);
  } finally {
    await ssm.close();
    await fake.close();
    // With profiles, keep the bundles: their source maps are what `bench/cpu-profile.ts` reads.
    if (cpuProfDir) progress(`bundles kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
