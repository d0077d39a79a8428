/**
 * The one place that builds AWS SDK clients: each client once per region, with connection and request
 * timeouts and a bounded number of attempts, so no call can hang a Lambda invocation. Tests point a client
 * at a loopback server with `endpoints` (and fixed `credentials`, so no credential chain is consulted).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';

export interface AwsClientSettings {
  /** TCP connect timeout per attempt. */
  connectionTimeoutMs: number;
  /** Socket idle timeout per attempt. */
  requestTimeoutMs: number;
  /** Attempts per call, first one included (the SDK retries throttling and 5xx with backoff). */
  maxAttempts: number;
  /** Endpoint overrides, for tests (`http://127.0.0.1:PORT`). */
  endpoints?: { route53?: string; cloudwatch?: string; lambda?: string };
  /** Fixed credentials, for tests against a loopback endpoint. Default: the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export const DEFAULT_CLIENT_SETTINGS: AwsClientSettings = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  maxAttempts: 3,
};

/** Route 53 is a global service; its API is signed for us-east-1. */
export const ROUTE53_SIGNING_REGION = 'us-east-1';

export interface AwsClients {
  route53(): Route53Client;
  cloudWatch(region: string): CloudWatchClient;
  lambda(region: string): LambdaClient;
}

export function createAwsClients(settings: AwsClientSettings = DEFAULT_CLIENT_SETTINGS): AwsClients {
  const cache = new Map<string, Route53Client | CloudWatchClient | LambdaClient>();
  const common = (region: string, endpoint: string | undefined) => ({
    region,
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // Without this the SDK only logs a warning when the request timeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...(endpoint ? { endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  const once = <T extends Route53Client | CloudWatchClient | LambdaClient>(
    key: string,
    build: () => T,
  ): T => {
    const existing = cache.get(key);
    if (existing) return existing as T;
    const client = build();
    cache.set(key, client);
    return client;
  };
  return {
    route53: () =>
      once('route53', () => new Route53Client(common(ROUTE53_SIGNING_REGION, settings.endpoints?.route53))),
    cloudWatch: (region) =>
      once(
        `cloudwatch:${region}`,
        () => new CloudWatchClient(common(region, settings.endpoints?.cloudwatch)),
      ),
    lambda: (region) =>
      once(`lambda:${region}`, () => new LambdaClient(common(region, settings.endpoints?.lambda))),
  };
}
