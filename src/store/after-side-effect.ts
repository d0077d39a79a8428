/**
 * Recording something already done outside the store (a Slack message posted, a stakeholder update sent):
 * the write is retried in place rather than thrown, since a thrown error makes Lambda deliver the task
 * again and the side effect would happen twice. When the store still refuses, the caller is told (null)
 * and logs what could not be recorded.
 */

/** Attempts in all, and the first pause (doubled each time: 200, 400, 800 ms). */
export const RECORD_ATTEMPTS = 4;
const FIRST_PAUSE_MS = 200;

export async function recordAfterSideEffect<T>(
  write: () => Promise<T>,
  attempts = RECORD_ATTEMPTS,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await write() };
    } catch (error) {
      if (attempt >= attempts) return { ok: false, error };
      await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
    }
  }
}
