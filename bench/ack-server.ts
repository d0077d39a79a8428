/**
 * The server side of the warm-ack benchmark (bench/ack-latency.ts), in its own process so the client's
 * timing never waits on the app's work after the ack (as Slack, on its own machines, does not): our app as
 * `npm start` runs it (src/entry/http.ts `startHttp`, embedded dynalite store) and the bare Bolt hello apps (respond() and ack body).
 *
 * Reads BENCH_ACK (JSON: apiUrl, artifactPath, approversFile). Writes JSON lines on stdout: `{ready}` with
 * both ports, `{handled}` each time a checklist interaction has finished, `{log}` for warnings and errors.
 * With `trace`, each line `stats` read on stdin is answered with `{stats}`: what the server saw since the
 * last one (bench/server-trace.ts: time from request to response per app, GC pauses, event-loop delay,
 * its CPU). Stops when stdin closes.
 */
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../src/slack/logger';
import { startHelloHttp } from './baseline/hello-http';
import { BENCH_SECRET, BENCH_TOKEN, benchAppEnv } from './fixtures';
import { startServerTrace } from './server-trace';

const HANDLED = 'checklist interaction handled';

export interface AckServerConfig {
  apiUrl: string;
  artifactPath: string;
  approversFile: string;
  /** Record per-request server times, GC and event-loop delay, reported on `stats` (see above). */
  trace?: boolean;
  /** Another checkout whose app to serve (same-run A/B, bench/warm-storm.ts --base); default this one. */
  appRoot?: string;
}

const send = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_ACK ?? '{}') as AckServerConfig;
  const root = input.appRoot ?? resolve(__dirname, '..');
  const { loadConfig } = (await import(join(root, 'src/config.ts'))) as typeof import('../src/config');
  const { startHttp } = (await import(join(root, 'src/entry/http.ts'))) as typeof import('../src/entry/http');
  const { createLogger } = (await import(
    join(root, 'src/slack/logger.ts')
  )) as typeof import('../src/slack/logger');
  const base = createLogger({ level: 'warn', sink: (line) => send({ log: line }) });
  let handled = 0;
  const logger: Logger = {
    ...base,
    debug: (msg) => {
      if (msg === HANDLED) send({ handled: ++handled });
    },
  };
  const config = loadConfig(benchAppEnv(input.apiUrl, input));
  const ours = await startHttp(config, { logger });
  const hello = await startHelloHttp({
    signingSecret: BENCH_SECRET,
    token: BENCH_TOKEN,
    slackApiUrl: input.apiUrl,
  });
  const helloAck = await startHelloHttp({
    signingSecret: BENCH_SECRET,
    token: BENCH_TOKEN,
    slackApiUrl: input.apiUrl,
    inAck: true,
  });
  const urls = {
    ours: `http://127.0.0.1:${ours.port}/slack/events`,
    hello: hello.url,
    helloAck: helloAck.url,
  };
  const trace = input.trace
    ? startServerTrace(
        new Map(Object.entries(urls).map(([app, url]) => [Number(new URL(url).port), app] as const)),
      )
    : undefined;
  send({ ready: urls });

  process.stdin.resume();
  if (trace)
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === 'stats') send({ stats: trace.take() });
    });
  process.stdin.on('end', () => {
    const stop = async () => {
      await hello.stop();
      await helloAck.stop();
      await ours.close();
      // An app whose entry does not close its own store (a --base checkout before it did).
      if (!ours.deps.closeStore) await (await ours.deps.getStore()).close();
    };
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
