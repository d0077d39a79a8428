/**
 * Alarm notifications (found in a review, helper-161) delivered twice at once, redelivered late, or out of
 * order (SNS and Lambda's async retries give no ordering and at-least-once delivery). The alarm channel must
 * show one message per alarm episode, and never show OK for an alarm that is in ALARM.
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
const T30 = '2025-03-01T10:30:00.000+0000';

describe('alarm notifications delivered twice or out of order', () => {
  it('posts one message when the same ALARM is delivered twice at once (two Lambda invocations)', async () => {
    const { handler, alarmMessages } = await start();
    const event = snsEvent(alarmMessage('ALARM', T0));

    await Promise.all([handler(event), handler(event)]);

    expect(alarmMessages()).toHaveLength(1);
  });

  it('does not post the alarm again when an old ALARM is redelivered after the alarm went back to OK', async () => {
    const { sb, handler, alarmMessages } = await start();
    await handler(snsEvent(alarmMessage('ALARM', T0)));
    await handler(snsEvent(alarmMessage('OK', T20)));

    // Lambda's async retry (or SNS) delivers the first notification again, twenty minutes late.
    await handler(snsEvent(alarmMessage('ALARM', T0)));

    expect(alarmMessages()).toHaveLength(1);
    const only = sb.bot.fake.messages.find((m) => m.ts === alarmMessages()[0]!.ts)!;
    expect(textOf(only)).toContain('*OK*');
  });

  it('never turns a current ALARM into OK because an older OK arrives late', async () => {
    const { sb, handler, alarmMessages } = await start();
    await handler(snsEvent(alarmMessage('ALARM', T0), 'a0'));
    // The OK of 10:20 is delayed; the alarm fires again at 10:30 and that arrives first.
    await handler(snsEvent(alarmMessage('ALARM', T30), 'a30'));
    await handler(snsEvent(alarmMessage('OK', T20), 'ok20'));

    const latest = alarmMessages().at(-1)!;
    const shown = sb.bot.fake.messages.find((m) => m.ts === latest.ts)!;
    expect(textOf(shown)).toContain(':rotating_light: *ALARM*');
    expect(textOf(shown)).not.toContain('*OK*');
  });

  it('posts the alarm once when recording its message failed once (a throttled store), and the OK finds it', async () => {
    const { sb, alarmMessages } = await start();
    const real = sb.store.store;
    let failures = 1;
    const flaky = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'setLatestRun')
          return async (...args: Parameters<typeof real.setLatestRun>) => {
            if (failures-- > 0) throw new Error('ProvisionedThroughputExceededException');
            return target.setLatestRun(...args);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const handler = createAlarmHandler({
      env: {
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: sb.bot.fake.apiUrl,
        ALARM_CHANNEL: 'C0ALARMS',
        ALARM_PREFIX: 'sitecraft-prod-',
      },
      deps: { artifact: sb.bot.deps.artifact, getStore: async () => flaky, logger: sb.bot.deps.logger },
    });
    const event = snsEvent(alarmMessage('ALARM', T0));

    // Recording the posted message is retried in place: the delivery succeeds (no Lambda retry to post it
    // again), and a redelivery of the same event (SNS delivers at least once) finds it recorded.
    await handler(event);
    await handler(event);

    expect(alarmMessages()).toHaveLength(1);
    // Recorded: the OK updates that very message.
    await handler(snsEvent(alarmMessage('OK', T20), 'ok20'));
    expect(alarmMessages()).toHaveLength(1);
    expect(textOf(sb.bot.fake.messages.find((m) => m.ts === alarmMessages()[0]!.ts)!)).toContain('*OK*');
  });
});
