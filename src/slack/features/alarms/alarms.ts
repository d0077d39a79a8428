/**
 * CloudWatch alarms in Slack. The alarm Lambda (src/entry/alarm.ts) hands each SNS notification to
 * `handleAlarmNotification`: ALARM posts a message in ALARM_CHANNEL with the runbook section the runbooks
 * declare for that alarm (`alarms=`; none: the alarm's own text and "no runbook section for this alarm
 * yet") and buttons "Open runbook" and, when that section is a `dr-trigger` checklist, "Start failover"; OK
 * (or INSUFFICIENT_DATA, which keeps Start failover) updates that same message, found through the store, and
 * so does an ALARM again before that message shows OK (a flapping alarm whose OK is late). The feature
 * registers the two buttons.
 */
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { type AlarmNotification, alarmKey } from '../../../aws/alarm-notification';
import { recordAfterSideEffect } from '../../../store/after-side-effect';
import { takeLease } from '../../../store/lease';
import type { Store } from '../../../store/store';
import { ActionIds } from '../../action-ids';
import type { AppDeps } from '../../deps';
import type { Feature } from '../../feature';
import { renderSectionAnswer } from '../../render/section';
import { renderAlarm } from '../../render/status-alarm';
import { slackErrorCode } from '../../slack-error';
import { matchAlarm } from './match';
import { type AlarmMessageIndex, storeAlarmIndex } from './message-index';

export type AlarmOutcome = 'posted' | 'updated' | 'duplicate' | 'stale' | 'ignored';

export class AlarmChannelMissingError extends Error {
  override readonly name = 'AlarmChannelMissingError';

  constructor() {
    super('ALARM_CHANNEL is not set: there is nowhere to post CloudWatch alarms');
  }
}

/** Another delivery is handling a notification of the same alarm and did not finish in time: retry later. */
export class AlarmBusyError extends Error {
  override readonly name = 'AlarmBusyError';
}

/** How long one delivery may hold an alarm's lock, how long another waits for it, and how often it looks. */
const LOCK_MS = 60_000;
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 100;

/** The thread reply that records each transition after the first. */
const THREAD_ICON = {
  ALARM: ':rotating_light:',
  OK: ':white_check_mark:',
  INSUFFICIENT_DATA: ':grey_question:',
};

/**
 * Post or update the alarm's message. SNS and Lambda's async retries deliver at least once and in no order,
 * so one alarm's notifications are handled one at a time (a lease on the alarm in the store), and each is
 * applied only when it is newer than what the message shows (`changedAt`): a redelivered or late one (an
 * old ALARM after the OK, an OK older than the ALARM shown) changes nothing, and a message that shows OK
 * is never dated again from its ALARM by a later episode's OK. Once a new message is posted
 * it is never posted again: recording it is retried in place and, should the store still refuse, logged
 * (its later OK then finds no message) rather than thrown, since a retried delivery would post it twice.
 */
export async function handleAlarmNotification(
  deps: AppDeps,
  client: webApi.WebClient,
  n: AlarmNotification,
  index?: AlarmMessageIndex,
): Promise<AlarmOutcome> {
  const channel = deps.config.aws.alarmChannel;
  if (!channel) throw new AlarmChannelMissingError();
  const store = await deps.getStore();
  const messages = index ?? storeAlarmIndex(store);
  const key = alarmKey(n);
  return withAlarmLock(deps, store, `alarm-lock:${channel}:${key}`, async () => {
    const existing = await messages.get(channel, key);
    if (existing && existing.changedAt === n.changedAt && existing.state === n.state) return 'duplicate';
    if (existing && Date.parse(n.changedAt) <= Date.parse(existing.changedAt)) return 'stale';

    // The alarm's message is an open episode while it shows ALARM (or no data after one: `alarmSince` kept);
    // once it shows OK, or no data after an OK, that episode is over, and a later transition belongs to the
    // next one, whose ALARM may still be on its way: never dated from the earlier episode's ALARM.
    const episodeOpen =
      existing !== null &&
      (existing.state === 'ALARM' ||
        (existing.state === 'INSUFFICIENT_DATA' && existing.alarmSince !== null));
    const alarmSince =
      n.state === 'ALARM' ? n.changedAt : episodeOpen ? (existing?.alarmSince ?? null) : null;
    const match = matchAlarm(n, deps.artifact, deps.config.aws.alarmPrefix);
    const message = renderAlarm({
      notification: n,
      section: match?.section ?? null,
      sectionUrl: match ? `${deps.config.repoUrl}/${match.section.file}#${match.section.anchor}` : null,
      failover: match?.start ?? null,
      alarmSince,
    });

    // An ALARM gets a new message unless the alarm's message still shows an open episode; every other
    // transition updates the alarm's message when there is one, and is remembered when there is none (an OK
    // delivered before its ALARM: the late ALARM is then stale).
    if (n.state !== 'ALARM' && !existing?.ts) {
      await messages.put(channel, key, { ts: '', state: n.state, alarmSince, changedAt: n.changedAt });
      return 'ignored';
    }
    // The message already shows this state (an OK after the OK shown): the alarm went through a transition
    // not delivered yet (a later episode's ALARM). Only remembered, so that late ALARM is stale; the message
    // keeps its own episode ("Back to OK at 10:10 (in ALARM since 10:00)").
    if (existing && n.state !== 'ALARM' && n.state === existing.state) {
      await messages.put(channel, key, { ...existing, changedAt: n.changedAt });
      return 'ignored';
    }
    // A new ALARM while the message still shows ALARM (a flapping alarm whose OK in between arrives late, or
    // never): the same message shows it, so no earlier message is left in ALARM with Start failover.
    // A message someone deleted meanwhile (`message_not_found`): an ALARM is posted anew, as if none was
    // shown; any other transition has nothing to update and is only remembered.
    const updated =
      existing?.ts && (n.state !== 'ALARM' || episodeOpen)
        ? await client.chat
            .update({ channel, ts: existing.ts, text: message.text, blocks: message.blocks })
            .then(() => true)
            .catch((error: unknown) => {
              if (slackErrorCode(error) !== 'message_not_found') throw error;
              return false;
            })
        : null;
    if (updated === false && n.state !== 'ALARM') {
      await messages.put(channel, key, { ts: '', state: n.state, alarmSince, changedAt: n.changedAt });
      return 'ignored';
    }
    if (existing?.ts && updated) {
      await client.chat.postMessage({
        channel,
        thread_ts: existing.ts,
        text: `${THREAD_ICON[n.state]} ${n.state} at ${n.changedAt.slice(11, 16)} UTC`,
      });
      // The thread reply is posted: recorded in place, never thrown (a retried delivery would post it again).
      const ref = { ts: existing.ts, state: n.state, alarmSince, changedAt: n.changedAt };
      const recorded = await recordAfterSideEffect(() => messages.put(channel, key, ref));
      if (!recorded.ok)
        deps.logger.error('alarm transition posted but not recorded', {
          alarm: n.name,
          error: recorded.error,
        });
      return 'updated';
    }
    const posted = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    const ref = { ts: posted.ts, state: n.state, alarmSince, changedAt: n.changedAt };
    const recorded = await recordAfterSideEffect(() => messages.put(channel, key, ref));
    if (!recorded.ok)
      deps.logger.error('alarm message posted but not recorded: its next state will not update it', {
        alarm: n.name,
        ts: posted.ts,
        error: recorded.error,
      });
    return 'posted';
  });
}

async function withAlarmLock<T>(
  deps: AppDeps,
  store: Store,
  lockKey: string,
  work: () => Promise<T>,
): Promise<T> {
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  let lease = await takeLease(store, lockKey, LOCK_MS, deps.now());
  while (!lease) {
    if (Date.now() >= giveUpAt) throw new AlarmBusyError('another delivery is handling this alarm');
    await sleep(LOCK_POLL_MS);
    lease = await takeLease(store, lockKey, LOCK_MS, deps.now());
  }
  try {
    return await work();
  } finally {
    await lease.release(); // never throws: a lock not given back runs out by itself
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function register(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ActionIds.awsAlarmOpenRunbook, async ({ ack, action, respond }) => {
    await ack();
    const section = deps.artifact.sections.find((s) => s.id === action.value);
    if (!section) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That runbook section no longer exists.',
      });
      return;
    }
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...renderSectionAnswer({
        section,
        artifact: deps.artifact,
        repoUrl: deps.config.repoUrl,
        command: deps.config.slashCommand,
      }),
    });
  });

  app.action<BlockAction<ButtonAction>>(
    ActionIds.awsAlarmStartFailover,
    async ({ ack, action, body, respond }) => {
      await ack();
      // The value names a checklist: a reference. Starting one is what `/runbook failover` does for anyone.
      const checklist = deps.artifact.checklists.find((c) => c.id === action.value);
      const channel = body.container?.channel_id ?? body.channel?.id;
      if (!checklist || !channel) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: 'The failover checklist is not in the runbooks.',
        });
        return;
      }
      // The checklist starts as if the user had typed `/runbook failover` in the alarm's channel. Imported
      // here, not at the top: the alarm function (src/entry/alarm.ts) posts alarms and never starts a run.
      const { requestStart } = await import('../checklists/checklists.js');
      await requestStart(deps, {
        checklistId: checklist.id,
        drill: false,
        user: body.user.id,
        team: body.team?.id ?? null,
        enterprise: body.enterprise?.id ?? null,
        channel,
        responseUrl: body.response_url ?? null,
        triggerId: body.trigger_id ?? null,
      });
    },
  );
}

export const alarmsFeature: Feature = { id: 'alarms', register };
