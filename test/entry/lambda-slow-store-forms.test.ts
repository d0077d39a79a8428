/**
 * Found in a review (helper-195): on Lambda, with a store slower than a click's 3 s `trigger_id`, the clicks
 * that open a form (Skip, Reject, Cancel run, Take over, Done anyway) read the run before `views.open`, so
 * Slack refused the form as `expired_trigger_id` and the clicker was told only "Something went wrong on our
 * side", at every press while the store stayed slow. A click now waits at most `FORM_READ_MS` for the run;
 * past that it opens the form at once ("Reading the run…") and deferred work fills it in
 * (src/slack/features/checklists/actions.ts `formClick`, `fillForm`). On Lambda, `AwsLambdaReceiver` answers
 * Slack only once every listener has finished, so whatever a listener awaits counts against the 3 s. The
 * store sits behind the fault proxy, which holds the chosen DynamoDB calls for 3.5 s (a throttled or slow
 * table during an outage).
 */
import { describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import type { LambdaBot } from '../helpers/lambda-bot';
import { blockActionPayload, viewSubmissionPayload } from '../helpers/slack-payloads';
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
  b.fake.handleMethod('views.open', () =>
    Date.now() - clickedAt > SLACK_MS ? { ok: false, error: 'expired_trigger_id' } : undefined,
  );
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

describe('Forms on Lambda with a slow store', () => {
  it('opens the Skip modal within the trigger’s 3 s even when reading the run takes longer', async () => {
    const b = await start();
    const { answers } = await slowClick(b, ActionIds.checklistSkip, 'U0STARTER');
    expect(b.fake.callsTo('views.open')).toHaveLength(1);
    // The form opened: Slack accepted the trigger.
    const opened = onlyView(b);
    expect(answers()).not.toContain('Something went wrong');

    // Deferred work read the run and put the Skip form in its place, sealed references and all.
    await b.pump();
    const form = opened.view as { callback_id?: string; private_metadata?: string };
    expect(form.callback_id).toBe(ActionIds.checklistSkipView);
    expect(form.private_metadata).toBeTruthy();

    // Its submission is authorized from the store like any other: the step is skipped with the reason.
    await b.interaction(
      viewSubmissionPayload({
        callbackId: ActionIds.checklistSkipView,
        privateMetadata: form.private_metadata!,
        user: 'U0STARTER',
        viewId: opened.id,
        values: {
          [ActionIds.checklistReasonBlock]: {
            [ActionIds.checklistReasonInput]: { type: 'plain_text_input', value: 'sit is frozen this week' },
          },
        },
      }),
    );
    await b.pump();
    const thread = b.fake.messages.filter((m) => m.channel === CHANNEL && m.thread_ts);
    expect(JSON.stringify(thread)).toContain('sit is frozen this week');
    expect(answers()).not.toContain('Something went wrong');
  }, 30_000);

  it('refuses a Cancel from someone who may not cancel: the form says so and the refusal is answered', async () => {
    const b = await start();
    const { answers } = await slowClick(b, ActionIds.checklistCancel, 'U0BIZ');
    const opened = onlyView(b);
    await b.pump();
    // No form after all: a notice in its place, and the refusal recorded and answered as for any click.
    const notice = opened.view as { callback_id?: string; submit?: unknown };
    expect(notice.callback_id).toBeUndefined();
    expect(notice.submit).toBeUndefined();
    expect(JSON.stringify(notice)).toContain('Nothing to fill in');
    expect(answers()).toContain(':no_entry_sign:');
    expect(answers()).not.toContain('Something went wrong');
  }, 30_000);
});
