/**
 * The import graph of the source, read with TypeScript's own parser (not regular expressions), for the
 * architecture tests: every `import … from`, `export … from`, side-effect `import '…'`, dynamic `import('…')`
 * and `import('…')` type, with how it loads. A file's specifiers are resolved the way tsx, esbuild and tsc
 * resolve them here: `./x` and `./x.js` → `x.ts`, a folder → its `index.ts`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './artifact';

/**
 * `static`: loads with the importing module. `dynamic`: `import()`, loads when called (its own chunk in the
 * Lambda bundle). `type`: erased by the compiler (`import type`, or every named binding marked `type`).
 */
export type ImportKind = 'static' | 'dynamic' | 'type';

export interface Import {
  /** As written. */
  spec: string;
  kind: ImportKind;
  /** The file it resolves to, relative to the repository root; undefined for packages and `node:` modules. */
  target?: string;
}

/** Every `.ts` file under `dir` (relative to the repository root), as root-relative paths, sorted. */
export function sourceFiles(dir: string): string[] {
  const walk = (abs: string): string[] =>
    readdirSync(abs, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(abs, e.name)) : e.name.endsWith('.ts') ? [join(abs, e.name)] : [],
    );
  return walk(resolve(REPO_ROOT, dir))
    .map((f) => relative(REPO_ROOT, f))
    .sort();
}

const cache = new Map<string, Import[]>();

/** The imports of one file (root-relative path). */
export function importsOf(file: string): Import[] {
  const known = cache.get(file);
  if (known) return known;
  const abs = resolve(REPO_ROOT, file);
  const source = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (spec: string, kind: ImportKind) => {
    const target = spec.startsWith('.') ? resolveLocal(abs, spec) : undefined;
    found.push(target === undefined ? { spec, kind } : { spec, kind, target });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node) ? 'type' : 'static');
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, isTypeOnlyExport(node) ? 'type' : 'static');
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, 'dynamic');
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, 'type');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  cache.set(file, found);
  return found;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'`: loads for its side effects
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    clause.name === undefined &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

function resolveLocal(from: string, spec: string): string {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(REPO_ROOT, candidate);
  }
  throw new Error(`${relative(REPO_ROOT, from)}: cannot resolve '${spec}'`);
}

/**
 * Every file reachable from `entries` through imports of the given kinds, each with the chain that reaches
 * it (entry first), for messages that say how a file got in.
 */
export function reachableFiles(
  entries: readonly string[],
  kinds: readonly ImportKind[],
): Map<string, string[]> {
  const via = new Map<string, string[]>();
  const queue = entries.map((e) => [e]);
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1]!;
    if (via.has(file)) continue;
    via.set(file, chain);
    for (const i of importsOf(file)) {
      if (i.target?.endsWith('.ts') && kinds.includes(i.kind) && !via.has(i.target))
        queue.push([...chain, i.target]);
    }
  }
  return via;
}

export interface Cycle {
  /** The shortest closed path through the component's first node: `[a, b, a]`. */
  path: string[];
  /** Every node of the strongly connected component (all of them lie on some cycle). */
  members: string[];
}

/** The cycles of a directed graph: one per strongly connected component with a cycle in it, sorted. */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): Cycle[] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
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
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return components
    .map((c) => ({ path: cyclePath(graph, new Set(c)), members: [...c].sort() }))
    .sort((a, b) => a.members.join().localeCompare(b.members.join()));
}

/** The shortest closed path from a strongly connected component's first node back to itself. */
function cyclePath(graph: ReadonlyMap<string, ReadonlySet<string>>, component: Set<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = previous.get(u))
          path.splice(1, 0, u);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
