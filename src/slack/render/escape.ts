import { INVISIBLE } from '../../runbooks/search/letter-classes';
import { truncate } from './limits';

const NEEDS_ESCAPE = /[&<>]/;

/**
 * Slack mrkdwn control characters. Escaping `&`, `<`, `>` (in that order, nothing else) is what makes
 * user text inert: `<!channel>`, `<@U…>` and `<http://x|y>` show as typed instead of pinging or linking.
 */
export function escapeMrkdwn(text: string): string {
  // Most text has none of the three (one scan, nothing allocated): every answer escapes many strings.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Echo user input inside a sentence: escaped, on one line, and shortened to `max` characters (counted in
 * UTF-16 units, never cutting an emoji in half) with an ellipsis; without the invisible characters a
 * search drops too (letter-classes.ts INVISIBLE: bidi controls would reorder the quoted words on screen).
 */
export function quoteUserText(text: string, max = 200): string {
  // A control that is whitespace (tab to carriage return) still separates words; the others go without a trace.
  const oneLine = text
    .replace(INVISIBLE, (c) => (c >= '\t' && c <= '\r' ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
  return escapeMrkdwn(truncate(oneLine, max));
}

/**
 * Several lines of user text (a stakeholder update's "what changed"): escaped, line breaks kept, the other
 * invisible characters dropped as quoteUserText does (a bidi override would reorder what stakeholders read).
 */
export function userTextLines(text: string): string {
  return escapeMrkdwn(
    text
      .replace(/\r\n?/g, '\n')
      .replace(INVISIBLE, (c) => (c === '\n' ? c : c >= '\t' && c <= '\r' ? ' ' : ''))
      .trim(),
  );
}

/**
 * Slack may deliver typed text with `&`, `<`, `>` already encoded; decode those three (and only those)
 * once on the way in, so escaping on the way out never shows `&amp;lt;` and search sees what was typed.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// ---- Ids rendered into mrkdwn --------------------------------------------------------------------------------
// Every Slack id written into mrkdwn goes through a helper: a mention only for an id of the right shape,
// anything else as escaped text, so a value that reached the store from a payload cannot plant `<!channel>`,
// a link or a mention of its own. The user mention is here (search answers use it); the others, which only
// checklists and AWS steps use, are in ./mentions.ts.

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** `<@U…>` for a user id; `none` (escaped) when absent; anything else as escaped text. */
export function mentionUser(id: string | null | undefined, none = 'the bot'): string {
  if (!id) return none;
  return USER_ID.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/**
 * Text written by the bot (refusal reasons of src/workflows, fallback text) that may hold user and channel
 * mentions: the mentions of valid ids are kept, everything else is escaped.
 */
export function escapeKeepingMentions(text: string): string {
  return text
    .split(/(<@[UW][A-Z0-9]{2,}>|<#[CGD][A-Z0-9]{2,}>)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeMrkdwn(part)))
    .join('');
}
