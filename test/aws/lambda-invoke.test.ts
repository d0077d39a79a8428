import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { isDeferredInvocation } from '../../src/aws/deferred-event';
import { openDeferredTask, sealDeferredTask } from '../../src/aws/deferred-seal';
import { createLambdaDefer } from '../../src/aws/lambda-defer';
import { invokeAsync } from '../../src/aws/lambda-invoke';
import { serviceError } from './fixtures';

const lambda = mockClient(LambdaClient);

beforeEach(() => lambda.reset());

describe('invokeAsync', () => {
  it("invokes with InvocationType 'Event' and the JSON payload", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    await invokeAsync(new LambdaClient({ region: 'af-south-1' }), {
      functionName: 'runbook-bot-prod',
      payload: { a: 1 },
    });

    expect(lambda).toReceiveCommandWith(InvokeCommand, {
      FunctionName: 'runbook-bot-prod',
      InvocationType: 'Event',
      Payload: new TextEncoder().encode('{"a":1}'),
    });
  });

  it('fails clearly when Lambda does not queue the event, or denies it', async () => {
    const client = new LambdaClient({ region: 'af-south-1' });
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200 })
      .rejects(serviceError('AccessDeniedException', 'not authorized', 403));

    await expect(invokeAsync(client, { functionName: 'f', payload: {} })).rejects.toMatchObject({
      kind: 'failed',
    });
    await expect(invokeAsync(client, { functionName: 'f', payload: {} })).rejects.toMatchObject({
      kind: 'access-denied',
      userMessage: expect.stringContaining('`lambda:InvokeFunction`'),
    });
  });

  it('refuses a payload over the asynchronous invocation limit without calling Lambda', async () => {
    await expect(
      invokeAsync(new LambdaClient({ region: 'af-south-1' }), {
        functionName: 'f',
        payload: 'x'.repeat(300_000),
      }),
    ).rejects.toMatchObject({ kind: 'invalid-request' });
    expect(lambda).toReceiveCommandTimes(InvokeCommand, 0);
  });
});

describe('createLambdaDefer', () => {
  it('queues the task as an async self-invocation the entry point recognises', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const key = Buffer.alloc(32, 7);
    const defer = createLambdaDefer({
      functionName: 'runbook-bot-prod',
      region: 'af-south-1',
      seal: async (task, now) => sealDeferredTask(task, key, now),
    });

    await defer({ kind: 'aws.status', payload: { responseUrl: 'https://hooks.slack.com/x' } });

    const call = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(call).toMatchObject({ FunctionName: 'runbook-bot-prod', InvocationType: 'Event' });
    const event = JSON.parse(new TextDecoder().decode(call?.Payload as Uint8Array));
    expect(isDeferredInvocation(event)).toBe(true);
    // Sealed: the task travels with a MAC the entry point checks with the same key, and only then.
    const opened = openDeferredTask(event, key, new Date());
    expect(opened).toMatchObject({
      ok: true,
      task: { kind: 'aws.status', payload: { responseUrl: 'https://hooks.slack.com/x' } },
    });
    expect(openDeferredTask(event, Buffer.alloc(32, 8), new Date())).toEqual({
      ok: false,
      reason: 'bad_mac',
    });
    expect(isDeferredInvocation({ body: '{}', headers: {} })).toBe(false);
  });
});
