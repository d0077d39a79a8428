/**
 * What the person is told when handing their click (or start, or submission) to deferred work failed. A
 * refusal from Lambda (denied, throttled, a payload too large) queued nothing: "nothing changed". A time-out
 * or a dropped connection may have come after Lambda queued it (its API answering late during an AWS event):
 * the work may still happen, so they are told to look before pressing again, never that nothing changed.
 */
import { AwsCallError } from '../aws/errors';
import { toPartFailure } from '../aws/outcome';
import { quoteUserText } from './render/escape';

export function notQueuedText(error: unknown, what: { thing: string; nothing: string }): string {
  const why = quoteUserText(toPartFailure(error).message, 300);
  const unknown = error instanceof AwsCallError && (error.kind === 'timeout' || error.kind === 'network');
  return unknown
    ? `:warning: The bot could not confirm that ${what.thing} was queued (${why}); it may still go through. Look at the run in a moment before trying again.`
    : `:warning: The bot could not queue ${what.thing} (${why}); ${what.nothing}. Try again.`;
}
