/**
 * Found in a review (helper-179): the bundle ships build/artifact.json as it finds it. Runbooks changed since it was
 * built (a gate's approvers tightened, a step added) or an artifact of another version go into the zip, and
 * the function serves them: the Lambda has no runbooks to compare with, so only the bundle can notice.
 * Each test fails on the code it was written against.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle } from '../../scripts/bundle';
import { loadArtifact } from '../../src/runbooks/model/artifact';
import { loadTestArtifact, REPO_ROOT, RUNBOOKS_DIR } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

/** A bundle of a one-line entry (the check is on the inputs, not the code), from the repository's root. */
async function bundleWith(artifact: unknown) {
  const dir = tempDir('bundle-stale-');
  const artifactPath = join(dir, 'artifact.json');
  writeFileSync(artifactPath, JSON.stringify(artifact));
  const entry = join(dir, 'tiny.ts');
  writeFileSync(entry, 'export const handler = async () => 1;\n');
  const outdir = join(dir, 'dist', 'lambda');
  await bundle({
    root: REPO_ROOT,
    outdir,
    artifact: artifactPath,
    approvers: join(RUNBOOKS_DIR, 'approvers.yaml'),
    iamScopeFile: join(dir, 'iam.json'),
    entryPoints: { tiny: entry },
  });
  return { outdir };
}

describe('the bundle ships only the artifact of the runbooks it stands beside', () => {
  it('refuses an artifact built before the runbooks changed (its sourceHash is not that of runbooks/)', async () => {
    const current = await loadTestArtifact();
    // As `npm run build:artifact`, then an edit to DR_FAILOVER.md, then `npm run bundle` (or a deploy of the
    // dist/ an earlier `npm run package` left).
    const stale = { ...current, sourceHash: '0'.repeat(64) };
    await expect(bundleWith(stale)).rejects.toThrow(/stale|changed|runbooks/i);
  }, 120_000);

  it('refuses an artifact of another version instead of stamping it with this version', async () => {
    const current = await loadTestArtifact();
    const other = { ...current, version: 0 };
    let shipped: string | null = null;
    try {
      const { outdir } = await bundleWith(other);
      shipped = readFileSync(join(outdir, 'artifact.json'), 'utf8').slice(0, 40);
      // What the function then does: loads it as its own version.
      await loadArtifact(join(outdir, 'artifact.json'));
    } catch (error) {
      expect(shipped).toBeNull();
      expect(String(error)).toMatch(/version/);
      return;
    }
    expect.fail(`the bundle shipped a version-0 artifact and the function loaded it (${shipped})`);
  }, 120_000);
});
