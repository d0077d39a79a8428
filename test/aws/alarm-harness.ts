/**
 * The alarm function (src/entry/alarm.ts) beside a steps bot: its fake Slack, its store, ALARM_CHANNEL
 * `C0ALARMS` and ALARM_PREFIX `sitecraft-prod-`; notifications built as SNS delivers them
 * (test/helpers/alarm-event.ts). Shared by the alarm tests that deliver twice, late or out of order.
 */
import type { SNSEvent } from 'aws-lambda';
import { type AlarmHandler, createAlarmHandler } from '../../src/entry/alarm';
import type { Store } from '../../src/store/store';
import { alarmStateEvent } from '../helpers/alarm-event';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { type StepsBot, startStepsBot } from './steps-bot';

export const ALARM_CHANNEL = 'C0ALARMS';
const PREFIX = 'sitecraft-prod-';

/** `sitecraft-prod-api-5xx` (or `name`) going to `state` at `at`, delivered as SNS message `id`. */
export function alarmEvent(
  state: 'ALARM' | 'OK',
  at: string,
  id = 'm-0',
  name = `${PREFIX}api-5xx`,
): SNSEvent {
  return alarmStateEvent({
    name,
    description: 'API Gateway 5XX error rate above 5% for 3 minutes (DR trigger)',
    state,
    at,
    messageId: id,
  });
}

export interface AlarmBot {
  sb: StepsBot;
  /** The alarm function over the bot's store. */
  handler: AlarmHandler;
  /** The alarm function over another store (a faulty one wrapping the bot's). */
  handlerWith(store: Store): AlarmHandler;
  /** The alarm channel's top-level messages (one per alarm episode). */
  alarmMessages(): StepsBot['bot']['fake']['messages'];
}

export async function startAlarmBot(): Promise<AlarmBot> {
  const sb = await startStepsBot({ env: { ALARM_CHANNEL, ALARM_PREFIX: PREFIX } });
  const handlerWith = (store: Store) =>
    createAlarmHandler({
      env: {
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: sb.bot.fake.apiUrl,
        ALARM_CHANNEL,
        ALARM_PREFIX: PREFIX,
      },
      deps: { artifact: sb.bot.deps.artifact, getStore: async () => store, logger: sb.bot.deps.logger },
    });
  return {
    sb,
    handler: handlerWith(sb.store.store),
    handlerWith,
    alarmMessages: () => sb.bot.fake.messages.filter((m) => m.channel === ALARM_CHANNEL && !m.thread_ts),
  };
}

/** The store, with `setLatestRun` (where an alarm's message is recorded) throttled on the calls `fails` picks. */
export function throttledRecords(real: Store, fails: (call: number) => boolean): Store {
  let calls = 0;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'setLatestRun')
        return async (...args: Parameters<Store['setLatestRun']>) => {
          calls++;
          if (fails(calls)) throw new Error('ProvisionedThroughputExceededException');
          return target.setLatestRun(...args);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The same alarm as CloudWatch in `region` sends it (its ARN, topic and display region). */
export function inRegion(event: SNSEvent, region: string, display: string): SNSEvent {
  const record = event.Records[0]!;
  const message = JSON.parse(record.Sns.Message) as Record<string, string>;
  message['AlarmArn'] = message['AlarmArn']!.replace(':af-south-1:', `:${region}:`);
  message['Region'] = display;
  return {
    Records: [
      {
        ...record,
        EventSubscriptionArn: record.EventSubscriptionArn.replace(':af-south-1:', `:${region}:`),
        Sns: {
          ...record.Sns,
          TopicArn: record.Sns.TopicArn.replace(':af-south-1:', `:${region}:`),
          Message: JSON.stringify(message),
        },
      },
    ],
  };
}

/** Every top-level alarm message as the fake Slack shows it now (updates applied). */
export function shownAlarms(ab: AlarmBot): AlarmBot['sb']['bot']['fake']['messages'] {
  return ab.alarmMessages().map((m) => ab.sb.bot.fake.messages.find((x) => x.ts === m.ts)!);
}
