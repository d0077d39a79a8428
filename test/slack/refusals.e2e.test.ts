/**
 * Every request's signature is verified, and timestamps more than 5 minutes away on either side are
 * refused: 401, empty body, and no side effect (no listener runs, no Slack call, no response_url post).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Feature } from '../../src/slack/feature';
import { searchFeature } from '../../src/slack/features/search';
import { formBody, nowSeconds, signSlackRequest } from '../helpers/signed';
import { startTestBot, TEST_SIGNING_SECRET, type TestBot } from '../helpers/slack-bot';
import { blockActionPayload, slashCommandFields } from '../helpers/slack-payloads';

const ran: string[] = [];
const spy: Feature = {
  id: 'spy',
  claimText: () => async (ctx) => {
    ran.push(ctx.text);
    await ctx.client.chat.postMessage({ channel: ctx.command.channel_id, text: 'side effect' });
    await ctx.respond({ text: 'side effect' });
  },
  register: (app) => {
    app.action('spy.button', async ({ ack }) => {
      ran.push('action');
      await ack();
    });
  },
};

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ features: [searchFeature, spy] });
});
afterAll(async () => {
  await bot?.close();
});
beforeEach(() => {
  ran.length = 0;
  bot.fake.reset();
});

function commandBody(): string {
  return formBody(
    slashCommandFields({
      text: 'anything',
      responseUrl: bot.fake.responseUrl({ channel: 'C1', user: 'U1' }),
    }),
  );
}

async function expectNoSideEffect(): Promise<void> {
  // Give a wrongly accepted request time to reach its listener before asserting nothing happened.
  await new Promise((r) => setTimeout(r, 150));
  expect(ran).toEqual([]);
  expect(bot.fake.calls).toEqual([]);
  expect(bot.fake.responses).toEqual([]);
}

describe('refused with 401 and no side effect', () => {
  test('unsigned', async () => {
    const res = await bot.post(commandBody(), { unsigned: true });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    await expectNoSideEffect();
  });

  test('signed with the wrong secret', async () => {
    const res = await bot.post(commandBody(), { secret: 'some-other-apps-signing-secret' });
    expect(res.status).toBe(401);
    await expectNoSideEffect();
  });

  test('stale: 5 minutes and 10 seconds old', async () => {
    const res = await bot.post(commandBody(), { timestamp: nowSeconds() - 310 });
    expect(res.status).toBe(401);
    await expectNoSideEffect();
  });

  test('future: 5 minutes and 10 seconds ahead (Bolt alone would accept it)', async () => {
    const res = await bot.post(commandBody(), { timestamp: nowSeconds() + 310 });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    await expectNoSideEffect();
    expect(bot.logs.some((e) => e.msg === 'request refused: timestamp in the future')).toBe(true);
  });

  test('tampered body: signed, then a field changed', async () => {
    const body = commandBody();
    const headers = signSlackRequest(body, TEST_SIGNING_SECRET);
    const tampered = body.replace('text=anything', 'text=drop+tables');
    const res = await bot.post(tampered, { unsigned: true, headers });
    expect(res.status).toBe(401);
    await expectNoSideEffect();
  });

  test('a signed interaction with a future timestamp', async () => {
    const payload = blockActionPayload({
      actionId: 'spy.button',
      responseUrl: bot.fake.responseUrl({ channel: 'C1', user: 'U1' }),
    });
    const res = await bot.action(payload, { timestamp: nowSeconds() + 3600 });
    expect(res.status).toBe(401);
    await expectNoSideEffect();
  });
});

describe('refused before parsing', () => {
  test('a 12 MB body, signed, never reaches a listener', async () => {
    const big = formBody({
      payload: JSON.stringify({ type: 'block_actions', pad: 'x'.repeat(12 * 1024 * 1024) }),
    });
    const res = await bot.post(big).catch(() => ({ status: 0, body: '' }));
    // Bolt's HTTP receiver stops reading at 4 MB (raw-body's limit) and answers 413.
    expect(res.status).toBe(413);
    await expectNoSideEffect();
  });
});

describe('accepted', () => {
  test('the same requests, properly signed and on time, do reach the listener', async () => {
    const res = await bot.post(commandBody());
    expect(res.status).toBe(200);
    await bot.waitFor(() => bot.fake.responses.length > 0);
    expect(ran).toEqual(['anything']);
    const withinSkew = await bot.post(commandBody(), { timestamp: nowSeconds() + 200 });
    expect(withinSkew.status).toBe(200);
  });
});
