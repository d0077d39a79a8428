import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { ArtifactLoadError, loadArtifact } from '../../../src/runbooks/model/artifact';
import { tempDir } from '../../helpers/temp';
import { FIXTURES } from '../fixtures';

let dir: string;
beforeAll(() => {
  dir = tempDir('artifact-');
});

describe('loadArtifact', () => {
  it('round-trips a compiled artifact through JSON', async () => {
    const artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify(artifact));
    expect(await loadArtifact(path)).toEqual(JSON.parse(JSON.stringify(artifact)));
  });

  it('names the path and the fix when the file is missing', async () => {
    const path = join(dir, 'nope.json');
    await expect(loadArtifact(path)).rejects.toThrow(
      new ArtifactLoadError(path, 'missing; run `npm run build:artifact`'),
    );
    // Read in one blocking call (a cold start with nothing to overlap): the same error, as a rejection.
    await expect(loadArtifact(path, { blocking: true })).rejects.toThrow(
      new ArtifactLoadError(path, 'missing; run `npm run build:artifact`'),
    );
  });

  it('loads the same artifact read in one blocking call', async () => {
    const artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
    const path = join(dir, 'blocking.json');
    await writeFile(path, JSON.stringify(artifact));
    expect(await loadArtifact(path, { blocking: true })).toEqual(await loadArtifact(path));
  });

  it('rejects an artifact of another version, or one that is not JSON', async () => {
    const old = join(dir, 'old.json');
    await writeFile(old, JSON.stringify({ version: 0 }));
    await expect(loadArtifact(old)).rejects.toThrow(`runbook artifact ${old}: version 0, this bot needs 1`);
    const junk = join(dir, 'junk.json');
    await writeFile(junk, '{"version": 1,');
    await expect(loadArtifact(junk)).rejects.toThrow(`runbook artifact ${junk}: not valid JSON`);
  });

  it('refuses a split artifact of an older layout, saying to rebuild it', async () => {
    const path = join(dir, 'split-1.json');
    await writeFile(path, JSON.stringify({ version: 1, format: 'split-1', sections: { ids: [] } }));
    await expect(loadArtifact(path)).rejects.toThrow(
      `runbook artifact ${path}: an older split layout (split-1); run \`npm run build:artifact\``,
    );
  });

  it('rejects a stale artifact when asked to compare with the runbooks', async () => {
    const artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
    const path = join(dir, 'stale.json');
    await writeFile(path, JSON.stringify(artifact));
    const books = join(dir, 'books');
    await mkdir(books);
    for (const f of FIXTURES) await writeFile(join(books, f.file), f.source);
    await expect(loadArtifact(path, { runbooksDir: books })).resolves.toBeDefined();
    await writeFile(join(books, 'OPERATIONS.md'), `${FIXTURES[2]!.source}\nEdited.\n`);
    await expect(loadArtifact(path, { runbooksDir: books })).rejects.toThrow(
      /stale: .* changed since it was built/,
    );
  });
});
