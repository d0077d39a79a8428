import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { FakeSlack, type MessageEvent, RESPONSE_URL_MAX_POSTS } from '../../src/local/slack-web-api';
import { createWebClient } from './web-client';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  fake.clearHandlers();
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Web API through @slack/web-api', () => {
  test('records method, args and token; answers postMessage and update with generated ts', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const events: MessageEvent[] = [];
    fake.on('message', (e: MessageEvent) => events.push(e));
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'hello',
      blocks: [{ type: 'divider' }],
    });
    expect(posted.ok).toBe(true);
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    const updated = await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'edited' });
    expect(updated.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
      token: 'xoxb-fake',
      args: { channel: 'C1', text: 'hello', blocks: [{ type: 'divider' }] },
    });
    expect(fake.channelMessages('C1')).toMatchObject([{ text: 'edited', ts: posted.ts }]);
    expect(events.map((e) => e.type)).toEqual(['posted', 'updated']);
  });

  test('views, user groups, errors and overrides', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const opened = await client.views.open({
      trigger_id: 't',
      view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] },
    });
    expect(opened.view?.id).toMatch(/^V/);
    fake.usergroups.set('S1', ['U1', 'U2']);
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    await expect(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toThrow(
      /message_not_found/,
    );
    fake.handleMethod('chat.postMessage', () => ({ ok: false, error: 'not_in_channel' }));
    await expect(client.chat.postMessage({ channel: 'C2', text: 'x' })).rejects.toThrow(/not_in_channel/);
  });

  test('a call without a token is refused as Slack does', async () => {
    const res = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST' });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});

describe('what issue 19 uses, answered as Slack answers it', () => {
  test('conversations.open opens one DM per person, and refuses what Slack refuses', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const opened = await client.conversations.open({ users: 'U0ALICE' });
    expect(opened.channel?.id).toBe(fake.dmChannelOf('U0ALICE'));
    await client.chat.postMessage({ channel: opened.channel!.id!, text: 'hi' });
    expect(await client.conversations.open({ users: 'U0ALICE' })).toMatchObject({ already_open: true });
    // Posting to a user ID posts in the same DM, as Slack does.
    const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'again' });
    expect(posted.channel).toBe(fake.dmChannelOf('U0ALICE'));
    fake.undmable.add('U0BOB');
    await expect(client.conversations.open({ users: 'U0BOB' })).rejects.toMatchObject({
      data: { error: 'cannot_dm_bot' },
    });
    await expect(client.conversations.open({ users: '' })).rejects.toMatchObject({
      data: { error: 'users_list_not_supplied' },
    });
  });

  test('views.publish keeps one Home tab per person, within 100 blocks, with hash checks', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const view = { type: 'home' as const, blocks: [{ type: 'divider' as const }] };
    const first = await client.views.publish({ user_id: 'U0ALICE', view });
    const second = await client.views.publish({ user_id: 'U0ALICE', view });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homes.get('U0ALICE')?.view).toMatchObject(view);
    await expect(client.views.publish({ user_id: 'U0ALICE', view, hash: 'stale' })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    const big = {
      type: 'home' as const,
      blocks: Array.from({ length: 101 }, () => ({ type: 'divider' as const })),
    };
    await expect(client.views.publish({ user_id: 'U0ALICE', view: big })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    await expect(client.views.publish({ user_id: '<!channel>', view })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
  });

  test('users.info gives a profile (display name, else real name), usergroups and permalinks', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    fake.profiles.set('U0ALICE', { real_name: 'Alice Chen', display_name: 'alice' });
    expect((await client.users.info({ user: 'U0ALICE' })).user?.profile?.display_name).toBe('alice');
    expect((await client.users.info({ user: 'U0NEW' })).user?.profile).toMatchObject({
      display_name: '',
      real_name: 'User U0NEW',
    });
    fake.usergroups.set('S0OPS', ['U0ALICE']);
    expect((await client.usergroups.users.list({ usergroup: 'S0OPS' })).users).toEqual(['U0ALICE']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    expect((await client.chat.getPermalink({ channel: 'C1', message_ts: '1.2' })).permalink).toContain(
      '/archives/C1/p',
    );
  });
});

describe('response_url', () => {
  test('ephemeral by default, in_channel when asked, replace_original and delete_original on the source', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const source = await client.chat.postMessage({ channel: 'C1', text: 'source' });
    const url = fake.responseUrl({ channel: 'C1', user: 'U1', messageTs: source.ts! });
    await post(url, { text: 'only you' });
    await post(url, { text: 'everyone', response_type: 'in_channel' });
    await post(url, { text: 'replaced', replace_original: true });
    expect(fake.channelMessages('C1', 'U1').map((m) => m.text)).toEqual(['replaced', 'only you', 'everyone']);
    expect(fake.channelMessages('C1', 'U2').map((m) => m.text)).toEqual(['replaced', 'everyone']);
    await post(url, { delete_original: true });
    expect(fake.channelMessages('C1', 'U1').map((m) => m.text)).toEqual(['only you', 'everyone']);
    expect(fake.responses).toHaveLength(4);
  });

  test(`at most ${RESPONSE_URL_MAX_POSTS} posts per URL; unknown URLs are 404`, async () => {
    const url = fake.responseUrl({ channel: 'C1', user: 'U1' });
    for (let i = 0; i < RESPONSE_URL_MAX_POSTS; i++)
      expect((await post(url, { text: `${i}` })).status).toBe(200);
    expect((await post(url, { text: 'too many' })).status).toBe(404);
    expect((await post(`${fake.baseUrl}response/nope`, { text: 'x' })).status).toBe(404);
  });
});

describe('files: Slack upload flow (files.uploadV2)', () => {
  test('getUploadURLExternal → bytes to the upload URL → completeUploadExternal shares into the thread', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const events: MessageEvent[] = [];
    fake.on('message', (e: MessageEvent) => events.push(e));
    const content = 'Steps\n-----\n1  Freeze — done ✓\n';
    const done = await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: '1700000000.000100',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Timeline' } }],
      file_uploads: [
        { content, filename: 'timeline.txt', title: 'Timeline', snippet_type: 'text' },
        { content: '{"a":1}\n', filename: 'change.json', title: 'Change' },
      ],
    });
    expect(done.ok).toBe(true);
    // Step 1 was told the size in bytes (UTF-8), not in characters.
    expect(fake.callsTo('files.getUploadURLExternal').map((c) => c.args)).toMatchObject([
      { filename: 'timeline.txt', length: String(Buffer.byteLength(content)) },
      { filename: 'change.json', length: '8' },
    ]);
    // Step 3 once, for both files, into the thread.
    const [complete, ...again] = fake.callsTo('files.completeUploadExternal');
    expect(again).toHaveLength(0);
    expect(complete?.args).toMatchObject({ channel_id: 'C1', thread_ts: '1700000000.000100' });
    const [message] = fake.channelMessages('C1');
    expect(message).toMatchObject({ thread_ts: '1700000000.000100', via: 'files.completeUploadExternal' });
    expect(message?.files?.map((f) => [f.name, f.title, f.text])).toEqual([
      ['timeline.txt', 'Timeline', content],
      ['change.json', 'Change', '{"a":1}\n'],
    ]);
    expect(fake.files.list().every((f) => f.completed && f.channel === 'C1')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['posted']);
  });

  test('the upload URL takes raw bytes too; a file completes once and only after its bytes arrived', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const opened = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    const early = await client.files
      .completeUploadExternal({ files: [{ id: opened.file_id! }] })
      .catch((e: { data: { error: string } }) => e.data.error);
    expect(early).toBe('file_not_found');
    const res = await fetch(opened.upload_url!, { method: 'POST', body: 'abc' });
    expect([res.status, await res.text()]).toEqual([200, 'OK - 3']);
    // Without a channel the file stays private: no message.
    const done = await client.files.completeUploadExternal({ files: [{ id: opened.file_id!, title: 'A' }] });
    expect(done.files).toMatchObject([{ id: opened.file_id, title: 'A' }]);
    expect(fake.messages).toHaveLength(0);
    const twice = await client.files
      .completeUploadExternal({ files: [{ id: opened.file_id! }] })
      .catch((e: { data: { error: string } }) => e.data.error);
    expect(twice).toBe('file_not_found');
    expect((await fetch(opened.upload_url!, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  test('refuses an empty or nameless file, and answers missing_scope when told to', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const error = (p: Promise<unknown>) => p.catch((e: { data: { error: string } }) => e.data.error);
    expect(await error(client.files.getUploadURLExternal({ filename: 'a.txt', length: 0 }))).toBe(
      'missing_argument',
    );
    expect(await error(client.files.getUploadURLExternal({ filename: '', length: 3 }))).toBe(
      'invalid_arguments',
    );
    fake.failMethod('files.getUploadURLExternal', {
      ok: false,
      error: 'missing_scope',
      needed: 'files:write',
    });
    expect(await error(client.filesUploadV2({ channel_id: 'C1', content: 'x', filename: 'x.txt' }))).toBe(
      'missing_scope',
    );
    expect(fake.files.list()).toHaveLength(0);
  });

  test('loseReplies: the share happens, its answer does not arrive (connection closed, or a 5xx)', async () => {
    const client = createWebClient('xoxb-fake', fake.apiUrl);
    const share = async () => {
      const opened = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 1 });
      await fetch(opened.upload_url!, { method: 'POST', body: 'a' });
      return fetch(`${fake.apiUrl}files.completeUploadExternal`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-fake', 'content-type': 'application/json' },
        body: JSON.stringify({ files: [{ id: opened.file_id }], channel_id: 'C1' }),
      });
    };
    const dropped = fake.loseReplies('files.completeUploadExternal', 'drop');
    await expect(share()).rejects.toThrow();
    fake.loseReplies('files.completeUploadExternal', 503);
    expect((await share()).status).toBe(503);
    // Both were carried out: two files shared into the channel. The next call answers as usual.
    expect(dropped.served).toBe(1);
    expect(fake.messages.filter((m) => m.files)).toHaveLength(2);
    expect((await share()).status).toBe(200);
  });
});
