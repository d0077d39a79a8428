/**
 * Review (helper-195): on Lambda a click is queued as an asynchronous invocation of the function itself
 * (src/aws/lambda-defer.ts), under a 1.5 s deadline so that Slack's 3 s are kept. When Lambda's Invoke API
 * accepts the event but answers late (an API slow during an AWS event: the very time a failover runs), the
 * deadline fires after the event was queued: the clicker is told "The bot could not queue that click …;
 * nothing changed. Try again." (src/slack/interaction.ts `deferClick`), and then the queued click runs and
 * changes the run. The same for a start ("nothing was started") and a submission. Told nothing changed,
 * the person presses again, or asks someone else to approve: the answer is false.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type LambdaBot, startLambdaBot } from '../helpers/lambda-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { REACH_APPROVERS } from '../slack/reach-bot';
import { findElement, writeApprovers } from '../workflows/checklist-bot';

const CHANNEL = 'C0LATEINVOKE';
let store: TestStore | undefined;
let bot: LambdaBot | undefined;

afterEach(async () => {
  await bot?.close();
  await store?.store.close();
  bot = undefined;
  store = undefined;
});

describe('a click queued, its Invoke answered late', () => {
  it('does not tell the clicker that nothing changed when the click is then carried out', async () => {
    store = await startTestStore();
    const s = store;
    let lateMs = 0;
    bot = await startLambdaBot({
      artifact: await loadTestArtifact(),
      approversFile: writeApprovers(REACH_APPROVERS),
      getStore: async () => s.store,
      lambdaAnswerDelayMs: () => lateMs,
    });
    const b = bot;
    expect((await b.command('promote dev sit', { user: 'U0STARTER', channel: CHANNEL })).statusCode).toBe(
      200,
    );
    await b.pump();
    const run = b.fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts)!;
    const done = findElement(run, ActionIds.checklistDone);
    const runId = done.value.split('|')[0]!;

    // Lambda queues the event at once and answers the Invoke 2 s later.
    lateMs = 2_000;
    const responseUrl = b.fake.responseUrl({ channel: CHANNEL, user: 'U0STARTER', messageTs: run.ts });
    const res = await b.interaction(
      blockActionPayload({
        actionId: ActionIds.checklistDone,
        value: done.value,
        user: 'U0STARTER',
        channel: CHANNEL,
        messageTs: run.ts,
        responseUrl,
      }),
    );
    expect(res.statusCode).toBe(200);
    lateMs = 0;
    await b.pump();

    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const told = JSON.stringify(b.fake.responses.filter((r) => r.id === id).map((r) => r.body));
    const steps = (await s.store.getRun(runId))!.state.steps;
    const doneNow = Object.values(steps).filter((st) => st.status === 'done').length;
    // The click was carried out…
    expect(doneNow).toBe(1);
    // …so the clicker must not have been told that nothing changed.
    expect(told).not.toContain('nothing changed');
  }, 20_000);
});
