/** Route 53 ARC `GetRoutingControlState` (data plane), on the cluster's endpoints in turn. */
import {
  GetRoutingControlStateCommand,
  type Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { type ClusterEndpoint, onEachEndpoint } from './arc-endpoints';
import { type CallOptions, callAws } from './call';
import { GET_ROUTING_CONTROL_STATE } from './switch-operations';
import type { RoutingControlRead } from './types';

export { GET_ROUTING_CONTROL_STATE } from './switch-operations';

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
