/**
 * A search answer's feedback buttons (found in a review, helper-161). The same click delivered twice (same user,
 * same action_ts) must be recorded once (src/slack/features/search.ts says so of `actionKey`).
 */
import { describe, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { useTestBotWithStore } from '../helpers/bot-with-store';
import { feedbackSettled } from '../helpers/dynalite';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL } from '../helpers/slack-payloads';

const env = useTestBotWithStore();

const DAY = 86_400_000;
const feedbackOf = async (user: string) => {
  await feedbackSettled(env.testStore.store);
  const all = await env.testStore.store.listFeedback(
    new Date(Date.now() - DAY).toISOString(),
    new Date(Date.now() + DAY).toISOString(),
  );
  return all.filter((r) => r.user === user);
};

async function ask(text: string): Promise<MessageBody> {
  const res = await env.bot.command(text);
  return (await res.response()).body as MessageBody;
}

/** One click, delivered `times` times as Slack (or a proxy) may: same user, same action_ts. */
async function deliver(button: { action_id: string; value?: string }, user: string, times: number) {
  const actionTs = Date.now() / 1000;
  for (let i = 0; i < times; i++) {
    const responseUrl = env.bot.fake.responseUrl({ channel: TEST_CHANNEL, user });
    const res = await env.bot.action(
      blockActionPayload({
        actionId: button.action_id,
        value: button.value,
        ephemeral: true,
        responseUrl,
        user,
        actionTs,
      }),
    );
    expect(res.status).toBe(200);
    const id = responseUrl.split('/').pop();
    await env.bot.waitFor(() => env.bot.fake.responses.find((r) => r.id === id));
    // A redelivery arrives a moment later.
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('search answer feedback', () => {
  test('records Helpful once when the same click is delivered twice', async () => {
    const answer = await ask('token expired');
    const helpful = messageButtons(answer).find((b) => b.action_id === ActionIds.feedbackHelpful)!;

    await deliver(helpful, 'U0TWICEH', 2);

    expect((await feedbackOf('U0TWICEH')).filter((r) => r.kind === 'helpful')).toHaveLength(1);
  });

  test('records Not this once when the same click is delivered twice', async () => {
    const answer = await ask('token expired');
    const notThis = messageButtons(answer).find((b) => b.action_id === ActionIds.feedbackNotThis)!;

    await deliver(notThis, 'U0TWICEN', 2);

    expect((await feedbackOf('U0TWICEN')).filter((r) => r.kind === 'not-this')).toHaveLength(1);
  });
});
