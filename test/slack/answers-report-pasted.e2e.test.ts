/**
 * Found in a review (helper-209): `runbook report` for a pasted log line. A query with no good match was
 * recorded as typed (up to 300 characters) while the "Did you mean" section opened after it is recorded with
 * the query its button carries, cut to MAX_REF_QUERY (200): the report's "→ then opened" compares the two,
 * so for a query longer than 200 characters (a pasted log line, which the search is built to read) it never
 * said what people opened instead. Both are now recorded as the buttons carry it (answer.ts feedbackQuery).
 */
import { describe, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeAnswerRef, MAX_REF_QUERY } from '../../src/slack/render/answer';
import { buildFeedbackReport } from '../../src/workflows/feedback-report';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import { feedbackSettled } from '../helpers/dynalite';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

const DAY = 86_400_000;
const PASTED =
  'ERROR 2026-12-07T09:12:44.123Z [worker-7] com.example.sprocket.FluxCapacitor: unexpected reading 1.21 gigawatts during nightly reconciliation for tenant t-0123456789; retrying in 30s (attempt 3 of 5) correlation-id=6f1c2a9e-77b3-4b8e-9d0a-1234567890ab';

describe('the feedback report', () => {
  test('says which section people opened after a pasted log line found no good match', async () => {
    expect(PASTED.length).toBeGreaterThan(MAX_REF_QUERY);
    const user = 'U0PASTER';
    const answer = (await (await env.bot.command(PASTED, { user })).response()).body as MessageBody;
    const didYouMean = messageButtons(answer).find((b) =>
      b.action_id.startsWith(`${ActionIds.openSection}:`),
    );
    expect(didYouMean, 'a "Did you mean" button').toBeTruthy();
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user });
    await env.bot.action(
      blockActionPayload({
        actionId: didYouMean!.action_id,
        value: didYouMean!.value,
        ephemeral: true,
        responseUrl,
        user,
      }),
    );
    await env.bot.waitFor(() => env.bot.fake.responses.find((r) => r.id === responseUrl.split('/').pop()));
    await feedbackSettled(env.testStore.store);
    const window = {
      since: new Date(Date.now() - DAY).toISOString(),
      until: new Date(Date.now() + DAY).toISOString(),
    };
    const records = (await env.testStore.store.listFeedback(window.since, window.until)).filter(
      (r) => r.user === user,
    );
    expect(records.map((r) => r.kind).sort()).toEqual(['chose-other', 'no-match']);

    const report = buildFeedbackReport(records, env.bot.deps.artifact, window);
    const opened = env.bot.deps.artifact.sections.find(
      (s) => s.id === decodeAnswerRef(didYouMean!.value!)!.id,
    )!;
    expect(report.unanswered).toHaveLength(1);
    expect(report.unanswered[0]!.thenChose).toEqual([opened.title]);
  });
});
