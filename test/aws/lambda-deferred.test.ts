/**
 * The 3-second rule on Lambda: `/runbook status` through the Lambda entry answers after queuing an
 * asynchronous self-invocation (InvocationType 'Event', Lambda client mocked); feeding that invocation's
 * payload back to the handler runs the AWS work and reports through response_url.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaHandler, type LambdaHandler } from '../../src/entry/lambda';
import { FakeSlack } from '../../src/local/slack-web-api';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';
import { formBody, signSlackRequest } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';
import { RECORDS, serviceError } from './fixtures';

const SECRET = 'lambda-signing-secret-0123456789';
const lambda = mockClient(LambdaClient);
let fake: FakeSlack;
let handler: LambdaHandler;

beforeAll(async () => {
  fake = await new FakeSlack().start();
  const artifact = await loadTestArtifact();
  handler = createLambdaHandler({
    env: {
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-prod',
      AWS_REGION: 'af-south-1',
      SLACK_BOT_TOKEN: 'xoxb-lambda-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      AWS_SIMULATION: 'primary-down',
    },
    deps: {
      artifact: { ...artifact, records: { 'route53-failover': RECORDS } },
      logger: createMemoryLogger(),
    },
  });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  lambda.reset();
});

function statusEvent() {
  const responseUrl = fake.responseUrl({ channel: 'C0INCIDENT', user: 'U0ALICE' });
  const body = formBody(slashCommandFields({ text: 'status', responseUrl }));
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SECRET) },
    requestContext: { http: { method: 'POST', path: '/slack/events' }, timeEpoch: Date.now() },
    body,
    isBase64Encoded: false,
  };
}

describe('deferred work on Lambda', () => {
  it('answers after queuing an async self-invoke; the invoke runs the AWS work and reports', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    // Act 1: the Slack request
    const res = await handler(statusEvent() as never, {});

    // Assess 1: answered, "Checking…" shown, work queued (not done)
    expect(res.statusCode).toBe(200);
    expect(fake.responses.map((r) => JSON.stringify(r.body))).toEqual([
      expect.stringContaining('Checking Route 53'),
    ]);
    expect(lambda).toReceiveCommandWith(InvokeCommand, {
      FunctionName: 'runbook-bot-prod',
      InvocationType: 'Event',
    });
    const payload = lambda.commandCalls(InvokeCommand)[0]!.args[0].input.Payload as Uint8Array;
    const selfEvent = JSON.parse(new TextDecoder().decode(payload));

    // Act 2: Lambda delivers the async invocation
    const done = await handler(selfEvent, {});

    // Assess 2
    expect(done.statusCode).toBe(200);
    expect(fake.responses).toHaveLength(2);
    const report = fake.responses[1]!.body;
    expect(report.replace_original).toBe(true);
    expect(JSON.stringify(report)).toContain('SIMULATED (primary-down)');
    expect(JSON.stringify(report)).toContain('`api-eu-west-1` in *eu-west-1* answers');
  });

  it('tells the user when the self-invoke is denied, with Retry', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(serviceError('AccessDeniedException', 'not authorized to perform lambda:InvokeFunction', 403));

    const res = await handler(statusEvent() as never, {});

    expect(res.statusCode).toBe(200);
    const last = JSON.stringify(fake.responses[fake.responses.length - 1]!.body);
    expect(last).toContain('Lambda Invoke was denied');
    expect(last).toContain('`lambda:InvokeFunction`');
    expect(last).toContain('aws.status.retry');
  });
});
