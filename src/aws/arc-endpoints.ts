/**
 * Route 53 ARC's cluster answers on five regional endpoints, and AWS asks callers to try them in turn:
 * any one that answers can read or change a routing control, and some are out of rotation at times for
 * maintenance. Runs `call` on each endpoint until one succeeds; a refusal that another endpoint would
 * repeat (access denied, a safety rule, a bad request) stops the round at once.
 */
import { AwsCallError, type AwsOperation } from './errors';

export interface EndpointAttempt {
  region: string;
  url: string;
  /** Null when this endpoint answered. */
  error: string | null;
}

export interface ClusterEndpoint {
  region: string;
  url: string;
}

export async function onEachEndpoint<T>(
  op: AwsOperation,
  endpoints: ClusterEndpoint[],
  call: (endpoint: ClusterEndpoint) => Promise<T>,
): Promise<{ value: T; endpoint: ClusterEndpoint; attempts: EndpointAttempt[] }> {
  const attempts: EndpointAttempt[] = [];
  let last: AwsCallError | null = null;
  for (const endpoint of endpoints) {
    try {
      const value = await call(endpoint);
      attempts.push({ ...endpoint, error: null });
      return { value, endpoint, attempts };
    } catch (error) {
      if (!(error instanceof AwsCallError)) throw error;
      attempts.push({ ...endpoint, error: error.userMessage });
      last = error;
      if (!['throttled', 'timeout', 'network', 'failed'].includes(error.kind)) break;
    }
  }
  const tried = attempts.map((a) => a.region).join(', ') || 'none';
  throw new AwsCallError(
    op,
    last?.kind ?? 'invalid-request',
    last?.code ?? 'NoClusterEndpoint',
    `${op.service} ${op.action} failed on every cluster endpoint tried (${tried}). ${last?.userMessage ?? 'The runbook lists no cluster endpoints.'}`,
    { cause: last },
  );
}
