/**
 * Answering from deferred work. A deferred task runs after the ack, possibly in another Lambda invocation,
 * so it cannot use Bolt's `respond`; it posts to the interaction's `response_url` itself (up to five posts
 * within 30 minutes) or, for channel messages, calls the Web API with a client built from config (`web-client.ts`).
 */
import type { Message } from './render/blocks';

export interface ResponseOptions {
  /** Replace the message the interaction came from (or the command's previous ephemeral answer). */
  replaceOriginal?: boolean;
  /** Post visibly in the channel instead of ephemerally. */
  inChannel?: boolean;
  /** Give up after this long (default REPLY_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * How long a post to a `response_url` may take. Slack answers in well under a second; without a limit a
 * response that never comes holds the task until Lambda ends it (330 s, serverless.yml), and only then is
 * it retried or answered another way (reply.ts falls back to `chat.postEphemeral` on a throw).
 */
export const REPLY_TIMEOUT_MS = 10_000;

export async function replyVia(
  responseUrl: string,
  message: Pick<Message, 'text'> & Partial<Pick<Message, 'blocks'>>,
  opts: ResponseOptions = {},
): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    signal: AbortSignal.timeout(opts.timeoutMs ?? REPLY_TIMEOUT_MS),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      ...message,
      response_type: opts.inChannel ? 'in_channel' : 'ephemeral',
      replace_original: opts.replaceOriginal === true,
    }),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
