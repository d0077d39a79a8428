/** The floors for warm acknowledgement: a bare Bolt "hello" app on Bolt's HTTP receiver (respond() or ack body). */
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';

export async function startHelloHttp(opts: {
  signingSecret: string;
  token: string;
  slackApiUrl: string;
  /** Answer in the ack's body instead of acking empty and calling `respond()`. */
  inAck?: boolean;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new App({
    token: opts.token,
    signingSecret: opts.signingSecret,
    botId: 'B0BENCH',
    botUserId: 'U0BENCH',
    // Same log level as ours in the benchmark: neither pays for debug output.
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: opts.slackApiUrl },
  });
  app.command(/.*/, async ({ ack, respond, command }) => {
    if (opts.inAck) {
      await ack({ response_type: 'ephemeral', text: `hello ${command.text}` });
      return;
    }
    await ack();
    await respond({ response_type: 'ephemeral', text: `hello ${command.text}` });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as Server;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('hello app did not get a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}/slack/events`,
    stop: async () => {
      await app.stop();
    },
  };
}
