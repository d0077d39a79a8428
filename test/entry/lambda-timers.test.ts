/**
 * The timers as they run on AWS: the one-minute EventBridge schedule invokes the Slack function with a
 * `Scheduled Event`, which sweeps the runs in the table. Approval DMs go out from the deferred invocation
 * that carries the click; a reminder and an escalation fire from scheduled invocations, once each, also in a
 * new container (a cold start) over the same table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type LambdaBot, startLambdaBot } from '../helpers/lambda-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { REACH_APPROVERS } from '../slack/reach-bot';
import { findElement, writeApprovers } from '../workflows/checklist-bot';

const CHANNEL = 'C0LAMBDA';
const scheduled = {
  version: '0',
  id: 'e1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:111122223333:rule/runbook-bot-test-timers'],
  detail: {},
};

let store: TestStore;
let artifact: Artifact;
const clock = { now: new Date() };
const bots: LambdaBot[] = [];

async function container(): Promise<LambdaBot> {
  const bot = await startLambdaBot({
    artifact,
    approversFile: writeApprovers(REACH_APPROVERS),
    getStore: async () => store.store,
    now: () => clock.now,
  });
  bot.fake.usergroups.set('S0DEVOPS', ['U0OPS2', 'U0STARTER']);
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  store = await startTestStore();
  artifact = await loadTestArtifact();
});
afterAll(async () => {
  for (const b of bots) await b.close();
  await store.store.close();
});

describe('timers on Lambda', () => {
  it('DMs the approvers from the deferred click, then reminds and escalates from the schedule, once each, across containers', async () => {
    const first = await container();
    expect((await first.command('promote dev sit', { user: 'U0STARTER', channel: CHANNEL })).statusCode).toBe(
      200,
    );
    await first.pump();
    const run = () => first.fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts)!;
    for (let n = 0; n < 3; n++) {
      const done = findElement(run(), ActionIds.checklistDone);
      await first.interaction(
        blockActionPayload({
          actionId: ActionIds.checklistDone,
          value: done.value,
          user: 'U0STARTER',
          channel: CHANNEL,
          messageTs: run().ts,
          responseUrl: first.fake.responseUrl({ channel: CHANNEL, user: 'U0STARTER' }),
        }),
      );
      await first.pump();
    }
    const dms = first.fake.messages.filter((m) => m.channel.startsWith('D'));
    expect(dms.map((m) => m.channel).sort()).toEqual(['D0ARCH', 'D0DEVOPS', 'D0OPS2']);
    const opened = Date.parse(
      Object.values(
        (await store.store.getRun(findElement(run(), ActionIds.checklistExport).value.split('|')[0]))!.state
          .steps,
      )
        .map((s) => s.at ?? '')
        .sort()
        .pop()!,
    );

    const thread = (bot: LambdaBot, mark: string) =>
      bot.fake.messages.filter((m) => m.thread_ts && (m.text ?? '').includes(mark));
    clock.now = new Date(opened + 29 * 60_000);
    await first.invoke(scheduled);
    expect(thread(first, ':alarm_clock:')).toHaveLength(0);
    clock.now = new Date(opened + 30 * 60_000);
    await first.invoke(scheduled);
    await first.invoke(scheduled); // the next minute's schedule, or a retry of the same event
    expect(thread(first, ':alarm_clock:')).toHaveLength(1);

    // A cold start: another container over the same table.
    const second = await container();
    clock.now = new Date(opened + 31 * 60_000);
    await second.invoke(scheduled);
    expect(second.fake.messages.filter((m) => (m.text ?? '').includes(':alarm_clock:'))).toHaveLength(0);
    clock.now = new Date(opened + 60 * 60_000);
    await Promise.all([second.invoke(scheduled), first.invoke(scheduled)]); // two containers at once
    const escalations = [...first.fake.messages, ...second.fake.messages].filter(
      (m) => m.thread_ts && (m.text ?? '').includes(':rotating_light:'),
    );
    expect(escalations).toHaveLength(1);
  });
});
