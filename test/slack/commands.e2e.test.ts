/**
 * `/runbook` end to end: signed requests into Bolt's real HTTP receiver on loopback, answers read from the
 * fake Slack's response_url and Web API records.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { registerDeferred } from '../../src/slack/deferred';
import type { Feature } from '../../src/slack/feature';
import { contactsFeature } from '../../src/slack/features/contacts/contacts';
import { searchFeature } from '../../src/slack/features/search';
import { decodeAnswerRef } from '../../src/slack/render/answer';
import { loadTestArtifact } from '../helpers/artifact';
import { feedbackSettled, startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestBot } from '../helpers/slack-bot';
import { slackLimitViolations } from '../helpers/slack-limits';
import { type MessageBody, messageButtons, visibleText } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';

type Body = MessageBody;
const visible = visibleText;

const buttons = messageButtons;

const calls: string[] = [];
const probeFeature: Feature = {
  id: 'probe',
  subcommands: [
    {
      names: ['drill'],
      usage: 'drill <checklist>',
      summary: 'Probe: short name.',
      run: async ({ args, respond }) => {
        calls.push(`drill:${args}`);
        await respond({ text: `drill ${args}` });
      },
    },
    {
      names: ['drill failover'],
      usage: 'drill failover',
      summary: 'Probe: longer name wins.',
      run: async ({ args, respond }) => {
        calls.push(`drill failover:${args}`);
        await respond({ text: 'drill failover' });
      },
    },
    {
      names: ['explode'],
      usage: 'explode',
      summary: 'Probe: throws.',
      run: async () => {
        throw new Error(`boom with ${TEST_BOT_TOKEN} inside`);
      },
    },
    {
      names: ['later'],
      usage: 'later',
      summary: 'Probe: defers work.',
      run: async ({ deps, command }) => {
        await deps.defer({ kind: 'probe.later', payload: { channel: command.channel_id } });
      },
    },
  ],
  claimText: (text) =>
    /^failover\b/i.test(text)
      ? async ({ respond, text: t }) => {
          calls.push(`claimed:${t}`);
          await respond({ text: 'claimed' });
        }
      : null,
  register: (app) => {
    app.action('probe.explode', async ({ ack }) => {
      await ack();
      throw new Error('action boom');
    });
  },
};

let bot: TestBot;
let artifact: Artifact;
let testStore: TestStore;

beforeAll(async () => {
  artifact = await loadTestArtifact();
  testStore = await startTestStore();
  registerDeferred('probe.later', async (payload, deps) => {
    calls.push(`deferred:${JSON.stringify(payload)}:${deps.config.slashCommand}`);
  });
  bot = await startTestBot({
    // Only this owner's features plus a probe, so other features' claims (checklists) cannot change routing here.
    features: [searchFeature, contactsFeature, probeFeature],
    deps: {
      getStore: async () => testStore.store,
      artifact: {
        ...artifact,
        escalationPaths: [
          {
            id: 'incident',
            title: 'Incident escalation',
            sectionId:
              artifact.sections.find((s) => s.anchor === 'escalation-contacts')?.id ??
              artifact.sections[0]!.id,
            steps: [
              { level: 'L1', label: 'On-call engineer', text: 'Acknowledge within **5 minutes**.' },
              { level: 'L2', label: 'Service owner', text: 'Page when not mitigated in 30 minutes.' },
              { level: 'L3', label: 'Incident commander', text: 'Customer-visible outage over 15 minutes.' },
            ],
          },
        ],
        contacts: [
          ...artifact.contacts,
          {
            level: 'L2',
            role: 'Platform group',
            who: '<!subteam^S0PLATFORM|platform>',
            phone: '',
            when: 'Always',
          },
        ],
      },
    },
  });
});

afterAll(async () => {
  if (testStore) await feedbackSettled(testStore.store);
  await bot?.close();
  await testStore?.store.close();
});

describe('/runbook <words>', () => {
  test('answers in the ack body, ephemerally, with the best section; nothing goes to the response_url', async () => {
    const callsBefore = bot.fake.calls.length;
    const res = await bot.command('rollback the release');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const b = JSON.parse(res.body) as Body;
    expect(res.responses().map((r) => r.ack)).toEqual([true]);
    expect(bot.fake.calls.length).toBe(callsBefore);
    expect(b.response_type).toBe('ephemeral');
    expect(b.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Rollback' } });
    expect(visible(b)).toContain('Deployment runbook');
    expect(visible(b)).toContain('Best match for “rollback the release”');
    expect(visible(b)).toContain(
      'https://github.com/example/sitecraft-runbooks/blob/main/runbooks/DEPLOYMENT.md#rollback',
    );
    expect(b.text).toMatch(/^Runbook: Rollback/);
    const ids = buttons(b).map((x) => x.action_id);
    expect(ids).toContain(ActionIds.shareSection);
    expect(ids.filter((id) => id.startsWith(`${ActionIds.openSection}:`)).length).toBeGreaterThan(0);
    expect(ids.filter((id) => id.startsWith(`${ActionIds.openSection}:`)).length).toBeLessThanOrEqual(4);
    expect(slackLimitViolations(b)).toEqual([]);
  });

  test('makes no Web API call on the way (no auth.test on a cold start)', async () => {
    const res = await bot.command('smoke tests');
    await res.response();
    expect(bot.fake.callsTo('auth.test')).toEqual([]);
  });

  test('code blocks arrive whole as preformatted text', async () => {
    const res = await bot.command('bedrock throttling generation timeout');
    const text = visible((await res.response()).body as Body);
    expect(text).toContain('```');
    for (const block of ((await res.response()).body as Body).blocks ?? []) {
      const t = (block.text as { text?: string } | undefined)?.text ?? '';
      expect((t.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  test('a weak match answers "No good match" with suggestions and what to try next', async () => {
    const res = await bot.command('zebra quantum marmalade');
    const b = (await res.response()).body as Body;
    expect(b.response_type).toBe('ephemeral');
    expect(visible(b)).toContain('No good match');
    expect(visible(b)).toContain('/runbook list');
    expect(b.text).toContain('No good match');
  });

  test('"Share in channel" posts the same answer visibly, saying who shared it', async () => {
    const res = await bot.command('rollback');
    const answer = (await res.response()).body as Body;
    const share = buttons(answer).find((x) => x.action_id === ActionIds.shareSection)!;
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    const before = bot.fake.responses.length;
    const ack = await bot.action(
      blockActionPayload({ actionId: share.action_id, value: share.value, ephemeral: true, responseUrl }),
    );
    expect(ack.status).toBe(200);
    const shared = await bot.waitFor(() =>
      bot.fake.responses.slice(before).find((r) => r.body.response_type === 'in_channel'),
    );
    const sb = shared.body as Body;
    expect(sb.replace_original).toBe(false);
    expect(sb.blocks?.[0]).toEqual(answer.blocks?.[0]);
    expect(visible(sb)).toContain(`Shared by <@${TEST_USER}>`);
    expect(buttons(sb).map((x) => x.action_id)).not.toContain(ActionIds.shareSection);
    expect(bot.fake.channelMessages(TEST_CHANNEL).some((m) => m.text === sb.text)).toBe(true);
  });

  test('"Other matches" buttons open that section in place of the answer', async () => {
    const res = await bot.command('rollback');
    const answer = (await res.response()).body as Body;
    const other = buttons(answer).find((x) => x.action_id.startsWith(`${ActionIds.openSection}:`))!;
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    await bot.action(
      blockActionPayload({ actionId: other.action_id, value: other.value, ephemeral: true, responseUrl }),
    );
    const opened = await bot.waitFor(() =>
      bot.fake.responses.find((r) => r.id === responseUrl.split('/').pop()),
    );
    const ob = opened.body as Body;
    expect(ob.replace_original).toBe(true);
    const targetId = decodeAnswerRef(other.value!)!.id;
    const target = artifact.sections.find((s) => s.id === targetId)!;
    expect(ob.blocks?.[0]).toMatchObject({ type: 'header', text: { text: target.title } });
    // The original best match is now among the other matches.
    expect(
      buttons(ob).some(
        (x) =>
          x.action_id.startsWith(`${ActionIds.openSection}:`) &&
          decodeAnswerRef(x.value!)?.id === 'DEPLOYMENT.md#rollback',
      ),
    ).toBe(true);
  });

  test('a button for a section that no longer exists explains and suggests a new search', async () => {
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    await bot.action(
      blockActionPayload({ actionId: `${ActionIds.openSection}:0`, value: 'GONE.md#nope', responseUrl }),
    );
    const post = await bot.waitFor(() =>
      bot.fake.responses.find((r) => r.id === responseUrl.split('/').pop()),
    );
    expect(visible(post.body as Body)).toContain('no longer in the runbooks');
    expect(visible(post.body as Body)).toContain('/runbook');
  });
});

describe('subcommands', () => {
  test('empty text and `help` list every subcommand, including features added later', async () => {
    for (const text of ['', 'help', 'HELP']) {
      const b = (await (await bot.command(text)).response()).body as Body;
      const v = visible(b);
      expect(v).toContain('/runbook list');
      expect(v).toContain('/runbook contacts');
      expect(v).toContain('/runbook escalate');
      expect(v).toContain('/runbook drill failover');
      // Every checklist of the runbooks, by the command that starts it.
      for (const c of artifact.checklists) expect(v).toContain(`/runbook ${c.commands[0]}`);
      expect(b.text).toBeTruthy();
      expect(slackLimitViolations(b)).toEqual([]);
    }
  });

  test('`list` shows the runbooks and their sections; `list <runbook>` one runbook in full', async () => {
    const all = (await (await bot.command('list')).response()).body as Body;
    for (const r of artifact.runbooks) expect(visible(all)).toContain(r.title);
    // Complete and grouped: every topic of every runbook, with what is under it, in one message.
    expect(visible(all)).toContain('*Performance issues*: Slow generation · Page load slow · API timeout');
    expect(visible(all)).toContain('*SIT to PROD promotion*');
    expect(visible(all)).not.toContain('Not all shown');
    expect(slackLimitViolations(all)).toEqual([]);
    expect(visible(all)).toContain('/runbook help');
    const one = (await (await bot.command('list deployment')).response()).body as Body;
    expect(visible(one)).toContain('Verification after rollback');
    expect(visible(one)).not.toContain('Operations runbook');
    expect(slackLimitViolations(one)).toEqual([]);
  });

  test('`contacts [words]` shows the escalation contacts, filtered by words', async () => {
    const all = (await (await bot.command('contacts')).response()).body as Body;
    expect(all.response_type).toBe('ephemeral');
    for (const c of artifact.contacts) expect(visible(all)).toContain(c.role);
    const sec = (await (await bot.command('contacts security')).response()).body as Body;
    expect(visible(sec)).toContain('Security on-call');
    expect(visible(sec)).not.toContain('Head of Engineering');
    expect(visible(sec)).toContain('/runbook escalate');
    // By role words, as people ask.
    for (const [ask, role, not] of [
      ['who is on call for security', 'Security on-call', 'Head of Engineering'],
      ['aws support', 'Enterprise Support', 'Security on-call'],
      ['database', 'Secondary on-call', 'Security on-call'],
      // An AWS service by name reaches AWS Support: the row names the services it covers.
      ['who do I call if bedrock is down', 'Enterprise Support', 'Security on-call'],
    ] as const) {
      const found = visible((await (await bot.command(`contacts ${ask}`)).response()).body as Body);
      expect(found, ask).toContain(role);
      expect(found, ask).not.toContain(not);
      expect(found, ask).not.toContain('No contact matches');
    }
  });

  test('`escalate [level]` posts the path in the channel without paging anyone', async () => {
    const b = (await (await bot.command('escalate L2')).response()).body as Body;
    expect(b.response_type).toBe('in_channel');
    const v = visible(b);
    expect(v).toContain('Incident escalation');
    expect(v).toContain(`Posted by <@${TEST_USER}>`);
    expect(v).toContain('starting at L2');
    expect(v).toContain('*5 minutes*');
    expect(v).toContain('@platform');
    expect(v).not.toContain('<!subteam^');
    expect(v).toContain('/runbook contacts');
    const unknown = (await (await bot.command('escalate L9')).response()).body as Body;
    expect(visible(unknown)).toContain('no level L9');
  });

  test('the longest subcommand name wins; claimed text goes to its feature before search', async () => {
    await (await bot.command('drill failover now')).response();
    await (await bot.command('drill promote')).response();
    await (await bot.command('Failover to eu-west-1')).response();
    expect(calls).toEqual(
      expect.arrayContaining(['drill failover:now', 'drill:promote', 'claimed:Failover to eu-west-1']),
    );
  });

  test('an unknown subcommand falls through to search', async () => {
    const b = (await (await bot.command('frobnicate rollback')).response()).body as Body;
    expect(visible(b)).toMatch(/Rollback|No good match/);
    expect(visible(b)).toContain('/runbook');
  });

  test('deferred work runs after the ack, in process by default', async () => {
    const res = await bot.command('later');
    expect(res.status).toBe(200);
    await bot.waitFor(() => calls.find((c) => c.startsWith('deferred:')));
    expect(calls).toContain(`deferred:{"channel":"${TEST_CHANNEL}"}:/runbook`);
  });
});

describe('failures', () => {
  test('a failing command answers with a short ephemeral error and a reference; the log has it, no secrets', async () => {
    const res = await bot.command('explode');
    expect(res.status).toBe(200);
    const b = (await res.response()).body as Body;
    expect(b.response_type).toBe('ephemeral');
    const v = visible(b);
    const ref = /ref `([0-9a-f]{8})`/.exec(v)?.[1];
    expect(ref).toBeDefined();
    expect(v).not.toContain('boom');
    expect(v).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
    expect(v).toContain('/runbook help');
    const entry = bot.logs.find((e) => e.ref === ref);
    expect(entry).toMatchObject({
      level: 'error',
      msg: 'listener failed',
      command: '/runbook',
      user: TEST_USER,
    });
    const logText = JSON.stringify(bot.logs);
    expect(logText).not.toContain(TEST_BOT_TOKEN);
    expect(logText).not.toContain(TEST_SIGNING_SECRET);
    expect(logText).toContain('xoxb-[redacted]');
  });

  test('a failing action listener answers through its response_url too', async () => {
    const responseUrl = bot.fake.responseUrl({ channel: TEST_CHANNEL, user: TEST_USER });
    const ack = await bot.action(blockActionPayload({ actionId: 'probe.explode', responseUrl }));
    expect(ack.status).toBe(200);
    const post = await bot.waitFor(() =>
      bot.fake.responses.find((r) => r.id === responseUrl.split('/').pop()),
    );
    expect(visible(post.body as Body)).toMatch(/Something went wrong on our side \(ref `[0-9a-f]{8}`\)/);
    expect((post.body as Body).response_type).toBe('ephemeral');
  });
});
