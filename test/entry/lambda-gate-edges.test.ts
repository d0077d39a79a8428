/**
 * Review (helper-221) of the Lambda entry's own signature check before Bolt (src/entry/lambda.ts), on what
 * no other test sends it: Slack's url_verification and ssl_check, a timestamp exactly at either edge of the
 * 5-minute window and one second past it, an API Gateway REST (payload v1) event with its mixed-case
 * headers, and an empty or absent body. These pass: they pin behaviour that was untested.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import { contactsFeature } from '../../src/slack/features/contacts/contacts';
import { searchFeature } from '../../src/slack/features/search';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { formBody, signSlackRequest } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';

const SECRET = 'lambda-gate-signing-secret-0123456789';
let fake: FakeSlack;
let handler: LambdaHandler;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  handler = createLambdaHandler({
    env: {
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot',
      SLACK_BOT_TOKEN: 'xoxb-lambda-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
    },
    deps: { artifact: await loadTestArtifact(), logger: createMemoryLogger(), defer: async () => undefined },
    features: [searchFeature, contactsFeature],
  });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  vi.useRealTimers();
  fake.reset();
});

function command(text: string, timestamp?: number) {
  const responseUrl = fake.responseUrl({ channel: 'C0INCIDENT', user: 'U0ALICE' });
  const body = formBody(slashCommandFields({ text, responseUrl }));
  return { body, headers: signSlackRequest(body, SECRET, timestamp) };
}

describe('what Slack sends besides commands and clicks', () => {
  test('a signed url_verification gets its challenge back', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'ch4ll3nge-xyz', type: 'url_verification' });
    const res = await handler(apiGatewayV2Event(body, signSlackRequest(body, SECRET), { json: true }), {});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}')).toEqual({ challenge: 'ch4ll3nge-xyz' });
  });

  test('an unsigned url_verification is refused', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'ch4ll3nge-xyz', type: 'url_verification' });
    const res = await handler(apiGatewayV2Event(body, {}, { json: true }), {});
    expect(res.statusCode).toBe(401);
  });

  test('a signed ssl_check is answered 200 with nothing done', async () => {
    const body = formBody({ ssl_check: '1', token: 'legacy-verification-token' });
    const res = await handler(apiGatewayV2Event(body, signSlackRequest(body, SECRET)), {});
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toEqual([]);
    expect(fake.responses).toEqual([]);
  });
});

describe('the 5-minute window, to the second', () => {
  const NOW_MS = 1_800_000_000_500;
  const NOW_S = Math.floor(NOW_MS / 1000);
  test.each([
    ['exactly 300 s old', NOW_S - 300, 200],
    ['301 s old', NOW_S - 301, 401],
    ['exactly 300 s ahead', NOW_S + 300, 200],
    ['301 s ahead', NOW_S + 301, 401],
  ])('%s', async (_name, timestamp, status) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW_MS);
    const { body, headers } = command('smoke tests', timestamp);
    const res = await handler(apiGatewayV2Event(body, headers), {});
    expect(res.statusCode).toBe(status);
  });
});

describe('event shapes', () => {
  test('an API Gateway REST (v1) event, mixed-case headers, is verified and answered', async () => {
    const { body, headers } = command('smoke tests');
    const event = {
      resource: '/slack/events',
      path: '/slack/events',
      httpMethod: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Signature': headers['x-slack-signature'],
        'X-Slack-Request-Timestamp': headers['x-slack-request-timestamp'],
      },
      multiValueHeaders: {
        'Content-Type': ['application/x-www-form-urlencoded'],
        'X-Slack-Signature': [headers['x-slack-signature']],
        'X-Slack-Request-Timestamp': [headers['x-slack-request-timestamp']],
      },
      queryStringParameters: null,
      requestContext: { httpMethod: 'POST', path: '/prod/slack/events', stage: 'prod' },
      body: Buffer.from(body, 'utf8').toString('base64'),
      isBase64Encoded: true,
    };
    const res = await handler(event as never, {});
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Smoke tests');
  });

  test('a signed empty body: form 404 (no listener), JSON 400; an absent unsigned one 401: nothing reaches Slack', async () => {
    const signedForm = await handler(apiGatewayV2Event('', signSlackRequest('', SECRET)), {});
    expect(signedForm.statusCode).toBe(404);
    const signedJson = await handler(apiGatewayV2Event('', signSlackRequest('', SECRET), { json: true }), {});
    expect(signedJson.statusCode).toBe(400);
    const absent = { ...apiGatewayV2Event('', {}), body: undefined, headers: null };
    expect((await handler(absent as never, {})).statusCode).toBe(401);
    expect(fake.calls).toEqual([]);
    expect(fake.responses).toEqual([]);
  });
});
