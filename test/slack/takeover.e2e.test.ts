/**
 * No silent takeover (issue 18 item 1), through signed requests: a start where a run of the same checklist
 * is active shows that run and offers Take over… only to whoever may; a forged Take over by an outsider is
 * refused and recorded; a take-over needs a confirmation and a reason, recorded in both runs' timelines; a
 * drill never replaces a live run; a live run replaces a drill and both say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeItemValue } from '../../src/slack/render/checklist';
import { blockActionPayload } from '../helpers/slack-payloads';
import {
  type ChecklistBot,
  findElement,
  hasElement,
  startChecklistBot,
  textOf,
} from '../workflows/checklist-bot';
import { compileMarkdown, PROMOTION_MD } from '../workflows/promotion-fixture';

const IC = 'U0IC';
/** Security: a role of the run's gate. */
const SEC = 'U0SEC';
const OUTSIDER = 'U0OUT';
const MD = PROMOTION_MD.replace(
  'title="Promote SIT → PROD" -->',
  'title="Promote SIT → PROD" takeover=devops -->',
);

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': MD }) });
});
afterAll(async () => {
  await t.close();
});

const runIdOf = (m: FakeMessage) => decodeItemValue(findElement(m, ActionIds.checklistExport).value)!.runId;

/** What the bot answered `user` (ephemeral), as one string of JSON. */
function answers(user: string): string {
  return [
    ...t.bot.fake.responses.filter((r) => r.context.user === user).map((r) => JSON.stringify(r.body)),
    ...t.bot.fake.messages.filter((m) => m.visibleTo === user).map((m) => JSON.stringify([m.text, m.blocks])),
  ].join('\n');
}

/** The Take over… button the bot showed `user`, as an ephemeral message to click. */
function takeOverButton(user: string, channel: string): FakeMessage {
  const response = [...t.bot.fake.responses]
    .reverse()
    .find((r) => r.context.user === user && JSON.stringify(r.body).includes(ActionIds.checklistTakeOver));
  if (!response) throw new Error(`no Take over offered to ${user}`);
  return {
    channel,
    ts: '1.000100',
    blocks: response.body.blocks as unknown[],
    via: 'response_url',
  } as FakeMessage;
}

describe('Take over', () => {
  it('is refused to an outsider (not offered, and a forged click is refused and recorded)', async () => {
    const channel = 'C0TAKE1';
    await t.command('promote sit prod', IC, channel);
    const run = t.latestRun(channel);
    const runId = runIdOf(run);
    await t.command('promote sit prod', OUTSIDER, channel);
    expect(answers(OUTSIDER)).toContain('This checklist is already running in this channel');
    expect(answers(OUTSIDER)).not.toContain(ActionIds.checklistTakeOver);

    // A signed click with a well-formed value, as if the button had been shown.
    const forged = blockActionPayload({
      actionId: ActionIds.checklistTakeOver,
      value: `${runId}|live`,
      user: OUTSIDER,
      channel,
      messageTs: run.ts,
      responseUrl: t.bot.fake.responseUrl({ channel, user: OUTSIDER, messageTs: run.ts }),
    });
    await t.concurrently([forged]);
    expect(
      t.bot.fake.callsTo('views.open').filter((c) => JSON.stringify(c.args).includes('Take over')),
    ).toEqual([]);
    expect(answers(OUTSIDER)).toContain('can take this run over');
    const state = (await t.store.getRun(runId))!.state;
    expect(state.status).toBe('active');
    const events = await t.store.listEvents(runId);
    expect(events.at(-1)).toMatchObject({
      type: 'refused',
      action: 'take_over',
      user: OUTSIDER,
      code: 'not_allowed',
    });
    expect(t.thread(t.latestRun(channel)).map(textOf).join('\n')).toContain(
      `Refused: <@${OUTSIDER}> (no role) tried to take over the run`,
    );
    expect(t.runMessages(channel)).toHaveLength(1);
  });

  it('is allowed to a gate role with a confirmation and a reason, recorded in both runs’ timelines', async () => {
    const channel = 'C0TAKE2';
    await t.command('promote sit prod', IC, channel);
    const first = t.latestRun(channel);
    const firstId = runIdOf(first);
    await t.click(first, ActionIds.checklistDone, IC, 'freeze-sit');
    // As someone's Slack client still shows it (the fake updates its messages in place).
    const asShown = structuredClone(t.latestRun(channel));

    await t.command('promote sit prod', SEC, channel);
    expect(answers(SEC)).toContain('1 of 3 steps done');
    await t.click(takeOverButton(SEC, channel), ActionIds.checklistTakeOver, SEC);
    const modal = t.bot.fake.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      blocks: unknown[];
    };
    expect(modal.callback_id).toBe(ActionIds.checklistTakeOverView);
    expect(JSON.stringify(modal.blocks)).toContain(`started by <@${IC}>`);
    await t.submitModal(SEC, 'IC handed over to Security <!channel>');

    expect(t.runMessages(channel)).toHaveLength(2);
    const second = t.latestRun(channel);
    const secondId = runIdOf(second);
    expect(secondId).not.toBe(firstId);
    expect(textOf(second)).toContain(`Started by <@${SEC}>`);
    const old = (await t.store.getRun(firstId))!.state;
    expect(old).toMatchObject({ status: 'cancelled', supersededBy: secondId, endedBy: SEC });
    // Both timelines: the store and the threads, the reason escaped.
    expect((await t.store.listEvents(firstId)).at(-1)).toMatchObject({
      type: 'taken_over',
      user: SEC,
      reason: 'IC handed over to Security <!channel>',
      runRef: secondId,
    });
    expect((await t.store.listEvents(secondId)).map((e) => e.type)).toEqual(['started', 'took_over']);
    const oldThread = t.thread(t.runMessages(channel)[0]!).map(textOf).join('\n');
    expect(oldThread).toContain(`<@${SEC}> took this checklist over with a new run`);
    expect(oldThread).toContain('IC handed over to Security &lt;!channel&gt;');
    expect(oldThread).not.toContain('<!channel>');
    const newThread = t.thread(second).map(textOf).join('\n');
    expect(newThread).toContain(`<@${SEC}> took over from run \`${firstId}\``);
    // The old message says so and offers nothing; its buttons, as shown before, are refused.
    const oldNow = t.runMessages(channel)[0]!;
    expect(textOf(oldNow)).toContain('*Taken over* by');
    expect(hasElement(oldNow, ActionIds.checklistDone)).toBe(false);
    const stale = await t.click(asShown, ActionIds.checklistDone, IC, 'run-the-regression-suite');
    expect(String(stale.responses()[0]?.body.text)).toContain('taken over');
  });

  it('never lets a drill replace a live run; a live run replaces a drill and both timelines say so', async () => {
    const channel = 'C0TAKE3';
    await t.command('drill promote sit prod', IC, channel);
    const drill = t.latestRun(channel);
    await t.command('promote sit prod', 'U0DEVOPS', channel);
    expect(t.runMessages(channel)).toHaveLength(2);
    const live = t.latestRun(channel);
    expect((await t.store.getRun(runIdOf(drill)))!.state).toMatchObject({ status: 'cancelled' });
    expect(t.thread(t.runMessages(channel)[0]!).map(textOf).join('\n')).toContain('replaced this drill');
    expect(t.thread(live).map(textOf).join('\n')).toContain('This live run replaced a drill');

    // Now a drill over the live run: refused, whoever asks; no Take over offered.
    await t.command('drill promote sit prod', SEC, channel);
    expect(answers(SEC)).toContain('a drill never replaces it');
    expect(t.runMessages(channel)).toHaveLength(2);
    expect((await t.store.getRun(runIdOf(live)))!.state.status).toBe('active');
  });
});
