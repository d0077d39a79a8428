/** Lambda `GetProvisionedConcurrencyConfig`: how far one function's warm-up has come. */
import { GetProvisionedConcurrencyConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type CallOptions, callAws } from './call';
import { AwsCallError, type AwsOperation } from './errors';
import type { ProvisionedConcurrencyState } from './types';

export const GET_PROVISIONED_CONCURRENCY: AwsOperation = {
  service: 'Lambda',
  action: 'GetProvisionedConcurrencyConfig',
  iamAction: 'lambda:GetProvisionedConcurrencyConfig',
};

export interface FunctionQualifier {
  region: string;
  functionName: string;
  qualifier: string;
}

export async function getProvisionedConcurrency(
  client: LambdaClient,
  input: FunctionQualifier,
  options: CallOptions = {},
): Promise<ProvisionedConcurrencyState> {
  try {
    const out = await callAws(
      GET_PROVISIONED_CONCURRENCY,
      (abortSignal) =>
        client.send(
          new GetProvisionedConcurrencyConfigCommand({
            FunctionName: input.functionName,
            Qualifier: input.qualifier,
          }),
          { abortSignal },
        ),
      options,
    );
    return provisionedState(input, out);
  } catch (error) {
    // No configuration on that qualifier is a state (standby), not a failure.
    if (error instanceof AwsCallError && error.code === 'ProvisionedConcurrencyConfigNotFoundException')
      return { ...input, status: 'NONE', requested: null, allocated: null, reason: null };
    throw error;
  }
}

export function provisionedState(
  input: FunctionQualifier,
  out: {
    Status?: string;
    RequestedProvisionedConcurrentExecutions?: number;
    AllocatedProvisionedConcurrentExecutions?: number;
    StatusReason?: string;
  },
): ProvisionedConcurrencyState {
  const status = out.Status === 'READY' || out.Status === 'FAILED' ? out.Status : 'IN_PROGRESS';
  return {
    ...input,
    status,
    requested: out.RequestedProvisionedConcurrentExecutions ?? null,
    allocated: out.AllocatedProvisionedConcurrentExecutions ?? null,
    reason: out.StatusReason ?? null,
  };
}
