/**
 * One way to answer the person who clicked, from the listener or from deferred work (possibly another
 * Lambda invocation, where Bolt's `respond` does not exist): their interaction's `response_url`, and when
 * that is gone (expired after 30 minutes or 5 posts, 404, network) `chat.postEphemeral` in the channel.
 * Never throws: an answer that cannot be delivered is logged, and the change it reports is already stored.
 */
import type { ReplyTarget } from '../workflows/deferred-task';
import { replyVia } from './deferred-reply';
import type { AppDeps } from './deps';
import { fallback, type Message } from './render/blocks';
import { SLACK_LIMITS, truncate } from './render/limits';
import { webClientFor } from './web-client';

export type { ReplyTarget };

export async function replyTo(
  deps: Pick<AppDeps, 'config' | 'logger'>,
  target: ReplyTarget,
  message: Partial<Message> & { text: string },
): Promise<boolean> {
  const blocks = message.blocks ?? [];
  // Text alone keeps its line breaks; with blocks it is only the notification, on one line.
  const text = blocks.length > 0 ? fallback(message.text) : truncate(message.text, SLACK_LIMITS.fallbackText);
  const body: Message = { text, blocks };
  const sent = body.blocks.length > 0 ? body : { text: body.text };
  if (target.responseUrl) {
    try {
      await replyVia(target.responseUrl, sent, { replaceOriginal: false });
      return true;
    } catch (error) {
      deps.logger.info('response_url gone; answering with chat.postEphemeral', { error });
    }
  }
  if (!target.channel) {
    // A click in the App Home tab has neither: answer in the person's DM with the app.
    try {
      await webClientFor(deps as AppDeps).chat.postMessage({
        channel: target.user,
        text: body.text,
        ...(body.blocks.length > 0 ? { blocks: body.blocks } : {}),
      });
      return true;
    } catch (error) {
      deps.logger.warn('reply not delivered: no response_url and no channel', { user: target.user, error });
      return false;
    }
  }
  try {
    await webClientFor(deps as AppDeps).chat.postEphemeral({
      channel: target.channel,
      user: target.user,
      text: body.text,
      ...(body.blocks.length > 0 ? { blocks: body.blocks } : {}),
    });
    return true;
  } catch (error) {
    deps.logger.warn('reply not delivered', { user: target.user, error });
    return false;
  }
}
