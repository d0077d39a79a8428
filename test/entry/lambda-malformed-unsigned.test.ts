/**
 * Found in a review (helper-211): a request nobody signed, whose body does not parse, reaches the Lambda
 * entry. Bolt's AwsLambdaReceiver parses the body before it checks the signature, and JSON.parse threw out
 * of the handler: an unauthenticated request became a Lambda function error (API Gateway's 500, the
 * function's Errors metric, a stack in the log) instead of Slack's 401 with nothing done. The entry checks
 * the signature first (src/entry/lambda.ts); a signed body Bolt could not read is a 400, never a throw.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import { searchFeature } from '../../src/slack/features/search';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { signSlackRequest } from '../helpers/signed';

const SECRET = 'lambda-signing-secret-0123456789';
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
    },
    deps: { artifact: await loadTestArtifact(), logger, defer: async () => undefined },
    features: [searchFeature],
  });
});
afterAll(async () => {
  await fake?.close();
});

/** The handler's answer, or the error it threw (what Lambda would turn into a function error / 500). */
async function outcome(event: Parameters<LambdaHandler>[0]) {
  try {
    const res = await handler(event, {});
    return { statusCode: res.statusCode, threw: null as string | null };
  } catch (error) {
    return { statusCode: null, threw: String(error) };
  }
}

describe('a body that does not parse', () => {
  test.each([
    ['a form body whose payload is not JSON', 'payload=%7Bnot-json', false],
    ['a JSON body cut short', '{"type":"block_actions",', true],
    ['plain text with no content type Slack uses', 'hello', true],
  ])('unsigned, %s, is refused with 401 and never throws', async (_name, body, json) => {
    const event = apiGatewayV2Event(body, {}, { json });
    const result = await outcome(event);
    expect(result.threw).toBeNull();
    expect(result.statusCode).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  test('signed with a wrong secret, a payload that is not JSON is refused with 401 and never throws', async () => {
    const body = 'payload=%7Bnot-json';
    const event = apiGatewayV2Event(body, signSlackRequest(body, 'wrong-secret-wrong-secret'));
    const result = await outcome(event);
    expect(result.threw).toBeNull();
    expect(result.statusCode).toBe(401);
  });

  test.each([
    ['a payload that is not JSON', 'payload=%7Bnot-json'],
    ['a payload that is JSON but no object', 'payload=null'],
  ])('signed, %s is refused with 400 and never throws', async (_name, body) => {
    const result = await outcome(apiGatewayV2Event(body, signSlackRequest(body, SECRET)));
    expect(result.threw).toBeNull();
    expect(result.statusCode).toBe(400);
    expect(fake.calls).toEqual([]);
  });
});
