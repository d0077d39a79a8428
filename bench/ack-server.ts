/**
 * The server side of the warm-ack benchmark (bench/ack-latency.ts), in its own process so the client's
 * timing never waits on the app's work after the ack (as Slack, on its own machines, does not): our app as
 * `npm start` runs it (src/entry/http.ts `startHttp`, embedded dynalite store) and the bare Bolt hello apps (respond() and ack body).
 *
 * Reads BENCH_ACK (JSON: apiUrl, artifactPath, approversFile). Writes JSON lines on stdout: `{ready}` with
 * both ports, `{handled}` each time a checklist interaction has finished, `{log}` for warnings and errors.
 * Stops when stdin closes.
 */
import { loadConfig } from '../src/config';
import { startHttp } from '../src/entry/http';
import { createLogger, type Logger } from '../src/slack/logger';
import { startHelloHttp } from './baseline/hello-http';
import { BENCH_SECRET, BENCH_TOKEN } from './fixtures';

const HANDLED = 'checklist interaction handled';

export interface AckServerConfig {
  apiUrl: string;
  artifactPath: string;
  approversFile: string;
}

const send = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_ACK ?? '{}') as AckServerConfig;
  const base = createLogger({ level: 'warn', sink: (line) => send({ log: line }) });
  let handled = 0;
  const logger: Logger = {
    ...base,
    debug: (msg) => {
      if (msg === HANDLED) send({ handled: ++handled });
    },
  };
  const config = loadConfig({
    SLACK_BOT_TOKEN: BENCH_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: input.apiUrl,
    SLACK_BOT_USER_ID: 'U0BENCH',
    SLACK_BOT_ID: 'B0BENCH',
    PORT: '0',
    LOG_LEVEL: 'error',
    RUNBOOK_ARTIFACT: input.artifactPath,
    APPROVERS_FILE: input.approversFile,
    STORE: 'embedded',
  });
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
  send({
    ready: { ours: `http://127.0.0.1:${ours.port}/slack/events`, hello: hello.url, helloAck: helloAck.url },
  });

  process.stdin.resume();
  process.stdin.on('end', () => {
    const stop = async () => {
      await hello.stop();
      await helloAck.stop();
      await ours.close();
      await (await ours.deps.getStore()).close();
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
