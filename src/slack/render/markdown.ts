/**
 * GitHub Markdown (a section body) → Slack mrkdwn segments, with a small line-based converter: no Markdown
 * library on the request path. Pure and dependency-free, so the compiler may also run it at build time.
 *
 * Block level: paragraphs, bullet and ordered lists (nested, task items), blockquotes, fenced code (kept
 * whole), tables, HTML comments (dropped). Inline: code spans, links and images (`<url|label>`, relative
 * links resolved against the repository), bold, italic, strikethrough, everything else escaped.
 */

export type Segment =
  | { kind: 'text'; mrkdwn: string }
  | { kind: 'code'; lang: string; code: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

export interface ConvertOptions {
  /** Turns a link target as written (`#anchor`, `OTHER.md#x`, `https://…`) into an absolute URL, or null. */
  resolveLink?: (href: string) => string | null;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const HR = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

export function markdownToSegments(markdown: string, opts: ConvertOptions = {}): Segment[] {
  const lines = stripComments(markdown.replace(/\r\n?/g, '\n')).split('\n');
  const segments: Segment[] = [];
  let paragraphs: string[] = [];
  let current: string[] = [];

  const endBlock = () => {
    if (current.length > 0) paragraphs.push(current.join('\n'));
    current = [];
  };
  const flushText = () => {
    endBlock();
    if (paragraphs.length > 0) segments.push({ kind: 'text', mrkdwn: paragraphs.join('\n\n') });
    paragraphs = [];
  };
  let mode: 'none' | 'paragraph' | 'list' | 'quote' = 'none';

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';

    const fence = FENCE.exec(line);
    if (fence) {
      flushText();
      mode = 'none';
      const marker = fence[1] ?? '```';
      const indent = line.length - line.trimStart().length;
      const code: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j] ?? '';
        if (l.trim().startsWith(marker[0]!.repeat(marker.length)) && l.trim().replace(/[`~]/g, '') === '')
          break;
        code.push(indent > 0 ? l.replace(new RegExp(`^ {0,${indent}}`), '') : l);
      }
      segments.push({ kind: 'code', lang: fence[2] ?? '', code: code.join('\n') });
      i = j;
      continue;
    }

    if (
      line.includes('|') &&
      TABLE_SEPARATOR.test(lines[i + 1] ?? '') &&
      (lines[i + 1] ?? '').includes('-')
    ) {
      flushText();
      mode = 'none';
      const header = splitRow(line);
      const rows: string[][] = [];
      let j = i + 2;
      for (; j < lines.length; j++) {
        const l = lines[j] ?? '';
        if (l.trim() === '' || !l.includes('|')) break;
        rows.push(splitRow(l));
      }
      segments.push({ kind: 'table', header, rows });
      i = j - 1;
      continue;
    }

    if (line.trim() === '') {
      endBlock();
      mode = 'none';
      continue;
    }

    if (HR.test(line)) {
      endBlock();
      mode = 'none';
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      endBlock();
      current.push(`*${inline(heading[2] ?? '', opts)}*`);
      endBlock();
      mode = 'none';
      continue;
    }

    const item = LIST_ITEM.exec(line);
    if (item) {
      if (mode !== 'list') endBlock();
      mode = 'list';
      current.push(listLine(item[1] ?? '', item[2] ?? '-', item[3] ?? '', opts));
      continue;
    }

    const quote = /^ {0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      if (mode !== 'quote') endBlock();
      mode = 'quote';
      // `>` starts a quote only when written raw; everything inside is escaped as usual.
      current.push(`>${quote[1] ? ` ${inline(quote[1], opts)}` : ''}`);
      continue;
    }

    const hardBreak = /( {2,}|\\)$/.test(line);
    const text = inline(line.trim().replace(/\\$/, ''), opts);
    if (mode === 'list' || mode === 'quote' || mode === 'paragraph') {
      // A lazy continuation line: join it to the item, quote line or paragraph it continues.
      const last = current.length - 1;
      current[last] =
        `${current[last]}${current[last]?.endsWith('\n') ? '' : ' '}${text}${hardBreak ? '\n' : ''}`;
    } else {
      current.push(`${text}${hardBreak ? '\n' : ''}`);
      mode = 'paragraph';
    }
  }
  flushText();
  return segments.map((s) =>
    s.kind === 'text' ? { kind: 'text', mrkdwn: s.mrkdwn.replace(/\n+$/g, '') } : s,
  );
}

/** Drop HTML comments (bot directives), including multi-line ones. */
function stripComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '`') {
      inCode = !inCode;
      cell += ch;
    } else if (ch === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const BULLETS = ['•', '◦', '▪'];

function listLine(indent: string, marker: string, rest: string, opts: ConvertOptions): string {
  const depth = Math.min(Math.floor(indent.replace(/\t/g, '    ').length / 2), 6);
  const pad = '\u2003'.repeat(depth);
  let body = rest;
  let box = '';
  const task = /^\[([ xX])\]\s+(.*)$/.exec(rest);
  if (task) {
    box = task[1] === ' ' ? '☐ ' : '☑ ';
    body = task[2] ?? '';
  }
  const bullet = /^\d/.test(marker)
    ? `${marker.replace(')', '.')}`
    : (BULLETS[depth % BULLETS.length] ?? '•');
  return `${pad}${bullet} ${box}${inline(body, opts)}`;
}

/** Escape Slack's control characters. Kept local so this module has no imports at all. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Placeholders for formatting marks while the rest of the text is processed; never present in input
// (stripped below), so they cannot be forged.
const BOLD = '\u0001';
const SLOT = '\u0002';

/** Inline Markdown → mrkdwn. */
export function inline(markdown: string, opts: ConvertOptions = {}): string {
  const slots: string[] = [];
  const hold = (mrkdwn: string) => {
    slots.push(mrkdwn);
    return `${SLOT}${slots.length - 1}${SLOT}`;
  };
  let text = markdown.replace(/[\u0001\u0002]/g, '');

  // Code spans first: nothing inside them is formatting.
  text = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) =>
    hold(`\`${esc(code.trim().replace(/`/g, 'ˋ'))}\``),
  );
  // HTML that runbooks use for layout.
  text = text.replace(/<br\s*\/?>/gi, () => hold('\n'));
  text = text.replace(/<kbd>([^<]*)<\/kbd>/gi, (_m, k: string) => hold(`\`${esc(k)}\``));
  // Images and links. The label is formatted; the target resolved and never formatted.
  text = text.replace(
    /(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))+)>?(?:\s+"[^"]*")?\s*\)/g,
    (_m, bang: string, label: string, href: string) => {
      const resolved = resolve(href, opts);
      // A target's `|`, `<`, `>` would end the link or open a mention: percent-encoded, as a browser sends them.
      const url = resolved
        ? resolved.replace(/[|<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        : null;
      const shown = label.trim() || (bang ? 'image' : href);
      if (!url) return hold(format(esc(shown)));
      return hold(`<${url}|${format(esc(shown)).replace(/\|/g, '¦')}>`);
    },
  );
  // An autolink: its URL only (nothing after `|` or `<` inside it is kept as a label or a mention).
  text = text.replace(/<((?:https?|mailto):[^>\s|<]+)>/g, (_m, url: string) => hold(`<${url}>`));

  text = format(esc(text));
  return text.replace(new RegExp(`${SLOT}(\\d+)${SLOT}`, 'g'), (_m, n: string) => slots[Number(n)] ?? '');
}

/** Emphasis on already-escaped text: `**b**`/`__b__` → `*b*`, `*i*`/`_i_` → `_i_`, `~~s~~` → `~s~`. */
function format(text: string): string {
  return text
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, `$1${BOLD}$2${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '~$1~')
    .replace(new RegExp(BOLD, 'g'), '*');
}

function resolve(href: string, opts: ConvertOptions): string | null {
  if (opts.resolveLink) return opts.resolveLink(href);
  return /^(https?:|mailto:)/i.test(href) ? href : null;
}

/** Plain text of inline Markdown (marks removed, links reduced to their labels), for tables in code. */
export function plainInline(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, '$1$2')
    .replace(/(^|\W)[*_]([^*_]+)[*_](?=\W|$)/g, '$1$2')
    .replace(/~~([^~]+)~~/g, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .trim();
}

/**
 * A link resolver for a runbook file: `#anchor` → same file, `OTHER.md#x` / `./OTHER.md` → sibling file,
 * absolute http(s) and mailto kept, anything else (javascript:, data:) dropped.
 */
export function repoLinkResolver(repoUrl: string, file: string): (href: string) => string | null {
  const base = repoUrl.replace(/\/+$/, '');
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  return (href) => {
    if (/^(https?:|mailto:)/i.test(href)) return href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
    if (href.startsWith('#')) return `${base}/${file}${href}`;
    const path = href.replace(/^\.\//, '');
    if (path.startsWith('/') || path.startsWith('../')) return null;
    return `${base}/${dir}${path}`;
  };
}
