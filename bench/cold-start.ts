/**
 * Cold start and bundle bytes: our production Lambda bundle against a bare Bolt "hello" app bundled with
 * the same esbuild options. Each sample is a fresh `node` process (bench/cold-child.cjs) that loads the
 * bundle and answers one signed API Gateway v2 event; the two apps alternate so drift hits both alike.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundle, esbuildOptions, type SdkMode } from '../scripts/bundle';
import { type FakeSlack, startFakeSlack } from '../src/local/slack-web-api';
import { computeSlackSignature } from '../src/slack/signing';
import { median } from './stats';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';

export interface ColdSample {
  ready: number;
  answered: number;
}

export interface ColdResult {
  app: string;
  bundleBytes: number;
  readyMsMedian: number;
  answeredMsMedian: number;
  runs: number;
  samples: ColdSample[];
}

export interface Bundles {
  ours: { handler: string; artifact: string; approvers: string; bytes: number };
  baseline: { handler: string; bytes: number };
}

/** Builds both bundles into outDir; `bytes` counts JavaScript plus, for ours, the shipped artifact. */
export async function buildBundles(outDir: string, sdk: SdkMode): Promise<Bundles> {
  const ourDir = resolve(outDir, `ours-${sdk}`);
  const baseDir = resolve(outDir, `baseline-${sdk}`);
  mkdirSync(baseDir, { recursive: true });
  await bundle({ outdir: ourDir, sdk, iamScopeFile: join(outDir, `iam-scope-${sdk}.json`) });
  await build({
    ...esbuildOptions(sdk),
    entryPoints: { hello: resolve('bench/baseline/hello-lambda.ts') },
    outdir: baseDir,
  });
  const size = (p: string) => statSync(p).size;
  const ours = {
    handler: join(ourDir, 'handler.cjs'),
    artifact: join(ourDir, 'artifact.json'),
    approvers: join(ourDir, 'approvers.yaml'),
    bytes: 0,
  };
  ours.bytes = size(ours.handler) + size(ours.artifact);
  const baseline = { handler: join(baseDir, 'hello.cjs'), bytes: 0 };
  baseline.bytes = size(baseline.handler);
  return { ours, baseline };
}

function signedEvent(text: string, responseUrl: string): Record<string, unknown> {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'incident',
    user_id: 'U0BENCH',
    user_name: 'bench',
    command: '/runbook',
    text,
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1.2.3',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSlackSignature(SECRET, ts, body),
    },
    requestContext: { http: { method: 'POST', path: '/slack/events' } },
    body: Buffer.from(body, 'utf8').toString('base64'),
    isBase64Encoded: true,
  };
}

function runOnce(handler: string, env: Record<string, string>, event: unknown): Promise<ColdSample> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve('bench/cold-child.cjs'), handler], {
      env: { PATH: process.env.PATH ?? '', ...env, BENCH_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as ColdSample & { error?: string; status?: number };
        if (parsed.error || parsed.status !== 200)
          reject(new Error(`${handler}: ${parsed.error ?? `status ${parsed.status}`} ${err.slice(0, 500)}`));
        else resolvePromise({ ready: parsed.ready, answered: parsed.answered });
      } catch {
        reject(new Error(`${handler}: no result (${err.slice(0, 500)})`));
      }
    });
  });
}

/** Runs `runs` fresh processes per app, alternating; asserts each answer reached response_url. */
export async function coldStart(bundles: Bundles, runs: number): Promise<ColdResult[]> {
  const fake: FakeSlack = await startFakeSlack();
  try {
    const baseEnv = {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_BOT_ID: 'B0BENCH',
      SLACK_BOT_USER_ID: 'U0BENCH',
      SLACK_API_URL: fake.apiUrl,
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-bench',
      AWS_REGION: 'af-south-1',
      LOG_LEVEL: 'error',
    };
    const oursEnv = {
      ...baseEnv,
      RUNBOOK_ARTIFACT: bundles.ours.artifact,
      APPROVERS_FILE: bundles.ours.approvers,
    };
    const samples: Record<'ours' | 'baseline', ColdSample[]> = { ours: [], baseline: [] };
    for (let i = 0; i < runs; i++) {
      for (const app of ['ours', 'baseline'] as const) {
        const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
        const event = signedEvent('token expired', responseUrl);
        const sample = await runOnce(
          bundles[app].handler,
          app === 'ours' ? oursEnv : baseEnv,
          event,
        );
        const answers = fake.responses.filter((r) => responseUrl.endsWith(`/${r.id}`));
        if (answers.length !== 1) throw new Error(`${app}: ${answers.length} answers at response_url, expected 1`);
        if (app === 'ours' && !JSON.stringify(answers[0]?.body).includes('Token expired'))
          throw new Error('ours: the answer is not the "Token expired" section');
        samples[app].push(sample);
      }
    }
    return (['ours', 'baseline'] as const).map((app) => ({
      app: app === 'ours' ? 'runbook bot' : 'bare Bolt hello',
      bundleBytes: bundles[app].bytes,
      readyMsMedian: median(samples[app].map((s) => s.ready)),
      answeredMsMedian: median(samples[app].map((s) => s.answered)),
      runs,
      samples: samples[app],
    }));
  } finally {
    await fake.close();
  }
}
