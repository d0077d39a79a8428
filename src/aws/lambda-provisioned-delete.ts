/** Lambda `DeleteProvisionedConcurrencyConfig`: back to standby for a function that has none there. */
import { DeleteProvisionedConcurrencyConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type CallOptions, callAws } from './call';
import { AwsCallError, type AwsOperation } from './errors';
import type { FunctionQualifier } from './lambda-provisioned-get';

export const DELETE_PROVISIONED_CONCURRENCY: AwsOperation = {
  service: 'Lambda',
  action: 'DeleteProvisionedConcurrencyConfig',
  iamAction: 'lambda:DeleteProvisionedConcurrencyConfig',
};

/** Resolves when the configuration is gone, including when there was none. */
export async function deleteProvisionedConcurrency(
  client: LambdaClient,
  input: FunctionQualifier,
  options: CallOptions = {},
): Promise<void> {
  try {
    await callAws(
      DELETE_PROVISIONED_CONCURRENCY,
      (abortSignal) =>
        client.send(
          new DeleteProvisionedConcurrencyConfigCommand({
            FunctionName: input.functionName,
            Qualifier: input.qualifier,
          }),
          { abortSignal },
        ),
      options,
    );
  } catch (error) {
    if (error instanceof AwsCallError && error.kind === 'not-found') return;
    throw error;
  }
}
