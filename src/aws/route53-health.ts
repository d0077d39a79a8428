/** Route 53 `GetHealthCheckStatus`: what each health checker region sees right now. */
import { GetHealthCheckStatusCommand, type Route53Client } from '@aws-sdk/client-route-53';
import { observationIsHealthy, summarizeHealthCheck } from '../workflows/failover-state';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { HealthCheckReport, HealthObservation } from './types';

export const GET_HEALTH_CHECK_STATUS: AwsOperation = {
  service: 'Route 53',
  action: 'GetHealthCheckStatus',
  iamAction: 'route53:GetHealthCheckStatus',
};

export async function getHealthCheckStatus(
  client: Route53Client,
  healthCheckId: string,
  options: CallOptions = {},
): Promise<HealthCheckReport> {
  const out = await callAws(
    GET_HEALTH_CHECK_STATUS,
    (abortSignal) =>
      client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }), { abortSignal }),
    options,
  );
  const observations: HealthObservation[] = (out.HealthCheckObservations ?? []).map((o) => {
    const status = o.StatusReport?.Status ?? 'Unknown';
    return {
      checkerRegion: o.Region ?? 'unknown',
      ipAddress: o.IPAddress ?? null,
      status,
      checkedAt: o.StatusReport?.CheckedTime?.toISOString() ?? null,
      healthy: observationIsHealthy(status),
    };
  });
  observations.sort((a, b) => a.checkerRegion.localeCompare(b.checkerRegion));
  return summarizeHealthCheck(healthCheckId, observations);
}
