/**
 * Deferred work: a listener acknowledges Slack first, then calls `deps.defer({ kind, payload })`.
 * Handlers register by kind; the default runner executes them in this process on the next turn of the
 * event loop, never on the ack path. On Lambda the aws owner swaps in an async self-invoke that ends in
 * `runDeferred()` in the new invocation, so the payload must be JSON-serialisable.
 *
 * A lazily loaded feature (src/slack/lazy-feature.ts) registers a loader for the kinds it owns: the first
 * task of such a kind imports the feature, whose module registers the handler, before it runs (in a fresh
 * Lambda container, the async self-invocation may be the first thing that needs the feature).
 */
import type { DeferredTask } from '../workflows/deferred-task';
import type { AppDeps } from './deps';

export type DeferredHandler = (payload: unknown, deps: AppDeps) => Promise<void>;

const handlers = new Map<string, DeferredHandler>();
const loaders = new Map<string, (deps: AppDeps) => Promise<void>>();

export function registerDeferred(kind: string, handler: DeferredHandler): void {
  handlers.set(kind, handler);
}

/** Load the module that registers `kind`'s handler on first use (it must call `registerDeferred`). */
export function registerDeferredLoader(kind: string, load: (deps: AppDeps) => Promise<void>): void {
  loaders.set(kind, load);
}

export function hasDeferred(kind: string): boolean {
  return handlers.has(kind) || loaders.has(kind);
}

export class UnknownDeferredTaskError extends Error {
  constructor(kind: string) {
    super(`No deferred handler registered for kind "${kind}"`);
    this.name = 'UnknownDeferredTaskError';
  }
}

/** Run one task now, with the given deps. Throws what the handler throws. */
export async function runDeferred(task: DeferredTask, deps: AppDeps): Promise<void> {
  let handler = handlers.get(task.kind);
  const load = handler ? undefined : loaders.get(task.kind);
  if (load) {
    await load(deps);
    handler = handlers.get(task.kind);
  }
  if (!handler) throw new UnknownDeferredTaskError(task.kind);
  await handler(task.payload, deps);
}

/**
 * The default `defer`: queue in-process with `setImmediate`, log failures with the task kind (handlers
 * report to the user themselves). `pending()` lets tests and graceful shutdown wait for queued work.
 */
export function createInProcessDefer(getDeps: () => AppDeps): {
  defer: (task: DeferredTask) => Promise<void>;
  pending: () => Promise<void>;
} {
  const inFlight = new Set<Promise<void>>();
  const defer = (task: DeferredTask): Promise<void> => {
    if (!hasDeferred(task.kind)) return Promise.reject(new UnknownDeferredTaskError(task.kind));
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runDeferred(task, getDeps()))
      .catch((error: unknown) => getDeps().logger.error('deferred task failed', { kind: task.kind, error }))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
    return Promise.resolve();
  };
  const pending = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  return { defer, pending };
}
