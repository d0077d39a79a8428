/**
 * Time to acknowledge `/runbook <words>` over loopback: the real app (default features) behind Bolt's HTTP
 * receiver in a child process, a fake Slack (Web API and response_url) in this one, requests signed as
 * Slack signs them. Reports the median and p99 of send → HTTP 200 (the ack Slack waits 3 s for) and of
 * send → first thing the user sees (a response_url post or a Web API call). Sequential requests; each
 * waits for the previous answer. The app runs apart so the work it does after the ack cannot delay this
 * process reading the ack.
 *
 *   npx tsx bench/slack-ack-latency.ts [N=500]
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config';
import { startFakeSlack } from '../src/local/slack-web-api';
import { createApp } from '../src/slack/app';
import { createDeps } from '../src/slack/deps';
import { createLogger } from '../src/slack/logger';
import { computeSlackSignature } from '../src/slack/signing';
import { loadTestArtifact } from '../test/helpers/artifact';
import { median, percentile, round } from './stats';

const SECRET = 'bench-signing-secret-0123456789';
const N = Number(process.argv[2] ?? 500) || 500;
const WARMUP = 30;

/** Child: the app on an ephemeral port, talking to the parent's fake Slack; prints `PORT <n>`. */
async function serve(apiUrl: string): Promise<void> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_BOT_ID: 'B0BENCH',
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const deps = await createDeps(config, {
    artifact: await loadTestArtifact(),
    logger: createLogger({ level: 'error' }),
  });
  const app = createApp({ deps });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`PORT ${address.port}\n`);
  await new Promise(() => undefined); // serve until killed
}

async function main(): Promise<void> {
  const fake = await startFakeSlack();
  const artifact = await loadTestArtifact();
  const child = spawn(process.execPath, [...process.execArgv, __filename, '--serve', fake.apiUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/slack/events`;

  // Searches people type: symptom phrasings plus section titles of the troubleshooting-style sections
  // (no checklist command words, which start checklist runs rather than searches).
  const claimed = new Set(artifact.checklists.flatMap((c) => c.commands));
  const queries = [
    'token expired',
    'generation timeout',
    'smoke tests failing',
    'invalidate cloudfront cache',
    ...artifact.sections
      .map((s) => s.title.toLowerCase())
      .filter((t) => ![...claimed].some((c) => t.startsWith(c))),
  ];

  const ack: number[] = [];
  const answered: number[] = [];
  let timeouts = 0;
  for (let i = 0; i < WARMUP + N; i++) {
    const text = queries[i % queries.length]!;
    const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const body = new URLSearchParams({
      team_id: 'T0BENCH',
      channel_id: 'C0BENCH',
      user_id: 'U0BENCH',
      user_name: 'bench',
      command: '/runbook',
      text,
      response_url: responseUrl,
      trigger_id: `t${i}`,
      api_app_id: 'A0BENCH',
    }).toString();
    // The first thing the user can see; time out rather than wait forever on a silent listener.
    const answeredAt = new Promise<number | null>((resolve) => {
      const finish = (at: number | null) => {
        fake.off('response', onResponse);
        fake.off('call', onCall);
        clearTimeout(timer);
        resolve(at);
      };
      const onResponse = (post: { id: string }) => {
        if (post.id === id) finish(performance.now());
      };
      const onCall = () => finish(performance.now());
      const timer = setTimeout(() => finish(null), 5000);
      fake.on('response', onResponse);
      fake.on('call', onCall);
    });
    const ts = Math.floor(Date.now() / 1000);
    const start = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': computeSlackSignature(SECRET, ts, body),
      },
      body,
    });
    await res.arrayBuffer();
    const acked = performance.now();
    if (res.status !== 200) throw new Error(`status ${res.status} for "${text}"`);
    const done = await answeredAt;
    if (i < WARMUP) continue;
    ack.push(acked - start);
    if (done === null) timeouts++;
    else answered.push(done - start);
  }

  child.kill();
  await fake.close();
  const stats = (xs: number[]) => ({
    median: round(median(xs), 2),
    p99: round(percentile(xs, 99), 2),
    max: round(Math.max(...xs), 2),
  });
  const report = {
    n: N,
    warmup: WARMUP,
    distinctQueries: queries.length,
    ackMs: stats(ack),
    answeredMs: stats(answered),
    unanswered: timeouts,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

const serveAt = process.argv.indexOf('--serve');
(serveAt > 0 ? serve(process.argv[serveAt + 1]!) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
