/**
 * `deps.defer` on Lambda: queue the task as an asynchronous invocation of this same function
 * (`InvocationType: 'Event'`), sealed (src/aws/deferred-seal.ts). The current invocation then answers Slack
 * at once; the new one verifies the seal and runs the task through `runSealedTask()` (src/slack/deferred-runner.ts),
 * which reports through `response_url` or `chat.update`. The SDK is loaded on the first deferral only.
 */
import type { DeferredTask } from '../workflows/deferred-task';
import type { AwsClientSettings } from './clients';
import type { DeferredInvocation } from './deferred-event';

export interface LambdaDeferOptions {
  functionName: string;
  region: string;
  /** Seals a task (src/aws/deferred-seal.ts, with the key derived from the Slack signing secret). */
  seal: (task: DeferredTask, now: Date) => Promise<DeferredInvocation>;
  now?: () => Date;
  /** Queuing counts against Slack's 3 s: keep this well under it. Default 1500 ms. */
  timeoutMs?: number;
  clientSettings?: Partial<AwsClientSettings>;
}

export function createLambdaDefer(options: LambdaDeferOptions): (task: DeferredTask) => Promise<void> {
  let invoke: ((payload: unknown) => Promise<void>) | null = null;
  const now = options.now ?? (() => new Date());
  return async (task) => {
    if (!invoke) {
      const [{ createAwsClients, DEFAULT_CLIENT_SETTINGS }, { invokeAsync }] = await Promise.all([
        import('./clients.js'),
        import('./lambda-invoke.js'),
      ]);
      // Short timeouts and at most one retry, all under a 1.5 s deadline: queuing must leave Slack's 3 s intact.
      const client = createAwsClients({
        ...DEFAULT_CLIENT_SETTINGS,
        connectionTimeoutMs: 500,
        requestTimeoutMs: 1_000,
        maxAttempts: 2,
        ...options.clientSettings,
      }).lambda(options.region);
      invoke = (payload) =>
        invokeAsync(
          client,
          { functionName: options.functionName, payload },
          { timeoutMs: options.timeoutMs ?? 1_500 },
        );
    }
    await invoke(await options.seal(task, now()));
  };
}
