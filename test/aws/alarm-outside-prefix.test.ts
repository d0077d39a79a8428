/**
 * Found in a review (helper-174): ALARM_PREFIX says which alarms are this deployment's (src/config.ts: "only
 * CloudWatch alarms whose names start with it are shown"; serverless.yml `sitecraft-<stage>-`), and the
 * alarm topic takes "infra/dr.yaml, or your own" alarms. An alarm whose name lacks the prefix is matched
 * to the runbooks under its whole name (src/slack/features/alarms/match.ts `runbookAlarmName` returns it
 * unchanged), so an alarm simply named `api-5xx` (another team's, a test alarm, another stage's without
 * the stage prefix) is posted in the prod alarm channel as the DR trigger, with "Start failover".
 */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmHandler } from '../../src/entry/alarm';
import { ActionIds } from '../../src/slack/action-ids';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { type StepsBot, startStepsBot } from './steps-bot';

function alarmMessage(state: 'ALARM' | 'OK', at: string, name = 'sitecraft-prod-api-5xx'): string {
  return JSON.stringify({
    AlarmName: name,
    AlarmDescription: 'API Gateway 5XX error rate above 5% for 3 minutes (DR trigger)',
    AWSAccountId: '123456789012',
    NewStateValue: state,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason: `Threshold Crossed (${state})`,
    StateChangeTime: at,
    Region: 'Africa (Cape Town)',
    AlarmArn: `arn:aws:cloudwatch:af-south-1:123456789012:alarm:${name}`,
  });
}

function snsEvent(message: string, id = 'm-0'): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:af-south-1:123456789012:alarms:sub',
        Sns: {
          Type: 'Notification',
          MessageId: id,
          TopicArn: 'arn:aws:sns:af-south-1:123456789012:alarms',
          Subject: 'ALARM',
          Message: message,
          Timestamp: '2025-03-01T10:00:05.000Z',
          SignatureVersion: '1',
          Signature: 'x',
          SigningCertUrl: 'https://example.invalid/cert',
          UnsubscribeUrl: 'https://example.invalid/unsub',
          MessageAttributes: {},
        },
      },
    ],
  };
}

let sb: StepsBot | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start() {
  sb = await startStepsBot({ env: { ALARM_CHANNEL: 'C0ALARMS', ALARM_PREFIX: 'sitecraft-prod-' } });
  const handler = createAlarmHandler({
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: sb.bot.fake.apiUrl,
      ALARM_CHANNEL: 'C0ALARMS',
      ALARM_PREFIX: 'sitecraft-prod-',
    },
    deps: {
      artifact: sb.bot.deps.artifact,
      getStore: async () => sb!.store.store,
      logger: sb.bot.deps.logger,
    },
  });
  const s = sb;
  const alarmMessages = () => s.bot.fake.messages.filter((m) => m.channel === 'C0ALARMS' && !m.thread_ts);
  return { sb: s, handler, alarmMessages };
}

const T0 = '2025-03-01T10:00:00.000+0000';

describe('an alarm outside ALARM_PREFIX', () => {
  it('offers no Start failover for an alarm named api-5xx when ALARM_PREFIX is sitecraft-prod-', async () => {
    const { sb, handler, alarmMessages } = await start();
    // The prod alarm is answered with the DR trigger (as the runbooks declare)...
    await handler(snsEvent(alarmMessage('ALARM', T0), 'prod'));
    const prod = alarmMessages();
    expect(JSON.stringify(prod[0]?.blocks)).toContain(ActionIds.awsAlarmStartFailover);

    // ...an alarm that is not this deployment's (no sitecraft-prod- prefix) is not.
    await handler(snsEvent(alarmMessage('ALARM', T0, 'api-5xx'), 'bare'));
    const other = alarmMessages().filter((m) => !prod.some((p) => p.ts === m.ts));
    for (const m of other) {
      const shown = sb.bot.fake.messages.find((x) => x.ts === m.ts)!;
      expect(JSON.stringify(shown.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
    }
  });
});
