/**
 * The floor on the deployed path: the ack-body "hello" app (hello-lambda-ack.ts) with its Slack secrets read
 * from SSM at cold start, the cheapest correct way we know: one signed GetParameters over node:http(s)
 * (src/aws/ssm-secrets.ts, the reader our handler uses), imported only then.
 */
import { App, AwsLambdaReceiver } from '@slack/bolt';
import type { AwsEvent, AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver';

type Handler = (event: AwsEvent, context: unknown) => Promise<AwsResponse>;

let ready: Promise<Handler> | undefined;

async function init(): Promise<Handler> {
  const ssm = await import('../../src/aws/ssm-secrets.js');
  const secrets = await ssm.readSlackSecrets(process.env.SLACK_SECRETS_SSM_PREFIX ?? '/');
  const receiver = new AwsLambdaReceiver({ signingSecret: secrets.SLACK_SIGNING_SECRET });
  const app = new App({
    token: secrets.SLACK_BOT_TOKEN,
    botId: process.env.SLACK_BOT_ID,
    botUserId: process.env.SLACK_BOT_USER_ID,
    receiver,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  });
  app.command(/.*/, async ({ ack, command }) => {
    await ack({ response_type: 'ephemeral', text: `hello ${command.text}` });
  });
  return receiver.toHandler() as unknown as Handler;
}

export const handler: Handler = async (event, context) => {
  ready ??= init();
  return (await ready)(event, context);
};
