/**
 * Found in a review (helper-180) of 8c0c5c5's stale check in createDeps: it hashes the *.md files beside
 * APPROVERS_FILE, not the runbooks the artifact was built from. An operator who keeps approvers.yaml in a
 * config folder holding any Markdown (a README, notes) gets a server that refuses a fresh artifact as stale.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { hashSources, readRunbookSources } from '../../src/runbooks/model/source-hash';
import { createDeps } from '../../src/slack/deps';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact, REPO_ROOT } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

describe('the HTTP server with approvers.yaml outside runbooks/', () => {
  it('starts on an artifact built from the current runbooks/', async () => {
    const artifact = {
      ...(await loadTestArtifact()),
      sourceHash: hashSources(await readRunbookSources(join(REPO_ROOT, 'runbooks'))),
    };
    const path = join(tempDir('server-fresh-'), 'artifact.json');
    writeFileSync(path, JSON.stringify(artifact));
    const configDir = tempDir('server-approvers-');
    copyFileSync(join(REPO_ROOT, 'runbooks', 'approvers.yaml'), join(configDir, 'approvers.yaml'));
    writeFileSync(join(configDir, 'README.md'), '# Who approves what\n');
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-fresh-artifact',
      SLACK_SIGNING_SECRET: 'fresh-artifact-signing-secret-00',
      RUNBOOK_ARTIFACT: path,
      APPROVERS_FILE: join(configDir, 'approvers.yaml'),
      PORT: '0',
    });
    expect(config.mode).toBe('http');
    await expect(createDeps(config, { logger: createMemoryLogger() })).resolves.toBeDefined();
  });
});
