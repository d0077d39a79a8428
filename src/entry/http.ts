/**
 * HTTP entry: Bolt's HTTP receiver on PORT at /slack/events (commands, interactions, events), plus
 * GET /healthz. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.
 */
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { Config } from '../config';
import { createApp } from '../slack/app';
import { type AppDeps, createDeps } from '../slack/deps';
import { createHttpReceiver, SLACK_EVENTS_PATH } from '../slack/receivers';
import { prepareTimers, startTimerLoop } from '../slack/timers';

export interface RunningServer {
  app: App;
  deps: AppDeps;
  port: number;
  close(): Promise<void>;
}

export async function startHttp(config: Config, overrides: Partial<AppDeps> = {}): Promise<RunningServer> {
  const deps = await createDeps(config, overrides);
  const receiver = createHttpReceiver(deps);
  const app = createApp({ deps, receiver });
  // The sweep's code is loaded before the first request, not by the first sweep while acks wait.
  await prepareTimers(deps);
  const server = (await app.start(config.port)) as unknown as Server;
  const stopTimers = startTimerLoop(deps);
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  deps.logger.info('listening', {
    mode: 'http',
    port,
    path: SLACK_EVENTS_PATH,
    command: config.slashCommand,
  });
  return {
    app,
    deps,
    port,
    close: async () => {
      stopTimers();
      await app.stop();
      // The store this entry opened (prepareTimers opens it before serving), if it made it.
      await deps.closeStore?.();
    },
  };
}
