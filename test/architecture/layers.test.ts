/**
 * The layers of src/ (docs/architecture.md), read from the source: which top-level folder may import
 * which, no import cycle between them, and none between the lazily loaded Slack features and their
 * manifests. Every kind of import counts: `import type` and `import()` tie folders together as much as a
 * static import does.
 */
import { describe, expect, it } from 'vitest';
import {
  type Cycle,
  findCycles,
  type ImportKind,
  importsOf,
  reachableFiles,
  sourceFiles,
} from '../helpers/imports';

/**
 * Top-level folder (or file) of src/ → what it may import besides itself. Written bottom-up; the table is
 * what docs/architecture.md shows. A new folder must be added here (and there) before it can be imported.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  config: [],
  runbooks: [],
  workflows: ['runbooks'],
  store: ['workflows', 'runbooks', 'config'],
  aws: ['workflows', 'runbooks', 'config'],
  slack: ['aws', 'store', 'workflows', 'runbooks', 'config'],
  local: [],
  cli: ['runbooks', 'config', 'workflows', 'store'],
  playground: ['slack', 'local', 'aws', 'store', 'workflows', 'runbooks', 'config'],
  entry: ['playground', 'cli', 'slack', 'local', 'aws', 'store', 'workflows', 'runbooks', 'config'],
};

/** `src/slack/app.ts` → `slack`; `src/config.ts` → `config`. */
const layerOf = (file: string) => file.split('/')[1]!.replace(/\.ts$/, '');

interface Edge {
  from: string;
  to: string;
  via: string;
}

function edgesBetween(files: readonly string[], group: (file: string) => string): Edge[] {
  return files.flatMap((file) =>
    importsOf(file).flatMap((i) =>
      i.target?.startsWith('src/') && group(file) !== group(i.target)
        ? [{ from: group(file), to: group(i.target), via: `${file} → ${i.target} (${i.kind})` }]
        : [],
    ),
  );
}

function graphOf(nodes: readonly string[], edges: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const e of edges) graph.get(e.from)?.add(e.to);
  return graph;
}

/** A cycle, with the imports that make each of its steps. */
function describeCycle(path: readonly string[], edges: readonly Edge[]): string {
  const steps = path.slice(1).map((to, n) => {
    const from = path[n]!;
    const examples = edges.filter((e) => e.from === from && e.to === to).map((e) => e.via);
    return `  ${from} → ${to}: ${examples.slice(0, 3).join('; ')}${examples.length > 3 ? ' …' : ''}`;
  });
  return [path.join(' → '), ...steps].join('\n');
}

const SRC = sourceFiles('src');
const ALL_KINDS: readonly ImportKind[] = ['static', 'dynamic', 'type'];

describe('layers of src/', () => {
  const edges = edgesBetween(SRC, layerOf);

  it('knows every top-level folder', () => {
    const unknown = [...new Set(SRC.map(layerOf))].filter((l) => !(l in MAY_IMPORT));
    expect(unknown, 'add it to MAY_IMPORT and docs/architecture.md').toEqual([]);
  });

  it('has no import cycle between top-level folders', () => {
    const cycles = findCycles(graphOf(Object.keys(MAY_IMPORT), edges));
    expect(cycles.map((c) => describeCycle(c.path, edges))).toEqual([]);
    expect(edges.length).toBeGreaterThan(0);
  });

  it('each folder imports only the folders it may', () => {
    const offenders = edges.filter((e) => !MAY_IMPORT[e.from]?.includes(e.to)).map((e) => e.via);
    expect(offenders).toEqual([]);
  });

  it('the table itself has no cycle, and the import graph is not empty (controls)', () => {
    const table = new Map(Object.entries(MAY_IMPORT).map(([k, v]) => [k, new Set(v)]));
    expect(findCycles(table)).toEqual([]);
    expect(new Set(edges.map((e) => `${e.from}→${e.to}`))).toContain('slack→runbooks');
  });

  it('finds a cycle and names the imports that make it (control)', () => {
    const made: Edge[] = [
      { from: 'aws', to: 'slack', via: 'a.ts → b.ts (type)' },
      { from: 'slack', to: 'aws', via: 'b.ts → a.ts (static)' },
    ];
    const cycles = findCycles(graphOf(['aws', 'slack', 'store'], made));
    expect(cycles.map((c) => describeCycle(c.path, made))).toEqual([
      'aws → slack → aws\n  aws → slack: a.ts → b.ts (type)\n  slack → aws: b.ts → a.ts (static)',
    ]);
  });
});

/** File-level graph of `files` over imports of the given kinds, edges inside `files` only. */
function fileGraph(files: readonly string[], kinds: readonly ImportKind[]): Map<string, Set<string>> {
  const inside = new Set(files);
  return new Map(
    files.map((f) => [
      f,
      new Set(
        importsOf(f)
          .filter((i) => kinds.includes(i.kind) && i.target !== undefined && inside.has(i.target))
          .map((i) => i.target!),
      ),
    ]),
  );
}

const showCycle = (c: Cycle) => c.path.join(' → ');

describe('files', () => {
  const FEATURES = sourceFiles('src/slack/features');
  const MANIFESTS = FEATURES.filter((f) => f.endsWith('/manifest.ts'));

  it('no import cycle among the Slack features and their manifests, whatever the kind of import', () => {
    expect(findCycles(fileGraph(FEATURES, ALL_KINDS)).map(showCycle)).toEqual([]);
    expect(MANIFESTS.length).toBeGreaterThanOrEqual(5);
  });

  it('no file of src/ is in a cycle of imports that load code (static or import())', () => {
    expect(findCycles(fileGraph(SRC, ['static', 'dynamic'])).map(showCycle)).toEqual([]);
  });

  it('only features/index.ts imports a manifest', () => {
    const offenders = SRC.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target && MANIFESTS.includes(i.target) && file !== 'src/slack/features/index.ts')
        .map((i) => `${file} imports ${i.target}`),
    );
    expect(offenders).toEqual([]);
  });

  it.each(MANIFESTS)('%s reaches its feature only through import()', (manifest) => {
    const loaded = importsOf(manifest).filter((i) => i.kind === 'dynamic' && i.target !== undefined);
    expect(loaded.length).toBe(1);
    const atStart = reachableFiles([manifest], ['static', 'type']);
    for (const { target } of loaded) expect(atStart.get(target!), `${manifest} → ${target}`).toBeUndefined();
  });
});
