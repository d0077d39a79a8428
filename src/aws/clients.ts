/**
 * The one place that builds AWS SDK clients: each client once per region, with connection and request
 * timeouts and a bounded number of attempts, so no call can hang a Lambda invocation. Tests point a client
 * at a loopback server with `endpoints` (and fixed `credentials`, so no credential chain is consulted).
 * The S3 and Route 53 ARC clients serve only the failover switch, the CloudWatch Logs client only the canary
 * monitor: they are imported on first use, so their code loads neither on a cold start nor for
 * `/runbook status`.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import type { S3Client } from '@aws-sdk/client-s3';

export interface AwsClientSettings {
  /** TCP connect timeout per attempt. */
  connectionTimeoutMs: number;
  /** Socket idle timeout per attempt. */
  requestTimeoutMs: number;
  /** Attempts per call, first one included (the SDK retries throttling and 5xx with backoff). */
  maxAttempts: number;
  /** Endpoint overrides, for tests (`http://127.0.0.1:PORT`). */
  endpoints?: { route53?: string; cloudwatch?: string; lambda?: string; s3?: string; logs?: string };
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
  /** S3 in one region: regional requests only (the switch is written where it lives). */
  s3(region: string): Promise<S3Client>;
  /** One Route 53 ARC cluster endpoint (data plane), signed for that endpoint's region. */
  arc(endpoint: { region: string; url: string }): Promise<Route53RecoveryClusterClient>;
  /** CloudWatch Logs in one region (Logs Insights queries of the canary monitor). */
  logs(region: string): Promise<CloudWatchLogsClient>;
}

export function createAwsClients(settings: AwsClientSettings = DEFAULT_CLIENT_SETTINGS): AwsClients {
  const cache = new Map<string, unknown>();
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
  const once = <T>(key: string, build: () => T): T => {
    const existing = cache.get(key);
    if (existing) return existing as T;
    const client = build();
    cache.set(key, client);
    // A failed lazy import is not kept: the next call tries again.
    if (client instanceof Promise) client.catch(() => cache.delete(key));
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
    s3: (region) =>
      once(`s3:${region}`, async () => {
        const { S3Client } = await import('@aws-sdk/client-s3');
        const endpoint = settings.endpoints?.s3;
        // A loopback endpoint has no bucket subdomains: address the bucket in the path there.
        return new S3Client({ ...common(region, endpoint), ...(endpoint ? { forcePathStyle: true } : {}) });
      }),
    arc: ({ region, url }) =>
      once(`arc:${region}:${url}`, async () => {
        const { Route53RecoveryClusterClient } = await import('@aws-sdk/client-route53-recovery-cluster');
        // One attempt per endpoint: the caller moves on to the next endpoint instead of retrying this one.
        return new Route53RecoveryClusterClient({ ...common(region, url), maxAttempts: 1 });
      }),
    logs: (region) =>
      once(`logs:${region}`, async () => {
        const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
        return new CloudWatchLogsClient(common(region, settings.endpoints?.logs));
      }),
  };
}
