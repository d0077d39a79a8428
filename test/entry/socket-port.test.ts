/**
 * Found in a review (helper-174): Socket Mode (docs/slack-app.md: "a real workspace without a public URL") passes
 * `customRoutes: [healthRoute]` to Bolt's SocketModeReceiver (src/slack/receivers.ts createSocketReceiver),
 * which then opens an HTTP server of its own on port 3000, on every interface, whatever PORT says
 * (Bolt's `installerOptions.port` default). PORT=8123 is ignored; a second bot, or anything else on port
 * 3000, makes `listen` fail with EADDRINUSE on a server nobody listens to for errors.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config';
import { createMemoryLogger } from '../../src/slack/logger';
import { createSocketReceiver } from '../../src/slack/receivers';

describe('Socket Mode and PORT', () => {
  test('opens no HTTP server on a port other than PORT', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-socket-test',
      SLACK_APP_TOKEN: 'xapp-1-A0-1-socket',
      PORT: '8123',
    });
    expect(config.mode).toBe('socket');
    const receiver = createSocketReceiver({
      config,
      logger: createMemoryLogger(),
      now: () => new Date(),
    }) as unknown as {
      httpServer?: unknown;
      httpServerPort?: number;
    };
    if (receiver.httpServer !== undefined) expect(receiver.httpServerPort).toBe(8123);
  });
});
