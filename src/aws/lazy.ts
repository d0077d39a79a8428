/**
 * `getAws()` for AppDeps without loading the SDK: the gateway module is imported on first use and the
 * gateway (with its clients) is kept for the life of the process, so warm Lambda invocations reuse it.
 * Only type imports here.
 */
import type { AwsGateway } from './gateway';
import type { AwsRuntimeOptions } from './index';

export function lazyAws(build: () => AwsRuntimeOptions): () => Promise<AwsGateway> {
  let pending: Promise<AwsGateway> | null = null;
  return () => {
    pending ??= import('./index.js')
      .then((aws) => aws.createGateway(build()))
      .catch((error: unknown) => {
        pending = null;
        throw error;
      });
    return pending;
  };
}
