/**
 * `npm start`: picks how to run from the environment (src/config.ts `deriveMode`):
 * - SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET → HTTP receiver on PORT;
 * - plus SLACK_APP_TOKEN → Socket Mode;
 * - no Slack credentials → the local playground (src/entry/playground.ts).
 */
import { ConfigError, loadConfig } from '../config';
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
      return startPlayground();
    case 'lambda':
      process.stderr.write(
        'On AWS Lambda the entry point is src/entry/lambda.ts `handler`, not npm start.\n',
      );
      process.exitCode = 1;
      return;
  }
}

/** The playground is its own module (owned separately); a missing one is explained, not a crash. */
async function startPlayground(): Promise<void> {
  // A computed specifier keeps the type checker and bundlers from requiring the module to exist.
  const specifier = './playground';
  let mod: { main?: () => Promise<unknown>; startPlayground?: () => Promise<unknown> };
  try {
    mod = require(specifier);
  } catch (error) {
    const missing =
      (error as { code?: string }).code === 'MODULE_NOT_FOUND' && String(error).includes(specifier);
    if (!missing) throw error;
    process.stderr.write(
      'No Slack credentials set and the local playground is not installed.\n' +
        'Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for Socket Mode) to run against Slack;\n' +
        'see docs/slack-app.md.\n',
    );
    process.exitCode = 1;
    return;
  }
  if (mod.main) await mod.main();
  else if (mod.startPlayground) await mod.startPlayground();
  else throw new Error('src/entry/playground.ts exports neither main() nor startPlayground()');
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
