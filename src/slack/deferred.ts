/**
 * Deferred work: a listener acknowledges Slack first, then calls `deps.defer({ kind, payload })`. Handlers
 * register here, by kind. Every task travels sealed (src/aws/deferred-seal.ts) and is opened and run once
 * by ./deferred-runner.ts (loaded on first use, off the cold-start path), in this process or in an
 * asynchronous invocation of the same Lambda function (src/aws/lambda-defer.ts): same path, same checks.
 *
 * A lazily loaded feature (src/slack/lazy-feature.ts) registers a loader for the kinds it owns: the first
 * task of such a kind imports the feature, whose module registers the handler, before it runs (in a fresh
 * Lambda container, the async self-invocation may be the first thing that needs the feature).
 */
import type { DeferredTask } from '../workflows/deferred-task';
import type { AppDeps } from './deps';

export type DeferredHandler = (payload: unknown, deps: AppDeps) => Promise<void>;

export interface DeferredOptions {
  /**
   * Take a lease on the task before it runs, so it runs once however often it is delivered (default). Off
   * only for tasks that are harmless to repeat and must work without the store (`/runbook status`).
   */
  once?: boolean;
}

const handlers = new Map<string, { handler: DeferredHandler; once: boolean }>();
const loaders = new Map<string, (deps: AppDeps) => Promise<void>>();

export function registerDeferred(
  kind: string,
  handler: DeferredHandler,
  options: DeferredOptions = {},
): void {
  handlers.set(kind, { handler, once: options.once ?? true });
}

/** Load the module that registers `kind`'s handler on first use (it must call `registerDeferred`). */
export function registerDeferredLoader(kind: string, load: (deps: AppDeps) => Promise<void>): void {
  loaders.set(kind, load);
}

export function hasDeferred(kind: string): boolean {
  return handlers.has(kind) || loaders.has(kind);
}

/** Whether `kind`'s handler is loaded (its feature imported), not only known by a loader. */
export function isDeferredLoaded(kind: string): boolean {
  return handlers.has(kind);
}

export class UnknownDeferredTaskError extends Error {
  constructor(kind: string) {
    super(`No deferred handler registered for kind "${kind}"`);
    this.name = 'UnknownDeferredTaskError';
  }
}

/** The handler of `kind`, loading the feature that owns it first if needed (for the runner, ./deferred-runner.ts). */
export async function handlerFor(
  kind: string,
  deps: AppDeps,
): Promise<{ handler: DeferredHandler; once: boolean }> {
  let entry = handlers.get(kind);
  const load = entry ? undefined : loaders.get(kind);
  if (load) {
    await load(deps);
    entry = handlers.get(kind);
  }
  if (!entry) throw new UnknownDeferredTaskError(kind);
  return entry;
}

/** Run one task now, unsealed: for code in this process that already holds a task (tests, tools). */
export async function runDeferred(task: DeferredTask, deps: AppDeps): Promise<void> {
  await (await handlerFor(task.kind, deps)).handler(task.payload, deps);
}
