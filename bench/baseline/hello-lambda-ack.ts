/**
 * The stricter floor: a bare Bolt "hello" app on AWS Lambda that answers in the ack's body (no respond(),
 * so no outbound connection), bundled exactly like our handler. Our search answers the same way.
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

app.command(/.*/, async ({ ack, command }) => {
  await ack({ response_type: 'ephemeral', text: `hello ${command.text}` });
});

export const handler = receiver.toHandler();
