/**
 * Every `aws` command must be valid AWS CLI v2 syntax. Each expanded command line is run through the real
 * CLI v2 with no credentials at all: a clean environment, a throwaway config and credentials file, the
 * instance metadata service disabled, and an empty working directory. Measured with aws-cli/2.9.19:
 *   252  the command line did not parse (unknown command or option, missing required option, bad value)
 *   253  it parsed, then found no credentials        255  it parsed, then failed otherwise
 *   0/1  it needed no credentials (`aws configure list`, `aws s3 ...` reports "fatal error" with 1)
 * A 252 because a `file://` parameter file does not exist here is a runtime problem, not syntax.
 *
 * The CLI costs about half a second of CPU per command, so results are cached by command text (and CLI
 * version) in `node_modules/.cache/runbook-lint/`; only timeouts are retried on the next run.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapPool, type RunResult, runProgram } from './lint-exec';
import type { LintIssue } from './lint-issue';
import { AWS_CLI, AWS_POOL, AWS_SYNTAX_ERROR_EXIT, AWS_TIMEOUT_MS } from './lint-rules';

export interface AwsCommand {
  file: string;
  line: number;
  argv: string[];
}

export interface AwsCheckOptions {
  /** Path of the AWS CLI v2 binary (default /usr/bin/aws). */
  awsCli?: string;
  /** Where results are cached; null disables the cache. */
  cacheDir?: string | null;
  /** A scratch directory for the CLI's home, config files and working directory. */
  scratch: string;
}

interface Verdict {
  ok: boolean;
  message: string;
}

interface CacheFile {
  version: string;
  results: Record<string, Verdict>;
}

const CACHE_MAX = 5000;

export const DEFAULT_CACHE_DIR = join('node_modules', '.cache', 'runbook-lint');

export async function checkAwsCommands(commands: readonly AwsCommand[], options: AwsCheckOptions): Promise<LintIssue[]> {
  if (commands.length === 0) return [];
  const cli = options.awsCli ?? AWS_CLI;
  const env = await cleanEnvironment(options.scratch);
  const version = await runProgram(cli, ['--version'], { env, cwd: env['HOME'], timeoutMs: AWS_TIMEOUT_MS });
  const versionText = `${version.stdout}${version.stderr}`.trim();
  if (version.missing || !/^aws-cli\/2\./.test(versionText)) {
    const found = version.missing ? `${cli} is not installed` : `${cli} is ${versionText.split(/\s/)[0] || 'not the AWS CLI'}`;
    const first = commands[0]!;
    return [
      {
        file: first.file,
        line: first.line,
        message: `AWS CLI v2 is required to check aws commands (${found}); install it (Debian: apt-get install awscli)`,
      },
    ];
  }

  const cache = await loadCache(options.cacheDir ?? null, versionText);
  const keyOf = (argv: readonly string[]) => createHash('sha256').update(JSON.stringify(argv)).digest('hex').slice(0, 24);
  const todo = [...new Map(commands.map((c) => [keyOf(c.argv), c.argv])).entries()].filter(([k]) => !cache.results[k]);
  const fresh = await mapPool(todo, AWS_POOL, async ([key, argv]) => {
    const r = await runProgram(cli, argv, { env, cwd: env['HOME'], timeoutMs: AWS_TIMEOUT_MS });
    return { key, verdict: judge(r) };
  });
  for (const { key, verdict } of fresh) if (verdict.message !== TIMEOUT) cache.results[key] = verdict;
  // Newest last; the oldest go once the cache passes CACHE_MAX, so it does not grow with every edit.
  const used = new Set(commands.map((c) => keyOf(c.argv)));
  const entries = Object.entries(cache.results);
  const ordered = [...entries.filter(([k]) => !used.has(k)), ...entries.filter(([k]) => used.has(k))];
  const kept = Object.fromEntries(ordered.slice(-CACHE_MAX));
  await saveCache(options.cacheDir ?? null, { version: cache.version, results: kept });

  const verdicts = new Map(fresh.map((f) => [f.key, f.verdict]));
  const issues: LintIssue[] = [];
  for (const c of commands) {
    const v = verdicts.get(keyOf(c.argv)) ?? cache.results[keyOf(c.argv)];
    if (v && !v.ok) issues.push({ file: c.file, line: c.line, message: `aws ${shorten(c.argv)}: ${v.message}` });
  }
  return issues;
}

const TIMEOUT = `did not finish within ${AWS_TIMEOUT_MS / 1000} s`;

function judge(r: RunResult): Verdict {
  if (r.timedOut) return { ok: false, message: TIMEOUT };
  if (r.code !== AWS_SYNTAX_ERROR_EXIT) return { ok: true, message: '' };
  if (/Unable to load paramfile/.test(r.stderr)) return { ok: true, message: 'parameter file not present at lint time' };
  return { ok: false, message: `not valid AWS CLI v2 syntax: ${cliError(r.stderr)}` };
}

/** The CLI's own complaint, without the usage banner. */
function cliError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(usage:|To see help text|aws help|aws <command>|\[?parameters\]?|\[\.\.\.])/.test(l));
  const key = lines.findIndex((l) => /^(aws: error:|Unknown options|Parameter validation failed|Error parsing)/.test(l));
  const picked = key >= 0 ? lines.slice(key, key + 3) : lines.slice(-2);
  return picked.join(' ').replace(/\s+/g, ' ').slice(0, 300) || `exit ${AWS_SYNTAX_ERROR_EXIT}`;
}

function shorten(argv: readonly string[]): string {
  const text = argv.slice(0, 2).join(' ');
  return argv.length > 2 ? `${text} …` : text;
}

/** No inherited variable at all: no credentials, profile or container credentials can leak in. */
async function cleanEnvironment(scratch: string): Promise<Record<string, string>> {
  const home = join(scratch, 'aws-home');
  await mkdir(home, { recursive: true });
  const config = join(scratch, 'aws-config');
  const credentials = join(scratch, 'aws-credentials');
  await writeFile(config, '');
  await writeFile(credentials, '');
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
  };
}

async function loadCache(dir: string | null, version: string): Promise<CacheFile> {
  const empty: CacheFile = { version, results: {} };
  if (!dir) return empty;
  try {
    const data = JSON.parse(await readFile(join(dir, 'aws-cli.json'), 'utf8')) as CacheFile;
    return data.version === version && data.results && typeof data.results === 'object' ? data : empty;
  } catch {
    return empty;
  }
}

async function saveCache(dir: string | null, cache: CacheFile): Promise<void> {
  if (!dir) return;
  try {
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `aws-cli.json.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(cache));
    await rename(tmp, join(dir, 'aws-cli.json'));
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}
