/**
 * CloudWatch alarms in Slack. The alarm Lambda (src/entry/alarm.ts) hands each SNS notification to
 * `handleAlarmNotification`: ALARM posts a message in ALARM_CHANNEL with the runbook section the runbooks
 * declare for that alarm (`alarms=`; none: the alarm's own text and "no runbook section for this alarm
 * yet") and buttons "Open runbook" and, when that section is a `dr-trigger` checklist, "Start failover"; OK
 * (or INSUFFICIENT_DATA) updates that same message, found through the store. The feature registers the two
 * buttons.
 */
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { type AlarmNotification, alarmKey } from '../../../aws/alarm-notification';
import { ActionIds } from '../../action-ids';
import type { AppDeps } from '../../deps';
import type { Feature } from '../../feature';
import { renderSectionAnswer } from '../../render/section';
import { renderAlarm } from '../../render/status-alarm';
import { matchAlarm } from './match';
import { type AlarmMessageIndex, storeAlarmIndex } from './message-index';

export type AlarmOutcome = 'posted' | 'updated' | 'duplicate' | 'ignored';

export class AlarmChannelMissingError extends Error {
  override readonly name = 'AlarmChannelMissingError';

  constructor() {
    super('ALARM_CHANNEL is not set: there is nowhere to post CloudWatch alarms');
  }
}

export async function handleAlarmNotification(
  deps: AppDeps,
  client: webApi.WebClient,
  n: AlarmNotification,
  index?: AlarmMessageIndex,
): Promise<AlarmOutcome> {
  const channel = deps.config.aws.alarmChannel;
  if (!channel) throw new AlarmChannelMissingError();
  const messages = index ?? storeAlarmIndex(await deps.getStore());
  const key = alarmKey(n);
  const existing = await messages.get(channel, key);
  if (existing && existing.changedAt === n.changedAt && existing.state === n.state) return 'duplicate';

  const match = matchAlarm(n, deps.artifact, deps.config.aws.alarmPrefix);
  const alarmSince = n.state === 'ALARM' ? n.changedAt : (existing?.alarmSince ?? null);
  const message = renderAlarm({
    notification: n,
    section: match?.section ?? null,
    sectionUrl: match ? `${deps.config.repoUrl}/${match.section.file}#${match.section.anchor}` : null,
    failover: match?.start ?? null,
    alarmSince,
  });

  // A new ALARM gets a new message; every other transition updates the alarm's message when there is one.
  if (existing && n.state !== 'ALARM') {
    await client.chat.update({ channel, ts: existing.ts, text: message.text, blocks: message.blocks });
    await client.chat.postMessage({
      channel,
      thread_ts: existing.ts,
      text: `${n.state === 'OK' ? ':white_check_mark:' : ':grey_question:'} ${n.state} at ${n.changedAt.slice(11, 16)} UTC`,
    });
    await messages.put(channel, key, { ts: existing.ts, state: n.state, alarmSince, changedAt: n.changedAt });
    return 'updated';
  }
  if (!existing && n.state !== 'ALARM') return 'ignored';
  const posted = await client.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
  });
  if (!posted.ts) throw new Error('chat.postMessage returned no ts');
  await messages.put(channel, key, { ts: posted.ts, state: n.state, alarmSince, changedAt: n.changedAt });
  return 'posted';
}

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
