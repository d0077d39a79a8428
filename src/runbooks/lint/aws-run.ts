/**
 * Runs AWS CLI v2 command lines with no credentials and reports each exit code and error text.
 *
 * Starting the CLI costs about half a second of CPU, so when the CLI is a Python script (Debian's
 * `awscli` package: `/usr/bin/aws` is `#!/usr/bin/python3` + `awscli.clidriver.main()`), one Python
 * process loads that very script with `runpy` and calls its `main()` once per command line, with fresh
 * config/credentials files, an empty stdin and a per-command alarm: the same code path at ~60 ms a
 * command. Any other CLI (the official installer's frozen binary) is spawned once per command.
 */
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapPool, runProgram } from './exec';
import { AWS_POOL, AWS_TIMEOUT_MS } from './rules';

export interface AwsJob {
  key: string;
  argv: string[];
}

export interface AwsOutcome {
  /** Exit code, or `timeout`. */
  rc: number | 'timeout';
  stderr: string;
}

const BATCH_PY = `
import io, json, runpy, signal, sys
cli, jobs_path, out_path, config, creds, timeout = sys.argv[1:7]
main = runpy.run_path(cli, run_name='aws_lint_batch')['main']
class Timeout(BaseException):
    pass
def on_alarm(signum, frame):
    raise Timeout()
signal.signal(signal.SIGALRM, on_alarm)
with open(jobs_path) as f:
    jobs = json.load(f)
with open(out_path, 'a') as out:
    for job in jobs:
        for path in (config, creds):
            open(path, 'w').close()
        err = io.StringIO()
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(), io.StringIO(), err
        sys.argv = ['aws'] + job['argv']
        signal.alarm(int(timeout))
        try:
            rc = main()
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Timeout:
            rc = 'timeout'
        except BaseException as e:
            rc = 255
            err.write(repr(e))
        finally:
            signal.alarm(0)
            sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__
        out.write(json.dumps({'key': job['key'], 'rc': 0 if rc is None else rc, 'stderr': err.getvalue()[-4000:]}) + '\\n')
        out.flush()
`;

/** A clean environment: nothing inherited, so no credentials, profile or container credentials leak in. */
export async function awsEnvironment(dir: string): Promise<Record<string, string>> {
  await mkdir(join(dir, 'home'), { recursive: true });
  await writeFile(join(dir, 'config'), '');
  await writeFile(join(dir, 'credentials'), '');
  return {
    PATH: '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    LANG: 'C.UTF-8',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
  };
}

export async function runAwsJobs(
  cli: string,
  jobs: readonly AwsJob[],
  scratch: string,
): Promise<Map<string, AwsOutcome>> {
  if (jobs.length === 0) return new Map();
  const python = await pythonOf(cli);
  if (python) {
    // Two workers once there is enough work to pay for the second interpreter's start-up.
    const workers = jobs.length >= 20 ? AWS_POOL : 1;
    const slices = Array.from({ length: workers }, (_, w) => jobs.filter((_, k) => k % workers === w));
    const parts = await Promise.all(
      slices.map((slice, w) => runBatch(python, cli, slice, join(scratch, `aws-batch-${w}`))),
    );
    return new Map(parts.flatMap((p) => [...p]));
  }
  const outcomes = await mapPool(jobs, AWS_POOL, async (job, k) => {
    const env = await awsEnvironment(join(scratch, `aws-${k}`));
    const r = await runProgram(cli, job.argv, { env, cwd: env['HOME'], timeoutMs: AWS_TIMEOUT_MS });
    const outcome: AwsOutcome = { rc: r.timedOut || r.code === null ? 'timeout' : r.code, stderr: r.stderr };
    return [job.key, outcome] as const;
  });
  return new Map(outcomes);
}

/** The interpreter of a Python-script CLI (`#!/usr/bin/python3`), or null for anything else. */
async function pythonOf(cli: string): Promise<string | null> {
  try {
    const handle = await open(cli, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(128), 0, 128, 0);
      const first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
      const m = /^#!\s*(\/\S*python[\d.]*)\s*$/.exec(first);
      return m ? m[1]! : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

async function runBatch(
  python: string,
  cli: string,
  jobs: readonly AwsJob[],
  dir: string,
): Promise<Map<string, AwsOutcome>> {
  const env = await awsEnvironment(dir);
  const script = join(dir, 'batch.py');
  const input = join(dir, 'jobs.json');
  const output = join(dir, 'results.jsonl');
  await writeFile(script, BATCH_PY);
  await writeFile(input, JSON.stringify(jobs));
  await writeFile(output, '');
  const perCommand = Math.ceil(AWS_TIMEOUT_MS / 1000);
  const args = [
    script,
    cli,
    input,
    output,
    env['AWS_CONFIG_FILE']!,
    env['AWS_SHARED_CREDENTIALS_FILE']!,
    String(perCommand),
  ];
  const r = await runProgram(python, args, {
    env,
    cwd: env['HOME'],
    timeoutMs: AWS_TIMEOUT_MS * 2 + jobs.length * 5_000,
  });
  const results = new Map<string, AwsOutcome>();
  for (const line of (await readFile(output, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const { key, rc, stderr } = JSON.parse(line) as { key: string; rc: number | 'timeout'; stderr: string };
    results.set(key, { rc, stderr });
  }
  // A batch that died part-way (or timed out) leaves the rest unchecked: say so for each.
  const why = r.timedOut ? 'the batch timed out' : `the batch stopped: ${r.stderr.trim().slice(-300)}`;
  for (const job of jobs) if (!results.has(job.key)) results.set(job.key, { rc: 'timeout', stderr: why });
  return results;
}
