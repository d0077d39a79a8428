/** Lambda `PutProvisionedConcurrencyConfig`: the warm-up (and the return to standby) of one function. */
import { type LambdaClient, PutProvisionedConcurrencyConfigCommand } from '@aws-sdk/client-lambda';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import { type FunctionQualifier, provisionedState } from './lambda-provisioned-get';
import type { ProvisionedConcurrencyState } from './types';

export const PUT_PROVISIONED_CONCURRENCY: AwsOperation = {
  service: 'Lambda',
  action: 'PutProvisionedConcurrencyConfig',
  iamAction: 'lambda:PutProvisionedConcurrencyConfig',
};

export async function putProvisionedConcurrency(
  client: LambdaClient,
  input: FunctionQualifier & { concurrency: number },
  options: CallOptions = {},
): Promise<ProvisionedConcurrencyState> {
  const { concurrency, ...target } = input;
  const out = await callAws(
    PUT_PROVISIONED_CONCURRENCY,
    (abortSignal) =>
      client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: target.functionName,
          Qualifier: target.qualifier,
          ProvisionedConcurrentExecutions: concurrency,
        }),
        { abortSignal },
      ),
    options,
  );
  return provisionedState(target, out);
}
