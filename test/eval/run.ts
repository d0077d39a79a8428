/** `npm run eval`: search quality of our configuration against fuse.js and MiniSearch defaults. */
import { parseArtifact } from '../../src/runbooks/artifact';
import { compileRunbooks } from '../../src/runbooks/compile';
import { createSearch } from '../../src/runbooks/search';
import { RUNBOOKS_DIR } from '../helpers/artifact';
import { EVAL_SET, evaluate, formatTable } from './metrics';

async function main(): Promise<void> {
  const verbose = process.argv.includes('--misses');
  const artifact = await compileRunbooks(RUNBOOKS_DIR, { skipTrees: true });
  const result = evaluate(artifact);
  const json = JSON.stringify(artifact);
  const started = performance.now();
  const search = createSearch(parseArtifact(json));
  const loadMs = performance.now() - started;
  const queries = [...EVAL_SET.tuned, ...EVAL_SET.heldOut].map((q) => q.q);
  const t0 = performance.now();
  for (const q of queries) search.search(q);
  const perQuery = (performance.now() - t0) / queries.length;
  process.stdout.write(`${formatTable(`Tuned set (${EVAL_SET.tuned.length} queries)`, result.tuned)}\n\n`);
  process.stdout.write(
    `${formatTable(`Held-out set (${EVAL_SET.heldOut.length} queries)`, result.heldOut)}\n`,
  );
  // Misses of the tuned set only: the held-out set is for reporting, not for tuning.
  if (verbose) {
    for (const m of result.tuned['ours']?.misses ?? []) {
      process.stdout.write(
        `\nmiss: ${m.q}\n  expected ${m.expect.join(' | ')}\n  got      ${m.got.join(' | ')}\n`,
      );
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
