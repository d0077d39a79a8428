/**
 * `loadTestArtifact()`: the real runbooks compiled once per test process, and cached on disk in
 * build/test-artifact.json keyed by a hash of the runbooks and of the compiler's own source, so most test
 * files skip compiling (and loading mermaid) altogether.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compileRunbooks } from '../../src/runbooks/compile/compile';
import { parseArtifact, runtimeArtifact } from '../../src/runbooks/model/artifact';
import type { Artifact } from '../../src/runbooks/model/model';
import { hashRunbooksDir } from '../../src/runbooks/model/source-hash';
import { openSplitArtifact, type SplitIndex, splitArtifact } from '../../src/runbooks/model/split';
import { createSearch } from '../../src/runbooks/search/search';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const RUNBOOKS_DIR = join(REPO_ROOT, 'runbooks');
export const TEST_ARTIFACT_PATH = join(REPO_ROOT, 'build', 'test-artifact.json');
const KEY_PATH = `${TEST_ARTIFACT_PATH}.key`;

let memo: Promise<Artifact> | null = null;

export function loadTestArtifact(): Promise<Artifact> {
  memo ??= loadOrCompile();
  return memo;
}

/**
 * The test artifact without what runbooks/phrasings.json teaches (`search.learned`): the ranking's rules
 * alone (search/rank.ts), as a runbook repository with no phrasings.json has them. For the tests of those
 * rules, several of which also show what a rule's absence would answer.
 */
export async function loadRankingArtifact(): Promise<Artifact> {
  const artifact = await loadTestArtifact();
  const { learned: _, ...search } = artifact.search;
  return { ...artifact, search };
}

/** Writes the test artifact if needed and returns its path (for spawning the CLI with `--artifact`). */
export async function testArtifactPath(): Promise<string> {
  await loadTestArtifact();
  return TEST_ARTIFACT_PATH;
}

async function loadOrCompile(): Promise<Artifact> {
  const key = await cacheKey();
  try {
    if ((await readFile(KEY_PATH, 'utf8')) === key) {
      return parseArtifact(await readFile(TEST_ARTIFACT_PATH, 'utf8'), TEST_ARTIFACT_PATH);
    }
  } catch {
    // No cache yet, or a broken one: compile below.
  }
  const artifact = await compileRunbooks(RUNBOOKS_DIR);
  await mkdir(join(REPO_ROOT, 'build'), { recursive: true });
  // Written whole, then renamed: a concurrent test process never reads half a file.
  const tmp = `${TEST_ARTIFACT_PATH}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(artifact));
  await rename(tmp, TEST_ARTIFACT_PATH);
  await writeFile(`${tmp}.key`, key);
  await rename(`${tmp}.key`, KEY_PATH);
  return artifact;
}

async function cacheKey(): Promise<string> {
  // The runbooks and what the search learns from (phrasings.json), as the artifact's source hash covers them.
  const hash = createHash('sha256').update(await hashRunbooksDir(RUNBOOKS_DIR));
  const srcDir = join(REPO_ROOT, 'src', 'runbooks');
  const names = (await readdir(srcDir, { recursive: true })).filter((n) => n.endsWith('.ts')).sort();
  for (const name of names) {
    hash.update(name).update(await readFile(join(srcDir, name)));
  }
  return hash.digest('hex');
}

/**
 * `whole` split as the build writes it and opened as the Lambda opens it (the index through JSON), in
 * memory; `reads` lists every file the opened artifact read, in order, so a test can say what a path reads.
 * A file the index does not name throws. `change` may alter the files first (a damaged or foreign file).
 */
export function openSplitInMemory(
  whole: Artifact,
  change: (files: Record<string, string | Uint8Array>) => void = () => {},
): { opened: Artifact; reads: string[]; index: SplitIndex } {
  const { index, files } = splitArtifact(whole);
  change(files);
  const reads: string[] = [];
  const opened = openSplitArtifact(JSON.parse(JSON.stringify(index)), (name) => {
    reads.push(name);
    const f = files[name];
    if (f === undefined) throw new Error(`no file ${name}`);
    return typeof f === 'string' ? Buffer.from(f) : f;
  });
  return { opened, reads, index };
}

/**
 * The test corpus as the bundle ships it (`runtimeArtifact`), whole and split in memory (`openSplitInMemory`,
 * `change` as there).
 */
export async function openTestSplit(
  change?: (files: Record<string, string | Uint8Array>) => void,
): Promise<{ whole: Artifact; opened: Artifact; reads: string[]; index: SplitIndex }> {
  const whole = runtimeArtifact(await loadTestArtifact());
  return { whole, ...openSplitInMemory(whole, change) };
}

/** The section a search over `artifact` answers `query` with, or 'no good match' when it is not confident. */
export function firstAnswer(artifact: Artifact, query: string): string | undefined {
  const r = createSearch(artifact).search(query);
  return r.confident ? r.results[0]?.section.id : 'no good match';
}
