/**
 * Found in a review (helper-191): the playground used the deployed DynamoDB table when STORE=dynamodb and
 * TABLE_NAME were in the environment (README exports them for `runbook report`). It is documented to run
 * "with the embedded DynamoDB (dynalite, in process)" (README, docs/playground.md), and security.md rule 8:
 * it "uses live AWS only with PLAYGROUND_LIVE_AWS=1". An operator who exported the deployed bot's store
 * settings and then runs `npm start` without Slack credentials gets the playground. It must not read or
 * write that table: its runs, leases and timer sweep (reminders fired into the fake Slack, their leases
 * completed so the real bot never sends them) belong to the playground only. Here the "deployed" table is a
 * dynalite on loopback, named by DYNAMODB_ENDPOINT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { type Playground, startPlayground } from '../../src/playground/server';
import { ActionIds } from '../../src/slack/action-ids';
import { createMemoryLogger } from '../../src/slack/logger';
import type { Store } from '../../src/store/store';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type ReachBot, startReachBot } from '../slack/reach-bot';

const ALICE = 'U0PLAYALICE';
const INCIDENTS = 'C0PLAYINC';

let production: TestStore;
let reader: Store;
let playground: Playground | undefined;
/** The deployed bot, on the same table, with its own (fake) Slack. */
let deployed: ReachBot | undefined;
let refused: unknown;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  production = await startTestStore();
  reader = production.connect();
  // The SDK's default chain, as on an operator's laptop with AWS credentials.
  for (const [k, v] of Object.entries({
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-1',
  })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const config = loadConfig({
    STORE: 'dynamodb',
    DYNAMODB_ENDPOINT: production.endpoint,
    TABLE_NAME: production.tableName,
    AWS_REGION: 'eu-west-1',
  });
  try {
    playground = await startPlayground({
      config,
      artifact: await loadTestArtifact(),
      port: 0,
      logger: createMemoryLogger(),
    });
  } catch (error) {
    // Refusing to start next to a deployed table is also safe.
    refused = error;
  }
});

afterAll(async () => {
  await deployed?.close();
  await playground?.deps.drain?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await playground?.close();
  await reader?.close();
  await production?.store.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the playground and a deployed store named in the environment', () => {
  it('keeps its drills and runs out of the deployed table (STORE=dynamodb in the environment)', async () => {
    if (!playground) {
      expect(refused).toBeInstanceOf(Error);
      return;
    }
    const res = await fetch(`${playground.url}/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ALICE, channel: INCIDENTS, text: '/runbook drill failover' }),
    });
    expect(res.status).toBe(200);
    // The drill is posted once its run is stored.
    for (let i = 0; i < 200; i++) {
      if (playground.timeline.snapshot().messages.some((m) => m.bot && m.text.includes('DRILL'))) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(playground.timeline.snapshot().messages.some((m) => m.bot && m.text.includes('DRILL'))).toBe(true);

    expect(await reader.listRecentRuns(10)).toEqual([]);
    expect(await reader.listWatchedRuns()).toEqual([]);
  }, 30_000);

  it('leaves the deployed bot’s reminders to it: the playground’s timer sweep does not fire them', async () => {
    if (!playground) return;
    deployed = await startReachBot({ store: production });
    // A real run in the deployed bot: the gate after three steps opens, with its reminder (remind=30m).
    await deployed.command('promote dev sit', 'U0STARTER');
    for (let n = 0; n < 3; n++)
      await deployed.click(deployed.latestRun(), ActionIds.checklistDone, 'U0STARTER');
    const opened = Date.parse((await deployed.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    expect(Number.isNaN(opened)).toBe(false);

    // The operator, meanwhile, tries a reminder in the playground (+10 min, three times, +1).
    for (const minutes of [10, 10, 10, 1]) {
      const res = await fetch(`${playground.url}/api/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ minutes }),
      });
      expect(res.status).toBe(200);
    }
    // The deployed bot's own sweep, when the reminder is due: it reminds the approvers in real Slack.
    await deployed.sweepAt(new Date(opened + 31 * 60_000).toISOString());
    const reminders = deployed.bot.fake.messages.filter((m) => (m.text ?? '').includes(':alarm_clock:'));
    const inPlayground = playground.fake.messages.filter((m) => (m.text ?? '').includes(':alarm_clock:'));
    expect.soft(reminders.length, 'reminders the deployed bot sent').toBeGreaterThan(0);
    expect
      .soft(
        inPlayground.map((m) => m.text),
        'reminders the playground sent',
      )
      .toEqual([]);
    // Nor does the playground re-sync the run's approval DMs with its demo approvers file: the real
    // approvers' invites closed (their DM clicks refused meanwhile), the demo people's opened on a real run.
    const invited = ((await deployed.state()).invites ?? []).map((i) => i.user);
    expect
      .soft(
        invited.filter((u) => u.startsWith('U0PLAY')),
        'demo people invited on the real run',
      )
      .toEqual([]);
  }, 60_000);
});
