/**
 * Segments (from markdown.ts) → section blocks within Slack's limits: each block's text at most 3000
 * characters, a code block never split between blocks unless it alone exceeds one block (then at line
 * boundaries, each part fenced), and the whole body within a block and character budget; past it the
 * body stops at a block boundary and says so.
 */
import { type Block, section } from './blocks';
import { SLACK_LIMITS } from './limits';
import { inline, plainInline, type Segment } from './markdown';

export interface BodyBudget {
  maxBlocks: number;
  maxChars: number;
}

export interface RenderedBody {
  blocks: Block[];
  /** True when the body did not fit and was cut at a block boundary. */
  truncated: boolean;
}

const MAX = SLACK_LIMITS.sectionText;

function escapeCode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One chunk is an atomic piece of mrkdwn of at most MAX characters. */
interface Chunk {
  text: string;
  code: boolean;
}

export function fence(escapedCode: string): string {
  return `\`\`\`\n${escapedCode}\n\`\`\``;
}

/**
 * Split at line boundaries into parts of at most `max` characters, a longer line by `long` (prose: on a
 * space, never inside a link) or, by default, hard-cut (code).
 */
export function splitLines(
  text: string,
  max: number,
  long?: (line: string, max: number) => string[],
): string[] {
  const parts: string[] = [];
  let current = '';
  for (const rawLine of text.split('\n')) {
    let line = rawLine;
    if (long && line.length > max) {
      if (current) parts.push(current);
      const pieces = long(line, max);
      line = pieces.pop() ?? '';
      parts.push(...pieces);
      current = '';
    }
    while (line.length > max) {
      if (current) {
        parts.push(current);
        current = '';
      }
      // Do not cut an escape entity (`&amp;`) in half.
      let cut = max;
      const amp = line.lastIndexOf('&', cut);
      if (amp > cut - 5 && amp > 0) cut = amp;
      parts.push(line.slice(0, cut));
      line = line.slice(cut);
    }
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length > max) {
      parts.push(current);
      current = line;
    } else {
      current = joined;
    }
  }
  if (current) parts.push(current);
  return parts;
}

function codeChunks(code: string): Chunk[] {
  const escaped = escapeCode(code.replace(/\n+$/, ''));
  const whole = fence(escaped);
  if (whole.length <= MAX) return [{ text: whole, code: true }];
  return splitLines(escaped, MAX - 8).map((part) => ({ text: fence(part), code: true }));
}

/** Split on a space (never inside a `<…>` link) when a paragraph is longer than one block. */
function splitProse(paragraph: string, max: number): string[] {
  if (paragraph.length <= max) return [paragraph];
  const out: string[] = [];
  let rest = paragraph;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    const open = rest.lastIndexOf('<', cut);
    const close = rest.lastIndexOf('>', cut);
    if (open > close && open > 0) cut = rest.lastIndexOf(' ', open);
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

function textChunks(mrkdwn: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const paragraph of mrkdwn.split('\n\n')) {
    const pieces = paragraph.length <= MAX ? [paragraph] : splitLines(paragraph, MAX, splitProse);
    for (const piece of pieces) chunks.push({ text: piece, code: false });
  }
  return chunks;
}

/** Narrow tables read best aligned in monospace; wide ones as one line per row. */
const ALIGNED_TABLE_MAX_WIDTH = 72;

export function tableToMrkdwn(
  header: string[],
  rows: string[][],
  convert: (md: string) => string = inline,
): Chunk[] {
  const plainHeader = header.map(plainInline);
  const plainRows = rows.map((r) => header.map((_, i) => plainInline(r[i] ?? '')));
  const widths = plainHeader.map((h, i) => Math.max(h.length, ...plainRows.map((r) => (r[i] ?? '').length)));
  const total = widths.reduce((a, b) => a + b, 0) + 3 * Math.max(0, widths.length - 1);
  if (total <= ALIGNED_TABLE_MAX_WIDTH) {
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join(' | ')
        .trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
    return codeChunks([line(plainHeader), rule, ...plainRows.map(line)].join('\n'));
  }
  // Wide: one line per row, led by its first cell: `• *Builder SPA* — _AWS service:_ S3 · _Notes:_ …`.
  const lines = rows.map((r) => {
    const lead = convert(r[0] ?? '');
    const rest = header
      .slice(1)
      .map((h, i) => ({ h: convert(h), c: convert(r[i + 1] ?? '') }))
      .filter(({ c }) => c !== '')
      .map(({ h, c }) => (h ? `_${h}:_ ${c}` : c))
      .join(' · ');
    return `• ${lead ? `*${lead}*` : ''}${lead && rest ? ' — ' : ''}${rest}`;
  });
  return splitLines(lines.join('\n'), MAX).map((text) => ({ text, code: false }));
}

export function segmentsToChunks(segments: Segment[], convert?: (md: string) => string): Chunk[] {
  return segments.flatMap((s) => {
    if (s.kind === 'code') return codeChunks(s.code);
    if (s.kind === 'table') return tableToMrkdwn(s.header, s.rows, convert);
    return textChunks(s.mrkdwn);
  });
}

/**
 * Pack chunks into section blocks: adjacent chunks share a block while it stays within 3000 characters.
 * Stops (truncated) before exceeding the budget.
 */
export function renderBody(
  segments: Segment[],
  budget: BodyBudget,
  convert?: (md: string) => string,
): RenderedBody {
  const chunks = segmentsToChunks(segments, convert);
  const texts: string[] = [];
  let chars = 0;
  let truncated = false;
  let current = '';
  const close = () => {
    if (current) texts.push(current);
    current = '';
  };
  for (const chunk of chunks) {
    if (!chunk.text.trim()) continue;
    const sep = current ? (chunk.code || current.endsWith('```') ? '\n' : '\n\n') : '';
    const joined = `${current}${sep}${chunk.text}`;
    const blocksIfNew = texts.length + (current ? 1 : 0) + 1;
    if (joined.length <= MAX && chars + sep.length + chunk.text.length <= budget.maxChars) {
      current = joined;
      chars += sep.length + chunk.text.length;
      continue;
    }
    if (blocksIfNew > budget.maxBlocks || chars + chunk.text.length > budget.maxChars) {
      truncated = true;
      break;
    }
    close();
    current = chunk.text;
    chars += chunk.text.length;
  }
  close();
  return { blocks: texts.map((t) => section(t)), truncated };
}
