import { describe, expect, it } from 'vitest';
import { RunbookCompileErrors } from '../../../src/runbooks/compile/errors';
import { parseRunbookFile } from '../../../src/runbooks/compile/sections';
import { analyzeTrees, compileTrees } from '../../../src/runbooks/compile/trees';
import type { Section } from '../../../src/runbooks/model/model';
import { goodRunbooks, troubleshooting } from '../lint/fixtures';

function sectionsOf(files: Record<string, string>): Section[] {
  return Object.entries(files).flatMap(([file, text]) =>
    parseRunbookFile(file, text).sections.map((p) => p.section),
  );
}

/** TROUBLESHOOTING.md with one tree section drawing `flowchart` (and the fixture's symptom sections). */
function withTree(flowchart: string, directive = 'tree=probe keywords="probe"'): Section[] {
  const tree = `## Decision trees\n\n### Probe tree\n<!-- bot: ${directive} -->\n\n\`\`\`mermaid\n${flowchart}\n\`\`\`\n`;
  return sectionsOf({
    'TROUBLESHOOTING.md': troubleshooting(tree),
    'OPERATIONS.md': goodRunbooks()['OPERATIONS.md']!,
  });
}

/** `file:line: reason` of every problem, with the line relative to the opening fence of the tree. */
async function problems(flowchart: string, directive?: string): Promise<string[]> {
  const sections = withTree(flowchart, directive);
  const fence = sections.find((s) => s.directives['tree'])?.code[0]?.line ?? 0;
  const { issues } = await analyzeTrees(sections);
  return issues.map((e) => `+${e.line - fence}: ${e.reason}`);
}

describe('compileTrees', () => {
  it('compiles the troubleshooting trees: questions, actions, leaves and escalation leaves', async () => {
    const trees = await compileTrees(sectionsOf({ 'TROUBLESHOOTING.md': troubleshooting() }));
    expect(trees.map((t) => [t.id, t.root, t.keywords.length])).toEqual([
      ['generation', 'g1', 4],
      ['login', 'l1', 4],
      ['deploy', 'd1', 4],
      ['slow', 's1', 3],
    ]);
    const gen = trees[0]!;
    expect(gen).toMatchObject({
      title: 'Generation problems tree',
      sectionId: 'TROUBLESHOOTING.md#generation-problems-tree',
    });
    expect(gen.nodes['g1']).toEqual({
      id: 'g1',
      label: 'Does generation stop after 30 s?',
      kind: 'question',
      edges: [
        { label: 'Yes', to: 'g2' },
        { label: 'No', to: 'g3' },
      ],
      target: null,
      escalation: null,
    });
    expect(gen.nodes['g3']).toMatchObject({ kind: 'action', edges: [{ label: '', to: 'c1' }] });
    expect(gen.nodes['t1']).toMatchObject({
      kind: 'leaf',
      target: 'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    });
    // No click line: the leaf's text names the symptom heading.
    expect(gen.nodes['c1']).toMatchObject({
      kind: 'leaf',
      target: 'TROUBLESHOOTING.md#connection-lost--sse-failures',
    });
    expect(gen.nodes['e1']).toMatchObject({
      kind: 'escalation',
      target: 'TROUBLESHOOTING.md#generation-escalation',
      escalation: 'generation',
    });
  });

  it('follows links into other runbooks, and allows a cycle that has an exit', async () => {
    const flow = `flowchart TD
  a{Did a retry help?} -->|Yes| done[Token expired]
  a -->|No| w[Wait five minutes] --> a
  a -->|Still failing| call[Call someone]
  click call href "OPERATIONS.md#escalation-contacts"`;
    const [tree] = await compileTrees(withTree(flow));
    expect(tree?.root).toBe('a');
    expect(tree?.nodes['call']).toMatchObject({ kind: 'leaf', target: 'OPERATIONS.md#escalation-contacts' });
    expect(tree?.nodes['w']).toMatchObject({ kind: 'action', edges: [{ label: '', to: 'a' }] });
  });

  it('throws every problem as RunbookCompileErrors with file:line', async () => {
    const error = await compileTrees(
      withTree('flowchart TD\n  a{Q} --> b[Token expired]\n  a --> c[Access denied]'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunbookCompileErrors);
    expect((error as Error).message).toMatch(
      /^TROUBLESHOOTING\.md:\d+: decision node a has an unlabelled edge to b/,
    );
  });
});

describe('trees the bot cannot walk', () => {
  it('a decision node with unlabelled edges', async () => {
    expect(
      await problems('flowchart TD\n  a{Is it down?} -->|Yes| b[Token expired]\n  a --> c[Access denied]'),
    ).toEqual(['+3: decision node a has an unlabelled edge to c: label it (-->|Yes|)']);
  });

  it('a node with no path to a leaf, and a cycle with no exit', async () => {
    const flow = `flowchart TD
  a{Q?} -->|Yes| ok[Token expired]
  a -->|No| b[Look around]
  b --> c[Check again]
  c --> d[And again]
  d --> c`;
    expect(await problems(flow)).toEqual([
      '+3: node b has no path to a leaf',
      '+4: cycle with no exit: c → d → c never reaches a leaf',
    ]);
  });

  it('a leaf that points at a missing section, or names none', async () => {
    const flow = `flowchart TD
  a{Q?} -->|Yes| x[Somewhere]
  a -->|No| y[Nowhere in particular]
  a -->|Maybe| z[External]
  click x href "#no-such-section"
  click z href "https://example.com/runbook"`;
    expect(await problems(flow)).toEqual([
      '+3: leaf y ("Nowhere in particular") points at no section: add `click <id> href "#anchor"` (or name a heading exactly)',
      '+5: leaf x ("Somewhere") links to #no-such-section, which is not a section',
      '+6: leaf z ("External") links to https://example.com/runbook: link a runbook section (#anchor or FILE.md#anchor)',
    ]);
  });

  it('several start nodes, and nodes the walk never reaches', async () => {
    expect(await problems('flowchart TD\n  a{Q?} -->|Yes| b[Token expired]\n  c[Stray] --> b')).toEqual([
      '+3: tree "probe" has 2 start nodes (a, c): a tree has exactly one',
    ]);
  });

  it('duplicate answers out of one node', async () => {
    expect(
      await problems('flowchart TD\n  a{Q?} -->|Yes| b[Token expired]\n  a -->|yes| c[Access denied]'),
    ).toEqual(['+2: node a has two edges labelled "yes": each answer needs its own label']);
  });

  it('a tree section without exactly one flowchart', async () => {
    expect(await problems('sequenceDiagram\n  A->>B: hi')).toEqual([
      '+1: tree "probe" must be a flowchart (`flowchart TD`), got a sequence diagram',
    ]);
    expect(await problems('flowchart TD\n  a{Q? -->|x| b')).toEqual([
      expect.stringMatching(/^\+2: invalid Mermaid: Parse error on line 2/),
    ]);
    expect(await problems('flowchart TD\n  a --> b', 'tree=Bad_Id')).toEqual([
      expect.stringMatching(/tree id must be a slug \(tree=login-problems\), got "Bad_Id"/),
    ]);
  });

  it('an escalation leaf naming an escalation path that does not exist', async () => {
    const sections = sectionsOf({ 'TROUBLESHOOTING.md': troubleshooting() });
    const { issues } = await analyzeTrees(sections, { escalationPaths: [] });
    expect(issues.map((e) => e.reason)).toEqual([
      'leaf e1 names escalation path "generation", which does not exist',
    ]);
  });
});
