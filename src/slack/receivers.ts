/**
 * Transport only: one factory per receiver. A receiver never knows what a listener does.
 */

import type { CustomRoute } from '@slack/bolt';
import { AwsLambdaReceiver, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { type Config, ConfigError, requireSlackCredentials } from '../config';
import { type Logger, toBoltLogger } from './logger';
import { guardFutureTimestamps } from './signing';

/** Path for slash commands, interactions and events (the manifest points all three here). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface ReceiverDeps {
  config: Config;
  logger: Logger;
  now(): Date;
}

/** Always-on liveness route, for load balancers and `curl`. */
export const healthRoute: CustomRoute = {
  path: '/healthz',
  method: 'GET',
  handler: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  },
};

export function createHttpReceiver(
  deps: ReceiverDeps,
  opts: { customRoutes?: CustomRoute[] } = {},
): HTTPReceiver {
  const { signingSecret } = requireSlackCredentials(deps.config);
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    port: deps.config.port,
    logger: toBoltLogger(deps.logger, deps.config.logLevel),
    customRoutes: [healthRoute, ...(opts.customRoutes ?? [])],
  });
  // Bolt refuses stale timestamps only; refuse future ones before Bolt reads the body.
  receiver.requestListener = guardFutureTimestamps(receiver.requestListener, deps);
  return receiver;
}

/** The Lambda entry wraps the handler this receiver produces (future timestamps, UTF-8 base64 bodies). */
export function createLambdaReceiver(deps: ReceiverDeps): AwsLambdaReceiver {
  const { signingSecret } = requireSlackCredentials(deps.config);
  return new AwsLambdaReceiver({ signingSecret, logger: toBoltLogger(deps.logger, deps.config.logLevel) });
}

/** Socket Mode: no public URL and no request signing (Slack authenticates the WebSocket with the app token). */
export function createSocketReceiver(deps: ReceiverDeps): SocketModeReceiver {
  const { appToken } = deps.config.slack;
  if (!appToken) throw new ConfigError('SLACK_APP_TOKEN', 'is required for Socket Mode');
  return new SocketModeReceiver({
    appToken,
    logger: toBoltLogger(deps.logger, deps.config.logLevel),
    customRoutes: [healthRoute],
    // The health route needs an HTTP server: on PORT, as every other entry's, not Bolt's default 3000.
    installerOptions: { port: deps.config.port },
  });
}
