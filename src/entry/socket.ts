/**
 * Socket Mode entry: for a real workspace without a public URL. Needs SLACK_BOT_TOKEN and an app-level
 * SLACK_APP_TOKEN (`xapp-…`, scope `connections:write`); the app must have Socket Mode turned on.
 */
import type { App } from '@slack/bolt';
import type { Config } from '../config';
import { createApp } from '../slack/app';
import { type AppDeps, createDeps } from '../slack/deps';
import { createSocketReceiver } from '../slack/receivers';
import { prepareTimers, startTimerLoop } from '../slack/timers';

export async function startSocket(
  config: Config,
  overrides: Partial<AppDeps> = {},
): Promise<{ app: App; deps: AppDeps; close(): Promise<void> }> {
  const deps = await createDeps(config, overrides);
  const app = createApp({ deps, receiver: createSocketReceiver(deps) });
  // The sweep's code is loaded before the first request, not by the first sweep while acks wait.
  await prepareTimers(deps);
  await app.start();
  const stopTimers = startTimerLoop(deps);
  deps.logger.info('connected', { mode: 'socket', command: config.slashCommand });
  return {
    app,
    deps,
    close: async () => {
      stopTimers();
      await app.stop();
      // The store this entry opened (prepareTimers opens it before serving), if it made it.
      await deps.closeStore?.();
    },
  };
}
