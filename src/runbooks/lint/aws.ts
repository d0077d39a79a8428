/**
 * Every `aws` command must be valid AWS CLI v2 syntax. Each expanded command line goes through the real
 * CLI v2 (aws-run.ts) with no credentials. Exit codes, measured with aws-cli/2.9.19:
 *   252  the command line did not parse (unknown command or option, missing required option, bad value)
 *   253  it parsed, then found no credentials        255  it parsed, then failed otherwise
 *   0/1  it needed no credentials (`aws configure list`; `aws s3 ...` reports "fatal error" with 1)
 * Not syntax errors, although the CLI exits 252: a `file://` parameter file that does not exist at lint
 * time, and a value the CLI rejects when a placeholder stands in for a variable or `$(...)`.
 *
 * Results are cached by command line and CLI version in `node_modules/.cache/runbook-lint/`; commands
 * that timed out are run again next time.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AwsOutcome, awsEnvironment, runAwsJobs } from './aws-run';
import { runProgram } from './exec';
import type { LintIssue } from './issue';
import { AWS_CLI, AWS_SYNTAX_ERROR_EXIT, AWS_TIMEOUT_MS } from './rules';

export interface AwsCommand {
  file: string;
  line: number;
  argv: string[];
  /** Options whose values are placeholders (see aws-words.ts). */
  substituted?: string[];
}

export interface AwsCheckOptions {
  /** Path of the AWS CLI v2 (default /usr/bin/aws). */
  awsCli?: string;
  /** Where results are cached; null disables the cache. */
  cacheDir?: string | null;
  /** A scratch directory for the CLI's home, config files and working directory. */
  scratch: string;
}

interface CacheFile {
  /** Bumped whenever what is stored changes, so an older lint never misreads a newer cache. */
  format: typeof CACHE_FORMAT;
  version: string;
  results: Record<string, AwsOutcome>;
}

const CACHE_FORMAT = 2;

export const DEFAULT_CACHE_DIR = join('node_modules', '.cache', 'runbook-lint');
const CACHE_MAX = 5000;

export async function checkAwsCommands(
  commands: readonly AwsCommand[],
  options: AwsCheckOptions,
): Promise<LintIssue[]> {
  if (commands.length === 0) return [];
  const cli = options.awsCli ?? AWS_CLI;
  const env = await awsEnvironment(join(options.scratch, 'aws-version'));
  const version = await runProgram(cli, ['--version'], { env, cwd: env['HOME'], timeoutMs: AWS_TIMEOUT_MS });
  const versionText = `${version.stdout}${version.stderr}`.trim();
  if (version.missing || !/^aws-cli\/2\./.test(versionText)) {
    const found = version.missing
      ? `${cli} is not installed`
      : `${cli} is ${versionText.split(/\s/)[0] || 'not the AWS CLI'}`;
    const first = commands[0]!;
    const message = `AWS CLI v2 is required to check aws commands (${found}); install it (Debian: apt-get install awscli)`;
    return [{ file: first.file, line: first.line, message }];
  }

  const keyOf = (argv: readonly string[]) =>
    createHash('sha256').update(JSON.stringify(argv)).digest('hex').slice(0, 24);
  const cache = await loadCache(options.cacheDir ?? null, versionText);
  const jobs = [...new Map(commands.map((c) => [keyOf(c.argv), prepare(c.argv)])).entries()]
    .filter(([key]) => !cache.results[key])
    .map(([key, argv]) => ({ key, argv }));
  const fresh = await runAwsJobs(cli, jobs, options.scratch);
  for (const [key, outcome] of fresh) if (outcome.rc !== 'timeout') cache.results[key] = outcome;
  await saveCache(options.cacheDir ?? null, cache, new Set(commands.map((c) => keyOf(c.argv))));

  const issues: LintIssue[] = [];
  for (const c of commands) {
    const outcome = fresh.get(keyOf(c.argv)) ?? cache.results[keyOf(c.argv)];
    const problem = outcome ? judge(outcome, c.substituted ?? []) : null;
    if (problem)
      issues.push({ file: c.file, line: c.line, message: `aws ${c.argv.slice(0, 2).join(' ')}: ${problem}` });
  }
  return issues;
}

/** A `--no-sign-request` command would reach AWS anonymously: point it at a closed local port instead. */
function prepare(argv: readonly string[]): string[] {
  if (argv.includes('--no-sign-request') && !argv.some((a) => a.startsWith('--endpoint-url'))) {
    return [...argv, '--endpoint-url', 'http://127.0.0.1:9'];
  }
  return [...argv];
}

/** The problem to report, or null when the command line is valid. */
export function judge(outcome: AwsOutcome, substituted: readonly string[]): string | null {
  if (outcome.rc === 'timeout')
    return `could not be checked: ${outcome.stderr || `no answer within ${AWS_TIMEOUT_MS / 1000} s`}`;
  if (outcome.rc !== AWS_SYNTAX_ERROR_EXIT) return null;
  if (/Unable to load paramfile/.test(outcome.stderr)) return null;
  const named = rejectedOptions(outcome.stderr);
  if (named.length > 0 && named.every((o) => substituted.includes(o))) return null;
  return `not valid AWS CLI v2 syntax: ${cliError(outcome.stderr)}`;
}

/** Options the CLI complains about: `'--change-batch'`, `argument --max-items:`, `parameter StartTime`. */
function rejectedOptions(stderr: string): string[] {
  const direct = [...stderr.matchAll(/(?:parameter '|argument )(--[\w-]+)/g)].map((m) => m[1]!);
  const modelled = [...stderr.matchAll(/for parameter ([A-Z]\w*)/g)].map(
    (m) => `--${m[1]!.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`,
  );
  return [...new Set([...direct, ...modelled])];
}

/** The CLI's own complaint, without the usage banner. */
function cliError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) => l && !/^(usage:|To see help text|aws help|aws <command>|\[?parameters\]?|\[\.\.\.])/.test(l),
    );
  const key = lines.findIndex((l) =>
    /^(aws: error:|Unknown options|Parameter validation failed|Error parsing)/.test(l),
  );
  const picked = key >= 0 ? lines.slice(key, key + 3) : lines.slice(-2);
  return picked.join(' ').replace(/\s+/g, ' ').slice(0, 300) || `exit ${AWS_SYNTAX_ERROR_EXIT}`;
}

async function loadCache(dir: string | null, version: string): Promise<CacheFile> {
  const empty: CacheFile = { format: CACHE_FORMAT, version, results: {} };
  if (!dir) return empty;
  try {
    const data = JSON.parse(await readFile(join(dir, 'aws-cli.json'), 'utf8')) as CacheFile;
    const usable =
      data.format === CACHE_FORMAT && data.version === version && typeof data.results === 'object';
    return usable && data.results ? data : empty;
  } catch {
    return empty;
  }
}

/** Entries used in this run go last; the oldest go once the cache passes CACHE_MAX. */
async function saveCache(dir: string | null, cache: CacheFile, used: Set<string>): Promise<void> {
  if (!dir) return;
  const entries = Object.entries(cache.results);
  const ordered = [...entries.filter(([k]) => !used.has(k)), ...entries.filter(([k]) => used.has(k))];
  const data: CacheFile = {
    format: CACHE_FORMAT,
    version: cache.version,
    results: Object.fromEntries(ordered.slice(-CACHE_MAX)),
  };
  try {
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `aws-cli.json.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, join(dir, 'aws-cli.json'));
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}
