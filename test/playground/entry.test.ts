/** `npm start` on a fresh clone: the playground entry rebuilds a missing or stale artifact first. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureArtifact } from '../../src/entry/playground';
import { hashRunbooksDir } from '../../src/runbooks/model/source-hash';
import { loadTestArtifact, RUNBOOKS_DIR } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

let dir: string;

beforeAll(() => {
  dir = tempDir('playground-artifact-');
});

describe('ensureArtifact', () => {
  it('rebuilds an artifact that no longer matches runbooks/', async () => {
    const path = join(dir, 'stale.json');
    await writeFile(path, JSON.stringify({ ...(await loadTestArtifact()), sourceHash: 'stale' }));
    const artifact = await ensureArtifact(path, RUNBOOKS_DIR);
    // The runbooks and what the search learns from (phrasings.json), as the build hashes them.
    const current = await hashRunbooksDir(RUNBOOKS_DIR);
    expect(artifact.sourceHash).toBe(current);
    expect(JSON.parse(await readFile(path, 'utf8')).sourceHash).toBe(current);
  }, 60_000);

  it('loads an up-to-date artifact without rebuilding it', async () => {
    const path = join(dir, 'fresh.json');
    await writeFile(path, JSON.stringify(await loadTestArtifact()));
    const before = await stat(path);
    const artifact = await ensureArtifact(path, RUNBOOKS_DIR);
    expect(artifact.sourceHash).toBe((await loadTestArtifact()).sourceHash);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  });
});
