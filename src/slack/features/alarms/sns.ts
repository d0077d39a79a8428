/**
 * One SNS delivery of CloudWatch alarm notifications (CloudWatch alarm → SNS topic → the alarm function):
 * each record is posted to (or updates its message in) ALARM_CHANNEL by `handleAlarmNotification`. The
 * Lambda entry (src/entry/alarm.ts) and the playground's "Raise alarm" (src/playground/alarms.ts) both run
 * exactly this.
 *
 * A malformed message is logged and dropped (a retry cannot fix it); a Slack or store failure fails the
 * delivery after the other records were handled, so Lambda's async retries try again (notifications
 * already shown are recognised and skipped).
 */
import type { SNSEvent } from 'aws-lambda';
import { AlarmNotificationError, parseAlarmMessage } from '../../../aws/alarm-notification';
import type { AppDeps } from '../../deps';
import { webClientFor } from '../../web-client';
import { handleAlarmNotification } from './alarms';

export class AlarmDeliveryError extends Error {
  override readonly name = 'AlarmDeliveryError';
}

export async function handleSnsEvent(
  deps: AppDeps,
  event: SNSEvent,
): Promise<{ handled: number; failed: number }> {
  const client = webClientFor(deps);
  let handled = 0;
  let failed = 0;
  for (const record of event.Records ?? []) {
    try {
      const n = parseAlarmMessage(record.Sns.Message, record.Sns.Timestamp ?? deps.now().toISOString());
      const outcome = await handleAlarmNotification(deps, client, n);
      deps.logger.info('alarm notification', { alarm: n.name, state: n.state, outcome });
      handled++;
    } catch (error) {
      if (error instanceof AlarmNotificationError) {
        deps.logger.warn('alarm notification dropped', { messageId: record.Sns.MessageId, error });
        continue;
      }
      deps.logger.error('alarm notification failed', { messageId: record.Sns.MessageId, error });
      failed++;
    }
  }
  if (failed > 0)
    throw new AlarmDeliveryError(`${failed} alarm notification(s) could not be delivered to Slack`);
  return { handled, failed };
}
