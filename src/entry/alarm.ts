/**
 * AWS Lambda entry for CloudWatch alarm notifications: CloudWatch alarm → SNS topic → this function, which
 * runs src/slack/features/alarms/sns.ts `handleSnsEvent` (what each record becomes, and when a delivery
 * fails so that Lambda retries it).
 */
import type { SNSEvent } from 'aws-lambda';
import { type Env, loadConfig, withSlackSecrets } from '../config';
import { type AppDeps, createDeps } from '../slack/deps';
import { handleSnsEvent } from '../slack/features/alarms/sns';

export { AlarmDeliveryError } from '../slack/features/alarms/sns';

export type AlarmHandler = (event: SNSEvent) => Promise<{ handled: number; failed: number }>;

export interface AlarmHandlerOptions {
  env?: Env;
  deps?: Partial<AppDeps>;
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
    return handleSnsEvent(await ready, event);
  };
}

export const handler: AlarmHandler = createAlarmHandler();
