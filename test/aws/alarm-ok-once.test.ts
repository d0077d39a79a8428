/** Review 177: regressions in the alarm lock/ordering fix. */
import { afterEach, describe, expect, it } from 'vitest';
import { type AlarmBot, alarmEvent, startAlarmBot, throttledRecords } from './alarm-harness';
import type { StepsBot } from './steps-bot';

let ab: AlarmBot | undefined;
afterEach(async () => {
  await ab?.sb.close();
  ab = undefined;
});

async function start(): Promise<AlarmBot> {
  ab = await startAlarmBot();
  return ab;
}

const T0 = '2025-03-01T10:00:00.000+0000';
const T20 = '2025-03-01T10:20:00.000+0000';

/** The alarm function over the bot's store, recording an alarm's message throttled on call `failOnCall`. */
function flakyHandler(s: StepsBot, failOnCall: number) {
  return ab!.handlerWith(throttledRecords(s.store.store, (call) => call === failOnCall));
}

describe('review 177: alarm OK transitions recorded after their side effects', () => {
  it('posts the OK thread reply once when recording the OK failed once and Lambda retries the delivery', async () => {
    const { sb: s } = await start();
    // setLatestRun calls: 1 = the ALARM's record, 2 = the OK's record (throttled once).
    const handler = flakyHandler(s, 2);
    await handler(alarmEvent('ALARM', T0, 'a0'));
    const ok = alarmEvent('OK', T20, 'ok20');
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
