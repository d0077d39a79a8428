/**
 * Found in a review (helper-174): an alarm's OK that arrives before its ALARM (the ALARM's delivery failed once and
 * Lambda's async retry brings it back a minute or more later, after the alarm recovered). The OK is
 * 'ignored' (no message yet) and not remembered, so the late ALARM posts a red message, with Start
 * failover, for an alarm that is OK, and nothing ever turns it green.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmHandler } from '../../src/entry/alarm';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ARN = 'arn:aws:cloudwatch:af-south-1:123456789012:alarm:sitecraft-prod-api-5xx';

function alarmMessage(state: 'ALARM' | 'OK', at: string): string {
  return JSON.stringify({
    AlarmName: 'sitecraft-prod-api-5xx',
    AlarmDescription: 'API Gateway 5XX error rate above 5% for 3 minutes (DR trigger)',
    AWSAccountId: '123456789012',
    NewStateValue: state,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason: `Threshold Crossed (${state})`,
    StateChangeTime: at,
    Region: 'Africa (Cape Town)',
    AlarmArn: ARN,
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
const T20 = '2025-03-01T10:20:00.000+0000';

describe('an OK delivered before its ALARM', () => {
  it('never leaves the alarm channel showing ALARM for an alarm whose newer OK was already delivered', async () => {
    const { sb, handler, alarmMessages } = await start();
    // 10:00 ALARM: its first delivery failed (Slack 500), Lambda retries it later. 10:20 OK arrives first.
    await handler(snsEvent(alarmMessage('OK', T20), 'ok20'));
    // The retry of the 10:00 ALARM arrives after the OK.
    await handler(snsEvent(alarmMessage('ALARM', T0), 'a0'));

    // Either nothing is shown (the episode is over) or what is shown says OK: never a current ALARM.
    for (const m of alarmMessages()) {
      const shown = sb.bot.fake.messages.find((x) => x.ts === m.ts)!;
      expect(textOf(shown)).not.toContain(':rotating_light: *ALARM*');
    }
  });
});
