/**
 * Found in a review (helper-219): odd corners of answers.
 * 1. Command text decoded twice: app.ts normalizes `command.text` (decodeSlackEntities), then routeCommand
 *    normalizes it again, so a typed `&lt;b&gt;` (Slack sends `&amp;lt;b&amp;gt;`) becomes `<b>`.
 * 2. Share / escalate under a lease: a redelivery that arrives while the first post is in flight finds the
 *    lease held and does nothing; the first post then fails and releases the lease: nothing posted at all.
 * 3. A forged Walk the tree value is echoed inside backticks in a section that is not `verbatim`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { feedbackSettled, startTestStore, type TestStore } from '../helpers/dynalite';
import { formBody } from '../helpers/signed';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, slashCommandFields, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

let bot: TestBot;
let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
  bot = await startTestBot({ deps: { getStore: async () => testStore.store } });
});
afterAll(async () => {
  if (testStore) await feedbackSettled(testStore.store);
  await bot?.close();
  await testStore?.store.close();
});

const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

/**
 * A response_url whose first post hangs `holdMs` and then fails (500, as Slack does when it is overloaded);
 * every later post is accepted and recorded.
 */
async function flakyResponseUrl(
  holdMs: number,
): Promise<{ url: string; posts: Record<string, unknown>[]; close: () => void }> {
  const posts: Record<string, unknown>[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const first = n++ === 0;
      if (first) {
        setTimeout(() => res.writeHead(500).end('internal_error'), holdMs);
        return;
      }
      try {
        posts.push(JSON.parse(raw));
      } catch {
        posts.push({ raw });
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/response/flaky`, posts, close: () => server.close() };
}

describe('command text is decoded once', () => {
  test('a typed "&lt;b&gt;" is echoed as typed, not as "<b>"', async () => {
    // What the user typed: token expired &lt;b&gt; after login. Slack escapes & < > in command text.
    const res = await bot.command('token expired &amp;lt;b&amp;gt; after login');
    const body = (await res.response()).body as MessageBody;
    const shown = JSON.stringify(body.blocks);
    // Escaped for mrkdwn, the typed text is "&amp;lt;b&amp;gt;"; decoded twice it reads "&lt;b&gt;" (<b>).
    expect(shown).toContain('token expired &amp;lt;b&amp;gt; after login');
  });
});

describe('a redelivery while the first post is in flight, which then fails', () => {
  test('Share: the section is posted in the channel (nothing posted at all is a lost share)', async () => {
    const answer = (await (await bot.command('token expired')).response()).body as MessageBody;
    const share = messageButtons(answer).find((b) => b.action_id === ActionIds.shareSection)!;
    const flaky = await flakyResponseUrl(800);
    try {
      const payload = blockActionPayload({
        actionId: share.action_id,
        value: share.value,
        ephemeral: true,
        responseUrl: flaky.url,
        user: TEST_USER,
      });
      expect((await bot.action(payload)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 150));
      // Slack retries the click while the first delivery's post hangs.
      expect((await bot.action(payload, { headers: RETRY })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      await bot.deps.drain?.();
      const shared = flaky.posts.filter((p) => p.response_type === 'in_channel');
      expect(shared, JSON.stringify(flaky.posts).slice(0, 400)).toHaveLength(1);
    } finally {
      flaky.close();
    }
  });

  test('/runbook escalate: the ladder is posted in the channel', async () => {
    const flaky = await flakyResponseUrl(800);
    try {
      const body = formBody(
        slashCommandFields({ text: 'escalate', responseUrl: flaky.url, triggerId: '9219.1700000000.esc' }),
      );
      const first = await bot.post(body);
      expect(first.status).toBe(200);
      await new Promise((r) => setTimeout(r, 150));
      const again = await bot.post(body, { headers: RETRY });
      expect(again.status).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      await bot.deps.drain?.();
      const inAck = [first, again].filter((r) => r.body.includes('in_channel')).length;
      const posted = flaky.posts.filter((p) => p.response_type === 'in_channel').length;
      expect(inAck + posted, JSON.stringify(flaky.posts).slice(0, 400)).toBe(1);
    } finally {
      flaky.close();
    }
  });
});

describe('a forged Walk the tree value', () => {
  test('is echoed verbatim and cannot close the code span it is shown in', async () => {
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    const id = responseUrl.split('/').pop();
    const forged = 'x` @channel *URGENT* rotate keys at https://evil.example/login `y';
    const payload = blockActionPayload({
      actionId: ActionIds.treeStart,
      value: forged,
      ephemeral: true,
      responseUrl,
      user: TEST_USER,
    });
    expect((await bot.action(payload)).status).toBe(200);
    const post = await bot.waitFor(() => bot.fake.responses.find((r) => r.id === id));
    const blocks = (post.body as MessageBody).blocks as Array<{
      text?: { text: string; verbatim?: boolean };
    }>;
    const echoed = blocks.find((b) => b.text?.text.includes('@channel'));
    expect(echoed, 'the forged value is echoed').toBeDefined();
    // docs/security.md rule 5: user text is escaped and verbatim.
    expect(echoed?.text, JSON.stringify(echoed)).toMatchObject({ verbatim: true });
    // And the value's backticks do not end the code span: the rest is not rendered as mrkdwn (bold, links).
    expect(echoed?.text?.text).not.toContain('` @channel *URGENT*');
  });
});

describe('a decision tree leaf’s Post escalation, delivered twice', () => {
  test('posts the escalation ladder in the channel once (x-slack-retry-num, the same click)', async () => {
    const path = bot.deps.artifact.escalationPaths[0];
    expect(path, 'the runbooks declare an escalation path').toBeDefined();
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    const id = responseUrl.split('/').pop();
    const payload = blockActionPayload({
      actionId: ActionIds.treePostEscalation,
      value: path?.id,
      ephemeral: true,
      responseUrl,
      user: TEST_USER,
      triggerId: '9219.1700000000.tree-escalate',
    });
    const inChannel = () =>
      bot.fake.responses.filter((r) => r.id === id && r.body.response_type === 'in_channel').length;
    expect((await bot.action(payload)).status).toBe(200);
    await bot.waitFor(() => inChannel() >= 1, { what: 'the escalation posted' });
    expect((await bot.action(payload, { headers: RETRY })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await bot.deps.drain?.();
    expect(inChannel()).toBe(1);
  });
});
