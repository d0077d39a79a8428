/**
 * Temporary folders for tests, removed without the test having to remember: one created inside a test is
 * removed when that test finishes (`onTestFinished`); one created at module level, in a `describe` or a
 * `beforeAll`, when the test file is done (an `afterAll` this module registers on the file that imports it).
 * Outside vitest (a benchmark importing a test helper), at process exit. `.ci/run` fails when a test run
 * leaves anything in the temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const live = new Set<string>();

function remove(dir: string): void {
  live.delete(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function removeAll(): void {
  for (const dir of [...live]) remove(dir);
}

if (process.env.VITEST) afterAll(removeAll);
else process.once('exit', removeAll);

/** A new empty folder `<temp dir>/<prefix>XXXXXX`; see above for when it is removed. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  live.add(dir);
  try {
    onTestFinished(() => remove(dir));
  } catch {
    // Not inside a test: the file's afterAll (or process exit) removes it.
  }
  return dir;
}
