/**
 * Hostile text in `/runbook`: mentions, broadcasts, planted links, a 6,000-character query, emoji and
 * accents. Every echo is escaped (`&`, `<`, `>`), marked `verbatim`, no `link_names`; the bot answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contactsFeature } from '../../src/slack/features/contacts/contacts';
import { searchFeature } from '../../src/slack/features/search';
import { escapeMrkdwn } from '../../src/slack/render/escape';
import { feedbackSettled, startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { slackLimitViolations } from '../helpers/slack-limits';

type TextObject = { type: string; text: string; verbatim?: boolean };

/** Every mrkdwn text object in a message. */
function textObjects(body: Record<string, unknown>): TextObject[] {
  const out: TextObject[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o as unknown as TextObject);
      Object.values(o).forEach(walk);
    }
  };
  walk(body.blocks);
  return out;
}

const DANGEROUS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0EVIL>',
  '<http://evil.example|click me>',
  '<#C0SECRET>',
];

let bot: TestBot;
let testStore: TestStore;
beforeAll(async () => {
  testStore = await startTestStore();
  bot = await startTestBot({
    features: [searchFeature, contactsFeature],
    deps: { getStore: async () => testStore.store },
  });
});
afterAll(async () => {
  if (testStore) await feedbackSettled(testStore.store);
  await bot?.close();
  await testStore?.store.close();
});

describe.each([
  ['broadcasts', '<!channel> <!here> <!everyone> rollback'],
  ['a mention', 'ask <@U0EVIL> about rollback'],
  ['a planted link', '<http://evil.example|click me> token expired'],
  ['a channel link', '<#C0SECRET> smoke tests'],
  ['pre-encoded entities', '&lt;!channel&gt; rollback'],
  ['an unknown subcommand with a broadcast', 'frobnicate <!here>'],
  ['contacts with a broadcast', 'contacts <!channel>'],
  ['no match with everything', '<!channel> <@U0EVIL> <http://evil.example|click me> zzqx'],
])('%s', (_name, text) => {
  test('is answered, escaped wherever echoed, verbatim, without link_names', async () => {
    const res = await bot.command(text);
    expect(res.status).toBe(200);
    const { body } = await res.response();
    const raw = JSON.stringify(body);
    for (const d of DANGEROUS) expect(raw).not.toContain(JSON.stringify(d).slice(1, -1));
    expect(raw).not.toContain('link_names');
    // Text objects that echo the user's input are verbatim (no auto-linking of what they typed).
    for (const t of textObjects(body)) {
      if (DANGEROUS.some((d) => t.text.includes(escapeMrkdwn(d)))) expect(t.verbatim).toBe(true);
    }
    expect(slackLimitViolations(body)).toEqual([]);
  });
});

describe('the echo', () => {
  test('shows what was typed, inert, in a verbatim text object', async () => {
    const res = await bot.command('<!channel> <@U0EVIL> <http://evil.example|click me> zzqx');
    const { body } = await res.response();
    const echo = textObjects(body).find((t) => t.text.includes('No good match'));
    expect(echo).toMatchObject({
      verbatim: true,
      text: expect.stringContaining(
        '“&lt;!channel&gt; &lt;@U0EVIL&gt; &lt;http://evil.example|click me&gt; zzqx”',
      ),
    });
  });
});

describe('mentions and links in a search', () => {
  test('are not searched: "<!here> prod is down" is answered as "prod is down", and echoed as typed', async () => {
    const plain = await (await bot.command('prod is down')).response();
    const res = await bot.command('<!here> <@U0EVIL> prod is down <http://evil.example|click me>');
    const { body } = await res.response();
    const header = (b: Record<string, unknown>) => JSON.stringify((b.blocks as unknown[] | undefined)?.[0]);
    expect(header(body)).toBe(header(plain.body));
    expect(textObjects(body).some((t) => t.text.includes('No good match'))).toBe(false);
    expect(JSON.stringify(body)).toContain('&lt;!here&gt; &lt;@U0EVIL&gt; prod is down');
    expect(JSON.stringify(body)).not.toContain('<!here>');
  });
});

describe('size and scripts', () => {
  test('a 6,000-character query is answered within limits, its echo shortened', async () => {
    const query = `rollback ${'<!here> déjà vu 🚀 '.repeat(400)}`.slice(0, 6000);
    expect(query.length).toBe(6000);
    const res = await bot.command(query);
    expect(res.status).toBe(200);
    const { body } = await res.response();
    expect(slackLimitViolations(body)).toEqual([]);
    expect(JSON.stringify(body).length).toBeLessThan(20_000);
    expect(JSON.stringify(body)).not.toContain('<!here>');
  });

  test('emoji and accents are searched and echoed intact', async () => {
    const res = await bot.command('vérification après rollback 🚑 — ça marche?');
    const { body } = await res.response();
    const echoed = textObjects(body)
      .map((t) => t.text)
      .join('\n');
    expect(echoed).toMatch(/vérification après rollback 🚑 — ça marche\?|No good match/);
    expect(slackLimitViolations(body)).toEqual([]);
  });
});
