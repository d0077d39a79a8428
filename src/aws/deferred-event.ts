/**
 * The event a Lambda function sends itself to run deferred work (see src/slack/deferred.ts): its shape and
 * how the entry point recognises it. Sealing and opening it (the MAC) are in ./deferred-seal.ts, loaded
 * only when a task is queued or arrives, off the cold-start path. No SDK here.
 */
export const DEFERRED_EVENT_SOURCE = 'runbook-bot.deferred';

export interface DeferredInvocation {
  source: typeof DEFERRED_EVENT_SOURCE;
  version: 1;
  /** Unique per task: the key of its lease in the store (unless the task names its own key). */
  taskId: string;
  /** Milliseconds since the epoch, when sealed. */
  issuedAt: number;
  /** The `DeferredTask` as JSON: the MAC covers these exact bytes. */
  task: string;
  mac: string;
}

/** Anything that claims to be a deferred invocation (the entry point then verifies it, or drops it). */
export function isDeferredInvocation(event: unknown): boolean {
  return (
    event !== null &&
    typeof event === 'object' &&
    (event as { source?: unknown }).source === DEFERRED_EVENT_SOURCE
  );
}

/**
 * The one-minute EventBridge schedule's event (serverless.yml `schedule`): `source` `aws.events`,
 * `detail-type` `Scheduled Event`. It carries nothing the bot uses: it only starts a timer sweep.
 */
export function isScheduledSweep(event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  const e = event as { source?: unknown; 'detail-type'?: unknown };
  return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}
