/**
 * Running deferred tasks (./deferred.ts has the handlers): open the seal (src/aws/deferred-seal.ts), then run
 * the task once. Loaded when the first task is queued or arrives, never on the search path.
 *
 * Before a task with side effects runs, it takes a lease in the store on its key (conditional write): a
 * second delivery of the same task (Lambda's async invocation is at-least-once) or a replay of the event
 * does nothing. A handler that throws has failed in a way worth retrying: the lease is released and the
 * error goes up, so Lambda retries it (`maximumRetryAttempts`) and finally hands it to the on-failure
 * destination; the in-process runner does the same with its own timer. Handlers report to Slack themselves.
 */
import { openDeferredTask, sealDeferredTask } from '../aws/deferred-seal';
import type { Config } from '../config';
import { type HeldLease, takeLease } from '../store/lease';
import type { DeferredTask } from '../workflows/deferred-task';
import { processKey, sealKey } from '../workflows/sealed';
import { handlerFor, hasDeferred, UnknownDeferredTaskError } from './deferred';
import type { AppDeps } from './deps';

/** Longer than the Slack function's timeout (330 s): a live lease means its holder may still be running. */
export const TASK_LEASE_MS = 6 * 60_000;

/** The key that seals deferred tasks: derived from the signing secret (Socket Mode: this process's own). */
export function deferredKey(config: Pick<Config, 'slack'>): Buffer {
  return sealKey(config.slack.signingSecret ?? processKey(), 'deferred-task');
}

/** Seal a task for an async invocation (src/aws/lambda-defer.ts). */
export async function sealTask(config: Pick<Config, 'slack'>, task: DeferredTask, now: Date) {
  return sealDeferredTask(task, deferredKey(config), now);
}

export type SealedOutcome = 'ran' | 'refused' | 'already_handled' | 'unavailable';

/**
 * Open a sealed task and run it once. A task that is not ours (no or a wrong MAC, too old) is logged
 * without its payload and dropped. Throws what the handler throws (after releasing its lease).
 */
export async function runSealedTask(event: unknown, deps: AppDeps): Promise<SealedOutcome> {
  const opened = openDeferredTask(event, deferredKey(deps.config), deps.now());
  if (!opened.ok) {
    deps.logger.warn('deferred task refused', { reason: opened.reason });
    return 'refused';
  }
  const { task, taskId } = opened;
  const { handler, once } = await handlerFor(task.kind, deps);
  if (!once) {
    await handler(task.payload, deps);
    return 'ran';
  }
  let lease: HeldLease | null;
  try {
    const store = await deps.getStore();
    lease = await takeLease(store, `task:${task.key ?? taskId}`, TASK_LEASE_MS, deps.now(), taskId);
  } catch (error) {
    // No lease, no work: tell the person waiting (the click changed nothing) instead of acting twice later.
    if (!task.replyTo) throw error;
    deps.logger.error('deferred task could not take its lease', { kind: task.kind, error });
    // Rare: loaded only here, off the cold-start path.
    const { replyTo } = await import('./reply.js');
    await replyTo(deps, task.replyTo, {
      text: ':warning: The bot could not reach its store, so nothing changed. Try again in a moment.',
    });
    return 'unavailable';
  }
  if (!lease) {
    deps.logger.info('deferred task already handled', { kind: task.kind, taskId });
    return 'already_handled';
  }
  await lease.run(() => handler(task.payload, deps), 'release');
  // The task ran: a lease left incomplete only runs out, so this is worth a warning, not a retry.
  await lease
    .complete()
    .catch((error: unknown) =>
      deps.logger.warn('deferred task lease not completed', { kind: task.kind, error }),
    );
  return 'ran';
}

function kindOf(event: unknown): string | undefined {
  try {
    return (JSON.parse(String((event as { task?: unknown }).task)) as DeferredTask).kind;
  } catch {
    return undefined;
  }
}

/**
 * The default `defer`: seal the task and run it in this process on the next turn of the event loop, as an
 * asynchronous invocation would; a task that throws runs again after `retryDelayMs`, up to `maxAttempts`
 * deliveries, like Lambda's own retries. `pending()` lets tests and graceful shutdown wait for queued work.
 */
export function createInProcessDefer(getDeps: () => AppDeps): {
  defer: (task: DeferredTask) => Promise<void>;
  pending: () => Promise<void>;
} {
  const inFlight = new Set<Promise<void>>();
  const deliver = async (event: unknown, attempt: number): Promise<void> => {
    const deps = getDeps();
    try {
      await runSealedTask(event, deps);
    } catch (error) {
      const { maxAttempts, retryDelayMs } = deps.config.deferred;
      const kind = kindOf(event);
      if (attempt >= maxAttempts) {
        // Lambda's on-failure destination, in this process: the log (the kind, never the payload).
        deps.logger.error('deferred task failed', { kind, attempt, error });
        return;
      }
      deps.logger.warn('deferred task failed; retrying', { kind, attempt, error });
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs).unref?.());
      await deliver(event, attempt + 1);
    }
  };
  const defer = (task: DeferredTask): Promise<void> => {
    if (!hasDeferred(task.kind)) return Promise.reject(new UnknownDeferredTaskError(task.kind));
    const deps = getDeps();
    const event = JSON.parse(JSON.stringify(sealDeferredTask(task, deferredKey(deps.config), deps.now())));
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => deliver(event, 1))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
    return Promise.resolve();
  };
  const pending = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  return { defer, pending };
}
