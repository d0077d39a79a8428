/**
 * The timer sweep in a long-running process (HTTP, Socket Mode, the playground): every
 * `config.deferred.timerIntervalMs`, run the sweep task of the reach feature (reminders, escalations,
 * stakeholder updates: src/slack/features/reach/timers.ts), loading the feature on first use. On Lambda an
 * EventBridge schedule invokes the same task (src/entry/lambda.ts). What a sweep fires is decided from the
 * store and fired once under a lease, so a sweep here and one in another process never fire twice.
 *
 * A sweep shares the process with the acks: its code is loaded before the entry serves (`prepareTimers`; the
 * first sweep used to compile the reach feature while requests waited, ~170 ms), and it hands the event loop
 * back between runs (features/reach/timers.ts), so an ack waits at most for one run's work, never for all.
 */
import { handlerFor, runDeferred, UnknownDeferredTaskError } from './deferred';
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

/**
 * Loads the sweep's code now (the reach feature, when the app has it): an entry awaits this before it starts
 * serving, so no sweep compiles code while acks wait. Nothing when the process never sweeps (interval 0).
 */
export async function prepareTimers(deps: AppDeps): Promise<void> {
  if (deps.config.deferred.timerIntervalMs <= 0) return;
  try {
    await handlerFor(SWEEP_KIND, deps);
  } catch (error) {
    if (error instanceof UnknownDeferredTaskError) return;
    throw error;
  }
  // The store the sweep reads (the DynamoDB client's code, or the embedded dynalite) is opened now too; one
  // that cannot open now is left to the sweep, which logs and retries (startTimerLoop).
  await deps
    .getStore()
    .catch((error: unknown) => deps.logger.warn('store not ready for the timer sweep', { error }));
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
