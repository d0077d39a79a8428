/**
 * The event a Lambda function sends itself to run deferred work (see src/slack/deferred.ts). The entry
 * point checks `isDeferredInvocation` before treating an event as an HTTP request from Slack. No SDK here.
 */
import type { DeferredTask } from '../workflows/deferred-task';

export const DEFERRED_EVENT_SOURCE = 'runbook-bot.deferred';

export interface DeferredInvocation {
  source: typeof DEFERRED_EVENT_SOURCE;
  task: DeferredTask;
}

export function toDeferredInvocation(task: DeferredTask): DeferredInvocation {
  return { source: DEFERRED_EVENT_SOURCE, task };
}

export function isDeferredInvocation(event: unknown): event is DeferredInvocation {
  if (event === null || typeof event !== 'object') return false;
  const e = event as { source?: unknown; task?: { kind?: unknown } };
  return e.source === DEFERRED_EVENT_SOURCE && typeof e.task?.kind === 'string';
}
