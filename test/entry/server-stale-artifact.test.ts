/**
 * Found in a review (helper-179): `npm start` with Slack credentials (HTTP or Socket Mode, on a server beside the
 * repository) loads build/artifact.json as it finds it, while it reads approvers.yaml fresh from runbooks/.
 * After a `git pull` that changed the runbooks (a gate's approvers, a failover step) and no rebuild, the bot
 * serves the old checklists with the new approvers. The playground refuses (rebuilds) a stale artifact; the
 * real server does not. Fails on the code it was written against.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/slack/deps';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact, REPO_ROOT } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

describe('the HTTP / Socket Mode server beside its runbooks', () => {
  it('refuses to start on an artifact built before runbooks/ changed', async () => {
    const stale = { ...(await loadTestArtifact()), sourceHash: 'f'.repeat(64) };
    const path = join(tempDir('server-stale-'), 'artifact.json');
    writeFileSync(path, JSON.stringify(stale));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-stale-artifact',
      SLACK_SIGNING_SECRET: 'stale-artifact-signing-secret-0',
      RUNBOOK_ARTIFACT: path,
      APPROVERS_FILE: join(REPO_ROOT, 'runbooks', 'approvers.yaml'),
      PORT: '0',
    });
    expect(config.mode).toBe('http');
    await expect(createDeps(config, { logger: createMemoryLogger() })).rejects.toThrow(/stale/);
  });
});
