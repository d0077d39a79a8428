/**
 * `npx tsx bench/warm-stages.ts [--base=<checkout>] [--scale=1] [--rounds=30] [--query="token expired"]`: the
 * CPU of a warm search's own stages, in one process, without HTTP or Bolt: the search (`deps.search`), the
 * answer's render (`renderAnswer`, as features/search.ts calls it), and search + render + `JSON.stringify` of
 * the ack body. With `--base`, another checkout's code (with its node_modules) is set up over the same
 * artifact and alternated with this tree's in blocks of 500: a same-run A/B, median of the blocks. It also
 * checks that both render the same answer, byte for byte, and says so when they do not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { argReader } from './args';
import { BENCH_SECRET, BENCH_TOKEN } from './fixtures';
import { benchArtifact } from './search-scale';
import { median } from './stats';

const BLOCK = 500;
const STAGES = ['search', 'render', 'all'] as const;

interface Subject {
  name: string;
  run: Record<(typeof STAGES)[number], () => unknown>;
  answer: string;
  ms: Record<(typeof STAGES)[number], number[]>;
}

async function subject(name: string, root: string, artifactPath: string, query: string): Promise<Subject> {
  const { loadConfig } = (await import(join(root, 'src/config.ts'))) as typeof import('../src/config');
  const { createDeps } = (await import(
    join(root, 'src/slack/deps.ts')
  )) as typeof import('../src/slack/deps');
  const { renderAnswer } = (await import(
    join(root, 'src/slack/render/answer.ts')
  )) as typeof import('../src/slack/render/answer');
  const { answerTrust } = (await import(
    join(root, 'src/slack/features/search.ts')
  )) as typeof import('../src/slack/features/search');
  const deps = await createDeps(
    loadConfig({
      SLACK_BOT_TOKEN: BENCH_TOKEN,
      SLACK_SIGNING_SECRET: BENCH_SECRET,
      RUNBOOK_ARTIFACT: artifactPath,
      STORE: 'embedded',
      TIMER_INTERVAL_MS: '0',
    }),
  );
  await deps.search.prepare?.(query);
  const search = () => deps.search.search(query, { limit: 5 });
  const render = (outcome: ReturnType<typeof search>) => {
    const [best, ...rest] = outcome.results;
    if (!best) throw new Error(`${name}: no answer for "${query}"`);
    return renderAnswer({
      section: best.section,
      view: 'summary',
      query,
      others: rest.map((r) => r.section),
      artifact: deps.artifact,
      repoUrl: deps.config.repoUrl,
      command: deps.config.slashCommand,
      trust: answerTrust(deps, best.section),
    });
  };
  const found = search();
  return {
    name,
    run: {
      search,
      render: () => render(found),
      all: () => JSON.stringify({ response_type: 'ephemeral', ...render(search()) }),
    },
    answer: JSON.stringify(render(found)),
    ms: { search: [], render: [], all: [] },
  };
}

async function main(): Promise<void> {
  const arg = argReader(process.argv.slice(2));
  const scale = Number(arg('scale') ?? 1);
  const rounds = Number(arg('rounds') ?? 30);
  const query = arg('query') ?? 'token expired';
  const base = arg('base');
  const work = mkdtempSync(join(tmpdir(), 'runbook-warm-stages-'));
  try {
    const artifactPath = join(work, 'artifact.json');
    writeFileSync(artifactPath, JSON.stringify(await benchArtifact(scale)));
    const subjects = [await subject('ours', resolve(__dirname, '..'), artifactPath, query)];
    if (base) subjects.push(await subject('base', resolve(base), artifactPath, query));
    if (subjects.some((s) => s.answer !== subjects[0]!.answer))
      console.log('the answers differ between the checkouts');
    const before = loadavg()[0]!.toFixed(2);
    for (let round = 0; round < rounds; round++) {
      for (const s of round % 2 ? subjects : [...subjects].reverse())
        for (const stage of STAGES) {
          const start = process.hrtime.bigint();
          for (let i = 0; i < BLOCK; i++) s.run[stage]();
          s.ms[stage].push(Number(process.hrtime.bigint() - start) / 1e6 / BLOCK);
        }
    }
    console.log(
      `load average ${before} → ${loadavg()[0]!.toFixed(2)}; scale ${scale}×; "${query}"; ${rounds} rounds of ${BLOCK}`,
    );
    for (const stage of STAGES)
      console.log(
        `${stage.padEnd(7)} ${subjects.map((s) => `${s.name} ${median(s.ms[stage].slice(2)).toFixed(4)} ms`).join('  ')}`,
      );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
