/**
 * Found in a review (helper-187) of 2c44782 / bd613c0 (staleBeside): the stale check compares the runbooks
 * beside approvers.yaml with the artifact only when every runbook the artifact was built from is still
 * there. A `git pull` that removes or renames a runbook (a checklist retired, a file renamed) therefore
 * skips the check altogether: the server serves the old artifact (the removed runbook's checklists and
 * gates, and every other edit since) with the approvers.yaml it reads fresh.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { hashSources, readRunbookSources } from '../../src/runbooks/model/source-hash';
import { createDeps } from '../../src/slack/deps';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact, REPO_ROOT } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

describe('the HTTP server beside runbooks/ after a runbook was renamed', () => {
  it('refuses an artifact built before PROMOTION.md was renamed (and the rest edited)', async () => {
    const runbooks = join(REPO_ROOT, 'runbooks');
    // The artifact as built from the runbooks as they are now in the repository.
    const artifact = {
      ...(await loadTestArtifact()),
      sourceHash: hashSources(await readRunbookSources(runbooks)),
    };
    const path = join(tempDir('server-renamed-'), 'artifact.json');
    writeFileSync(path, JSON.stringify(artifact));
    // Then the checkout changes: PROMOTION.md is renamed and DR_FAILOVER.md edited (a gate tightened).
    const checkout = tempDir('server-renamed-runbooks-');
    for (const f of readdirSync(runbooks)) {
      if (!f.endsWith('.md') && f !== 'approvers.yaml') continue;
      const to = f === 'PROMOTION.md' ? 'RELEASE_PROMOTION.md' : f;
      copyFileSync(join(runbooks, f), join(checkout, to));
    }
    writeFileSync(join(checkout, 'DR_FAILOVER.md'), '# DR failover\n\nRewritten since the build.\n', {
      flag: 'a',
    });
    expect(hashSources(await readRunbookSources(checkout))).not.toBe(artifact.sourceHash);
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-renamed-runbook',
      SLACK_SIGNING_SECRET: 'renamed-runbook-signing-secret-0',
      RUNBOOK_ARTIFACT: path,
      APPROVERS_FILE: join(checkout, 'approvers.yaml'),
      PORT: '0',
    });
    expect(config.mode).toBe('http');
    await expect(createDeps(config, { logger: createMemoryLogger() })).rejects.toThrow(/stale/);
  });
});
