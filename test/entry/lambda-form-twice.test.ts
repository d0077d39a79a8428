/**
 * Found in a review (helper-198): the form filled in by deferred work (`FORM_TASK`, registered with
 * `once: false`) when Lambda delivers that event twice (its async invocation is at-least-once). The second
 * delivery's `views.update` carries the hash of the "Reading the run…" view, which the first delivery
 * replaced: Slack answers `hash_conflict`, and the clicker, whose form opened fine, was told "Something went
 * wrong on our side". Set up as test/entry/lambda-slow-store-forms.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import type { LambdaBot } from '../helpers/lambda-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { useSlowStoreLambdaBot } from '../helpers/slow-store-lambda';
import { findElement } from '../workflows/checklist-bot';

const CHANNEL = 'C0SLOWSTORE';
const SLOW_MS = 3_500;
/** How long a click's trigger_id opens a modal. */
const SLACK_MS = 3_000;

const env = useSlowStoreLambdaBot();
const start = () => env.start();

/** Starts a run, then presses `actionId` on its message as `user` while the store takes 3.5 s per read. */
async function slowClick(b: LambdaBot, actionId: string, user: string) {
  expect((await b.command('promote dev sit', { user: 'U0STARTER', channel: CHANNEL })).statusCode).toBe(200);
  await b.pump();
  const run = b.fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts)!;
  const button = findElement(run, actionId);
  // Slack's trigger_id: views.open answers expired_trigger_id once 3 s have passed since the click.
  let clickedAt = 0;
  // As Slack does: views.open answers the view's hash, and views.update with an older hash is refused.
  const hashes = new Map<string, number>();
  b.fake.handleMethod('views.open', (args) => {
    if (Date.now() - clickedAt > SLACK_MS) return { ok: false, error: 'expired_trigger_id' };
    const id = `VH${hashes.size + 1}`;
    const view = typeof args['view'] === 'string' ? JSON.parse(args['view']) : args['view'];
    b.fake.views.set(id, { id, view, stack: 'open' });
    hashes.set(id, 1);
    return { ok: true, view: { id, hash: 'h1', ...view } };
  });
  b.fake.handleMethod('views.update', (args) => {
    const id = String(args['view_id']);
    const hash = hashes.get(id);
    if (hash === undefined) return undefined;
    if (args['hash'] !== undefined && args['hash'] !== `h${hash}`)
      return { ok: false, error: 'hash_conflict' };
    hashes.set(id, hash + 1);
    return undefined;
  });
  env.proxy.add({ operation: 'GetItem', kind: 'delay', delayMs: SLOW_MS });
  const responseUrl = b.fake.responseUrl({ channel: CHANNEL, user, messageTs: run.ts });
  clickedAt = Date.now();
  await b.interaction(
    blockActionPayload({
      actionId,
      value: button.value,
      user,
      channel: CHANNEL,
      messageTs: run.ts,
      responseUrl,
      triggerId: `T-${actionId}`,
    }),
  );
  env.proxy.clear();
  const answers = () =>
    JSON.stringify(
      b.fake.responses
        .filter((r) => r.id === responseUrl.slice(responseUrl.lastIndexOf('/') + 1))
        .map((r) => r.body),
    );
  return { answers };
}

function onlyView(b: LambdaBot) {
  expect(b.fake.views.size).toBe(1);
  return [...b.fake.views.values()][0]!;
}

describe('A form filled in by deferred work delivered twice by Lambda', () => {
  it('shows the form once and tells the clicker nothing went wrong', async () => {
    const b = await start();
    const { answers } = await slowClick(b, ActionIds.checklistSkip, 'U0STARTER');
    const opened = onlyView(b);
    // Lambda's async invocation is at least once: the form's event arrives twice.
    const queued = b.lambda.queued as unknown[];
    expect(queued).toHaveLength(1);
    queued.push(structuredClone(queued[0]));
    await b.pump();
    const form = opened.view as { callback_id?: string };
    expect(form.callback_id).toBe(ActionIds.checklistSkipView);
    expect(answers()).not.toContain('Something went wrong');
  }, 30_000);
});
