/**
 * Graph checks for a decision tree: one start node, every node reachable from it, every node with a path
 * to a leaf, and no cycle without an exit. Pure: no mermaid here.
 */
import type { TreeNode } from '../model/model';

type Fail = (line: number, reason: string) => void;

/** Returns the root node id, or null after reporting why the tree cannot be walked. */
export function checkTreeGraph(
  nodes: Record<string, TreeNode>,
  lineOf: (nodeId: string) => number,
  fail: Fail,
  treeId: string,
): string | null {
  const ids = Object.keys(nodes);
  const incoming = new Set(ids.flatMap((id) => nodes[id]!.edges.map((e) => e.to)));
  const starts = ids.filter((id) => !incoming.has(id));
  // With an edge back into the first question ("try again"), no node is free of incoming edges: the
  // first node drawn is the start then.
  if (starts.length > 1) {
    fail(
      lineOf(starts[1]!),
      `tree "${treeId}" has ${starts.length} start nodes (${starts.join(', ')}): a tree has exactly one`,
    );
    return null;
  }
  const root = starts[0] ?? ids[0]!;
  let ok = true;

  const reached = reachable([root], (id) => nodes[id]?.edges.map((e) => e.to) ?? []);
  for (const id of ids) {
    if (!reached.has(id)) {
      fail(lineOf(id), `node ${id} cannot be reached from the start node ${root}`);
      ok = false;
    }
  }

  const into = new Map<string, string[]>();
  for (const id of ids) for (const e of nodes[id]!.edges) into.set(e.to, [...(into.get(e.to) ?? []), id]);
  const leaves = ids.filter((id) => nodes[id]!.edges.length === 0);
  const toLeaf = reachable(leaves, (id) => into.get(id) ?? []);
  const stuck = ids.filter((id) => !toLeaf.has(id));
  const inCycle = new Set<string>();
  for (const cycle of closedCycles(stuck, nodes)) {
    for (const id of cycle) inCycle.add(id);
    fail(lineOf(cycle[0]!), `cycle with no exit: ${[...cycle, cycle[0]].join(' → ')} never reaches a leaf`);
    ok = false;
  }
  for (const id of stuck) {
    if (inCycle.has(id)) continue;
    fail(lineOf(id), `node ${id} has no path to a leaf`);
    ok = false;
  }
  return ok ? root : null;
}

function reachable(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(from);
  const todo = [...from];
  while (todo.length > 0) {
    for (const n of next(todo.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return seen;
}

/** Strongly connected components (Tarjan) among `ids` that contain a cycle, each in walk order. */
function closedCycles(ids: string[], nodes: Record<string, TreeNode>): string[][] {
  const within = new Set(ids);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const succ = (id: string) => (nodes[id]?.edges.map((e) => e.to) ?? []).filter((t) => within.has(t));

  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of succ(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && succ(v).includes(v);
      if (component.length > 1 || selfLoop) out.push(component.reverse());
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return out;
}
