/**
 * Cold start and bundle bytes: our production Lambda bundle (scripts/bundle.ts `bundle()`) against bare
 * Bolt "hello" apps bundled with the same esbuild options and stubs, for both ways of shipping the AWS SDK.
 * Each sample is a fresh `node` process (bench/cold-child.cjs) that loads the bundle and answers one signed
 * API Gateway v2 event; every variant runs once per round, in a rotating order, so drift in the machine's
 * load hits all alike.
 *
 * Variants: ours with the secrets in the environment at 1×, 10× and 100× the corpus (the artifact of
 * bench/search-scale.ts's synthetic runbooks, written as the bundle writes it), ours reading them from SSM
 * (a loopback fake, signed request); bare Bolt acking empty then calling `respond()` (`bare-respond`), bare
 * Bolt answering in the ack body (`bare-ack`), and the latter reading its secrets from the same fake SSM
 * (`bare-ack-ssm`). Every answer is checked; ours and `bare-ack*` must make no outbound request at all
 * (nothing at response_url, no Web API call). Peak RSS is each process's own high-water mark (VmHWM, see cold-child.cjs).
 *
 * Both are built alike (scripts/bundle.ts `buildLambdaEntries`: ES modules with code splitting, one build
 * per entry, the entry merged with the chunks it imports statically): the child `import()`s the entry's file
 * URL, as the Lambda runtime loads an `.mjs` handler. "Bundle bytes" are what that loads: the entry (and
 * any chunk it still imports statically: none since the merge); chunks behind `import()` load only when
 * used, and are counted apart (all chunks).
 *
 * `external` leaves `@aws-sdk/*` to the Lambda runtime's copy. ES module resolution ignores NODE_PATH, so
 * the external bundles sit under a directory whose node_modules links this repository's `@aws-sdk` and
 * `@smithy` (the stand-in for /var/runtime/node_modules); NODE_PATH is kept for `require()` from CommonJS.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import {
  buildLambdaEntries,
  bundle,
  chunksOf,
  entryFile,
  outputKey,
  RUNTIME_ARTIFACT_FILE,
  type SdkMode,
  writeRuntimeArtifact,
} from '../scripts/bundle';
import type { FakeSlack } from '../src/local/slack-web-api';
import type { Artifact } from '../src/runbooks/model/model';
import { computeSlackSignature } from '../src/slack/signing';
import { apiGatewayV2Event } from '../test/helpers/lambda-events';
import { slashCommandFields } from '../test/helpers/slack-payloads';
import { BENCH_QUERY, BENCH_SECRET, BENCH_TOKEN, checkAnswer } from './fixtures';
import { median, round } from './stats';

const CHILD = resolve(__dirname, 'cold-child.cjs');
const BASELINE_ENTRIES = {
  hello: resolve(__dirname, 'baseline', 'hello-lambda.ts'),
  'hello-ack': resolve(__dirname, 'baseline', 'hello-lambda-ack.ts'),
  'hello-ssm': resolve(__dirname, 'baseline', 'hello-lambda-ssm.ts'),
} as const;
const NODE_MODULES = resolve(__dirname, '..', 'node_modules');

/**
 * `ours`: Slack secrets in the environment, as the bare apps get them (the like-for-like comparison).
 * `ours-ssm`: as deployed, secrets read from SSM Parameter Store at cold start (SLACK_SECRETS_SSM_PREFIX,
 * src/aws/ssm-secrets.ts), here from a loopback fake of SSM.
 * `bare-respond`: bare Bolt, ack empty then `respond()`; `bare-ack`: bare Bolt answering in the ack body;
 * `bare-ack-ssm`: the latter with its secrets read from the same fake SSM.
 */
export type AppName = 'ours' | 'ours-ssm' | 'bare-respond' | 'bare-ack' | 'bare-ack-ssm';
export const COLD_APPS: readonly AppName[] = ['ours', 'ours-ssm', 'bare-respond', 'bare-ack', 'bare-ack-ssm'];
const SSM_PREFIX = '/runbook-bot/bench/';

/** One measured configuration: an app, and for ours the corpus scale of its artifact. */
export interface ColdVariant {
  app: AppName;
  scale: number;
}

const isOurs = (app: AppName) => app === 'ours' || app === 'ours-ssm';
const readsSsm = (app: AppName) => app === 'ours-ssm' || app === 'bare-ack-ssm';

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
  /** Bare Bolt, ack empty then `respond()`. */
  baseline: BuiltApp;
  /** Bare Bolt answering in the ack body (bytes counted like the others). */
  baselineAck: BuiltApp;
  /** Bare Bolt answering in the ack body, secrets from SSM: its entry. */
  baselineSsmHandler: string;
  /** Corpus scale → the runtime artifact ours loads at that scale (1: the bundle's own). */
  artifacts: Record<number, string>;
}

export interface ColdSample {
  /** ms from process start (Node's time origin) until the bundle is loaded. */
  ready: number;
  /** ms from process start until the first event is answered. */
  answered: number;
  /** Peak resident set size of the process, KiB. */
  maxRssKiB: number;
  /** CPU time (user + system) of the process until the answer, ms (far less sensitive to load). */
  cpuMs?: number;
}

export interface ColdStats {
  sdk: SdkMode;
  app: AppName;
  /** Corpus scale of ours' artifact (1 for the bare apps). */
  scale: number;
  runs: number;
  readyMsMedian: number;
  answeredMsMedian: number;
  rssKiBMedian: number;
  rssKiBMax: number;
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

/**
 * Builds ours and the bare apps for one SDK mode into outDir. `scaled`: corpus scale → compiled artifact,
 * each written as the bundle writes its own (`writeRuntimeArtifact`) for ours at that scale.
 */
export async function buildBundles(
  outDir: string,
  sdk: SdkMode,
  inputs: { artifact: string; approvers: string; scaled?: Record<number, Artifact> },
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
  // Built exactly as ours: one build per entry, the entry merged with its static chunks.
  const base = {
    metafile: await buildLambdaEntries({
      root: process.cwd(),
      outdir: baseDir,
      sdk,
      entryPoints: BASELINE_ENTRIES,
    }),
  };
  const artifact = join(ourDir, RUNTIME_ARTIFACT_FILE);
  const artifacts: Record<number, string> = { 1: artifact };
  for (const [scale, compiled] of Object.entries(inputs.scaled ?? {})) {
    if (Number(scale) === 1) continue;
    const dir = join(sdkDir, `artifact-${scale}x`);
    mkdirSync(dir, { recursive: true });
    artifacts[Number(scale)] = writeRuntimeArtifact(compiled, dir);
  }
  return {
    sdk,
    ours: {
      ...describe(entryFile(ourDir, 'handler'), ours.metafile, artifactBytes(artifact)),
      artifact,
      approvers: join(ourDir, 'approvers.yaml'),
    },
    baseline: describe(entryFile(baseDir, 'hello'), base.metafile, 0),
    baselineAck: describe(entryFile(baseDir, 'hello-ack'), base.metafile, 0),
    baselineSsmHandler: entryFile(baseDir, 'hello-ssm'),
    artifacts,
  };
}

/** The artifact's bytes on disk: the file, and the folder of slices beside it when it has one. */
function artifactBytes(file: string): number {
  let bytes = statSync(file).size;
  const slices = file.replace(/\.json$/, '');
  if (existsSync(slices) && statSync(slices).isDirectory())
    for (const name of readdirSync(slices)) bytes += statSync(join(slices, name)).size;
  return bytes;
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
  /** Its sampling interval, µs (V8's default: 1000). */
  cpuProfInterval?: number;
  /** More `node` flags for the child (`--min-semi-space-size=4`): what NODE_OPTIONS would set on Lambda. */
  nodeFlags?: readonly string[];
}

export interface ColdAnswer extends ColdSample {
  /** The HTTP body the handler answered with (the ack's body). */
  body: string;
}

/** One fresh process: load `handler`, answer `event`; rejects unless it answered 200. */
export function runOnce(
  handler: string,
  env: Record<string, string>,
  event: unknown,
  opts: RunOptions = {},
): Promise<ColdAnswer> {
  const flags = [
    ...(opts.nodeFlags ?? []),
    ...(opts.cpuProfDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${opts.cpuProfDir}`,
          ...(opts.cpuProfInterval ? [`--cpu-prof-interval=${opts.cpuProfInterval}`] : []),
        ]
      : []),
  ];
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
      let parsed: (ColdAnswer & { error?: string; status?: number }) | undefined;
      try {
        parsed = JSON.parse(line) as ColdAnswer & { error?: string; status?: number };
      } catch {
        parsed = undefined;
      }
      if (!parsed) reject(new Error(`${handler}: no result, exit ${code} (${err.slice(0, 800)})`));
      else if (parsed.error || parsed.status !== 200)
        reject(new Error(`${handler}: ${parsed.error ?? `status ${parsed.status}`} ${err.slice(0, 800)}`));
      else
        resolvePromise({
          ready: parsed.ready,
          answered: parsed.answered,
          maxRssKiB: parsed.maxRssKiB,
          ...(parsed.cpuMs !== undefined ? { cpuMs: parsed.cpuMs } : {}),
          body: parsed.body ?? '',
        });
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

/** The Lambda environment of each variant: Slack identity known (no auth.test), the fake Slack as the API. */
export function coldEnv(
  variant: ColdVariant,
  bundles: Bundles,
  fake: FakeSlack,
  ssm?: FakeSsm,
): Record<string, string> {
  const { app } = variant;
  const secrets: Record<string, string> = readsSsm(app)
    ? {
        SLACK_SECRETS_SSM_PREFIX: SSM_PREFIX,
        AWS_ENDPOINT_URL_SSM: ssm?.url ?? '',
        // As Lambda gives a function its role's temporary credentials.
        AWS_ACCESS_KEY_ID: 'ASIABENCH',
        AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
        AWS_SESSION_TOKEN: 'bench-session-token',
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
  if (!isOurs(app)) return base;
  const artifact = bundles.artifacts[variant.scale];
  if (!artifact) throw new Error(`no artifact at ${variant.scale}× for ${bundles.sdk}`);
  return { ...base, RUNBOOK_ARTIFACT: artifact, APPROVERS_FILE: bundles.ours.approvers };
}

function handlerOf(app: AppName, bundles: Bundles): string {
  switch (app) {
    case 'ours':
    case 'ours-ssm':
      return bundles.ours.handler;
    case 'bare-respond':
      return bundles.baseline.handler;
    case 'bare-ack':
      return bundles.baselineAck.handler;
    case 'bare-ack-ssm':
      return bundles.baselineSsmHandler;
  }
}

export const variantName = (v: ColdVariant) => (v.scale === 1 ? v.app : `${v.app} ${v.scale}×`);

/**
 * One cold start of a variant, checked: the right answer, where it belongs (`bare-respond`: exactly one post
 * at response_url; the others: in the ack body, with no request to Slack at all), SSM read exactly once.
 */
export async function coldSample(
  variant: ColdVariant,
  bundles: Bundles,
  fake: FakeSlack,
  opts: RunOptions & { ssm?: FakeSsm } = {},
): Promise<ColdSample> {
  const { app } = variant;
  const where = `${variantName(variant)} (${bundles.sdk})`;
  const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
  const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
  const ssmCalls = opts.ssm?.calls ?? 0;
  const slackCalls = fake.calls.length;
  const sample = await runOnce(
    handlerOf(app, bundles),
    coldEnv(variant, bundles, fake, opts.ssm),
    signedEvent(BENCH_QUERY, responseUrl),
    opts,
  );
  if (readsSsm(app) && opts.ssm?.calls !== ssmCalls + 1)
    throw new Error(`${where}: expected one GetParameters call to SSM`);
  const posts = fake.responses.filter((r) => r.id === id);
  if (app === 'bare-respond') {
    if (posts.length !== 1) throw new Error(`${where}: ${posts.length} answers at response_url, expected 1`);
    checkAnswer('baseline', posts[0]?.body, where);
  } else {
    if (posts.length !== 0 || fake.calls.length !== slackCalls)
      throw new Error(`${where}: answers in the ack body, yet it sent a request to Slack`);
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(sample.body) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    checkAnswer(isOurs(app) ? 'ours' : 'baseline', body, `${where}, ack body`);
  }
  return {
    ready: sample.ready,
    answered: sample.answered,
    maxRssKiB: sample.maxRssKiB,
    ...(sample.cpuMs !== undefined ? { cpuMs: sample.cpuMs } : {}),
  };
}

/** The variants measured for one SDK mode: ours at every scale only for the deployed SDK mode. */
export function coldVariants(sdk: SdkMode, scales: readonly number[], deployed: SdkMode): ColdVariant[] {
  const ours =
    sdk === deployed
      ? scales.map((scale) => ({ app: 'ours' as const, scale }))
      : [{ app: 'ours' as const, scale: 1 }];
  return [...ours, ...COLD_APPS.filter((a) => a !== 'ours').map((app) => ({ app, scale: 1 }))];
}

/** `runs` fresh processes per variant, the variants interleaved in a rotating order. */
export async function coldStart(
  bundles: Bundles,
  fake: FakeSlack,
  ssm: FakeSsm,
  runs: number,
  variants: readonly ColdVariant[],
): Promise<ColdStats[]> {
  const samples = variants.map(() => [] as ColdSample[]);
  for (let i = 0; i < runs; i++) {
    // Rotate which goes first, so none always runs right after another's disk and cache traffic.
    for (let k = 0; k < variants.length; k++) {
      const v = (i + k) % variants.length;
      samples[v]!.push(await coldSample(variants[v]!, bundles, fake, { ssm }));
    }
  }
  return variants.map((variant, v) => {
    const own = samples[v]!;
    return {
      sdk: bundles.sdk,
      app: variant.app,
      scale: variant.scale,
      runs,
      readyMsMedian: round(median(own.map((s) => s.ready))),
      answeredMsMedian: round(median(own.map((s) => s.answered))),
      rssKiBMedian: Math.round(median(own.map((s) => s.maxRssKiB))),
      rssKiBMax: Math.max(...own.map((s) => s.maxRssKiB)),
      samples: own.map((s) => ({
        ready: round(s.ready, 2),
        answered: round(s.answered, 2),
        maxRssKiB: s.maxRssKiB,
      })),
    };
  });
}

/** Writes one CPU profile per variant (for `npm run bench -- --cpu-prof`); returns the directory. */
export async function profileColdStart(
  bundles: Bundles,
  fake: FakeSlack,
  ssm: FakeSsm,
  dir: string,
  variants: readonly ColdVariant[],
): Promise<string> {
  const out = resolve(dir, `cpu-prof-${bundles.sdk}`);
  mkdirSync(out, { recursive: true });
  for (const variant of variants) {
    const appDir = join(out, variantName(variant).replace(/\W+/g, '-'));
    mkdirSync(appDir, { recursive: true });
    await coldSample(variant, bundles, fake, { cpuProfDir: appDir, ssm });
  }
  writeFileSync(
    join(out, 'README.txt'),
    'Open a .cpuprofile in Chrome DevTools (Performance → Load profile) or speedscope.\n',
  );
  return out;
}
