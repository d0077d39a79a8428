/**
 * Faults between the store, Slack and the bot, injected where they happen: a fault proxy in front of
 * dynalite (throttles, 500s, dropped connections, by DynamoDB operation) and the fake Slack failing chosen
 * calls (message_not_found, 429, expired response_url). In every case the user is told what is true (a
 * recorded change is "recorded", a failure says nothing changed), and the store and the message agree after
 * at most one more click, with nothing lost and nothing recorded twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { SLACK_RETRY_CONFIG } from '../../src/slack/web-client';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { progress } from '../../src/workflows/run-state';
import { type FaultProxy, isEventPut, startFaultProxy } from '../helpers/fault-proxy';
import { formBody } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';
import { type ChecklistBot, startChecklistBot, textOf } from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
const OPS = 'U0OPS';

let t: ChecklistBot;
let proxy: FaultProxy;

beforeAll(async () => {
  t = await startChecklistBot({
    artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }),
    connect: async (ts) => {
      proxy = await startFaultProxy(ts.endpoint);
      return createDynamoStore({
        tableName: ts.tableName,
        client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
      });
    },
  });
});
afterAll(async () => {
  await t?.close();
  await proxy?.close();
});
beforeEach(() => {
  proxy.clear();
  t.bot.fake.clearHandlers();
});

const runIdOf = (channel: string) =>
  /"value":"([^"|]+)\|/.exec(JSON.stringify(t.latestRun(channel).blocks ?? []))![1]!;

/** The message shows what the store holds, and every resolved step has exactly one event. */
async function expectStoreAndMessageAgree(channel: string): Promise<void> {
  const runId = runIdOf(channel);
  const state = (await t.store.getRun(runId))!.state;
  const p = progress(state);
  expect(textOf(t.latestRun(channel))).toContain(`*${p.stepsResolved} of ${p.stepsTotal}* steps done`);
  const events = await t.store.listEvents(runId);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const done = events.filter((e) => e.type === 'step_done').map((e) => e.stepId);
  expect(done.sort()).toEqual(
    Object.entries(state.steps)
      .filter(([, s]) => s.status === 'done')
      .map(([id]) => id)
      .sort(),
  );
}

const said = (click: { responses(): { body: Record<string, unknown> }[] }) =>
  click
    .responses()
    .map((r) => String(r.body.text ?? ''))
    .join('\n');

describe('the store', () => {
  it('throttles the event appends after the run was saved: recorded, shown, no error; the next change appends them', async () => {
    const channel = 'C0FAULT1';
    await t.command('promote sit prod', IC, channel);
    proxy.add({ operation: 'PutItem', kind: 'throttle', match: isEventPut });

    const first = await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(proxy.faulted['PutItem']).toBeGreaterThan(0);
    expect(said(first)).not.toContain('Something went wrong');
    expect(textOf(t.latestRun(channel))).toContain('*1 of 3* steps done');
    expect((await t.store.getRun(runIdOf(channel)))!.state.steps['freeze-sit']?.status).toBe('done');
    expect((await t.store.listEvents(runIdOf(channel))).filter((e) => e.type === 'step_done')).toEqual([]);

    proxy.clear();
    await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'run-the-regression-suite');
    await expectStoreAndMessageAgree(channel);
    expect((await t.store.listEvents(runIdOf(channel))).filter((e) => e.type === 'step_done')).toHaveLength(
      2,
    );
  });

  it('does not answer reads (500s past the SDK retries): a clear failure, nothing changed, the next click works', async () => {
    const channel = 'C0FAULT2';
    await t.command('promote sit prod', IC, channel);
    const before = (await t.store.getRun(runIdOf(channel)))!;
    proxy.add({ operation: 'GetItem', kind: 'error500' });

    const failed = await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(said(failed)).toMatch(
      /Something went wrong on our side \(ref `[0-9a-f]{8}`\)|Something went wrong/,
    );
    expect(await t.store.getRun(runIdOf(channel))).toEqual(before);
    proxy.clear();
    await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');
    await expectStoreAndMessageAgree(channel);
    expect(textOf(t.latestRun(channel))).toContain('*1 of 3* steps done');
  });

  it('drops the conditional write of the run: a clear failure, nothing recorded, the next click records it once', async () => {
    const channel = 'C0FAULT3';
    await t.command('promote sit prod', IC, channel);
    proxy.add({ operation: 'PutItem', kind: 'drop', match: (b) => !isEventPut(b) });

    const failed = await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(said(failed)).toContain('Something went wrong');
    expect((await t.store.getRun(runIdOf(channel)))!.state.steps['freeze-sit']?.status).toBe('pending');
    proxy.clear();
    await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');
    await expectStoreAndMessageAgree(channel);
  });
});

describe('Slack', () => {
  it('answers chat.update with message_not_found: told "recorded"; one more click redraws the message', async () => {
    const channel = 'C0FAULT4';
    await t.command('promote sit prod', IC, channel);
    const asShown = structuredClone(t.latestRun(channel));
    t.bot.fake.failMethod('chat.update', { ok: false, error: 'message_not_found' }, 1);

    const click = await t.click(asShown, ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(said(click)).toContain('Recorded:');
    expect(said(click)).toContain('could not be refreshed; it will be on the next click');
    expect(said(click)).not.toContain('Something went wrong');
    expect(textOf(t.latestRun(channel))).toContain('*0 of 3* steps done'); // Slack's copy is behind
    // The user tries again on the message as it still looks: refused (already done), and redrawn.
    const again = await t.click(asShown, ActionIds.checklistDone, OPS, 'freeze-sit');
    expect(said(again)).toContain('already done by <@U0OPS>');
    await expectStoreAndMessageAgree(channel);
    expect(textOf(t.latestRun(channel))).toContain('*1 of 3* steps done');
  });

  it('rate-limits chat.update once (429, Retry-After): retried, the message is right, nobody is told otherwise', async () => {
    const channel = 'C0FAULT5';
    await t.command('promote sit prod', IC, channel);
    const limited = t.bot.fake.failMethod(
      'chat.update',
      { httpStatus: 429, headers: { 'retry-after': '1' } },
      1,
    );

    const click = await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(limited.served).toBe(1);
    expect(said(click)).toBe('');
    await expectStoreAndMessageAgree(channel);
  });

  it('fails chat.update with 500 every time: a few quick retries (not thirty minutes), told "recorded", repaired by the next click', async () => {
    const channel = 'C0FAULT7';
    await t.command('promote sit prod', IC, channel);
    const failing = t.bot.fake.failMethod('chat.update', { httpStatus: 500 });

    const click = await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');

    expect(failing.served).toBe(SLACK_RETRY_CONFIG.retries + 1);
    expect(said(click)).toContain('Recorded:');
    expect(said(click)).toContain('could not be refreshed');
    t.bot.fake.clearHandlers();
    await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');
    await expectStoreAndMessageAgree(channel);
    expect(textOf(t.latestRun(channel))).toContain('*1 of 3* steps done');
  });

  it('has expired the response_url: refusals and notices arrive by chat.postEphemeral instead', async () => {
    const channel = 'C0FAULT6';
    await t.command('promote sit prod', IC, channel);
    await t.click(t.latestRun(channel), ActionIds.checklistDone, OPS, 'freeze-sit');
    t.bot.fake.failResponseUrls(404);

    // Someone who may not undo it tries: the refusal must still reach them.
    await t.click(t.latestRun(channel), ActionIds.checklistUndo, 'U0OTHER', 'freeze-sit');

    const ephemeral = t.bot.fake.callsTo('chat.postEphemeral').at(-1);
    expect(ephemeral?.args).toMatchObject({ channel, user: 'U0OTHER' });
    expect(String(ephemeral?.args.text)).toContain('can undo it');
    await expectStoreAndMessageAgree(channel);
  });
});

describe('starting a checklist', () => {
  it('the same /runbook request delivered twice (a Slack retry) starts one run', async () => {
    const channel = 'C0FAULT7';
    const body = formBody(
      slashCommandFields({
        text: 'promote sit prod',
        user: IC,
        channel,
        triggerId: '7777.1700000000.same',
        responseUrl: t.bot.fake.responseUrl({ channel, user: IC }),
      }),
    );
    expect((await t.bot.post(body)).status).toBe(200);
    await t.bot.deps.drain?.();
    expect(
      (
        await t.bot.post(body, {
          headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
        })
      ).status,
    ).toBe(200);
    await t.bot.deps.drain?.();

    expect(t.runMessages(channel)).toHaveLength(1);
    expect((await t.store.getRun(runIdOf(channel)))!.state.status).toBe('active');
    expect(t.ephemerals(IC).join('\n')).toContain('You started this checklist a moment ago');
  });

  it('a double submit (two requests, seconds apart) shows the run already started instead of superseding it', async () => {
    const channel = 'C0FAULT8';
    await t.command('promote sit prod', IC, channel);
    const first = runIdOf(channel);
    const responses = await t.command('promote sit prod', IC, channel);

    expect(t.runMessages(channel)).toHaveLength(1);
    expect((await t.store.getRun(first))!.state.status).toBe('active');
    expect(responses.map((r) => String(r.body.text)).join('\n')).toContain('no second run was started');
  });
});
