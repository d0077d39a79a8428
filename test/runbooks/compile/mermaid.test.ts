import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MermaidSyntaxError, parseFlowchart, validateMermaid } from '../../../src/runbooks/compile/mermaid';

describe('parseFlowchart (mermaid 11 under jsdom)', () => {
  it('reads nodes, shapes, edge labels and click links from mermaid’s flowchart DB', async () => {
    const flow = await parseFlowchart(`flowchart TD
  q1{"Is it HTTP 429 &amp; slow?"} -->|Yes| a1[Check #quot;quota#quot;]
  q1 -- "No, it's fine" --> l1([Token <br> expired])
  a1 --> l2((Escalate))
  click l1 href "#token-expired--cognito-refresh"
  click l2 "OPERATIONS.md#escalation-contacts" "Who to call"
`);
    expect(flow.type).toBe('flowchart-v2');
    expect(flow.nodes).toEqual([
      { id: 'q1', label: 'Is it HTTP 429 & slow?', shape: 'diamond' },
      { id: 'a1', label: 'Check "quota"', shape: 'square' },
      { id: 'l1', label: 'Token expired', shape: 'stadium' },
      { id: 'l2', label: 'Escalate', shape: 'circle' },
    ]);
    expect(flow.edges).toEqual([
      { from: 'q1', to: 'a1', label: 'Yes' },
      { from: 'q1', to: 'l1', label: "No, it's fine" },
      { from: 'a1', to: 'l2', label: '' },
    ]);
    expect(flow.clicks).toEqual([
      { node: 'l1', href: '#token-expired--cognito-refresh' },
      { node: 'l2', href: 'OPERATIONS.md#escalation-contacts' },
    ]);
  });

  it('treats `graph` as a flowchart and keeps a fresh DB per diagram', async () => {
    const first = await parseFlowchart('graph LR\n  A --> B');
    const second = await parseFlowchart('graph LR\n  X --> Y');
    expect(first.nodes.map((n) => n.id)).toEqual(['A', 'B']);
    expect(second.nodes.map((n) => n.id)).toEqual(['X', 'Y']);
  });

  it('reports other diagram types without nodes, so a tree can refuse them', async () => {
    const flow = await parseFlowchart('sequenceDiagram\n  A->>B: hi');
    expect(flow).toMatchObject({ type: 'sequence', nodes: [], edges: [] });
  });

  it('throws MermaidSyntaxError with the line inside the diagram', async () => {
    const error = await parseFlowchart('flowchart TD\n  A --> B\n  B --> C{oops -->|x| D\n  D --> E').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MermaidSyntaxError);
    expect((error as MermaidSyntaxError).line).toBe(3);
    expect((error as MermaidSyntaxError).message).toMatch(/^Parse error on line 3: Expecting/);
  });
});

describe('validateMermaid', () => {
  it('accepts every diagram type mermaid knows', async () => {
    await expect(validateMermaid('sequenceDiagram\n  A->>B: hi')).resolves.toBe('sequence');
    await expect(validateMermaid('stateDiagram-v2\n  [*] --> S1')).resolves.toBe('stateDiagram');
  });

  it('rejects invalid diagrams with a line number, also after front matter', async () => {
    const bad = await validateMermaid('---\ntitle: x\n---\nflowchart TD\n  A --> B\n  B -->>> C').catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(MermaidSyntaxError);
    expect((bad as MermaidSyntaxError).line).toBe(6);
    const unknown = await validateMermaid('not a diagram').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(MermaidSyntaxError);
    expect((unknown as MermaidSyntaxError).message).toMatch(/No diagram type detected/);
  });
});

describe('mermaid stays out of the runtime', () => {
  // The bot's entry points and the search path must never reach mermaid, jsdom, or the build-time
  // modules that load them, through static imports or dynamic import().
  const FORBIDDEN = /^(mermaid|jsdom)(\/|$)|\/runbooks\/(mermaid|trees|lint[\w-]*)$/;

  /** Runtime imports: static (not `import type`), re-exports, side-effect imports and `import()`. */
  async function importsOf(file: string): Promise<string[]> {
    const text = await readFile(file, 'utf8');
    const specs: string[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      if (!m[1]) specs.push(m[2]!);
    }
    for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specs.push(m[1]!);
    for (const m of text.matchAll(/(?<!typeof\s)import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
    return specs;
  }

  async function reachable(entries: string[]): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    const todo = entries.map((e) => ({ file: resolve(e), via: e }));
    while (todo.length > 0) {
      const { file, via } = todo.pop()!;
      if (seen.has(file)) continue;
      seen.set(file, via);
      for (const spec of await importsOf(file)) {
        if (!spec.startsWith('.')) {
          seen.set(spec, `${relative(process.cwd(), file)} imports ${spec}`);
          continue;
        }
        const base = resolve(dirname(file), spec).replace(/\.js$/, '');
        for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
          if (
            await readFile(candidate).then(
              () => true,
              () => false,
            )
          ) {
            todo.push({ file: candidate, via: `${relative(process.cwd(), file)} imports ${spec}` });
            break;
          }
        }
      }
    }
    return seen;
  }

  it('src/slack and src/runbooks/search/ reach neither mermaid nor jsdom', async () => {
    const slack = (await readdir('src/slack', { recursive: true }))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src/slack', f));
    const search = (await readdir('src/runbooks/search'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('src/runbooks/search', f));
    const graph = await reachable([...slack, ...search]);
    const offenders = [...graph.entries()]
      .filter(([spec]) => FORBIDDEN.test(spec.replace(/\.ts$/, '')))
      .map(([spec, via]) => `${spec} (${via})`);
    expect(offenders).toEqual([]);
    expect(graph.size).toBeGreaterThan(5);
  });

  it('the import walk does see mermaid from the build-time modules (control)', async () => {
    const graph = await reachable(['src/runbooks/compile/trees.ts']);
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['mermaid', 'jsdom']));
  });
});
