/**
 * Found in a review (helper-206): the real runbooks/DEPLOYMENT.md `deploy` and `rollback` checklists (the
 * compiled artifact) walked end to end through the whole app, as the on-call runs a deploy and then a
 * rollback. A run showed none of its checklist's own text: the `export` block of the variables every
 * command uses, and the rollback's warning to call L2 after a data migration. The run's thread now opens
 * with it ("Before you start").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { findElement, writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ONCALL = 'U0ONCALL'; // in no role
const IC = 'U0IC';
const DEVOPS = 'U0DEVOPS';

const APPROVERS = `
roles:
  devops: [U0DEVOPS]
  security: [U0SEC]
  architecture: [U0ARCH]
  business-owner: [U0OWNER]
  incident-commander: [U0IC]
`;

let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(): Promise<StepsBot> {
  const artifact = await loadTestArtifact();
  const bot = await startStepsBot({
    artifact,
    env: { DEFERRED_RETRY_DELAY_MS: '5', APPROVERS_FILE: writeApprovers(APPROVERS) },
    gateway: (clock) =>
      createSimulatedGateway(structuredClone(loadScenario('primary-healthy')), {
        records: RECORDS,
        now: () => clock.now,
      }),
  });
  const click = bot.click.bind(bot);
  bot.click = (...args) => {
    bot.clock.now = new Date(bot.clock.now.getTime() + 1000);
    return click(...args);
  };
  sb = bot;
  return bot;
}

const offered = (s: StepsBot, itemId: string, action: string = ActionIds.checklistDone) =>
  s.waitFor(`${action} on ${itemId}`, () => {
    try {
      return findElement(s.run(), action, itemId);
    } catch {
      return undefined;
    }
  });

const stepDone = async (s: StepsBot, id: string) =>
  (await s.events()).find((e) => e.type === 'step_done' && e.stepId === id);

async function done(s: StepsBot, id: string, user: string) {
  await offered(s, id);
  await s.click(s.run(), ActionIds.checklistDone, user, id);
  await s.settle();
  await s.eventually(`${id} done`, async () => (await stepDone(s, id)) !== undefined);
}

async function sign(s: StepsBot, gateId: string, signers: string[]) {
  for (const signer of signers) {
    await offered(s, gateId, ActionIds.checklistApprove);
    await s.click(s.run(), ActionIds.checklistApprove, signer, gateId);
    await s.settle();
  }
}

/** Everything the run shows the on-call: its message, its thread, and the Details of every step offered. */
async function shown(s: StepsBot): Promise<string> {
  const parts = [textOf(s.run()), ...s.thread().map((m) => textOf(m))];
  for (const block of (s.run().blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) {
      if (el.action_id !== ActionIds.checklistDetails || !el.value) continue;
      const itemId = el.value.slice(el.value.indexOf('|') + 1);
      const id = await s.click(s.run(), ActionIds.checklistDetails, ONCALL, itemId);
      await s.settle();
      await s.waitFor(`Details of ${itemId}`, () => s.answers(id) || undefined);
      parts.push(s.answers(id));
    }
  }
  return parts.join('\n');
}

const DEPLOY_STEPS = [
  'check-out-the-release-tag',
  'initialise-and-plan',
  'review-the-plan-for-replacements-and-deletions',
];
const DEPLOY_AFTER_GATE = [
  'apply-the-reviewed-plan',
  'confirm-the-image-is-in-ecr-and-tags-cannot-be-overwritten',
  'deploy-the-agent-runtime',
  'create-the-release-s-endpoint-on-that-version',
  'check-both-stacks-and-the-runtime-s-first-log-lines',
  'record-the-current-live-versions',
  'upload-the-code-publish-a-version-and-record-it-in-every-reg',
  'invoke-the-new-api-version-directly',
  'point-live-at-the-recorded-versions-in-every-region',
  'fetch-the-release-build',
  'upload-hashed-assets-first-cached-for-a-year',
  'upload-the-entry-points-with-no-cache',
  'invalidate-the-cloudfront-cache-and-wait-for-it',
];
const ROLLBACK_STEPS = [
  'stop-the-pipeline-and-announce',
  'backend-point-live-back-at-the-previous-release-s-recorded-v',
  'agents-confirm-the-previous-release-s-endpoint-still-exists',
  'frontend-republish-the-previous-build',
  'infrastructure-revert-the-bad-release-s-infrastructure-commi',
  'both-regions-report-the-previous-version',
  'run-the-smoke-tests',
  'error-rate-and-latency-are-back-to-baseline',
  'record-the-rollback',
];

describe('the real DEPLOYMENT.md deploy then rollback, end to end', () => {
  // Passes: no other test walks the real deploy and rollback checklists through the app (coverage only).
  it('the on-call deploys (IC and DevOps sign the gate), then rolls back: both runs finish', async () => {
    const s = await start();
    await s.command('deploy', ONCALL);
    for (const id of DEPLOY_STEPS) await done(s, id, ONCALL);
    await sign(s, 'gate-deploy-outside-the-pipeline', [IC, DEVOPS]);
    for (const id of DEPLOY_AFTER_GATE) await done(s, id, ONCALL);
    await s.eventually('deploy finished', async () => (await s.events()).some((e) => e.type === 'completed'));
    const deployRun = s.runId();
    await s.command('rollback', ONCALL);
    expect(s.runId()).not.toBe(deployRun);
    for (const id of ROLLBACK_STEPS) await done(s, id, ONCALL);
    await s.eventually('rollback finished', async () =>
      (await s.events()).some((e) => e.type === 'completed'),
    );
    expect(textOf(s.run())).toContain('9 of 9');
  });
});

describe('the real DEPLOYMENT.md checklists show what their commands need', () => {
  // DEPLOYMENT.md's "Deployment steps" and "Rollback" define the variables every command uses at their top
  // (docs/runbook-format.md: "A procedure defines the variables it uses at its top"). The run never shows them:
  // not in its message, its thread, nor any step's Details (which link to the sub-section, below the exports).
  it('a rollback run shows PREVIOUS_RELEASE / BAD_RELEASE, which every rollback command uses', async () => {
    const s = await start();
    await s.command('rollback', ONCALL);
    const text = await shown(s);
    expect(text).toContain('$PREVIOUS_RELEASE'); // the commands use it...
    expect(text).toMatch(/PREVIOUS_RELEASE=v1\.41\.2/); // ...and the run never says what it is
  });

  it('a deploy run shows RELEASE / ENV / AGENT_ENDPOINT, which every deploy command uses', async () => {
    const s = await start();
    await s.command('deploy', ONCALL);
    const text = await shown(s);
    expect(text).toContain('$RELEASE');
    expect(text).toMatch(/RELEASE=v1\.42\.0/);
  });

  // DEPLOYMENT.md "Rollback": "If the release ran a data migration, call L2 before rolling back the backend."
  // The rollback run reaches "Backend: point live back" without ever showing it.
  it('the rollback run warns to call L2 before rolling back the backend after a data migration', async () => {
    const s = await start();
    await s.command('rollback', ONCALL);
    await done(s, ROLLBACK_STEPS[0]!, ONCALL);
    const text = await shown(s);
    expect(text).toContain('Backend: point');
    expect(text).toMatch(/data migration/);
  });
});
