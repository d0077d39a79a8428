/**
 * Export as files, end to end (issue 20): signed clicks through Bolt's HTTP receiver, the fake Slack's
 * upload flow (files.getUploadURLExternal → bytes to the upload URL → files.completeUploadExternal), and
 * dynalite. The timeline lands in the run's thread as a plain-text file, each Route 53 change batch as
 * JSON, with a short summary; when Slack refuses the upload, as thread messages, and the clicker learns how
 * to fix it. Once per state of the run, however often the click arrives.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { recordRunNote, runtimeFor } from '../../src/slack/features/checklists/runtime';
import { ALREADY_EXPORTED, UPLOAD_UNCONFIRMED } from '../../src/slack/features/checklists/timeline-export';
import { decodeItemValue } from '../../src/slack/render/checklist';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { type ChecklistBot, findElement, startChecklistBot } from './checklist-bot';
import { ROUTE53_BATCH } from './fixtures';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const IC = 'U0IC';

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
  t.bot.fake.profiles.set(IC, { real_name: 'Ines Cole', display_name: 'ines' });
  t.bot.fake.profiles.set('U0SEC', { real_name: 'Sam Sec', display_name: '' });
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  t.bot.fake.clearHandlers();
});

const runIdOf = (m: FakeMessage) => decodeItemValue(findElement(m, ActionIds.checklistExport).value)!.runId;
const uploadsIn = (channel: string) =>
  t.bot.fake.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === channel);
const timelineMessagesOf = (m: FakeMessage) =>
  t.thread(m).filter((r) => /^Timeline of /.test(r.text ?? '') && !r.files);

describe('Export uploads the timeline as a file', () => {
  it('puts a plain-text timeline and the Route 53 JSON in the run’s thread, with a short summary', async () => {
    const channel = 'C0FILE';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    const reason = 'frozen already <!channel> *bold* <@U0SEC> [click](http://evil.example) &amp; done';
    await t.click(msg, ActionIds.checklistSkip, IC, 'freeze-sit');
    await t.submitModal(IC, reason);
    const rt = runtimeFor(t.bot.deps);
    await recordRunNote(rt, rt.slack, runIdOf(msg), {
      user: 'U0SEC',
      key: 'route53',
      text: `Route 53 failover applied by <@U0SEC>: ${JSON.stringify(ROUTE53_BATCH)}`,
    });

    const click = await t.click(t.latestRun(channel), ActionIds.checklistExport, IC);
    expect(String(click.responses()[0]?.body.text)).toContain('as a file');

    // Slack's flow: an upload URL per file (told the size in bytes), the bytes, one completion into the thread.
    const [complete, ...again] = uploadsIn(channel);
    expect(again).toHaveLength(0);
    expect(complete?.args.thread_ts).toBe(msg.ts);
    const [share, ...otherShares] = t.thread(msg).filter((m) => m.files);
    expect(otherShares).toHaveLength(0);
    const [file, json, ...more] = share!.files!;
    expect(more).toHaveLength(0);
    for (const f of [file!, json!]) {
      const asked = t.bot.fake.callsTo('files.getUploadURLExternal').find((c) => c.args.filename === f.name);
      expect(Number(asked?.args.length)).toBe(Buffer.byteLength(f.text));
    }
    // Nothing posted as today's timeline messages.
    expect(timelineMessagesOf(msg)).toHaveLength(0);

    const text = file!.text;
    expect(file!.name).toMatch(/^timeline-promote-sit-prod-[0-9t]+-[0-9a-f]+\.txt$/);
    expect(text).toContain('All times are UTC.');
    expect(text).toMatch(/\n1 +Freeze SIT +skipped: frozen already .+@ines +\d\d:\d\d:\d\d/);
    expect(text).toMatch(/\nStarted \d{4}-\d\d-\d\d \d\d:\d\d UTC by @ines · in progress\n/);
    // What was typed stays plain text in the file (a file is not mrkdwn); mentions written by the bot are names.
    expect(text).toContain('skipped by @ines at ');
    expect(text).toContain(': frozen already <!channel> *bold* @Sam Sec [click](http://evil.example) & done');
    expect(text).toContain(
      'Route 53 failover applied by @Sam Sec: UPSERT api.example. A PRIMARY → d-eu.example. (JSON: attachment 1)',
    );
    expect(text).not.toMatch(/<@U|&lt;|&amp;|```/);
    expect(json!.name).toMatch(/^route53-change-1-promote-sit-prod-.+\.json$/);
    expect(JSON.parse(json!.text)).toEqual(ROUTE53_BATCH);

    // The summary: short, escaped, nothing a user typed, naming both files.
    const summary = JSON.stringify(share!.blocks);
    expect(share!.blocks).toHaveLength(1);
    expect(summary).toContain('Timeline of Promote SIT → PROD');
    expect(summary).toContain(file!.name);
    expect(summary).toContain(json!.name);
    expect(summary).not.toMatch(/evil|<!channel>|<@|bold/);

    // No secret of the bot in anything uploaded.
    for (const f of share!.files!) {
      expect(f.text).not.toContain(TEST_BOT_TOKEN);
      expect(f.text).not.toContain(TEST_SIGNING_SECRET);
      expect(f.text).not.toMatch(/xox[bpa]-/);
    }
  });
});

describe('when Slack refuses the upload', () => {
  it('missing_scope: posts the timeline as thread messages and tells the clicker to add files:write and reinstall', async () => {
    const channel = 'C0NOSCOPE';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    await t.click(msg, ActionIds.checklistDone, IC, 'freeze-sit');
    t.bot.fake.failMethod('files.getUploadURLExternal', {
      ok: false,
      error: 'missing_scope',
      needed: 'files:write',
      provided: 'commands,chat:write,im:write,usergroups:read,users:read',
    });
    const click = await t.click(t.latestRun(channel), ActionIds.checklistExport, IC);

    expect(uploadsIn(channel)).toHaveLength(0);
    expect(t.thread(msg).filter((m) => m.files)).toHaveLength(0);
    const posted = timelineMessagesOf(msg);
    expect(posted.length).toBeGreaterThan(0);
    const md = posted
      .flatMap((m) => (m.blocks ?? []) as { text: { text: string } }[])
      .map((b) => b.text.text);
    expect(md.join('\n')).toContain('*Promote SIT → PROD: timeline*');
    expect(md.join('\n')).toMatch(/\n1 +Freeze SIT +done +@ines /);

    const answer = String(click.responses()[0]?.body.text);
    expect(answer).toContain('as messages');
    expect(answer).toContain('missing_scope');
    expect(answer).toContain('files:write');
    expect(answer).toContain('reinstalls the app');
    expect(t.bot.logs).toContainEqual(
      expect.objectContaining({
        msg: 'timeline upload failed; posting it as messages',
        code: 'missing_scope',
      }),
    );
  });

  it('a refusal of the share (completeUploadExternal answers an error) still posts the timeline, once', async () => {
    const channel = 'C0COMPLETEFAIL';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    t.bot.fake.failMethod('files.completeUploadExternal', { ok: false, error: 'restricted_action' });
    const click = await t.click(msg, ActionIds.checklistExport, IC);
    expect(timelineMessagesOf(msg).length).toBeGreaterThan(0);
    expect(t.thread(msg).filter((m) => m.files)).toHaveLength(0);
    expect(String(click.responses()[0]?.body.text)).toContain('Slack answered `restricted_action`');
  });
});

describe('when Slack shares the file but its answer is lost', () => {
  for (const how of ['drop', 502] as const) {
    it(`(${how === 'drop' ? 'connection closed' : 'HTTP 502'}) the thread gets one timeline; only a new click exports again`, async () => {
      const channel = `C0LOST${how}`.toUpperCase();
      await t.command('promote sit prod', IC, channel);
      const msg = t.latestRun(channel);
      const lost = t.bot.fake.loseReplies('files.completeUploadExternal', how);
      const first = await t.click(msg, ActionIds.checklistExport, IC);

      // Slack did share the file; the bot could not know, and posted nothing more.
      expect(lost.served).toBe(1);
      expect(uploadsIn(channel)).toHaveLength(1);
      expect(t.threadFiles(msg)).toHaveLength(1);
      expect(timelineMessagesOf(msg)).toHaveLength(0);
      expect(String(first.responses().at(-1)?.body.text)).toBe(`:page_facing_up: ${UPLOAD_UNCONFIRMED}`);
      expect(t.bot.logs).toContainEqual(
        expect.objectContaining({
          msg: 'timeline upload not confirmed; not posted as messages',
          run: runIdOf(msg),
        }),
      );

      // Slack redelivers the same click: nothing more in the thread.
      const retry = await t.click(msg, ActionIds.checklistExport, IC, undefined, { retryOf: first.payload });
      expect(String(retry.responses().at(-1)?.body.text)).toBe(ALREADY_EXPORTED);
      expect(uploadsIn(channel)).toHaveLength(1);
      expect(timelineMessagesOf(msg)).toHaveLength(0);

      // The clicker was told: press Export again if the file is missing. That click is a fresh upload.
      await t.click(msg, ActionIds.checklistExport, IC);
      expect(uploadsIn(channel)).toHaveLength(2);
      expect(t.threadFiles(msg)).toHaveLength(2);
      expect(timelineMessagesOf(msg)).toHaveLength(0);
    });
  }

  it('`internal_error` on the share may follow a partial success: not posted again by itself either', async () => {
    const channel = 'C0INTERNAL';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    t.bot.fake.failMethod('files.completeUploadExternal', { ok: false, error: 'internal_error' }, 1);
    const click = await t.click(msg, ActionIds.checklistExport, IC);
    expect(String(click.responses().at(-1)?.body.text)).toContain(UPLOAD_UNCONFIRMED);
    // One attempt at the share, never retried by the client (a retry could share twice).
    expect(uploadsIn(channel)).toHaveLength(1);
    expect(timelineMessagesOf(msg)).toHaveLength(0);
    await t.click(msg, ActionIds.checklistExport, IC);
    expect(t.threadFiles(msg)).toHaveLength(1);
  });
});

describe('once per state of the run', () => {
  it('a redelivered click and a double click upload one file; minutes later, or after a change, Export uploads again', async () => {
    const channel = 'C0ONCE';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);

    const first = await t.click(msg, ActionIds.checklistExport, IC);
    expect(uploadsIn(channel)).toHaveLength(1);
    // Slack retries the same click (same action_ts).
    const retry = await t.click(msg, ActionIds.checklistExport, IC, undefined, { retryOf: first.payload });
    expect(uploadsIn(channel)).toHaveLength(1);
    expect(String(retry.responses().at(-1)?.body.text)).toBe(ALREADY_EXPORTED);

    // Two people click at once on an unchanged run: one upload, the other is told where it is.
    const value = findElement(msg, ActionIds.checklistExport).value as string;
    const clickBy = (user: string, actionTs: number) =>
      blockActionPayload({
        actionId: ActionIds.checklistExport,
        value,
        user,
        channel,
        messageTs: msg.ts,
        actionTs,
        responseUrl: t.bot.fake.responseUrl({ channel, user, messageTs: msg.ts }),
      });
    await t.concurrently([clickBy('U0OPS', 1_800_000_000.1), clickBy('U0SEC', 1_800_000_000.2)]);
    expect(uploadsIn(channel)).toHaveLength(1);
    expect([...t.ephemerals('U0OPS'), ...t.ephemerals('U0SEC')]).toEqual([
      ALREADY_EXPORTED,
      ALREADY_EXPORTED,
    ]);

    // Minutes later, the same state: a fresh copy (the lease has run out).
    const realNow = t.bot.deps.now;
    t.bot.deps.now = () => new Date(realNow().getTime() + 6 * 60_000);
    try {
      await t.click(msg, ActionIds.checklistExport, 'U0OPS');
    } finally {
      t.bot.deps.now = realNow;
    }
    expect(uploadsIn(channel)).toHaveLength(2);

    // The run moves on: the next Export is a new timeline, uploaded at once.
    await t.click(msg, ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(t.latestRun(channel), ActionIds.checklistExport, 'U0OPS');
    expect(uploadsIn(channel)).toHaveLength(3);
    const files = t.threadFiles(msg);
    expect(files).toHaveLength(3);
    expect(files[2]!.text).toMatch(/\n1 +Freeze SIT +done +@ines /);
    expect(files[0]!.text).not.toMatch(/\n1 +Freeze SIT +done/);
  });

  it('a failed export can be retried: the state it failed on is not marked exported', async () => {
    const channel = 'C0RETRYFAIL';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    // Both the upload and the fallback post fail: nothing reached the thread.
    t.bot.fake.failMethod('files.getUploadURLExternal', { ok: false, error: 'internal_error' }, 1);
    t.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'internal_error' }, 1);
    const failed = await t.click(msg, ActionIds.checklistExport, IC);
    expect(String(failed.responses().at(-1)?.body.text)).not.toBe(ALREADY_EXPORTED);
    expect(t.thread(msg).filter((m) => m.files)).toHaveLength(0);
    await t.click(msg, ActionIds.checklistExport, IC);
    expect(t.threadFiles(msg)).toHaveLength(1);
  });
});
