/**
 * Mermaid's own parser, run in Node under jsdom. Build and lint time only: nothing under src/slack (nor
 * src/runbooks/search/) may import this module, and mermaid itself is loaded with a dynamic `import()`
 * the first time a diagram is parsed, so merely importing this file loads neither mermaid nor jsdom.
 *
 * How it works with mermaid 11 (ESM only, `mermaid.core.mjs`):
 * - mermaid pulls in DOMPurify, which binds to `globalThis.window` when it is first evaluated, and the
 *   flowchart DB sanitises every label through it. So a jsdom `window` and `document` are put on
 *   `globalThis` *before* the dynamic `import('mermaid')`. Nothing is rendered: no layout, no SVG.
 * - `mermaid.parse(code)` validates any diagram type (it throws with jison's or langium's
 *   "Parse error on line N" message); it is what `runbook lint` uses for every block.
 * - `mermaid.mermaidAPI.getDiagramFromText(code)` returns a `Diagram` whose `db` is a fresh `FlowDB` for
 *   flowcharts (`type` is `flowchart-v2` for both `flowchart` and `graph`). Its `getVertices()` (Map of
 *   id → { text, type: 'diamond' | 'square' | ..., link }), `getEdges()` ({ start, end, text }) and the
 *   vertices' `link` (set by `click X href "..."` / `click X "..."`) are read here.
 * - Labels come back sanitised: mermaid encodes `#quot;`-style entity codes as `ﬂ°quot¶ß` / `ﬂ°°35¶ß`
 *   during preprocessing and DOMPurify escapes `&`; both are undone below, and `<br>` becomes a space.
 */
import type { DOMWindow } from 'jsdom';

export type FlowShape = 'question' | 'other';

export interface FlowNode {
  id: string;
  label: string;
  /** Mermaid's shape name (`diamond`, `square`, `round`, `stadium`, ...). */
  shape: string;
}

export interface FlowEdge {
  from: string;
  to: string;
  /** Empty when the edge has no label. */
  label: string;
}

export interface FlowClick {
  node: string;
  href: string;
}

export interface ParsedFlowchart {
  /** `flowchart-v2` (also for `graph`); anything else is not a flowchart. */
  type: string;
  direction: string;
  /** In order of first appearance. */
  nodes: FlowNode[];
  edges: FlowEdge[];
  clicks: FlowClick[];
}

export class MermaidSyntaxError extends Error {
  override readonly name = 'MermaidSyntaxError';

  constructor(
    message: string,
    /** 1-based line inside the diagram source; best effort, clamped to the diagram's lines. */
    readonly line: number,
  ) {
    super(message);
  }
}

interface FlowVertex {
  id: string;
  text?: string;
  type?: string;
  link?: string;
}

interface FlowDbLike {
  getVertices(): Map<string, FlowVertex>;
  getEdges(): { start: string; end: string; text?: string }[];
  getDirection(): string | undefined;
}

type MermaidApi = typeof import('mermaid')['default'];

let loading: Promise<MermaidApi> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Loads jsdom + mermaid once per process. */
export function loadMermaid(): Promise<MermaidApi> {
  loading ??= (async () => {
    const { JSDOM } = await import('jsdom');
    const g = globalThis as unknown as { window?: DOMWindow; document?: Document };
    if (!g.window || !g.document) {
      const dom = new JSDOM('<!doctype html><html><body></body></html>');
      g.window = dom.window;
      g.document = dom.window.document;
    }
    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', logLevel: 'fatal' });
    return mermaid;
  })();
  return loading;
}

/** Mermaid keeps module-level state while parsing: one diagram at a time. */
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/** Throws `MermaidSyntaxError` when mermaid cannot parse the diagram; returns mermaid's diagram type. */
export async function validateMermaid(code: string): Promise<string> {
  const mermaid = await loadMermaid();
  return serially(async () => {
    try {
      const result = await mermaid.parse(code);
      if (!result) throw new Error('not a diagram');
      return result.diagramType;
    } catch (err) {
      throw toSyntaxError(code, err);
    }
  });
}

/** Parses a flowchart with mermaid's flowchart parser and DB. Throws `MermaidSyntaxError`. */
export async function parseFlowchart(code: string): Promise<ParsedFlowchart> {
  const mermaid = await loadMermaid();
  return serially(async () => {
    let diagram: Awaited<ReturnType<MermaidApi['mermaidAPI']['getDiagramFromText']>>;
    try {
      diagram = await mermaid.mermaidAPI.getDiagramFromText(code);
    } catch (err) {
      throw toSyntaxError(code, err);
    }
    if (!diagram.type.startsWith('flowchart')) {
      return { type: diagram.type, direction: '', nodes: [], edges: [], clicks: [] };
    }
    const db = diagram.db as unknown as FlowDbLike;
    const vertices = [...db.getVertices().values()];
    return {
      type: diagram.type,
      direction: db.getDirection() ?? 'TB',
      nodes: vertices.map((v) => ({
        id: v.id,
        label: cleanLabel(v.text ?? v.id),
        shape: v.type ?? 'square',
      })),
      edges: db.getEdges().map((e) => ({ from: e.start, to: e.end, label: cleanLabel(e.text ?? '') })),
      clicks: vertices.filter((v) => v.link).map((v) => ({ node: v.id, href: v.link! })),
    };
  });
}

const NAMED: Record<string, string> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
  nbsp: ' ',
  num: '#',
};

/** Undo mermaid's entity encoding and DOMPurify's escaping; `<br>` and other tags become spaces. */
export function cleanLabel(text: string): string {
  return text
    .replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, (whole, name: string) => NAMED[name] ?? whole)
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&(quot|amp|lt|gt|apos|nbsp);/g, (_, name: string) => NAMED[name] ?? '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\s+/g, ' ')
    .trim();
}

function toSyntaxError(code: string, err: unknown): MermaidSyntaxError {
  const raw = err instanceof Error ? err.message : String(err);
  const lines = code.replace(/\n+$/, '').split('\n');
  const reported = Number(/\bline (\d+)/i.exec(raw)?.[1] ?? '1');
  // mermaid strips a `---` front-matter block before parsing, so its line numbers start after it.
  const frontMatter = /^---\n[\s\S]*?\n---\n/.exec(code)?.[0].split('\n').length ?? 1;
  const line = Math.min(Math.max(1, reported + frontMatter - 1), lines.length);
  // jison's message is "Parse error on line N:", an excerpt, a `----^` pointer, then "Expecting ...".
  const parts = raw.split('\n');
  if (/^-*\^$/.test(parts[2]?.trim() ?? '')) parts.splice(1, 2);
  const message = truncateMessage(parts.join(' ').replace(/\s+/g, ' ').trim(), 300);
  return new MermaidSyntaxError(message || 'invalid Mermaid diagram', line);
}

function truncateMessage(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
