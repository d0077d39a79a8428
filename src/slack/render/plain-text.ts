/**
 * Slack mrkdwn written by the bot (run notes, live-action reports) as plain text a person reads outside
 * Slack: the exported timeline file, and the thread messages' log lines. Slack would render the markup;
 * a text file shows it raw, so here:
 *
 * - `<@U…>` becomes `@Name` (names from people.ts, else the ID), `<#C…|name>` `#name`,
 *   `<!subteam^S…|@handle>` `@handle`, `<!here>` `@here`, `<!date^…|fallback>` the fallback,
 *   `<https://x|label>` `label (https://x)`;
 * - `*bold*`, `_italic_`, `~strike~` and inline code lose their markers (code keeps its text untouched);
 * - emoji shortcodes that carry meaning become a word in brackets (`[OK]`), decorative ones go;
 * - `&lt;`, `&gt;`, `&amp;` are decoded exactly once, after the markup is read: text a user typed and the
 *   bot escaped once shows as typed, `&lt;` included, and an escaped `&lt;@U1&gt;` stays text.
 *
 * Pure; never throws, whatever the input.
 */
import { decodeSlackEntities } from './escape';

export interface PlainOptions {
  /** Display names by user ID. */
  names?: Readonly<Record<string, string>>;
  /** Keep emoji shortcodes (text that Slack renders again) instead of words. */
  keepEmoji?: boolean;
}

/** Shortcodes whose meaning a reader of the file needs; any other shortcode is dropped. */
const EMOJI_WORDS: Readonly<Record<string, string>> = {
  white_check_mark: '[OK]',
  heavy_check_mark: '[OK]',
  ballot_box_with_check: '[OK]',
  large_green_circle: '[HEALTHY]',
  x: '[FAILED]',
  red_circle: '[UNHEALTHY]',
  warning: '[WARNING]',
  rotating_light: '[ALERT]',
  no_entry_sign: '[REFUSED]',
  no_entry: '[REFUSED]',
  octagonal_sign: '[STOPPED]',
  hourglass_flowing_sand: '[WAITING]',
  grey_question: '[UNKNOWN]',
  question: '[UNKNOWN]',
  lock: '[LOCKED]',
};

// Placeholders for the parts read before the text around them: private-use characters, removed from the
// input first, so nothing a user typed can forge one.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const HOLE = /\uE000(\d+)\uE001/g;

/** Slack mrkdwn → plain text (one decoding of `&lt;` `&gt;` `&amp;`, no markup left). */
export function slackToPlain(mrkdwn: string, options: PlainOptions = {}): string {
  const names = options.names ?? {};
  const held: string[] = [];
  const hold = (plain: string) => `${OPEN}${held.push(plain) - 1}${CLOSE}`;
  let text = String(mrkdwn).replace(/[\uE000\uE001]/g, '\uFFFD');
  // Code first: Slack reads nothing inside it (no bold, no emoji), only the entities.
  text = text.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    hold(decodeSlackEntities(code.replace(/^\n|\n$/g, ''))),
  );
  text = text.replace(/`([^`\n]+)`/g, (_, code: string) => hold(decodeSlackEntities(code)));
  // Then the `<…>` tokens (their insides never contain `<` or `>`: Slack escapes those).
  text = text.replace(/<([^<>\n]*)>/g, (_, inner: string) => hold(tokenText(inner, names)));
  text = stripEmphasis(text);
  if (!options.keepEmoji) text = emojiToWords(text);
  text = decodeSlackEntities(text);
  return text.replace(HOLE, (_, i: string) => held[Number(i)] ?? '').replace(/[ \t]{2,}/g, ' ');
}

/** User IDs a mrkdwn text mentions (`<@U…>`), for a name lookup before rendering it. */
export function mentionedUsers(mrkdwn: string): string[] {
  return [...String(mrkdwn).matchAll(/<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>/g)].map((m) => m[1] ?? '');
}

function tokenText(inner: string, names: Readonly<Record<string, string>>): string {
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : decodeSlackEntities(inner.slice(bar + 1)).trim();
  const user = /^@([UW][A-Z0-9]{2,})$/.exec(head);
  if (user) {
    const id = user[1] ?? '';
    return names[id] ? `@${names[id]}` : label ? `@${label.replace(/^@/, '')}` : id;
  }
  const channel = /^#([CGD][A-Z0-9]{2,})$/.exec(head);
  if (channel) return `#${label.replace(/^#/, '') || channel[1]}`;
  if (head.startsWith('!subteam^')) return label ? `@${label.replace(/^@/, '')}` : `@${head.slice(9)}`;
  if (head === '!here' || head === '!channel' || head === '!everyone') return `@${head.slice(1)}`;
  if (head.startsWith('!date^')) return label || head.split('^')[1] || '';
  if (head.startsWith('!')) return label || head.slice(1);
  const url = decodeSlackEntities(head);
  if (/^(https?:|mailto:|tel:|slack:)/i.test(url)) {
    const shown = url.replace(/^mailto:/i, '');
    return label && label !== url && label !== shown ? `${label} (${shown})` : shown;
  }
  // Not a token Slack knows: the text as it stands.
  return decodeSlackEntities(`<${inner}>`);
}

// Slack's emphasis: the marker at a word's edge (after a space, punctuation or the start; before one, or the
// end), with no space just inside it. `snake_case` and `2*3*4` stay as they are.
const EDGE_BEFORE = `(^|[\\s(\\[{"'.,;:!?/\\-${OPEN}${CLOSE}])`;
const EDGE_AFTER = `(?=$|[\\s)\\]}"'.,;:!?/\\-${OPEN}${CLOSE}])`;
const EMPHASIS = ['*', '_', '~'].map(
  (m) => new RegExp(`${EDGE_BEFORE}\\${m}(?=[^\\s${m}])([^\\n${m}]*?[^\\s${m}])\\${m}${EDGE_AFTER}`, 'g'),
);

function stripEmphasis(text: string): string {
  let out = text;
  // Twice: `*_both_*` nests one marker in the other.
  for (let pass = 0; pass < 2; pass++)
    for (const re of EMPHASIS)
      out = out.replace(re, (_, before: string, inner: string) => `${before}${inner}`);
  return out;
}

/** `:warning:` → `[WARNING]`, other shortcodes dropped; `10:03:04`, `arn:aws:s3` and `a:b:c` are no emoji. */
function emojiToWords(text: string): string {
  return text
    .replace(/(?<![A-Za-z0-9]):([a-z0-9_+-]*[a-z][a-z0-9_+-]*):(?![A-Za-z0-9])/g, (_, name: string) =>
      Object.hasOwn(EMOJI_WORDS, name) ? (EMOJI_WORDS[name] ?? '') : '',
    )
    .replace(/^ +| +$/gm, '');
}
