/**
 * Route 53 `GetHealthCheck`: a health check's configuration, above all its `Inverted` and `Disabled` flags
 * (an inverted check reports the opposite of what its checkers see) and a calculated check's children.
 * A control-plane read in us-east-1: it fails in a us-east-1 outage, and the evidence says so.
 */
import { GetHealthCheckCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { HealthCheckConfigView } from './types';

export const GET_HEALTH_CHECK: AwsOperation = {
  service: 'Route 53',
  action: 'GetHealthCheck',
  iamAction: 'route53:GetHealthCheck',
};

export async function getHealthCheck(
  client: Route53Client,
  healthCheckId: string,
  options: CallOptions = {},
): Promise<HealthCheckConfigView> {
  const out = await callAws(
    GET_HEALTH_CHECK,
    (abortSignal) =>
      client.send(new GetHealthCheckCommand({ HealthCheckId: healthCheckId }), { abortSignal }),
    options,
  );
  const c = out.HealthCheck?.HealthCheckConfig;
  return {
    healthCheckId,
    type: c?.Type ?? 'UNKNOWN',
    inverted: c?.Inverted === true,
    disabled: c?.Disabled === true,
    childHealthChecks: c?.ChildHealthChecks ?? [],
    healthThreshold: c?.HealthThreshold ?? null,
    searchString: c?.SearchString ?? null,
    routingControlArn: c?.RoutingControlArn ?? null,
  };
}
