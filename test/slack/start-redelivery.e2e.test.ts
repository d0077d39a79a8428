/**
 * A start delivered again (found in a review, helper-168): after it failed half-way, or twice at once. Each
 * test drives the real app (Bolt's HTTP receiver, signed requests, the fake Slack, dynalite behind a fault
 * proxy) and failed on the code before the fix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { checklistsFeature } from '../../src/slack/features/checklists/checklists';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import type { Store } from '../../src/store/store';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';
import { formBody } from '../helpers/signed';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { blockActionPayload, slashCommandFields } from '../helpers/slack-payloads';
import { findElement, textOf, writeApprovers } from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';

interface FaultyBot {
  bot: TestBot;
  proxy: FaultProxy;
  testStore: TestStore;
  store: Store;
  close(): Promise<void>;
}

/** The checklists feature over a store behind a fault proxy; a failed deferred task is redelivered at once. */
async function startFaultyBot(): Promise<FaultyBot> {
  const testStore = await startTestStore();
  const proxy = await startFaultProxy(testStore.endpoint);
  const store = createDynamoStore({
    tableName: testStore.tableName,
    client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
  });
  const bot = await startTestBot({
    features: [checklistsFeature],
    env: {
      APPROVERS_FILE: writeApprovers(),
      // Lambda's own retry of an async invocation, without its minute of waiting.
      DEFERRED_MAX_ATTEMPTS: '3',
      DEFERRED_RETRY_DELAY_MS: '20',
    },
    deps: {
      getStore: async () => store,
      artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }),
    },
  });
  return {
    bot,
    proxy,
    testStore,
    store,
    close: async () => {
      await bot.close();
      await store.close();
      await proxy.close();
      await testStore.store.close();
    },
  };
}

const checklistMessages = (bot: TestBot, channel: string) =>
  bot.fake.messages.filter(
    (m) =>
      m.channel === channel &&
      m.via === 'chat.postMessage' &&
      !m.thread_ts &&
      JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport),
  );

/** A PutItem of the channel's "latest run" pointer (`CHAN#<channel>` / `LATEST#<checklist>`). */
const isLatestPointerPut = (body: Record<string, unknown>) =>
  String((body['Item'] as { sk?: { S?: string } } | undefined)?.sk?.S ?? '').startsWith('LATEST#');

/** Waits until the start was handled (every delivery of it: the in-process runner's retries included). */
async function settled(bot: TestBot): Promise<void> {
  await bot.waitFor(() => bot.logs.some((e) => e.msg === 'checklist interaction handled'), {
    what: 'the start',
    timeoutMs: 15_000,
  });
  await bot.deps.drain?.();
}

let fb: FaultyBot | undefined;
afterEach(async () => {
  await fb?.close();
  fb = undefined;
});

describe('a start that fails after its run was stored, and is delivered again', () => {
  it('posts the run on the redelivery instead of leaving an active run nobody can see', async () => {
    fb = await startFaultyBot();
    const channel = 'C0LIFE1';
    // The store fails one write after the run itself was created (500s past the SDK's own retries; DynamoDB's
    // client makes four attempts): the start task throws, and Lambda (here the in-process runner) delivers the
    // same task again.
    fb.proxy.add({ operation: 'PutItem', kind: 'error500', times: 4, match: isLatestPointerPut });

    const res = await fb.bot.command('promote sit prod', { user: IC, channel });
    expect(res.status).toBe(200);
    await settled(fb.bot);
    // The first delivery failed and the runner delivered it again.
    expect(fb.bot.logs.some((e) => e.msg === 'deferred task failed; retrying')).toBe(true);

    // The run the first delivery created is active in the store…
    const runs = (await fb.testStore.store.listRecentRuns(10)).filter((e) => e.channel === channel);
    expect(runs).toHaveLength(1);
    const state = (await fb.testStore.store.getRun(runs[0]!.runId))!.state;
    expect(state.status).toBe('active');
    // …so it must be in the channel, with its message recorded on it: the redelivery finishes the start.
    expect(checklistMessages(fb.bot, channel)).toHaveLength(1);
    expect(state.messageTs).toBeDefined();
  });

  it('records where its message went when that write failed the first time, so the message follows the run', async () => {
    fb = await startFaultyBot();
    const channel = 'C0LIFE2';
    // The message is posted; recording its ts on the run (`attach`: the first write of a run whose messageTs
    // is a string) fails past the SDK's retries once.
    fb.proxy.add({
      operation: 'PutItem',
      kind: 'error500',
      times: 4,
      match: (b) => String((b['Item'] as { data?: { S?: string } })?.data?.S ?? '').includes('"messageTs":"'),
    });

    await fb.bot.command('promote sit prod', { user: IC, channel });
    await settled(fb.bot);
    // Recording it is retried in place (a redelivery could not learn the posted message's ts).
    expect(fb.proxy.faulted['PutItem']).toBe(4);

    const posted = checklistMessages(fb.bot, channel);
    expect(posted).toHaveLength(1);
    const runId = (await fb.testStore.store.listRecentRuns(10)).find((e) => e.channel === channel)!.runId;
    // A Done on the message is recorded, and the message must show it (it is a view of the store)…
    const message = posted[0]!;
    const handled = fb.bot.logs.filter((e) => e.msg === 'checklist interaction handled').length;
    const res = await fb.bot.action(
      blockActionPayload({
        actionId: ActionIds.checklistDone,
        value: findElement(message, ActionIds.checklistDone, 'freeze-sit').value,
        user: 'U0OPS',
        channel,
        messageTs: message.ts,
        responseUrl: fb.bot.fake.responseUrl({ channel, user: 'U0OPS', messageTs: message.ts }),
        blocks: message.blocks ?? [],
      }),
    );
    expect(res.status).toBe(200);
    await fb.bot.waitFor(
      () => fb!.bot.logs.filter((e) => e.msg === 'checklist interaction handled').length > handled,
      { what: 'the Done', timeoutMs: 15_000 },
    );
    await fb.bot.deps.drain?.();
    expect((await fb.testStore.store.getRun(runId))!.state.steps['freeze-sit']?.status).toBe('done');
    // …which it can only if the run knows where its message is.
    expect((await fb.testStore.store.getRun(runId))!.state.messageTs).toBe(message.ts);
    expect(textOf(checklistMessages(fb.bot, channel)[0]!)).toContain('*1 of 3* steps done');
  });
});

describe('one start request delivered twice at once', () => {
  it('posts one message for its one run (Lambda’s at-least-once delivery of the start task)', async () => {
    fb = await startFaultyBot();
    // A slow store (each write a few hundred milliseconds): the run's creation, and recording where its message
    // went, take their time, as DynamoDB under load may.
    const data = (b: Record<string, unknown>) =>
      String((b['Item'] as { data?: { S?: string } })?.data?.S ?? '');
    fb.proxy.add({
      operation: 'PutItem',
      kind: 'delay',
      delayMs: 300,
      match: (b) => data(b).includes('"messageTs":null'),
    });
    fb.proxy.add({
      operation: 'PutItem',
      kind: 'delay',
      delayMs: 1000,
      match: (b) => data(b).includes('"messageTs":"'),
    });
    const channels = ['C0TWICE1', 'C0TWICE2'];
    for (const [i, channel] of channels.entries()) {
      const body = formBody(
        slashCommandFields({
          text: 'promote sit prod',
          user: IC,
          channel,
          triggerId: `9${i}.1700000000.twice`,
          responseUrl: fb.bot.fake.responseUrl({ channel, user: IC }),
        }),
      );
      // The same request, twice at once (two deliveries of one start task race each other). Alone, with the
      // same slow store, one delivery posts one message.
      const results = await Promise.all([fb.bot.post(body), fb.bot.post(body)]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
    }
    await fb.bot.waitFor(
      () =>
        fb!.bot.logs.filter((e) => e.msg === 'checklist interaction handled').length >= 2 * channels.length,
      { what: 'every start', timeoutMs: 30_000 },
    );
    await fb.bot.deps.drain?.();

    const perChannel = channels.map((c) => checklistMessages(fb!.bot, c).length);
    expect(perChannel).toEqual(channels.map(() => 1));
    for (const channel of channels) {
      const runs = (await fb.testStore.store.listRecentRuns(50)).filter((e) => e.channel === channel);
      expect(runs).toHaveLength(1);
    }
  });
});
