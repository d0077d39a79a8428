/**
 * AWS Lambda entry for CloudWatch alarm notifications: CloudWatch alarm → SNS topic → this function. Each
 * record is posted to (or updates its message in) ALARM_CHANNEL by src/slack/features/alarms/alarms.ts.
 *
 * A malformed message is logged and dropped (a retry cannot fix it); a Slack or store failure fails the
 * invocation after the other records were handled, so Lambda's async retries try again (notifications
 * already shown are recognised and skipped).
 */
import type { SNSEvent } from 'aws-lambda';
import { AlarmNotificationError, parseAlarmMessage } from '../aws/alarm-notification';
import { type Env, loadConfig, withSlackSecrets } from '../config';
import { webClientFor } from '../slack/deferred-reply';
import { type AppDeps, createDeps } from '../slack/deps';
import { handleAlarmNotification } from '../slack/features/alarms/alarms';

export type AlarmHandler = (event: SNSEvent) => Promise<{ handled: number; failed: number }>;

export interface AlarmHandlerOptions {
  env?: Env;
  deps?: Partial<AppDeps>;
}

export class AlarmDeliveryError extends Error {
  override readonly name = 'AlarmDeliveryError';
}

export function createAlarmHandler(opts: AlarmHandlerOptions = {}): AlarmHandler {
  let ready: Promise<AppDeps> | undefined;
  const init = async () => {
    // Slack secrets from SSM when SLACK_SECRETS_SSM_PREFIX is set (as in src/entry/lambda.ts).
    const readSlackSecrets = async (prefix: string) => {
      const ssm = await import('../aws/ssm-secrets.js');
      return ssm.readSlackSecrets(prefix, ssm.defaultGetParameters(opts.env ?? process.env));
    };
    return createDeps(loadConfig(await withSlackSecrets(readSlackSecrets, opts.env)), opts.deps);
  };
  return async (event) => {
    ready ??= init().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const deps = await ready;
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
  };
}

export const handler: AlarmHandler = createAlarmHandler();
