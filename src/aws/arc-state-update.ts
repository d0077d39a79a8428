/**
 * Route 53 ARC `UpdateRoutingControlState` (data plane), on the cluster's endpoints in turn: setting a state
 * is idempotent, so moving on to the next endpoint after one timed out is safe.
 */
import {
  type Route53RecoveryClusterClient,
  UpdateRoutingControlStateCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { type ClusterEndpoint, onEachEndpoint } from './arc-endpoints';
import { type CallOptions, callAws } from './call';
import { UPDATE_ROUTING_CONTROL_STATE } from './switch-operations';
import type { RoutingControlWrite } from './types';

export { UPDATE_ROUTING_CONTROL_STATE } from './switch-operations';

export async function updateRoutingControlState(
  clientFor: (endpoint: ClusterEndpoint) => Promise<Route53RecoveryClusterClient>,
  input: { routingControlArn: string; endpoints: ClusterEndpoint[]; state: 'On' | 'Off' },
  options: CallOptions = {},
): Promise<RoutingControlWrite> {
  const { endpoint, attempts } = await onEachEndpoint(
    UPDATE_ROUTING_CONTROL_STATE,
    input.endpoints,
    async (ep) => {
      const client = await clientFor(ep);
      return callAws(
        UPDATE_ROUTING_CONTROL_STATE,
        (abortSignal) =>
          client.send(
            new UpdateRoutingControlStateCommand({
              RoutingControlArn: input.routingControlArn,
              RoutingControlState: input.state,
            }),
            { abortSignal },
          ),
        options,
      );
    },
  );
  return { state: input.state, endpoint: endpoint.region, attempts };
}
