/**
 * Found in a review (helper-174): LOG_LEVEL=debug (serverless.yml's `dev` stage sets it) makes Bolt's
 * AwsLambdaReceiver log every API Gateway event whole, as one string (`AWS event: {…}`), before it verifies
 * the signature. Our scrubber masks secret *keys* of objects and xox… token shapes in strings, so the string
 * passes: the request body's `token=` (Slack's verification token), the `x-slack-signature`, and the
 * `response_url` (a capability to post in the channel) all reach CloudWatch Logs. Cause: src/entry/lambda.ts
 * hands Bolt's receiver a logger at the configured level (src/slack/receivers.ts createLambdaReceiver,
 * toBoltLogger), and nothing masks a JSON string.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import { searchFeature } from '../../src/slack/features/search';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { formBody, signSlackRequest } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';

const SECRET = 'lambda-signing-secret-0123456789';
const VERIFICATION_TOKEN = 'gIkuvaNzQIHg97ATvDxqgjtO';
let fake: FakeSlack;
let handler: LambdaHandler;
const logger = createMemoryLogger();

beforeAll(async () => {
  fake = await new FakeSlack().start();
  handler = createLambdaHandler({
    env: {
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot',
      SLACK_BOT_TOKEN: 'xoxb-lambda-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'debug',
    },
    deps: { artifact: await loadTestArtifact(), logger, defer: async () => undefined },
    features: [searchFeature],
  });
});
afterAll(async () => {
  await fake?.close();
});

describe('LOG_LEVEL=debug on Lambda', () => {
  test("logs no request's verification token, signature or response_url", async () => {
    const responseUrl = fake.responseUrl({ channel: 'C0INCIDENT', user: 'U0ALICE' });
    const body = formBody({
      ...slashCommandFields({ text: 'token expired', responseUrl }),
      token: VERIFICATION_TOKEN,
    });
    const headers = signSlackRequest(body, SECRET);
    const res = await handler(apiGatewayV2Event(body, headers), {});
    expect(res.statusCode).toBe(200);

    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain(VERIFICATION_TOKEN);
    expect(logged).not.toContain(headers['x-slack-signature'].slice(3));
    expect(logged).not.toContain(encodeURIComponent(responseUrl));
    expect(logged).not.toContain(responseUrl);
  });
});
