/**
 * `<!-- bot: key=value key2="two words" flag -->` comments: the machine hints in the runbooks.
 */
import type { Directives } from '../model/model';

const COMMENT = /<!--([\s\S]*?)-->/g;
const PREFIX = /^\s*bot:\s*/;

export interface DirectiveComment {
  directives: Directives;
  /** Offset of the comment in the text it was found in (for line numbers). */
  offset: number;
}

export class DirectiveSyntaxError extends Error {
  override readonly name = 'DirectiveSyntaxError';

  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Every `bot:` comment in a piece of HTML or Markdown; other comments are ignored. */
export function findDirectiveComments(text: string): DirectiveComment[] {
  const out: DirectiveComment[] = [];
  for (const m of text.matchAll(COMMENT)) {
    const body = m[1] ?? '';
    if (!PREFIX.test(body)) continue;
    out.push({ directives: parseDirectiveBody(body.replace(PREFIX, ''), m.index), offset: m.index });
  }
  return out;
}

/** `key=value key2="two words" flag` → `{ key: 'value', key2: 'two words', flag: 'true' }`. */
export function parseDirectiveBody(body: string, offset = 0): Directives {
  const directives: Directives = {};
  let i = 0;
  const s = body.trim();
  while (i < s.length) {
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    if (i >= s.length) break;
    const keyMatch = /^[A-Za-z][\w-]*/.exec(s.slice(i));
    if (!keyMatch) throw new DirectiveSyntaxError(offset, `bad directive near "${s.slice(i, i + 20)}"`);
    const key = keyMatch[0];
    i += key.length;
    if (s.charAt(i) !== '=') {
      if (i < s.length && !/\s/.test(s.charAt(i))) {
        throw new DirectiveSyntaxError(offset, `bad directive key "${key}${s.charAt(i)}"`);
      }
      directives[key] = 'true';
      continue;
    }
    i++;
    const quote = s.charAt(i);
    if (quote === '"' || quote === "'") {
      const end = s.indexOf(quote, i + 1);
      if (end < 0) throw new DirectiveSyntaxError(offset, `unterminated ${quote} in directive "${key}"`);
      directives[key] = s.slice(i + 1, end);
      i = end + 1;
      if (i < s.length && !/\s/.test(s.charAt(i))) {
        throw new DirectiveSyntaxError(offset, `missing space after directive "${key}"`);
      }
    } else {
      const m = /^\S*/.exec(s.slice(i));
      const value = m?.[0] ?? '';
      if (!value) throw new DirectiveSyntaxError(offset, `directive "${key}=" has no value`);
      if (/["']/.test(value)) throw new DirectiveSyntaxError(offset, `stray quote in directive "${key}"`);
      directives[key] = value;
      i += value.length;
    }
  }
  return directives;
}

/** Remove `bot:` comments from Markdown shown to people. */
export function stripDirectiveComments(markdown: string): string {
  return markdown
    .replace(COMMENT, (whole, body: string) => (PREFIX.test(body) ? '' : whole))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
