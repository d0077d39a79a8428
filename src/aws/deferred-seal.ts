/**
 * Sealing deferred tasks (./deferred-event.ts): anyone allowed to invoke the function could otherwise send
 * `{"source":"runbook-bot.deferred",...}` and have the bot act. The task travels as JSON with an HMAC-SHA256
 * over it, its id and its issue time, keyed with a key derived from the Slack signing secret
 * (src/workflows/sealed.ts); the entry point verifies the MAC in constant time and the age before anything
 * runs. The in-process runner uses the same envelope, so tests go through it too.
 */
import { randomBytes } from 'node:crypto';
import type { DeferredTask } from '../workflows/deferred-task';
import { mac, sameMac } from '../workflows/sealed';
// Types only: the entry point loads ./deferred-event.ts at start, this module only with the first task, and a
// value import would make esbuild split the tiny shared module into a chunk of its own.
import type { DeferredInvocation } from './deferred-event';

const SOURCE: DeferredInvocation['source'] = 'runbook-bot.deferred';

/** A task older than this is refused: Lambda's own retries (1 and 2 minutes apart) fit well within it. */
export const DEFERRED_MAX_AGE_MS = 15 * 60_000;
/** Clock skew tolerated between the container that sealed a task and the one that opens it. */
export const DEFERRED_FUTURE_SKEW_MS = 60_000;

export function sealDeferredTask(task: DeferredTask, key: Buffer, now: Date): DeferredInvocation {
  const taskId = randomBytes(12).toString('hex');
  const issuedAt = now.getTime();
  const json = JSON.stringify(task);
  return {
    source: SOURCE,
    version: 1,
    taskId,
    issuedAt,
    task: json,
    mac: mac(key, signedText(taskId, issuedAt, json)),
  };
}

export type OpenedTask =
  | { ok: true; task: DeferredTask; taskId: string; issuedAt: number }
  | { ok: false; reason: 'malformed' | 'bad_mac' | 'expired' | 'future' };

/** Verify a deferred invocation: shape, MAC (constant time), then age. Never throws. */
export function openDeferredTask(event: unknown, key: Buffer, now: Date): OpenedTask {
  const e = event as Partial<DeferredInvocation> | null;
  if (
    e?.version !== 1 ||
    typeof e.taskId !== 'string' ||
    typeof e.issuedAt !== 'number' ||
    typeof e.task !== 'string' ||
    typeof e.mac !== 'string'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (!sameMac(e.mac, mac(key, signedText(e.taskId, e.issuedAt, e.task))))
    return { ok: false, reason: 'bad_mac' };
  const age = now.getTime() - e.issuedAt;
  if (age > DEFERRED_MAX_AGE_MS) return { ok: false, reason: 'expired' };
  if (age < -DEFERRED_FUTURE_SKEW_MS) return { ok: false, reason: 'future' };
  let task: DeferredTask;
  try {
    task = JSON.parse(e.task) as DeferredTask;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof task?.kind !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, task, taskId: e.taskId, issuedAt: e.issuedAt };
}

function signedText(taskId: string, issuedAt: number, task: string): string {
  return `v1.${taskId}.${issuedAt}.${task}`;
}
