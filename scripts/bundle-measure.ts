/**
 * Measures the two ways to ship the AWS SDK (see scripts/bundle.ts, `SdkMode`): bytes of each bundle
 * (the entry's ES module and the chunks it imports statically, what a cold start loads; raw and gzipped) and
 * the time `import()` of it takes in a fresh Node process, median of N runs, the two modes interleaved so
 * that machine load affects both alike.
 *
 *   npx tsx scripts/bundle-measure.ts [--runs=15] [--artifact=build/artifact.json] [--approvers=runbooks/approvers.yaml]
 *
 * `external` resolves `@aws-sdk/*` from this repository's node_modules, standing in for the copy in the
 * Lambda runtime (/var/runtime/node_modules); this machine is not a Lambda, so compare the numbers with
 * each other, not with Lambda's init duration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  type BundleOptions,
  bundle,
  chunksOf,
  ENTRY_POINTS,
  entryFile,
  outputKey,
  type SdkMode,
} from './bundle';

export interface Measurement {
  sdk: SdkMode;
  entry: string;
  bytes: number;
  gzipBytes: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** handler.mjs only: median of `import()` + first event, SDK clients for SSM and the store loaded. */
  coldStartMedianMs?: number;
}

/** Time of `import(file)` in a fresh process, measured inside it (process start-up excluded). */
export function requireTimeMs(file: string): number {
  const url = JSON.stringify(pathToFileURL(file).href);
  const script = `const t=process.hrtime.bigint();import(${url}).then(()=>process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)))`;
  const out = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(out);
}

/**
 * A cold start of the Slack function, short of Lambda's own: in a fresh process, `import()` of the bundle
 * and its first event (a signed `url_verification`), with the Slack secrets read from SSM through a
 * loopback fake of the SSM API, so the SDK clients that start-up needs are loaded and used as on Lambda.
 */
export function coldStartMs(
  handlerFile: string,
  taskRoot: string,
): { requireMs: number; firstEventMs: number } {
  const secret = 'measure-signing-secret-0123456789';
  const script = `
const http = require('node:http'), crypto = require('node:crypto');
const ssm = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const names = JSON.parse(body).Names;
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    res.end(JSON.stringify({ InvalidParameters: [], Parameters: names.map((Name) => ({ Name, Type: 'SecureString',
      Value: Name.endsWith('slack-bot-token') ? 'xoxb-1-2-measure' : ${JSON.stringify(secret)} })) }));
  });
});
ssm.listen(0, '127.0.0.1', async () => {
  process.env.AWS_ENDPOINT_URL_SSM = 'http://127.0.0.1:' + ssm.address().port;
  const body = JSON.stringify({ type: 'url_verification', challenge: 'measure' });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = 'v0=' + crypto.createHmac('sha256', ${JSON.stringify(secret)}).update('v0:' + ts + ':' + body).digest('hex');
  const event = { version: '2.0', routeKey: 'POST /slack/events', rawPath: '/slack/events', rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
    requestContext: { http: { method: 'POST' } }, body, isBase64Encoded: false };
  const t0 = process.hrtime.bigint();
  const { handler } = await import(${JSON.stringify(pathToFileURL(handlerFile).href)});
  const t1 = process.hrtime.bigint();
  const res = await handler(event, {});
  const t2 = process.hrtime.bigint();
  ssm.close();
  if (res.statusCode !== 200) { console.error(JSON.stringify(res)); process.exit(1); }
  process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, firstEventMs: Number(t2 - t1) / 1e6 }));
});`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: taskRoot,
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'],
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-measure-slack',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDMEASURE',
      AWS_SECRET_ACCESS_KEY: 'measure',
      SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/measure/',
      SLACK_BOT_USER_ID: 'U0MEASURE1',
      SLACK_BOT_ID: 'B0MEASURE1',
      RUNBOOK_ARTIFACT: 'artifact.json',
      APPROVERS_FILE: 'approvers.yaml',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      AWS_SIMULATION: 'primary-healthy',
      LOG_LEVEL: 'error',
    },
  });
  return JSON.parse(out) as { requireMs: number; firstEventMs: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measure(
  runs: number,
  root = process.cwd(),
  inputs: Pick<BundleOptions, 'artifact' | 'approvers'> = {},
): Promise<Measurement[]> {
  const modes: SdkMode[] = ['bundled', 'external'];
  const entries = Object.entries(ENTRY_POINTS).filter(([, file]) => existsSync(resolve(root, file)));
  const dirs: Record<string, string> = {};
  const results: Record<string, Awaited<ReturnType<typeof bundle>>> = {};
  try {
    for (const sdk of modes) {
      // Inside the repository, so that `external` finds node_modules/@aws-sdk the way Lambda finds its own.
      dirs[sdk] = mkdtempSync(join(root, 'dist', `measure-${sdk}-`));
      results[sdk] = await bundle({
        ...inputs,
        root,
        outdir: dirs[sdk],
        sdk,
        iamScopeFile: join(dirs[sdk], 'iam-scope.json'),
        entryPoints: Object.fromEntries(entries),
      });
    }
    const times = new Map<string, number[]>();
    const sample = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
    for (let i = 0; i < runs; i++) {
      for (const sdk of modes) {
        for (const [entry] of entries) sample(`${sdk}/${entry}`, requireTimeMs(entryFile(dirs[sdk]!, entry)));
        if (entries.some(([entry]) => entry === 'handler')) {
          const { requireMs, firstEventMs } = coldStartMs(entryFile(dirs[sdk]!, 'handler'), dirs[sdk]!);
          sample(`${sdk}/cold`, requireMs + firstEventMs);
        }
      }
    }
    return modes.flatMap((sdk) =>
      entries.map(([entry]) => {
        const { metafile } = results[sdk]!;
        const loaded = chunksOf(metafile, outputKey(metafile, entryFile(dirs[sdk]!, entry), root)).map((k) =>
          readFileSync(resolve(root, k)),
        );
        const code = Buffer.concat(loaded);
        const samples = times.get(`${sdk}/${entry}`)!;
        const cold = times.get(`${sdk}/cold`);
        return {
          sdk,
          entry: `${relative(dirs[sdk]!, entryFile(dirs[sdk]!, entry))} + ${loaded.length - 1} chunks`,
          bytes: code.length,
          gzipBytes: gzipSync(code).length,
          runs,
          medianMs: median(samples),
          minMs: Math.min(...samples),
          maxMs: Math.max(...samples),
          ...(entry === 'handler' && cold ? { coldStartMedianMs: median(cold) } : {}),
        };
      }),
    );
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=', 2)));
  const inputs = {
    ...(args.artifact ? { artifact: args.artifact } : {}),
    ...(args.approvers ? { approvers: args.approvers } : {}),
  };
  measure(Number(args.runs ?? 15), process.cwd(), inputs).then(
    (rows) => {
      console.log(
        '| SDK | file | bytes | gzipped | import median (ms) | min–max (ms) | import + first event median (ms) | runs |',
      );
      console.log('|---|---|---:|---:|---:|---|---:|---:|');
      for (const r of rows) {
        const kb = (n: number) => n.toLocaleString('en');
        console.log(
          `| ${r.sdk} | ${r.entry} | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)}–${r.maxMs.toFixed(1)} | ${r.coldStartMedianMs?.toFixed(1) ?? '—'} | ${r.runs} |`,
        );
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
