import { truncate } from './limits';

/**
 * Slack mrkdwn control characters. Escaping `&`, `<`, `>` (in that order, nothing else) is what makes
 * user text inert: `<!channel>`, `<@U…>` and `<http://x|y>` show as typed instead of pinging or linking.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Echo user input inside a sentence: escaped, on one line, and shortened to `max` characters (counted in
 * UTF-16 units, never cutting an emoji in half) with an ellipsis.
 */
export function quoteUserText(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return escapeMrkdwn(truncate(oneLine, max));
}

/**
 * Slack may deliver typed text with `&`, `<`, `>` already encoded; decode those three (and only those)
 * once on the way in, so escaping on the way out never shows `&amp;lt;` and search sees what was typed.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
