/**
 * A message posted in the channel, for everyone, once per click or command although Slack may deliver the
 * same request again (`x-slack-retry-num`, after a slow ack: the same payload, trigger_id and action_ts).
 * Share (features/search.ts), `/runbook escalate` (features/contacts) and a decision tree's Post escalation
 * (features/diagnose) post through it.
 *
 * Under a lease on the request's key (src/store/lease.ts): posted → completed, never posted again; the post
 * failed → released, so another delivery may post it. A delivery that finds the lease held does not give up
 * at once: the holder's post may still fail (Slack answers 500 when overloaded), and then nothing would be
 * posted at all while the redelivery had already returned. It waits a little for the holder's outcome and
 * posts when the lease comes free (`REDELIVERY_WAIT_MS`); a completed lease never does, so it then stops.
 * A store that cannot be reached does not stop the post: it is posted unguarded, as twice is better than
 * never in an incident.
 */
import { type HeldLease, takeLease } from '../store/lease';
import type { AppDeps } from './deps';

/** Longer than Slack goes on redelivering a request, and than a post takes. */
const POST_LEASE_MS = 5 * 60_000;

/**
 * How long a redelivery waits for the holder's post, polling the lease with growing pauses (five tries):
 * longer than a post to `response_url` takes, and within Slack's 3 s for the redelivery's own ack, which on
 * Lambda leaves only when the listener returns.
 */
const REDELIVERY_POLLS_MS = [100, 200, 400, 800, 1000] as const;
export const REDELIVERY_WAIT_MS = REDELIVERY_POLLS_MS.reduce((a, b) => a + b, 0);

export interface PostOnceOptions {
  /** The lease's key (`share:…`, `escalate:…`); none: nothing to key on, posted as it comes. */
  key: string | undefined;
  /** Who holds the lease (the click or the command), for the store's records. */
  holder?: string;
  /** What is posted, in log lines: "share", "escalate". */
  what: string;
}

export async function postOnce(
  deps: Pick<AppDeps, 'getStore' | 'now' | 'logger'>,
  opts: PostOnceOptions,
  post: () => Promise<unknown>,
): Promise<void> {
  const { key, holder, what } = opts;
  if (!key) {
    await post();
    return;
  }
  const take = async () => takeLease(await deps.getStore(), key, POST_LEASE_MS, deps.now(), holder);
  let lease: HeldLease | null;
  try {
    lease = await take();
  } catch (error) {
    deps.logger.warn(`${what}: posted without its once-only lease (store unreachable)`, { error });
    await post();
    return;
  }
  // Held by another delivery of the same request (or completed): wait for its outcome.
  for (const pause of REDELIVERY_POLLS_MS) {
    if (lease) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    try {
      lease = await take();
    } catch (error) {
      // The holder may well have posted: nothing is posted unguarded once another delivery was seen.
      deps.logger.warn(`${what}: stopped waiting for another delivery (store unreachable)`, { error });
      return;
    }
  }
  if (!lease) return;
  await lease.run(post, 'release');
  // Completed: never taken again. Should that write fail, the lease is still held until it runs out.
  await lease
    .complete()
    .catch((error: unknown) => deps.logger.warn(`${what}: lease not completed`, { error }));
}
