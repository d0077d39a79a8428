/** `npm run eval`: search quality of our configuration against fuse.js and MiniSearch defaults. */
import { compileRunbooks } from '../../src/runbooks/compile';
import { RUNBOOKS_DIR } from '../helpers/artifact';
import { EVAL_SET, evaluate, formatTable } from './metrics';

async function main(): Promise<void> {
  const verbose = process.argv.includes('--misses');
  const artifact = await compileRunbooks(RUNBOOKS_DIR, { skipTrees: true });
  const result = evaluate(artifact);
  process.stdout.write(`${formatTable(`Tuned set (${EVAL_SET.tuned.length} queries)`, result.tuned)}\n\n`);
  process.stdout.write(
    `${formatTable(`Held-out set (${EVAL_SET.heldOut.length} queries)`, result.heldOut)}\n`,
  );
  // Misses of the tuned set only: the held-out set is for reporting, not for tuning.
  if (verbose) {
    for (const m of result.tuned['ours']?.misses ?? []) {
      process.stdout.write(`\nmiss: ${m.q}\n  expected ${m.expect.join(' | ')}\n  got      ${m.got.join(' | ')}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
