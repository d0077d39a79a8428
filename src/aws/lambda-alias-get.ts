/** Lambda `GetAlias`: which version an alias points at, and the versions it sends a share of traffic to. */
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';

export const GET_ALIAS: AwsOperation = {
  service: 'Lambda',
  action: 'GetAlias',
  iamAction: 'lambda:GetAlias',
};

export interface AliasRef {
  region: string;
  functionName: string;
  alias: string;
}

export interface AliasState {
  /** The version the alias points at (the previous release during a canary). */
  version: string;
  /** Additional versions and their share of traffic (`{ "42": 0.1 }`: the canary). */
  weights: Record<string, number>;
}

export async function getAlias(
  client: LambdaClient,
  input: AliasRef,
  options: CallOptions = {},
): Promise<AliasState> {
  const out = await callAws(
    GET_ALIAS,
    (abortSignal) =>
      client.send(new GetAliasCommand({ FunctionName: input.functionName, Name: input.alias }), {
        abortSignal,
      }),
    options,
  );
  return {
    version: out.FunctionVersion ?? '',
    weights: { ...(out.RoutingConfig?.AdditionalVersionWeights ?? {}) },
  };
}
