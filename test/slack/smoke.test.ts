import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/slack-bot';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.close();
});

test('help', async () => {
  const res = await bot.command('help');
  expect(res.status).toBe(200);
  const post = await res.response();
  console.log(JSON.stringify(post.body, null, 1).slice(0, 3000));
  const r2 = await bot.command('rollback');
  console.log(JSON.stringify((await r2.response()).body, null, 1).slice(0, 6000));
  console.log(bot.fake.calls.map((c) => c.method));
});
