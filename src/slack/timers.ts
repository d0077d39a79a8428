/**
 * The timer sweep in a long-running process (HTTP, Socket Mode, the playground): every
 * `config.deferred.timerIntervalMs`, run the sweep task of the reach feature (reminders, escalations,
 * stakeholder updates: src/slack/features/reach/timers.ts), loading the feature on first use. On Lambda an
 * EventBridge schedule invokes the same task (src/entry/lambda.ts). What a sweep fires is decided from the
 * store and fired once under a lease, so a sweep here and one in another process never fire twice.
 */
import { runDeferred, UnknownDeferredTaskError } from './deferred';
import type { AppDeps } from './deps';

export const SWEEP_KIND = 'reach.sweep';

/** Run one sweep now; resolves when it is done. An app without the reach feature has nothing to sweep. */
export async function runTimers(deps: AppDeps): Promise<void> {
  try {
    await runDeferred({ kind: SWEEP_KIND, payload: {} }, deps);
  } catch (error) {
    if (error instanceof UnknownDeferredTaskError) return;
    throw error;
  }
}

/** Sweep every interval (none when it is 0); a sweep still running is not started twice. Returns stop(). */
export function startTimerLoop(deps: AppDeps): () => void {
  const interval = deps.config.deferred.timerIntervalMs;
  if (interval <= 0) return () => undefined;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void runTimers(deps)
      .catch((error: unknown) => deps.logger.warn('timer sweep failed', { error }))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, interval);
  timer.unref?.();
  return () => clearInterval(timer);
}
