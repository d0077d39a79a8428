/**
 * Found in a review (helper-174): AWS_SIMULATION with a typo (`primary-dwn`) is accepted by loadConfig as any string
 * (src/config.ts `simulation: optional(env, 'AWS_SIMULATION', (v) => v)`); the bot starts, and the scenario
 * is only looked up at the first AWS use (src/aws/index.ts createGateway → loadScenario). Then every AWS
 * answer is "Something went wrong while talking to AWS. Retry; if it keeps failing, escalate." — blaming
 * AWS in the middle of an incident for a setting, against config.ts's own rule (a malformed value stops
 * start-up with a ConfigError naming the variable). Accepted fixes: start-up refuses, or the answer names
 * AWS_SIMULATION.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';

let bot: TestBot | undefined;
let testStore: TestStore | undefined;
afterAll(async () => {
  await bot?.close();
  await testStore?.store.close();
});

describe('AWS_SIMULATION=primary-dwn (a typo of primary-down)', () => {
  test('is refused at start-up, or named in the answer, never reported as an AWS failure', async () => {
    testStore = await startTestStore();
    const store = testStore.store;
    try {
      bot = await startTestBot({
        env: { AWS_SIMULATION: 'primary-dwn' },
        deps: { getStore: async () => store },
      });
    } catch (error) {
      expect(String(error)).toContain('AWS_SIMULATION');
      return;
    }
    const res = await bot.command('status');
    expect(res.status).toBe(200);
    const answer = await bot.waitFor(
      () => res.responses().find((r) => !/Checking Route 53/.test(JSON.stringify(r.body))),
      {
        what: 'the status answer',
      },
    );
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('Something went wrong while talking to AWS');
    expect(text).toContain('AWS_SIMULATION');
  });
});
