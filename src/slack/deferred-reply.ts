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
}

export async function replyVia(
  responseUrl: string,
  message: Pick<Message, 'text'> & Partial<Pick<Message, 'blocks'>>,
  opts: ResponseOptions = {},
): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      ...message,
      response_type: opts.inChannel ? 'in_channel' : 'ephemeral',
      replace_original: opts.replaceOriginal === true,
    }),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
