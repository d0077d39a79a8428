/**
 * `npm start` with no Slack credentials: the local playground (src/playground/server.ts). Builds the
 * runbook artifact first when it is missing or older than runbooks/, so a fresh clone works straight
 * after `npm install`.
 */
import { existsSync } from 'node:fs';
import { buildArtifactFile } from '../cli/build';
import { processIO } from '../cli/io';
import { type Config, loadConfig } from '../config';
import { type Playground, startPlayground } from '../playground/server';
import { DEMO_USERS } from '../playground/users';
import { ArtifactLoadError, loadArtifact } from '../runbooks/model/artifact';
import type { Artifact } from '../runbooks/model/model';

const RUNBOOKS_DIR = 'runbooks';

export class PlaygroundStartError extends Error {
  override readonly name = 'PlaygroundStartError';
}

/** The artifact, rebuilt from runbooks/ first when it is missing or stale. */
export async function ensureArtifact(path: string, runbooksDir = RUNBOOKS_DIR): Promise<Artifact> {
  const checkAgainst = existsSync(runbooksDir) ? { runbooksDir } : {};
  try {
    return await loadArtifact(path, checkAgainst);
  } catch (error) {
    if (!(error instanceof ArtifactLoadError) || !checkAgainst.runbooksDir) throw error;
    processIO.out(`${error.message.replace(/; run .*$/, '')}: building it from ${runbooksDir}/ …\n`);
  }
  if ((await buildArtifactFile(runbooksDir, path, processIO)) !== 0) {
    throw new PlaygroundStartError(`the runbooks in ${runbooksDir}/ do not compile (see above)`);
  }
  return loadArtifact(path, checkAgainst);
}

export async function main(config: Config = loadConfig()): Promise<Playground> {
  const artifact = await ensureArtifact(config.artifactPath);
  const playground = await startPlayground({ config, artifact });
  const aws = playground.aws.status();
  processIO.out(
    [
      '',
      `  Runbook bot playground: ${playground.url}`,
      '',
      '  No Slack credentials are set, so the bot runs against a local, Slack-like page.',
      `  Try ${config.slashCommand} help, ${config.slashCommand} token expired, ${config.slashCommand} drill failover.`,
      `  Users: ${DEMO_USERS.map((u) => u.name.split(' ')[0]).join(', ')}: simulated people (switch in the sidebar to approve gates).`,
      '  Only this machine can use it: other Host or Origin headers are refused (403).',
      aws.simulated
        ? `  AWS: SIMULATED, scenario "${aws.scenario}" (switch on the page). Nothing reaches AWS. PLAYGROUND_LIVE_AWS=1 uses live AWS.`
        : '  AWS: LIVE (PLAYGROUND_LIVE_AWS=1), with the credentials in your environment. Changes are real.',
      '',
      '',
    ].join('\n'),
  );
  const stop = () => {
    playground.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return playground;
}
