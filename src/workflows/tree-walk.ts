/**
 * Walking a decision tree, kept entirely in the path of answers taken from the root: no store. A button
 * carries the state it leads to (`<tree id>~<tree version>~<edge indexes>`), so an old message keeps
 * working while its tree is unchanged, and a changed tree is detected by its version and answered clearly.
 *
 * Pure: no Slack, no mermaid, no I/O.
 */
import { createHash } from 'node:crypto';
import type { DecisionTree, TreeEdge, TreeNode } from '../runbooks/model/model';

/** Longest walk a button can carry (a cycle with an exit can be looped; the value stays far below 2000). */
export const MAX_WALK_STEPS = 200;

export interface WalkState {
  treeId: string;
  version: string;
  /** Index of the edge taken out of each node, from the root. */
  path: number[];
}

export interface WalkChoice {
  /** The edge's index among the current node's edges. */
  index: number;
  /** The edge label, or "Next" for the single unlabelled edge of an action. */
  label: string;
  /** The state this choice leads to. */
  next: WalkState;
}

export interface WalkView {
  tree: DecisionTree;
  state: WalkState;
  node: TreeNode;
  /** The answers given so far: each node passed and the edge taken out of it. */
  trail: { node: TreeNode; edge: TreeEdge }[];
  choices: WalkChoice[];
  /** Null at the root. */
  back: WalkState | null;
  startOver: WalkState;
}

export type WalkProblem =
  | { kind: 'unknown-tree'; treeId: string }
  | { kind: 'changed'; tree: DecisionTree }
  | { kind: 'bad-path'; tree: DecisionTree };

export type WalkOutcome = { ok: true; view: WalkView } | { ok: false; problem: WalkProblem };

const versions = new WeakMap<DecisionTree, string>();

/** A short hash of the tree's shape and words: changes whenever a button could mean something else. */
export function treeVersion(tree: DecisionTree): string {
  let v = versions.get(tree);
  if (!v) {
    const shape = { id: tree.id, root: tree.root, nodes: tree.nodes };
    v = createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 10);
    versions.set(tree, v);
  }
  return v;
}

export function startWalk(tree: DecisionTree): WalkView {
  const outcome = walkTo(tree, []);
  if (!outcome.ok) throw new Error(`tree "${tree.id}" has no root node "${tree.root}"`);
  return outcome.view;
}

/** Replays `path` from the root; `bad-path` when an index does not exist (or the walk is too long). */
export function walkTo(tree: DecisionTree, path: readonly number[]): WalkOutcome {
  const version = treeVersion(tree);
  const root = tree.nodes[tree.root];
  const trail: WalkView['trail'] = [];
  if (!root || path.length > MAX_WALK_STEPS) return { ok: false, problem: { kind: 'bad-path', tree } };
  let node: TreeNode = root;
  for (const index of path) {
    const edge: TreeEdge | undefined = node.edges[index];
    const next: TreeNode | undefined = edge ? tree.nodes[edge.to] : undefined;
    if (!edge || !next) return { ok: false, problem: { kind: 'bad-path', tree } };
    trail.push({ node, edge });
    node = next;
  }
  const state = { treeId: tree.id, version, path: [...path] };
  const canGoOn = path.length < MAX_WALK_STEPS;
  return {
    ok: true,
    view: {
      tree,
      state,
      node,
      trail,
      choices: canGoOn
        ? node.edges.map((e, index) => ({
            index,
            label: e.label || 'Next',
            next: { ...state, path: [...path, index] },
          }))
        : [],
      back: path.length > 0 ? { ...state, path: path.slice(0, -1) } : null,
      startOver: { ...state, path: [] },
    },
  };
}

/** Resolves a state against the trees of the current artifact. */
export function resumeWalk(trees: readonly DecisionTree[], state: WalkState): WalkOutcome {
  const tree = trees.find((t) => t.id === state.treeId);
  if (!tree) return { ok: false, problem: { kind: 'unknown-tree', treeId: state.treeId } };
  if (treeVersion(tree) !== state.version) return { ok: false, problem: { kind: 'changed', tree } };
  return walkTo(tree, state.path);
}

export function choose(view: WalkView, index: number): WalkOutcome {
  return walkTo(view.tree, [...view.state.path, index]);
}

export function back(view: WalkView): WalkView {
  const outcome = walkTo(view.tree, view.state.path.slice(0, -1));
  return outcome.ok ? outcome.view : startWalk(view.tree);
}

export function startOver(view: WalkView): WalkView {
  return startWalk(view.tree);
}

/** `login~3f2a9c01d4~0.1.0`: the tree id is a slug and the version hex, so `~` never occurs in them. */
export function encodeWalkState(state: WalkState): string {
  return `${state.treeId}~${state.version}~${state.path.join('.')}`;
}

export function decodeWalkState(value: string): WalkState | null {
  const m = /^([a-z0-9][a-z0-9-]*)~([0-9a-f]{1,64})~((?:\d{1,4}(?:\.\d{1,4})*)?)$/.exec(value);
  if (!m) return null;
  const path = m[3] ? m[3].split('.').map(Number) : [];
  if (path.length > MAX_WALK_STEPS) return null;
  return { treeId: m[1]!, version: m[2]!, path };
}

export interface TreePick {
  /** The tree to start, when one stands out. */
  tree: DecisionTree | null;
  /** Trees that matched at all, best first (several when none stands out). */
  ranked: DecisionTree[];
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'my',
  'our',
  'it',
  'its',
  'to',
  'of',
  'for',
  'on',
  'in',
  'with',
  'and',
  'or',
  'issue',
  'issues',
  'problem',
  'problems',
  'tree',
  'trees',
]);

/** Fuzzy pick by words: tree id, title and keywords weigh most; node labels help. Typos are tolerated. */
export function pickTree(trees: readonly DecisionTree[], words: string): TreePick {
  const query = tokenize(words);
  if (query.length === 0) return { tree: null, ranked: [] };
  const scored = trees
    .map((tree) => ({ tree, score: scoreTree(tree, query) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  const standsOut = best !== undefined && (second === undefined || best.score > second.score * 1.2);
  return { tree: standsOut ? best.tree : null, ranked: scored.map((s) => s.tree) };
}

function scoreTree(tree: DecisionTree, query: string[]): number {
  const strong = new Set(tokenize(`${tree.id.replace(/-/g, ' ')} ${tree.title} ${tree.keywords.join(' ')}`));
  const weak = new Set(
    tokenize(
      Object.values(tree.nodes)
        .map((n) => n.label)
        .join(' '),
    ),
  );
  let total = 0;
  for (const q of query) {
    let best = 0;
    for (const w of strong) best = Math.max(best, 3 * similarity(q, w));
    for (const w of weak) best = Math.max(best, similarity(q, w));
    total += best;
  }
  return total;
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !STOP_WORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** 1 for the same word, 0.8 for a prefix (`gen` → `generation`), 0.6 within one or two typos, else 0. */
function similarity(q: string, w: string): number {
  if (q === w) return 1;
  if ((q.length >= 3 && w.startsWith(q)) || (w.length >= 4 && q.startsWith(w))) return 0.8;
  const allowed = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
  return allowed > 0 && Math.abs(q.length - w.length) <= allowed && editDistance(q, w) <= allowed ? 0.6 : 0;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
