/**
 * Time to acknowledge `/runbook <words>` over loopback, in-process: the real app (default features) behind
 * Bolt's HTTP receiver, a fake Slack for response_url, requests signed as Slack signs them. Reports the
 * median and p99 of send → HTTP 200 (the ack Slack waits 3 s for) and of send → first thing the user sees
 * (a response_url post or a Web API call). Sequential requests; each waits for the previous answer.
 *
 *   npx tsx bench/slack-ack-latency.ts [N=500]
 */
import type { Server } from 'node:http';
import { loadConfig } from '../src/config';
import { startFakeSlack } from '../src/local/slack-web-api';
import { createApp } from '../src/slack/app';
import { createDeps } from '../src/slack/deps';
import { createLogger } from '../src/slack/logger';
import { computeSlackSignature } from '../src/slack/signing';
import { loadTestArtifact } from '../test/helpers/artifact';
import { median, percentile, round } from './stats';

const SECRET = 'bench-signing-secret-0123456789';
const N = Number(process.argv[2] ?? 500);
const WARMUP = 30;

async function main(): Promise<void> {
  const fake = await startFakeSlack();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_BOT_ID: 'B0BENCH',
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const artifact = await loadTestArtifact();
  const deps = await createDeps(config, { artifact, logger: createLogger({ level: 'error' }) });
  const app = createApp({ deps });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}/slack/events`;

  // Searches people type: symptom phrasings plus section titles of the troubleshooting-style sections
  // (no checklist command words, which start checklist runs rather than searches).
  const claimed = new Set(artifact.checklists.flatMap((c) => c.commands));
  const queries = [
    'token expired',
    'generation timeout',
    'smoke tests failing',
    'invalidate cloudfront cache',
    ...artifact.sections.map((s) => s.title.toLowerCase()).filter((t) => ![...claimed].some((c) => t.startsWith(c))),
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

  await app.stop();
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
