/** `runbook build [dir] [--out file]`: compile the runbooks into the artifact the bot loads. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { compileRunbooks } from '../runbooks/compile/compile';
import { RunbookCompileError, RunbookCompileErrors } from '../runbooks/compile/errors';
import { DEFAULT_ARTIFACT_PATH } from '../runbooks/model/artifact';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';

export const BUILD_USAGE = 'usage: runbook build [dir] [--out file]\n';

export async function buildCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [], ['out']);
  if (args.positionals.length > 1) throw new UsageError('build takes one directory');
  const dir = args.positionals[0] ?? 'runbooks';
  const out = args.values.get('out') ?? DEFAULT_ARTIFACT_PATH;
  return buildArtifactFile(dir, out, io);
}

/** Compiles `dir` and writes `out`; on any runbook error writes nothing and returns 1. */
export async function buildArtifactFile(dir: string, out: string, io: CliIO): Promise<number> {
  const started = performance.now();
  let json: string;
  try {
    const artifact = { ...(await compileRunbooks(dir)), commit: await gitCommit(dir) };
    json = JSON.stringify(artifact);
    const ms = Math.round(performance.now() - started);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, json);
    io.out(
      `${out}: ${artifact.runbooks.length} runbooks, ${artifact.sections.length} sections, ` +
        `${artifact.checklists.length} checklists, ${artifact.trees.length} trees, ${json.length} bytes (${ms} ms)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof RunbookCompileErrors || err instanceof RunbookCompileError) {
      io.err(`runbook build failed; ${out} not written:\n${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * The commit the runbooks are at (RUNBOOK_COMMIT when the build sets it, else `git rev-parse`), so
 * answers can say what they were built from; null outside a git checkout.
 */
export function gitCommit(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const given = env['RUNBOOK_COMMIT']?.trim();
  if (given) return Promise.resolve(/^[0-9a-f]{7,40}$/i.test(given) ? given.slice(0, 12) : null);
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, 'rev-parse', '--short=12', 'HEAD'], { timeout: 5000 }, (error, stdout) => {
      const sha = stdout?.trim() ?? '';
      resolve(!error && /^[0-9a-f]{7,40}$/.test(sha) ? sha : null);
    });
  });
}
