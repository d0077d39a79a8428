/**
 * Found in a review (helper-188): Export of a long run when the file upload is refused (no `files:write`):
 * the timeline goes to the thread as several messages, posted one by one. When Slack fails one of them part
 * way (a 5xx past the client's two quick retries, a rate limit that outlasts them), the export throws and
 * gives its leases up, so the next Export posts the whole timeline again from its first message: the thread
 * holds the first parts twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { recordRunNote, runtimeFor } from '../../src/slack/features/checklists/runtime';
import { decodeItemValue } from '../../src/slack/render/checklist';
import { type ChecklistBot, findElement, startChecklistBot } from './checklist-bot';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const IC = 'U0IC';

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
});
afterAll(async () => {
  await t.close();
});

const runIdOf = (m: FakeMessage) => decodeItemValue(findElement(m, ActionIds.checklistExport).value)!.runId;
const timelineParts = (m: FakeMessage) =>
  t
    .thread(m)
    .filter((r) => /^Timeline of /.test(r.text ?? '') && !r.files)
    .map((r) => JSON.stringify(r.blocks));

describe('Export of a long run, as messages', () => {
  it('posts each part of the timeline once, even when Slack failed one part the first time', async () => {
    const channel = 'C0LONGRUN';
    await t.command('promote sit prod', IC, channel);
    const msg = t.latestRun(channel);
    const rt = runtimeFor(t.bot.deps);
    // A long incident: 300 notes in the run's timeline (checks, reminders, updates).
    const start = Date.parse('2024-05-01T10:00:00.000Z');
    for (let i = 0; i < 300; i++)
      await recordRunNote(rt, rt.slack, runIdOf(msg), {
        user: null,
        key: `long-${i}`,
        at: new Date(start + i * 60_000).toISOString(),
        text: `:mag: Canary check ${i}: error rate 0.${i % 10}% over the last 5 minutes, p99 latency ${200 + i} ms, within the runbook's criteria.`,
      });

    t.bot.fake.failMethod('files.getUploadURLExternal', { ok: false, error: 'missing_scope' });
    // Slack accepts the first part of the timeline, then fails the rest (past the client's quick retries).
    let parts = 0;
    t.bot.fake.handleMethod('chat.postMessage', (args) => {
      if (!/^Timeline of /.test(String(args.text ?? ''))) return undefined;
      parts++;
      return parts === 1 ? undefined : { ok: false, error: 'internal_error' };
    });
    await t.click(t.latestRun(channel), ActionIds.checklistExport, IC);
    const first = timelineParts(msg);
    expect(first).toHaveLength(1);

    t.bot.fake.handleMethod('chat.postMessage', () => undefined);
    await t.click(t.latestRun(channel), ActionIds.checklistExport, IC);
    const all = timelineParts(msg);
    expect(all.length).toBeGreaterThan(2);
    // The first part is in the thread once.
    expect(all.filter((p) => p === first[0])).toHaveLength(1);
  });
});
