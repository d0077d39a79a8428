/**
 * The set-up most end-to-end Slack tests share: one test bot (Bolt's HTTP receiver, signed requests) over a
 * fresh dynalite store for the whole file, closed after its tests once the feedback writes the answers
 * queued have settled.
 */
import { afterAll, beforeAll } from 'vitest';
import { feedbackSettled, startTestStore, type TestStore } from './dynalite';
import { startTestBot, type TestBot } from './slack-bot';

export interface BotWithStore {
  /** Set in the file's beforeAll: read it inside tests, not at module load. */
  readonly bot: TestBot;
  readonly testStore: TestStore;
}

export function useTestBotWithStore(): BotWithStore {
  const env = {} as { bot: TestBot; testStore: TestStore };
  beforeAll(async () => {
    env.testStore = await startTestStore();
    env.bot = await startTestBot({ deps: { getStore: async () => env.testStore.store } });
  });
  afterAll(async () => {
    if (env.testStore) await feedbackSettled(env.testStore.store);
    await env.bot?.close();
    await env.testStore?.store.close();
  });
  return env;
}

/** The headers of Slack's redelivery of a request it saw no timely ack for. */
export const SLACK_RETRY_HEADERS = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
