/**
 * An answer, end to end through Bolt's receiver: its parts open in place, "Run as checklist" starts the
 * declared checklist in the channel, and what people do with answers is recorded in the store (issue 20).
 */
import { describe, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeAnswerRef } from '../../src/slack/render/answer';
import type { FeedbackRecord } from '../../src/store/store';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import { slackLimitViolations } from '../helpers/slack-limits';
import { type MessageBody, messageButtons, visibleText } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

const DAY = 86_400_000;
const feedback = async (): Promise<FeedbackRecord[]> =>
  env.testStore.store.listFeedback(
    new Date(Date.now() - DAY).toISOString(),
    new Date(Date.now() + DAY).toISOString(),
  );

/** The records once `found` sees what it waits for: feedback is written after the reply. */
async function feedbackWhere(found: (all: FeedbackRecord[]) => boolean): Promise<FeedbackRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await feedback();
    if (found(all) || Date.now() > deadline) return all;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function click(button: { action_id: string; value?: string }, user = TEST_USER) {
  const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user });
  const res = await env.bot.action(
    blockActionPayload({
      actionId: button.action_id,
      value: button.value,
      ephemeral: true,
      responseUrl,
      user,
    }),
  );
  expect(res.status).toBe(200);
  const id = responseUrl.split('/').pop();
  return env.bot.waitFor(() => env.bot.fake.responses.find((r) => r.id === id));
}

async function ask(text: string): Promise<MessageBody> {
  const res = await env.bot.command(text);
  return (await res.response()).body as MessageBody;
}

describe('an answer', () => {
  test('opens Fix in place, within limits, and back to the summary', async () => {
    const answer = await ask('token expired');
    const fix = messageButtons(answer).find((b) => b.action_id === `${ActionIds.answerPart}:f`)!;
    const opened = await click(fix);
    expect(opened.body.replace_original).toBe(true);
    const body = opened.body as MessageBody;
    expect(visibleText(body)).toContain('Fix');
    expect(visibleText(body)).toContain('infra/modules/cognito');
    expect(slackLimitViolations(body)).toEqual([]);
    const summary = messageButtons(body).find((b) => b.action_id === `${ActionIds.answerPart}:summary`)!;
    const back = await click(summary);
    expect(visibleText(back.body as MessageBody)).toContain('What you see');
  });

  test('records Helpful and Not this with the user id and the query only; Not this offers the others', async () => {
    const answer = await ask('token expired');
    const helpful = messageButtons(answer).find((b) => b.action_id === ActionIds.feedbackHelpful)!;
    await click(helpful, 'U0HELPFUL');
    const notThis = messageButtons(answer).find((b) => b.action_id === ActionIds.feedbackNotThis)!;
    const reply = await click(notThis, 'U0NOTTHIS');
    expect(visibleText(reply.body as MessageBody)).toContain('Noted');
    const all = await feedbackWhere((list) => list.some((r) => r.user === 'U0NOTTHIS'));
    expect(all.find((r) => r.user === 'U0HELPFUL')).toMatchObject({
      kind: 'helpful',
      query: 'token expired',
      sectionId: 'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    });
    expect(all.find((r) => r.user === 'U0NOTTHIS')).toMatchObject({
      kind: 'not-this',
      query: 'token expired',
    });
    for (const r of all)
      expect(Object.keys(r).sort()).toEqual(
        ['at', 'id', 'kind', 'query', 'sectionId', 'shownId', 'user'].sort(),
      );
  });

  test('records the Other match opened instead, and a query with no good match', async () => {
    const answer = await ask('verification after rollback');
    const shown = decodeAnswerRef(
      messageButtons(answer).find((b) => b.action_id === ActionIds.feedbackHelpful)!.value!,
    )!.id;
    const other = messageButtons(answer).find((b) => b.action_id.startsWith(`${ActionIds.openSection}:`))!;
    await click(other, 'U0CHOOSER');
    await ask('zebra quantum marmalade');
    const all = await feedbackWhere(
      (list) => list.some((r) => r.kind === 'no-match') && list.some((r) => r.user === 'U0CHOOSER'),
    );
    expect(all.find((r) => r.user === 'U0CHOOSER')).toMatchObject({
      kind: 'chose-other',
      query: 'verification after rollback',
      sectionId: decodeAnswerRef(other.value!)!.id,
      shownId: shown,
    });
    expect(all.find((r) => r.kind === 'no-match' && r.query === 'zebra quantum marmalade')).toBeTruthy();
  });

  test('"Run as checklist" starts the declared checklist in the channel, as its command would', async () => {
    const answer = await ask('how do I roll back the frontend');
    expect(visibleText(answer)).toContain('Frontend');
    const run = messageButtons(answer).find((b) => b.action_id === ActionIds.runChecklist)!;
    expect(run.value).toBe('rollback');
    const before = env.bot.fake.channelMessages(TEST_CHANNEL).length;
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    await env.bot.action(
      blockActionPayload({ actionId: run.action_id, value: run.value, ephemeral: true, responseUrl }),
    );
    const posted = await env.bot.waitFor(() =>
      env.bot.fake
        .channelMessages(TEST_CHANNEL)
        .slice(before)
        .find((m) => /Roll back a release/.test(m.text ?? '')),
    );
    expect(posted.visibleTo).toBeUndefined();
    // The run is stored, with its message and thread, before the test ends (the store closes after it).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const runId = await env.testStore.store.getLatestRun(TEST_CHANNEL, 'rollback');
      const run = runId ? await env.testStore.store.getRun(runId) : null;
      const ts = run?.state.messageTs;
      // Its thread is posted last, once every write of the start is done.
      const threaded = ts && env.bot.fake.messages.some((m) => m.thread_ts === ts);
      if (threaded || Date.now() > deadline) {
        expect(threaded).toBeTruthy();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  test('"Run as checklist" on a numbered procedure no checklist declares starts it as a checklist', async () => {
    const answer = await ask('invalidate the cloudfront cache');
    const run = messageButtons(answer).find((b) => b.action_id === ActionIds.runChecklist)!;
    expect(run.value).toBe('operations-invalidate-the-cloudfront-cache');
    const before = env.bot.fake.channelMessages(TEST_CHANNEL).length;
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    await env.bot.action(
      blockActionPayload({ actionId: run.action_id, value: run.value, ephemeral: true, responseUrl }),
    );
    const posted = await env.bot.waitFor(() =>
      env.bot.fake
        .channelMessages(TEST_CHANNEL)
        .slice(before)
        .find((m) => /Invalidate the CloudFront cache/.test(JSON.stringify(m.blocks ?? m.text))),
    );
    expect(posted.visibleTo).toBeUndefined();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const runId = await env.testStore.store.getLatestRun(TEST_CHANNEL, run.value!);
      const stored = runId ? await env.testStore.store.getRun(runId) : null;
      const ts = stored?.state.messageTs;
      const threaded = ts && env.bot.fake.messages.some((m) => m.thread_ts === ts);
      if (threaded || Date.now() > deadline) {
        expect(stored?.state.items.filter((i) => i.type === 'step').length).toBe(3);
        expect(threaded).toBeTruthy();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  test('a forged checklist reference starts nothing and says so', async () => {
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    // Top-level messages: a checklist run posts one; the earlier run may still add thread replies.
    const topLevel = () => env.bot.fake.channelMessages(TEST_CHANNEL).filter((m) => !m.thread_ts).length;
    const before = topLevel();
    await env.bot.action(
      blockActionPayload({ actionId: ActionIds.runChecklist, value: 'rm-rf', ephemeral: true, responseUrl }),
    );
    const reply = await env.bot.waitFor(() =>
      env.bot.fake.responses.find((r) => r.id === responseUrl.split('/').pop()),
    );
    expect(JSON.stringify(reply.body)).toContain('no longer in the runbooks');
    expect(topLevel()).toBe(before);
  });
});
