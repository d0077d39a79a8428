/** The floor for warm acknowledgement: a bare Bolt "hello" app on Bolt's HTTP receiver. */
import { App } from '@slack/bolt';

export async function startHelloHttp(opts: {
  signingSecret: string;
  token: string;
  slackApiUrl: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const app = new App({
    token: opts.token,
    signingSecret: opts.signingSecret,
    botId: 'B0BENCH',
    botUserId: 'U0BENCH',
    clientOptions: { slackApiUrl: opts.slackApiUrl },
  });
  app.command(/.*/, async ({ ack, respond, command }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: `hello ${command.text}` });
  });
  const server = await app.start(0);
  const address = (server as unknown as import('node:http').Server).address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop() as Promise<void> };
}
