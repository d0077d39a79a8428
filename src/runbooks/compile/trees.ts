/**
 * Decision trees: a section with `<!-- bot: tree=<id> keywords="..." -->` and one ```mermaid flowchart →
 * a `DecisionTree` the bot can walk with buttons (docs/runbook-format.md, "Decision trees").
 *
 * Build and lint time only: the flowchart is parsed by mermaid's own parser (./mermaid.ts, loaded lazily).
 * `analyzeTrees` returns every problem that would make a tree unwalkable, with `file:line`, so
 * `runbook lint` reports them all; `compileTrees` throws them.
 */

import type { Artifact, CodeBlock, DecisionTree, Section, TreeEdge, TreeNode } from '../model/model';
import { RunbookCompileError, RunbookCompileErrors } from './errors';
import { type FlowEdge, MermaidSyntaxError, type ParsedFlowchart, parseFlowchart } from './mermaid';
import { checkTreeGraph } from './trees-graph';

export interface TreeAnalysis {
  trees: DecisionTree[];
  issues: RunbookCompileError[];
}

const TREE_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Every tree of the runbooks; `sections` are all sections of all files (leaves may link across files).
 * With the artifact's escalation paths, an escalation leaf must name one of them.
 */
export async function compileTrees(
  sections: Section[],
  known?: Pick<Artifact, 'escalationPaths'>,
): Promise<DecisionTree[]> {
  const { trees, issues } = await analyzeTrees(sections, known);
  if (issues.length > 0) throw new RunbookCompileErrors(issues);
  return trees;
}

export async function analyzeTrees(
  sections: Section[],
  known?: Pick<Artifact, 'escalationPaths'>,
): Promise<TreeAnalysis> {
  const treeSections = sections.filter((s) => s.directives['tree'] !== undefined);
  const trees: DecisionTree[] = [];
  const issues: RunbookCompileError[] = [];
  if (treeSections.length === 0) return { trees, issues };

  const byId = new Map(sections.map((s) => [s.id, s]));
  const seen = new Map<string, Section>();
  for (const section of treeSections) {
    const id = section.directives['tree'] ?? '';
    const fail = (line: number, reason: string) =>
      issues.push(new RunbookCompileError(section.file, line, reason));
    if (!TREE_ID.test(id)) {
      fail(section.line, `tree id must be a slug (tree=login-problems), got "${id}"`);
      continue;
    }
    const first = seen.get(id);
    if (first) {
      fail(section.line, `tree "${id}" is already defined at ${first.file}:${first.line}`);
      continue;
    }
    seen.set(id, section);
    const blocks = section.code.filter((c) => c.lang === 'mermaid');
    if (blocks.length !== 1) {
      const where = blocks[1]?.line ?? section.line;
      fail(
        where,
        `tree "${id}" needs exactly one \`\`\`mermaid flowchart in its section, found ${blocks.length}`,
      );
      continue;
    }
    const block = blocks[0]!;
    let flow: ParsedFlowchart;
    try {
      flow = await parseFlowchart(block.code);
    } catch (err) {
      if (!(err instanceof MermaidSyntaxError)) throw err;
      fail(block.line + err.line, `invalid Mermaid: ${err.message}`);
      continue;
    }
    const before = issues.length;
    const tree = buildTree(id, section, block, flow, byId, fail);
    for (const node of Object.values(tree?.nodes ?? {})) {
      if (node.escalation && known && !known.escalationPaths.some((p) => p.id === node.escalation)) {
        fail(
          block.line + lineIn(block.code, word(node.id)),
          `leaf ${node.id} names escalation path "${node.escalation}", which does not exist`,
        );
      }
    }
    if (tree && issues.length === before) trees.push(tree);
  }
  issues.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { trees, issues };
}

type Fail = (line: number, reason: string) => void;

function buildTree(
  id: string,
  section: Section,
  block: CodeBlock,
  flow: ParsedFlowchart,
  byId: Map<string, Section>,
  fail: Fail,
): DecisionTree | null {
  const at = (needle: RegExp) => block.line + lineIn(block.code, needle);
  if (!flow.type.startsWith('flowchart')) {
    fail(block.line + 1, `tree "${id}" must be a flowchart (\`flowchart TD\`), got a ${flow.type} diagram`);
    return null;
  }
  if (flow.nodes.length === 0) {
    fail(block.line + 1, `tree "${id}" has no nodes`);
    return null;
  }
  const links = new Map(flow.clicks.map((c) => [c.node, c.href]));
  const nodes: Record<string, TreeNode> = {};
  for (const n of flow.nodes) {
    const out = flow.edges.filter((e) => e.from === n.id);
    const nodeLine = at(word(n.id));
    const kind = nodeKind(n.id, n.shape === 'diamond', out, nodeLine, (e) => at(edgePattern(e)), fail);
    const node: TreeNode = {
      id: n.id,
      label: n.label || n.id,
      kind: kind ?? 'action',
      edges: out.map((e): TreeEdge => ({ label: e.label, to: e.to })),
      target: null,
      escalation: null,
    };
    if (kind === 'leaf') {
      const href = links.get(n.id);
      const clickLine = at(new RegExp(`^\\s*click\\s+${escapeRe(n.id)}\\b`));
      const target = href ? resolveHref(href, section, byId) : resolveByText(node.label, section, byId);
      if (typeof target === 'string') {
        fail(href ? clickLine : nodeLine, `leaf ${n.id} ("${node.label}") ${target}`);
      } else {
        node.target = target.id;
        const escalation = target.directives['escalation'];
        if (escalation !== undefined && escalation !== 'true') {
          node.kind = 'escalation';
          node.escalation = escalation;
        }
      }
    }
    nodes[n.id] = node;
  }
  const root = checkTreeGraph(nodes, (nodeId) => at(word(nodeId)), fail, id);
  if (!root) return null;
  const keywords = (section.directives['keywords'] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return {
    id,
    title: section.directives['title'] ?? section.title,
    sectionId: section.id,
    root,
    nodes,
    keywords,
  };
}

/** Question (rhombus, or any node whose edges out are all labelled), action (one edge), or leaf. */
function nodeKind(
  id: string,
  rhombus: boolean,
  out: FlowEdge[],
  line: number,
  edgeLine: (e: FlowEdge) => number,
  fail: Fail,
): TreeNode['kind'] | null {
  const unlabelled = out.filter((e) => e.label === '');
  if (rhombus) {
    if (out.length === 0) {
      fail(line, `decision node ${id} has no edges out: draw one labelled edge per answer`);
      return null;
    }
    for (const e of unlabelled)
      fail(edgeLine(e), `decision node ${id} has an unlabelled edge to ${e.to}: label it (-->|Yes|)`);
  } else if (out.length > 1 && unlabelled.length > 0) {
    fail(
      line,
      `node ${id} has ${out.length} edges out but not all are labelled: make it a decision {…} with labels`,
    );
    return null;
  }
  const labels = out.map((e) => e.label.toLowerCase()).filter(Boolean);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup) fail(line, `node ${id} has two edges labelled "${dup}": each answer needs its own label`);
  if (unlabelled.length > 0 && rhombus) return null;
  if (out.length === 0) return 'leaf';
  return rhombus || out.length > 1 ? 'question' : 'action';
}

/** `#anchor` (this file), `FILE.md#anchor` or `FILE.md` → the section, or a reason it is not one. */
export function resolveHref(href: string, from: Section, byId: Map<string, Section>): Section | string {
  const target = href.trim().replace(/^\.\//, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(target))
    return `links to ${href}: link a runbook section (#anchor or FILE.md#anchor)`;
  const hash = target.indexOf('#');
  const file = hash < 0 ? target : target.slice(0, hash) || from.file;
  const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
  if (anchor === null) {
    const first = [...byId.values()].find((s) => s.file === file);
    return first ?? `links to ${href}, which is not a runbook file`;
  }
  return byId.get(`${file}#${anchor}`) ?? `links to ${href}, which is not a section`;
}

/** A leaf without a link names its section by its text: the heading, or the quoted symptom message. */
function resolveByText(label: string, from: Section, byId: Map<string, Section>): Section | string {
  const want = normalize(label);
  const matches = [...byId.values()].filter(
    (s) => s.file === from.file && (normalize(s.title) === want || normalize(quoted(s.title)) === want),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    return `matches ${matches.length} sections: link one with \`click <id> href "#anchor"\``;
  return `points at no section: add \`click <id> href "#anchor"\` (or name a heading exactly)`;
}

function quoted(title: string): string {
  return /^[“"]([^”"]+)[”"]/.exec(title)?.[1] ?? '';
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** 1-based line of the first line of `code` matching `needle`, else 1. */
function lineIn(code: string, needle: RegExp): number {
  const i = code.split('\n').findIndex((l) => needle.test(l));
  return i < 0 ? 1 : i + 1;
}

/** The node id where mermaid syntax allows one: a statement's start, or after an arrow, `|label|` or `&`. */
function word(id: string): RegExp {
  return new RegExp(`(^\\s*|[>\\-=.|&~]\\s*)${escapeRe(id)}(?=$|[^\\w-])`);
}

function edgePattern(e: FlowEdge): RegExp {
  return new RegExp(
    `(^|[^\\w-])${escapeRe(e.from)}\\b.*(--|==|-\\.).*(^|[^\\w-])${escapeRe(e.to)}($|[^\\w-])`,
  );
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
