/**
 * A message posted in the channel, for everyone, once per click or command although Slack may deliver the
 * same request again (`x-slack-retry-num`, after a slow ack: the same payload, trigger_id and action_ts).
 * Share (features/search.ts), `/runbook escalate` (features/contacts) and a decision tree's Post escalation
 * (features/diagnose) post through it.
 *
 * The listener renders the message and hands the post to deferred work (`deps.defer`, ./deferred.ts): on
 * Lambda, Slack gets its answer only when the listener returns, so a listener that waited for the store's
 * conditional write, the post, or another delivery's outcome held Slack's 3 s on a slow table or a slow
 * `response_url` (Slack then delivered the request again, and a user ran `/runbook escalate` twice).
 *
 * The task posts under a lease on the request's key (src/store/lease.ts): posted → completed, never posted
 * again; the post failed → released and the task throws, so it is delivered again (Lambda's async retries,
 * the in-process runner's own) and posts then. A delivery that finds the lease held or completed does
 * nothing: should the holder's post fail, the holder's own retry posts it, however long that post took.
 * A store that cannot be reached does not stop the post: it is posted unguarded, as twice is better than
 * never in an incident; so is a task that cannot be queued (posted in the listener, as before).
 */
import { type HeldLease, takeLease } from '../store/lease';
import { registerDeferred } from './deferred';
import type { AppDeps } from './deps';
import type { Message } from './render/blocks';

/** Longer than Slack goes on redelivering a request, and than a post and its retries take. */
const POST_LEASE_MS = 5 * 60_000;

/** Between a failed post and the task's second try, before it throws (Slack overloaded recovers in seconds). */
const POST_RETRY_PAUSE_MS = 1_000;

export const POST_ONCE_TASK = 'post-once';

export interface PostOnceOptions {
  /** The lease's key (`share:…`, `escalate:…`); none: nothing to key on, posted as it comes. */
  key: string | undefined;
  /** Who holds the lease (the click or the command), for the store's records. */
  holder?: string;
  /** What is posted, in log lines: "share", "escalate". */
  what: string;
  /** Where: the interaction's or the command's `response_url`, from Slack's signed request. */
  responseUrl: string;
}

/**
 * The deferred task: the message as the listener rendered it from the runbooks (it carries no authority,
 * and travels sealed like every task), and where it goes.
 */
interface PostOnceTask extends PostOnceOptions {
  message: Message;
}

export async function postOnce(
  deps: Pick<AppDeps, 'getStore' | 'now' | 'logger' | 'defer'>,
  opts: PostOnceOptions,
  message: Message,
): Promise<void> {
  const task: PostOnceTask = { ...opts, message };
  try {
    await deps.defer({ kind: POST_ONCE_TASK, payload: task });
  } catch (error) {
    // Not queued (Lambda's Invoke failed): posted now, still under its lease.
    deps.logger.warn(`${opts.what}: posted in the listener (deferred work not queued)`, { error });
    await postUnderLease(deps, task);
  }
}

async function postUnderLease(
  deps: Pick<AppDeps, 'getStore' | 'now' | 'logger'>,
  task: PostOnceTask,
): Promise<void> {
  const { key, holder, what } = task;
  // Once more after a pause when Slack answers anything but 2xx or not at all (within REPLY_TIMEOUT_MS):
  // the task's own retry comes only a minute later (Lambda's async retries). Then it throws, and is retried.
  // deferred-reply (Node's HTTP client) loads on first post, not at start: the search path never posts.
  const once = async () => {
    const { replyVia } = await import('./deferred-reply.js');
    await replyVia(task.responseUrl, task.message, { inChannel: true });
  };
  const post = () =>
    once().catch(async (error: unknown) => {
      deps.logger.warn(`${what}: post failed; trying again`, { error });
      await new Promise((resolve) => setTimeout(resolve, POST_RETRY_PAUSE_MS));
      await once();
    });
  if (!key) return post();
  let lease: HeldLease | null;
  try {
    lease = await takeLease(await deps.getStore(), key, POST_LEASE_MS, deps.now(), holder);
  } catch (error) {
    deps.logger.warn(`${what}: posted without its once-only lease (store unreachable)`, { error });
    await post();
    return;
  }
  if (!lease) {
    // Posted already, or being posted by another delivery, whose own retry posts it should that fail.
    deps.logger.info(`${what}: already posted or being posted by another delivery`, { key });
    return;
  }
  await lease.run(post, 'release');
  // Completed: never taken again. Should that write fail, the lease is still held until it runs out.
  await lease
    .complete()
    .catch((error: unknown) => deps.logger.warn(`${what}: lease not completed`, { error }));
}

// Not `once`: the lease above is the post's own, so that an unreachable store still lets it be posted.
registerDeferred(POST_ONCE_TASK, (payload, deps) => postUnderLease(deps, payload as PostOnceTask), {
  once: false,
});
