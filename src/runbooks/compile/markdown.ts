/**
 * Thin helpers over `marked`'s lexer: tokens with 1-based source lines, plain text, GitHub anchors.
 * Build-time only (the bot never parses Markdown on the request path).
 */
import { Lexer, type MarkedToken, type Token, type Tokens } from 'marked';

/** A block token with the 1-based line it starts on in its source file. */
export interface LinedToken {
  token: MarkedToken;
  line: number;
}

/** Marked normalises line endings itself; doing it first keeps `raw` offsets equal to source offsets. */
export function normalizeSource(source: string): string {
  return source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function lex(source: string): MarkedToken[] {
  return new Lexer({ gfm: true }).lex(source) as MarkedToken[];
}

function countNewlines(text: string, end = text.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Top-level tokens with their lines: their `raw` strings concatenate to the (normalised) source. */
export function lexWithLines(source: string): LinedToken[] {
  const out: LinedToken[] = [];
  let line = 1;
  for (const token of lex(source)) {
    const leading = token.raw.length - token.raw.replace(/^\n+/, '').length;
    out.push({ token, line: line + leading });
    line += countNewlines(token.raw);
  }
  return out;
}

/**
 * Lines of nested block tokens (list items and their children, blockquote children). Marked strips the
 * indentation or `> ` from children, so each child is located by its first non-blank line inside the
 * parent's raw text, scanning forward.
 */
export function childLines(parentRaw: string, parentLine: number, children: readonly Token[]): number[] {
  const lines: number[] = [];
  let cursor = 0;
  for (const child of children) {
    const first = child.raw.split('\n').find((l) => l.trim() !== '') ?? '';
    const needle = first.trim();
    const at = needle ? parentRaw.indexOf(needle, cursor) : -1;
    if (at < 0) {
      lines.push(parentLine + countNewlines(parentRaw, cursor));
      continue;
    }
    lines.push(parentLine + countNewlines(parentRaw, at));
    cursor = at + needle.length;
  }
  return lines;
}

/** Lines of the items of a list token. */
export function listItemLines(list: Tokens.List, line: number): number[] {
  return childLines(list.raw, line, list.items);
}

/** Plain text of inline tokens: emphasis and code marks removed, link text kept, HTML dropped. */
export function inlineText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  let out = '';
  for (const t of tokens as MarkedToken[]) {
    switch (t.type) {
      case 'text':
        out += t.tokens ? inlineText(t.tokens) : decodeEntities(t.text);
        break;
      case 'escape':
      case 'codespan':
        out += decodeEntities(t.text);
        break;
      case 'strong':
      case 'em':
      case 'del':
      case 'link':
        out += inlineText(t.tokens);
        break;
      case 'image':
        out += t.text;
        break;
      case 'br':
        out += '\n';
        break;
      case 'html':
      case 'checkbox':
        break;
      default:
        out += 'tokens' in t && Array.isArray(t.tokens) ? inlineText(t.tokens) : '';
    }
  }
  return out;
}

/** Markdown text, or its tokens when the caller has lexed it already (one lex for several readings). */
export type MarkdownSource = string | readonly Token[];

/** Every token, depth first: a list's items, a table's cells and any token's own tokens. */
function* everyToken(source: MarkdownSource): Generator<MarkedToken> {
  const tokens = (typeof source === 'string' ? lex(source) : source) as readonly MarkedToken[];
  for (const t of tokens) {
    yield t;
    if (t.type === 'list') for (const item of t.items) yield* everyToken(item.tokens);
    else if (t.type === 'table')
      for (const cell of [...t.header, ...t.rows.flat()]) yield* everyToken(cell.tokens);
    else if ('tokens' in t && Array.isArray(t.tokens)) yield* everyToken(t.tokens);
  }
}

/**
 * The text of every code span (`…`) of a Markdown text, entities decoded, as CommonMark reads them: a span
 * may wrap onto the next line or hold a backtick (``a `b` c``); a code block is no span.
 */
export function codeSpans(source: MarkdownSource): string[] {
  const out: string[] = [];
  for (const t of everyToken(source))
    if (t.type === 'codespan') out.push(decodeEntities(t.text).replace(/\s+/g, ' '));
  return out;
}

/**
 * What prose quotes in double quotes, outside code (`A **Session invalid** dialog ("Please sign out and sign
 * in again.")`): the words a screen shows, as a symptom's What you see writes them. A quote must stand
 * inside one run of text: one broken by code or emphasis is not taken.
 */
export function proseQuotes(source: MarkdownSource): string[] {
  const out: string[] = [];
  // A run of text: a text token without tokens of its own (code spans, code and HTML are other types).
  for (const t of everyToken(source))
    if ((t.type === 'text' || t.type === 'escape') && !('tokens' in t && t.tokens?.length))
      for (const m of decodeEntities(t.text).matchAll(PROSE_QUOTE))
        out.push(m[1]!.replace(/\s+/g, ' ').trim());
  return out;
}
const PROSE_QUOTE = /["\u201c]([^"\u201c\u201d]{1,200})["\u201d]/g;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

/**
 * What a section's scripts print as they run, read in one walk over its code blocks:
 * - `texts`: the literal text of each `echo "..."` (`echo "FAILED: read StatusReason
 *   (get-provisioned-concurrency-config)"`), split where a double-quoted one substitutes a variable or a
 *   command (`echo "${fn}: no provisioned concurrency configured"` prints the part after it); single quotes
 *   print their text as it stands;
 * - `templates`: the double-quoted echoes that substitute something, as their literal parts in order
 *   (`echo "${region} ${fn}: still ${status} after 15 minutes"` → `['', ' ', ': still ', ' after 15
 *   minutes']`): what the script prints, with a value in each gap.
 */
export function echoedMessages(source: MarkdownSource): { texts: string[]; templates: string[][] } {
  const texts: string[] = [];
  const templates: string[][] = [];
  for (const e of echoes(source)) {
    const parts = e.substitutes ? e.text.split(SUBSTITUTION) : [e.text];
    texts.push(...parts.map((x) => x.trim()).filter(Boolean));
    if (parts.length > 1) templates.push(parts);
  }
  return { texts, templates };
}

/** Each `echo` of a quoted string in a section's code blocks (in lists too), and whether it substitutes. */
function echoes(source: MarkdownSource): { text: string; substitutes: boolean }[] {
  const out: { text: string; substitutes: boolean }[] = [];
  for (const t of everyToken(source))
    if (t.type === 'code')
      for (const m of t.text.matchAll(ECHO)) out.push({ text: m[2] ?? '', substitutes: m[1] === '"' });
  return out;
}

/** `echo "text"` or `echo 'text'` in a shell script. */
const ECHO = /(?:^|[\s;|&(])echo\s+(["'])(.*?)\1/gm;

/** A shell substitution inside an echoed string: `${var}`, `$var`, `$(command ...` (to its end). */
const SUBSTITUTION = /\$\{[^}]*\}|\$\(.*$|\$\w+/;

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/** Plain text of block tokens, one block per line; code blocks keep their code, HTML comments go. */
export function blockText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  const parts: string[] = [];
  for (const t of tokens as MarkedToken[]) {
    switch (t.type) {
      case 'heading':
      case 'paragraph':
        parts.push(inlineText(t.tokens));
        break;
      case 'text':
        parts.push(t.tokens ? inlineText(t.tokens) : decodeEntities(t.text));
        break;
      case 'code':
        parts.push(t.text);
        break;
      case 'blockquote':
        parts.push(blockText(t.tokens));
        break;
      case 'list':
        for (const item of t.items) parts.push(blockText(item.tokens));
        break;
      case 'table':
        parts.push(t.header.map((c) => inlineText(c.tokens)).join(' | '));
        for (const row of t.rows) parts.push(row.map((c) => inlineText(c.tokens)).join(' | '));
        break;
      default:
        break;
    }
  }
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join('\n');
}

/** Text of a table cell. */
export function cellText(cell: Tokens.TableCell): string {
  return inlineText(cell.tokens).trim();
}

/** GitHub's heading slug (github-slugger): lower-case, drop everything but letters, marks, digits, `_`, `-`, spaces. */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** De-duplicates anchors within one document the way GitHub does: `x`, `x-1`, `x-2`. */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const original = githubSlug(text);
    let result = original;
    while (this.seen.has(result)) {
      const n = (this.seen.get(original) ?? 0) + 1;
      this.seen.set(original, n);
      result = `${original}-${n}`;
    }
    this.seen.set(result, 0);
    return result;
  }
}

/** A compact id slug (`Update Route 53` → `update-route-53`): for step and gate ids, not anchors. */
export function idSlug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** First sentence of a text, without its closing period. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(?:\s|$)/.exec(flat);
  return (m?.[1] ?? flat).replace(/[.]$/, '').trim();
}

/** Cut at a word boundary and add an ellipsis when longer than `max`. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
