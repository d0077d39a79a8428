/**
 * Lambda `Invoke` with `InvocationType: 'Event'`: hand work to a new, asynchronous invocation of the same
 * function, so the current one can answer Slack within 3 seconds. Lambda answers 202 once the event is
 * queued; the work itself runs later.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type CallOptions, callAws } from './call';
import { AwsCallError, type AwsOperation } from './errors';

export const INVOKE_ASYNC: AwsOperation = {
  service: 'Lambda',
  action: 'Invoke',
  iamAction: 'lambda:InvokeFunction',
};

/** Asynchronous invocation payload limit (Lambda quota). */
export const ASYNC_PAYLOAD_MAX_BYTES = 256 * 1024;

export async function invokeAsync(
  client: LambdaClient,
  input: { functionName: string; payload: unknown },
  options: CallOptions = {},
): Promise<void> {
  const body = new TextEncoder().encode(JSON.stringify(input.payload));
  if (body.byteLength > ASYNC_PAYLOAD_MAX_BYTES) {
    throw new AwsCallError(
      INVOKE_ASYNC,
      'invalid-request',
      'PayloadTooLarge',
      `Lambda Invoke was not attempted: the deferred task is ${body.byteLength} bytes, over the ${ASYNC_PAYLOAD_MAX_BYTES}-byte limit.`,
    );
  }
  const out = await callAws(
    INVOKE_ASYNC,
    (abortSignal) =>
      client.send(
        new InvokeCommand({ FunctionName: input.functionName, InvocationType: 'Event', Payload: body }),
        { abortSignal },
      ),
    options,
  );
  if (out.StatusCode !== 202) {
    throw new AwsCallError(
      INVOKE_ASYNC,
      'failed',
      `Status${out.StatusCode ?? 'Unknown'}`,
      `Lambda Invoke did not queue the work (status ${out.StatusCode ?? 'unknown'}). Retry.`,
    );
  }
}
