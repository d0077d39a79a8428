/** Route 53 ARC `GetRoutingControlState` (data plane), on the cluster's endpoints in turn. */
import {
  GetRoutingControlStateCommand,
  type Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { type ClusterEndpoint, onEachEndpoint } from './arc-endpoints';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { RoutingControlRead } from './types';

export const GET_ROUTING_CONTROL_STATE: AwsOperation = {
  service: 'Route 53 ARC',
  action: 'GetRoutingControlState',
  iamAction: 'route53-recovery-cluster:GetRoutingControlState',
};

export async function getRoutingControlState(
  clientFor: (endpoint: ClusterEndpoint) => Promise<Route53RecoveryClusterClient>,
  input: { routingControlArn: string; endpoints: ClusterEndpoint[] },
  options: CallOptions = {},
): Promise<RoutingControlRead> {
  const { value, endpoint, attempts } = await onEachEndpoint(
    GET_ROUTING_CONTROL_STATE,
    input.endpoints,
    async (ep) => {
      const client = await clientFor(ep);
      return callAws(
        GET_ROUTING_CONTROL_STATE,
        (abortSignal) =>
          client.send(new GetRoutingControlStateCommand({ RoutingControlArn: input.routingControlArn }), {
            abortSignal,
          }),
        options,
      );
    },
  );
  return { state: value.RoutingControlState === 'On' ? 'On' : 'Off', endpoint: endpoint.region, attempts };
}
