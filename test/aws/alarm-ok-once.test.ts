/** Review 177: regressions in the alarm lock/ordering fix. */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmHandler } from '../../src/entry/alarm';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { type StepsBot, startStepsBot } from './steps-bot';

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

function flakyHandler(s: StepsBot, failOnCall: number) {
  const real = s.store.store;
  let calls = 0;
  const flaky = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'setLatestRun')
        return async (...args: Parameters<typeof real.setLatestRun>) => {
          calls++;
          if (calls === failOnCall) throw new Error('ProvisionedThroughputExceededException');
          return target.setLatestRun(...args);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return createAlarmHandler({
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: s.bot.fake.apiUrl,
      ALARM_CHANNEL: 'C0ALARMS',
      ALARM_PREFIX: 'sitecraft-prod-',
    },
    deps: { artifact: s.bot.deps.artifact, getStore: async () => flaky, logger: s.bot.deps.logger },
  });
}

describe('review 177: alarm OK transitions recorded after their side effects', () => {
  it('posts the OK thread reply once when recording the OK failed once and Lambda retries the delivery', async () => {
    const { sb: s } = await start();
    // setLatestRun calls: 1 = the ALARM's record, 2 = the OK's record (throttled once).
    const handler = flakyHandler(s, 2);
    await handler(snsEvent(alarmMessage('ALARM', T0), 'a0'));
    const ok = snsEvent(alarmMessage('OK', T20), 'ok20');
    // The first delivery of the OK updates the message, posts the thread reply, then its record is refused:
    // a thrown delivery is retried by Lambda's async invoke.
    await handler(ok).catch(() => undefined);
    await handler(ok).catch(() => undefined);

    const replies = s.bot.fake.messages.filter(
      (m) => m.channel === 'C0ALARMS' && m.thread_ts && String(m.text ?? '').includes('OK at 10:20'),
    );
    expect(replies).toHaveLength(1);
  });
});
