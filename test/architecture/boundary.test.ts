/**
 * What ships in the Lambda and what only the build and the CLI run, read from the source (docs/architecture.md):
 * src/runbooks/ is split by job, and the runtime (Slack listeners, AWS adapters, store, workflows, the two
 * Lambda entries) may use the model and the search, never the compiler or the linter. src/runbooks/ itself
 * talks to neither Slack nor AWS. scripts/bundle.ts checks the same on the built bundle.
 */
import { describe, expect, it } from 'vitest';
import { type ImportKind, importsOf, reachableFiles, sourceFiles } from '../helpers/imports';

const ALL_KINDS: readonly ImportKind[] = ['static', 'dynamic', 'type'];
const BUILD_TIME = /^src\/runbooks\/(compile|lint)\//;

/** Code the deployed functions contain or may load. */
const RUNTIME = [
  ...['src/slack', 'src/aws', 'src/store', 'src/workflows'].flatMap(sourceFiles),
  'src/entry/lambda.ts',
  'src/entry/alarm.ts',
];

/** src/runbooks/<part>/ → the parts it may import (its own files always). Lower parts never import higher. */
const RUNBOOKS_PARTS: Record<string, readonly string[]> = {
  model: [],
  search: ['model'],
  compile: ['model', 'search'],
  lint: ['model', 'search', 'compile'],
};

const importsIn = (files: readonly string[]) =>
  files.flatMap((file) => importsOf(file).map((i) => ({ file, ...i })));

describe('runbooks: runtime vs build time', () => {
  it('src/runbooks has exactly the parts the rule names', () => {
    const parts = new Set(sourceFiles('src/runbooks').map((f) => f.split('/')[2]));
    expect([...parts].sort()).toEqual(Object.keys(RUNBOOKS_PARTS).sort());
  });

  it('nothing the Lambda runs imports the compiler or the linter, not even a type', () => {
    const offenders = importsIn(RUNTIME)
      .filter((i) => i.target !== undefined && BUILD_TIME.test(i.target))
      .map((i) => `${i.file} imports ${i.target} (${i.kind})`);
    expect(offenders).toEqual([]);
  });

  it('the Lambda entries reach no compiler or linter file through any import, static or dynamic', () => {
    const reached = reachableFiles(['src/entry/lambda.ts', 'src/entry/alarm.ts'], ALL_KINDS);
    const offenders = [...reached].filter(([f]) => BUILD_TIME.test(f)).map(([, chain]) => chain.join(' → '));
    expect(offenders).toEqual([]);
    // The walk does reach the runtime half of src/runbooks (else the check above could not fail).
    expect([...reached.keys()]).toEqual(
      expect.arrayContaining(['src/runbooks/model/artifact.ts', 'src/runbooks/search/lazy.ts']),
    );
  });

  it('search/ holds nothing build-only: the Lambda reaches every file of it but the eager search.ts', () => {
    const reached = reachableFiles(['src/entry/lambda.ts'], ['static', 'dynamic']);
    const unreached = sourceFiles('src/runbooks/search').filter(
      (f) => f !== 'src/runbooks/search/search.ts' && !reached.has(f),
    );
    expect(unreached, 'build-time code belongs in src/runbooks/compile/').toEqual([]);
  });

  it('the same walk from the CLI reaches the compiler and the linter (control)', () => {
    const reached = [...reachableFiles(['src/cli/main.ts'], ALL_KINDS).keys()];
    expect(reached).toEqual(
      expect.arrayContaining(['src/runbooks/compile/compile.ts', 'src/runbooks/lint/lint.ts']),
    );
  });

  it('each part of src/runbooks imports only the parts below it', () => {
    const offenders = importsIn(sourceFiles('src/runbooks')).flatMap((i) => {
      if (i.target === undefined) return [];
      const from = i.file.split('/')[2]!;
      if (!i.target.startsWith('src/runbooks/'))
        return [`${i.file} imports ${i.target} (outside src/runbooks)`];
      const to = i.target.split('/')[2]!;
      return to === from || RUNBOOKS_PARTS[from]?.includes(to) ? [] : [`${i.file} imports ${i.target}`];
    });
    expect(offenders).toEqual([]);
  });

  it('src/runbooks imports neither Slack nor AWS', () => {
    const all = importsIn(sourceFiles('src/runbooks'));
    const offenders = all
      .filter((i) => /^@slack\/|^@aws-sdk\//.test(i.spec))
      .map((i) => `${i.file}: ${i.spec}`);
    expect(offenders).toEqual([]);
    // The parser sees the packages src/runbooks does use.
    expect(all.map((i) => i.spec)).toEqual(expect.arrayContaining(['marked', 'fuse.js', 'mermaid']));
  });
});
