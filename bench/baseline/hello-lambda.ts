/**
 * The floor: a bare Bolt "hello" app on AWS Lambda, bundled exactly like our handler (scripts/bundle.ts
 * options). Whatever it costs to start and answer, Bolt itself costs; our bot is measured against it.
 */
import { App, AwsLambdaReceiver } from '@slack/bolt';

const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '' });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  botId: process.env.SLACK_BOT_ID,
  botUserId: process.env.SLACK_BOT_USER_ID,
  receiver,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command(/.*/, async ({ ack, respond, command }) => {
  await ack();
  await respond({ response_type: 'ephemeral', text: `hello ${command.text}` });
});

export const handler = receiver.toHandler();
