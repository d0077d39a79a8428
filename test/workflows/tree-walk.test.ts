import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunbookFile } from '../../src/runbooks/compile/sections';
import { compileTrees } from '../../src/runbooks/compile/trees';
import type { DecisionTree } from '../../src/runbooks/model/model';
import {
  back,
  choose,
  decodeWalkState,
  encodeWalkState,
  MAX_WALK_STEPS,
  pickTree,
  resumeWalk,
  startOver,
  startWalk,
  treeVersion,
  walkTo,
} from '../../src/workflows/tree-walk';
import { loadTestArtifact } from '../helpers/artifact';
import { troubleshooting } from '../runbooks/lint/fixtures';

let trees: DecisionTree[] = [];
const tree = (id: string) => trees.find((t) => t.id === id)!;

beforeAll(async () => {
  const sections = parseRunbookFile('TROUBLESHOOTING.md', troubleshooting()).sections.map((p) => p.section);
  trees = await compileTrees(sections);
});

describe('walking a tree', () => {
  it('starts at the root with one choice per edge, and no Back', () => {
    const view = startWalk(tree('generation'));
    expect(view.node.id).toBe('g1');
    expect(view.choices.map((c) => [c.label, c.next.path])).toEqual([
      ['Yes', [0]],
      ['No', [1]],
    ]);
    expect(view.back).toBeNull();
    expect(view.trail).toEqual([]);
  });

  it('chooses, labels an action’s single edge "Next", goes back and starts over', () => {
    const start = startWalk(tree('generation'));
    const no = choose(start, 1);
    if (!no.ok) throw new Error('walk failed');
    expect(no.view.node).toMatchObject({ id: 'g3', kind: 'action' });
    expect(no.view.choices.map((c) => c.label)).toEqual(['Next']);
    expect(no.view.trail.map((t) => [t.node.id, t.edge.label])).toEqual([['g1', 'No']]);

    const leaf = choose(no.view, 0);
    if (!leaf.ok) throw new Error('walk failed');
    expect(leaf.view.node).toMatchObject({ id: 'c1', kind: 'leaf' });
    expect(leaf.view.choices).toEqual([]);
    expect(leaf.view.back).toEqual({ ...leaf.view.state, path: [1] });

    expect(back(leaf.view).node.id).toBe('g3');
    expect(startOver(leaf.view).state.path).toEqual([]);
  });

  it('reaches every leaf of every tree, and back again to the root', () => {
    for (const t of trees) {
      const leaves = Object.values(t.nodes).filter((n) => n.edges.length === 0);
      const seen = new Set<string>();
      const visit = (path: number[]) => {
        const outcome = walkTo(t, path);
        if (!outcome.ok) throw new Error(`bad path ${path.join('.')}`);
        const { view } = outcome;
        if (view.choices.length === 0) {
          seen.add(view.node.id);
          let up = view;
          for (let k = 0; k < path.length; k++) up = back(up);
          expect(up.node.id).toBe(t.root);
          return;
        }
        for (const c of view.choices) visit(c.next.path);
      };
      visit([]);
      expect([...seen].sort()).toEqual(leaves.map((l) => l.id).sort());
    }
  });

  it('refuses a path that does not exist in the tree', () => {
    expect(walkTo(tree('login'), [7])).toEqual({
      ok: false,
      problem: { kind: 'bad-path', tree: tree('login') },
    });
    expect(walkTo(tree('login'), new Array(MAX_WALK_STEPS + 1).fill(0)).ok).toBe(false);
  });
});

describe('walk state in a button value', () => {
  it('round-trips tree id, version and path', () => {
    const state = { treeId: 'login', version: treeVersion(tree('login')), path: [0, 12, 3] };
    const value = encodeWalkState(state);
    expect(value).toBe(`login~${state.version}~0.12.3`);
    expect(decodeWalkState(value)).toEqual(state);
    expect(decodeWalkState(`login~${state.version}~`)).toEqual({ ...state, path: [] });
    expect(decodeWalkState('login~zz~0')).toBeNull();
    expect(decodeWalkState('<!channel>~ab~0')).toBeNull();
  });

  it('resumes an unchanged tree, and tells a changed or removed tree apart', () => {
    const login = tree('login');
    const state = { treeId: 'login', version: treeVersion(login), path: [1] };
    const resumed = resumeWalk(trees, state);
    expect(resumed.ok && resumed.view.node.id).toBe('l3');

    const edited: DecisionTree = {
      ...login,
      nodes: { ...login.nodes, l3: { ...login.nodes['l3']!, label: 'Forbidden' } },
    };
    expect(treeVersion(edited)).not.toBe(state.version);
    expect(resumeWalk([edited], state)).toEqual({ ok: false, problem: { kind: 'changed', tree: edited } });
    expect(resumeWalk([], state)).toEqual({ ok: false, problem: { kind: 'unknown-tree', treeId: 'login' } });
  });
});

describe('pickTree', () => {
  it.each([
    ['generation', 'generation'],
    ['login', 'login'],
    ['deploy', 'deploy'],
    ['slow', 'slow'],
    ['genration keeps timing out', 'generation'],
    ['cant sign-in', 'login'],
    ['the site is SLOW', 'slow'],
    ['cloudformation stuck', 'deploy'],
  ])('"%s" picks %s', (words, id) => {
    expect(pickTree(trees, words).tree?.id).toBe(id);
  });

  it('picks nothing for nonsense or no words', () => {
    expect(pickTree(trees, 'xyzzy plugh')).toEqual({ tree: null, ranked: [] });
    expect(pickTree(trees, '   ')).toEqual({ tree: null, ranked: [] });
  });
});

describe("the real runbooks' Generation tree", () => {
  it('walks from "another error on every generation" to Bedrock access denied', async () => {
    const artifact = await loadTestArtifact();
    const generation = artifact.trees.find((t) => t.id === 'generation')!;
    const start = startWalk(generation);
    const other = start.choices.findIndex((c) => c.label === 'Another error, every generation fails');
    expect(other).toBeGreaterThanOrEqual(0);
    const asked = choose(start, other);
    if (!asked.ok) throw new Error('walk failed');
    expect(asked.view.node.label).toContain('AccessDeniedException');
    const yes = choose(
      asked.view,
      asked.view.choices.findIndex((c) => c.label === 'Yes'),
    );
    if (!yes.ok) throw new Error('walk failed');
    expect(yes.view.node).toMatchObject({
      kind: 'leaf',
      target: 'TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam',
    });
  });
});
