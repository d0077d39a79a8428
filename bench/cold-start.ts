/**
 * Cold start and bundle bytes: our production Lambda bundle (scripts/bundle.ts `bundle()`) against a bare
 * Bolt "hello" app bundled with the same esbuild options, for both ways of shipping the AWS SDK. Each
 * sample is a fresh `node` process (bench/cold-child.cjs) that loads the bundle and answers one signed
 * API Gateway v2 event; the apps alternate so drift in the machine's load hits both alike.
 *
 * Both are ES modules with code splitting (scripts/bundle.ts `esbuildOptions`): the child `import()`s the
 * entry's file URL, as the Lambda runtime loads an `.mjs` handler. "Bundle bytes" are what that loads: the
 * entry chunk and the chunks it imports statically; chunks behind `import()` load only when used, and are
 * counted apart (all chunks).
 *
 * `external` leaves `@aws-sdk/*` to the Lambda runtime's copy. ES module resolution ignores NODE_PATH, so
 * the external bundles sit under a directory whose node_modules links this repository's `@aws-sdk` and
 * `@smithy` (the stand-in for /var/runtime/node_modules); NODE_PATH is kept for `require()` from CommonJS.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { bundle, chunksOf, entryFile, esbuildOptions, outputKey, type SdkMode } from '../scripts/bundle';
import type { FakeSlack } from '../src/local/slack-web-api';
import { computeSlackSignature } from '../src/slack/signing';
import { apiGatewayV2Event } from '../test/helpers/lambda-events';
import { slashCommandFields } from '../test/helpers/slack-payloads';
import { BENCH_QUERY, BENCH_SECRET, BENCH_TOKEN, checkAnswer } from './fixtures';
import { median, round } from './stats';

const CHILD = resolve(__dirname, 'cold-child.cjs');
const BASELINE_ENTRY = resolve(__dirname, 'baseline', 'hello-lambda.ts');
const NODE_MODULES = resolve(__dirname, '..', 'node_modules');

/**
 * `ours`: Slack secrets in the environment, as the bare app gets them (the like-for-like comparison).
 * `ours-ssm`: as deployed, secrets read from SSM Parameter Store at cold start (SLACK_SECRETS_SSM_PREFIX,
 * src/aws/ssm-secrets.ts), here from a loopback fake of SSM: the SSM client is loaded on every cold start.
 */
export type AppName = 'ours' | 'ours-ssm' | 'baseline';
export const COLD_APPS: readonly AppName[] = ['ours', 'ours-ssm', 'baseline'];
const SSM_PREFIX = '/runbook-bot/bench/';

export interface BuiltApp {
  /** The entry: handler.mjs / hello.mjs. */
  handler: string;
  /** The JavaScript a cold start loads: the entry chunk and the chunks it imports statically. */
  jsBytes: number;
  jsGzipBytes: number;
  /** How many files that is (the entry and its static chunks). */
  jsFiles: number;
  /** Every JavaScript output of the build (all entries, all chunks, those behind `import()` too). */
  totalJsBytes: number;
  /** Data shipped beside the code (ours: artifact.json). */
  dataBytes: number;
  /** Biggest contributors to the JavaScript a cold start loads, by package (node_modules) or source folder. */
  composition: { name: string; bytes: number }[];
}

export interface Bundles {
  sdk: SdkMode;
  ours: BuiltApp & { artifact: string; approvers: string };
  baseline: BuiltApp;
}

export interface ColdSample {
  /** ms from process start (Node's time origin) until the bundle is loaded. */
  ready: number;
  /** ms from process start until the first event is answered. */
  answered: number;
}

export interface ColdStats {
  sdk: SdkMode;
  app: AppName;
  runs: number;
  readyMsMedian: number;
  answeredMsMedian: number;
  samples: ColdSample[];
}

/**
 * Groups the bytes of some outputs of a build (by default: `outputFile` alone) by npm package
 * (`@slack/bolt`, `@aws-sdk/client-ssm`) or source folder.
 */
export function composition(
  metafile: Metafile,
  outputFile: string,
  outputs: string[] = [outputFile],
): { name: string; bytes: number }[] {
  const wanted = new Set(outputs.map((f) => resolve(f)));
  const totals = new Map<string, number>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!wanted.has(resolve(file))) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1];
      const name = pkg ?? input.split('/').slice(0, 2).join('/');
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 12);
}

function describe(handler: string, metafile: Metafile, dataBytes: number): BuiltApp {
  // Metafile paths are relative to the working directory of the build (this process's).
  const loaded = chunksOf(metafile, outputKey(metafile, handler)).map((k) => resolve(k));
  const files = loaded.map((file) => readFileSync(file));
  const totalJsBytes = Object.entries(metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
  return {
    handler,
    jsBytes: files.reduce((sum, code) => sum + code.length, 0),
    // Each file is its own entry in the zip and its own read: gzipped one by one.
    jsGzipBytes: files.reduce((sum, code) => sum + gzipSync(code).length, 0),
    jsFiles: files.length,
    totalJsBytes,
    dataBytes,
    composition: composition(metafile, handler, loaded),
  };
}

/** Builds both bundles for one SDK mode into outDir. */
export async function buildBundles(
  outDir: string,
  sdk: SdkMode,
  inputs: { artifact: string; approvers: string },
): Promise<Bundles> {
  const sdkDir = resolve(outDir, sdk);
  const ourDir = resolve(sdkDir, 'ours');
  const baseDir = resolve(sdkDir, 'baseline');
  mkdirSync(baseDir, { recursive: true });
  if (sdk === 'external') {
    // The runtime's copy of the SDK, where ES module resolution looks for it (see the top of this file).
    mkdirSync(join(sdkDir, 'node_modules'), { recursive: true });
    for (const scope of ['@aws-sdk', '@smithy'])
      symlinkSync(join(NODE_MODULES, scope), join(sdkDir, 'node_modules', scope), 'dir');
  }
  const ours = await bundle({
    outdir: ourDir,
    sdk,
    artifact: inputs.artifact,
    approvers: inputs.approvers,
    iamScopeFile: join(outDir, `iam-scope-${sdk}.json`),
  });
  const base = await build({
    ...esbuildOptions(sdk),
    entryPoints: { hello: BASELINE_ENTRY },
    outdir: baseDir,
  });
  const artifact = join(ourDir, 'artifact.json');
  return {
    sdk,
    ours: {
      ...describe(entryFile(ourDir, 'handler'), ours.metafile, readFileSync(artifact).length),
      artifact,
      approvers: join(ourDir, 'approvers.yaml'),
    },
    baseline: describe(entryFile(baseDir, 'hello'), base.metafile, 0),
  };
}

/** A `/runbook <text>` slash command as API Gateway (HTTP API, payload v2) delivers it, signed now. */
export function signedEvent(text: string, responseUrl: string): Record<string, unknown> {
  const body = new URLSearchParams(slashCommandFields({ text, responseUrl, triggerId: '1.2.3' })).toString();
  const ts = Math.floor(Date.now() / 1000);
  return apiGatewayV2Event(
    body,
    {
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSlackSignature(BENCH_SECRET, ts, body),
    },
    { base64: true },
  );
}

export interface RunOptions {
  /** Directory for a V8 CPU profile of this run (`--cpu-prof`), for finding where a cold start goes. */
  cpuProfDir?: string;
}

/** One fresh process: load `handler`, answer `event`; rejects unless it answered 200. */
export function runOnce(
  handler: string,
  env: Record<string, string>,
  event: unknown,
  opts: RunOptions = {},
): Promise<ColdSample> {
  const flags = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...flags, CHILD, handler], {
      env: { PATH: process.env.PATH ?? '', ...env, BENCH_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    // A cold start takes well under a second; a hung child must fail the benchmark, not stall it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      let parsed: (ColdSample & { error?: string; status?: number }) | undefined;
      try {
        parsed = JSON.parse(line) as ColdSample & { error?: string; status?: number };
      } catch {
        parsed = undefined;
      }
      if (!parsed) reject(new Error(`${handler}: no result, exit ${code} (${err.slice(0, 800)})`));
      else if (parsed.error || parsed.status !== 200)
        reject(new Error(`${handler}: ${parsed.error ?? `status ${parsed.status}`} ${err.slice(0, 800)}`));
      else resolvePromise({ ready: parsed.ready, answered: parsed.answered });
    });
  });
}

/** A loopback stand-in for SSM's `GetParameters` (JSON 1.1 protocol), holding the bench's Slack secrets. */
export interface FakeSsm {
  url: string;
  calls: number;
  close(): Promise<void>;
}

export async function startFakeSsm(): Promise<FakeSsm> {
  const values: Record<string, string> = {
    [`${SSM_PREFIX}slack-bot-token`]: BENCH_TOKEN,
    [`${SSM_PREFIX}slack-signing-secret`]: BENCH_SECRET,
  };
  const state = { calls: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      state.calls++;
      const names = (JSON.parse(body || '{}') as { Names?: string[] }).Names ?? [];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          Parameters: names
            .filter((n) => values[n] !== undefined)
            .map((Name) => ({ Name, Type: 'SecureString', Value: values[Name], Version: 1 })),
          InvalidParameters: names.filter((n) => values[n] === undefined),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get calls() {
      return state.calls;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The Lambda environment of each app: Slack identity known (no auth.test), the fake Slack as the API. */
export function coldEnv(
  app: AppName,
  bundles: Bundles,
  fake: FakeSlack,
  ssm?: FakeSsm,
): Record<string, string> {
  const secrets: Record<string, string> =
    app === 'ours-ssm'
      ? {
          SLACK_SECRETS_SSM_PREFIX: SSM_PREFIX,
          AWS_ENDPOINT_URL_SSM: ssm?.url ?? '',
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench',
        }
      : { SLACK_SIGNING_SECRET: BENCH_SECRET, SLACK_BOT_TOKEN: BENCH_TOKEN };
  const base: Record<string, string> = {
    ...secrets,
    SLACK_BOT_ID: 'B0BENCH',
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_API_URL: fake.apiUrl,
    AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-bench',
    AWS_REGION: 'af-south-1',
    LOG_LEVEL: 'error',
    // The Lambda runtime's copy of the SDK, for `external` (harmless for `bundled`, which resolves nothing).
    ...(bundles.sdk === 'external' ? { NODE_PATH: NODE_MODULES } : {}),
  };
  return app === 'baseline'
    ? base
    : { ...base, RUNBOOK_ARTIFACT: bundles.ours.artifact, APPROVERS_FILE: bundles.ours.approvers };
}

/** One cold start of `app`, checked: exactly one answer at response_url, and (ours) the right section. */
export async function coldSample(
  app: AppName,
  bundles: Bundles,
  fake: FakeSlack,
  opts: RunOptions & { ssm?: FakeSsm } = {},
): Promise<ColdSample> {
  const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  const ssmCalls = opts.ssm?.calls ?? 0;
  const sample = await runOnce(
    app === 'baseline' ? bundles.baseline.handler : bundles.ours.handler,
    coldEnv(app, bundles, fake, opts.ssm),
    signedEvent(BENCH_QUERY, responseUrl),
    opts,
  );
  if (app === 'ours-ssm' && opts.ssm?.calls !== ssmCalls + 1)
    throw new Error(`ours-ssm (${bundles.sdk}): expected one GetParameters call to SSM`);
  const answers = fake.responses.filter((r) => r.id === id);
  if (answers.length !== 1)
    throw new Error(`${app} (${bundles.sdk}): ${answers.length} answers at response_url, expected 1`);
  checkAnswer(app === 'baseline' ? 'baseline' : 'ours', answers[0]?.body, `${app} (${bundles.sdk})`);
  return sample;
}

/** `runs` fresh processes per app, the apps interleaved. */
export async function coldStart(
  bundles: Bundles,
  fake: FakeSlack,
  ssm: FakeSsm,
  runs: number,
): Promise<ColdStats[]> {
  const samples: Record<AppName, ColdSample[]> = { ours: [], 'ours-ssm': [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    // Rotate which goes first, so none always runs right after another's disk and cache traffic.
    const order = COLD_APPS.map((_, k) => COLD_APPS[(i + k) % COLD_APPS.length]!);
    for (const app of order) samples[app].push(await coldSample(app, bundles, fake, { ssm }));
  }
  return COLD_APPS.map((app) => ({
    sdk: bundles.sdk,
    app,
    runs,
    readyMsMedian: round(median(samples[app].map((s) => s.ready))),
    answeredMsMedian: round(median(samples[app].map((s) => s.answered))),
    samples: samples[app].map((s) => ({ ready: round(s.ready, 2), answered: round(s.answered, 2) })),
  }));
}

/** Writes one CPU profile per app (for `npm run bench -- --cpu-prof`); returns the directory. */
export async function profileColdStart(
  bundles: Bundles,
  fake: FakeSlack,
  ssm: FakeSsm,
  dir: string,
): Promise<string> {
  const out = resolve(dir, `cpu-prof-${bundles.sdk}`);
  mkdirSync(out, { recursive: true });
  for (const app of COLD_APPS) {
    const appDir = join(out, app);
    mkdirSync(appDir, { recursive: true });
    await coldSample(app, bundles, fake, { cpuProfDir: appDir, ssm });
  }
  writeFileSync(
    join(out, 'README.txt'),
    'Open a .cpuprofile in Chrome DevTools (Performance → Load profile) or speedscope.\n',
  );
  return out;
}
