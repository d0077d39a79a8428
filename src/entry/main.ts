/**
 * `npm start`: picks how to run from the environment (src/config.ts `deriveMode`):
 * - SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET → HTTP receiver on PORT;
 * - plus SLACK_APP_TOKEN → Socket Mode;
 * - no Slack credentials → the local playground (src/entry/playground.ts).
 */
import { type Config, ConfigError, loadConfig } from '../config';
import { startHttp } from './http';
import { startSocket } from './socket';

async function main(): Promise<void> {
  const config = loadConfig();
  switch (config.mode) {
    case 'http': {
      const running = await startHttp(config);
      process.stdout.write(
        `Runbook bot listening on http://localhost:${running.port}/slack/events (${config.slashCommand}).\n`,
      );
      onShutdown(running.close);
      return;
    }
    case 'socket': {
      const running = await startSocket(config);
      process.stdout.write(`Runbook bot connected to Slack in Socket Mode (${config.slashCommand}).\n`);
      onShutdown(running.close);
      return;
    }
    case 'playground':
      return startPlayground(config);
    case 'lambda':
      process.stderr.write(
        'On AWS Lambda the entry point is src/entry/lambda.ts `handler`, not npm start.\n',
      );
      process.exitCode = 1;
      return;
  }
}

/** The playground (src/entry/playground.ts) is loaded only in playground mode: it pulls in the compiler. */
async function startPlayground(config: Config): Promise<void> {
  const playground = require('./playground') as typeof import('./playground');
  await playground.main(config);
}

function onShutdown(close: () => Promise<void>): void {
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `Start-up failed: ${message.replace(/\b(xox[a-z]|xapp)-[\w-]+/g, '$1-[redacted]')}\n`,
    );
  }
  process.exit(1);
});
