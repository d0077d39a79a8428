/**
 * Time to acknowledge `/runbook <words>` over loopback: the real app behind Bolt's HTTP receiver, a fake
 * Slack for response_url, requests signed as Slack signs them. Reports the median and p99 of the time
 * from sending the request to receiving the HTTP 200 (the ack Slack waits 3 s for), and of the time until
 * the answer reached response_url.
 *
 *   npx tsx bench/ack-latency.ts [N=500]
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

  // Queries people type: section titles, lower-cased, and a few symptom phrasings.
  const queries = [
    ...artifact.sections.map((s) => s.title.toLowerCase()),
    'rollback the release',
    'smoke tests failing',
    'invalidate cloudfront cache',
  ];

  const ack: number[] = [];
  const answered: number[] = [];
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
    const ts = Math.floor(Date.now() / 1000);
    const answeredAt = new Promise<number>((resolve) => {
      const onResponse = (post: { id: string }) => {
        if (post.id === id) {
          fake.off('response', onResponse);
          resolve(performance.now());
        }
      };
      fake.on('response', onResponse);
    });
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
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    const done = await answeredAt;
    if (i >= WARMUP) {
      ack.push(acked - start);
      answered.push(done - start);
    }
  }

  await app.stop();
  await fake.close();
  const report = {
    n: N,
    warmup: WARMUP,
    ackMs: { median: round(median(ack), 2), p99: round(percentile(ack, 99), 2), max: round(Math.max(...ack), 2) },
    answeredMs: {
      median: round(median(answered), 2),
      p99: round(percentile(answered, 99), 2),
      max: round(Math.max(...answered), 2),
    },
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
