/**
 * Alarm notifications (found in a review, helper-161) delivered twice at once, redelivered late, or out of
 * order (SNS and Lambda's async retries give no ordering and at-least-once delivery). The alarm channel must
 * show one message per alarm episode, and never show OK for an alarm that is in ALARM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AlarmBot, alarmEvent, startAlarmBot, throttledRecords } from './alarm-harness';
import { textOf } from './steps-bot';

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
const T30 = '2025-03-01T10:30:00.000+0000';

describe('alarm notifications delivered twice or out of order', () => {
  it('posts one message when the same ALARM is delivered twice at once (two Lambda invocations)', async () => {
    const { handler, alarmMessages } = await start();
    const event = alarmEvent('ALARM', T0);

    await Promise.all([handler(event), handler(event)]);

    expect(alarmMessages()).toHaveLength(1);
  });

  it('does not post the alarm again when an old ALARM is redelivered after the alarm went back to OK', async () => {
    const { sb, handler, alarmMessages } = await start();
    await handler(alarmEvent('ALARM', T0));
    await handler(alarmEvent('OK', T20));

    // Lambda's async retry (or SNS) delivers the first notification again, twenty minutes late.
    await handler(alarmEvent('ALARM', T0));

    expect(alarmMessages()).toHaveLength(1);
    const only = sb.bot.fake.messages.find((m) => m.ts === alarmMessages()[0]!.ts)!;
    expect(textOf(only)).toContain('*OK*');
  });

  it('never turns a current ALARM into OK because an older OK arrives late', async () => {
    const { sb, handler, alarmMessages } = await start();
    await handler(alarmEvent('ALARM', T0, 'a0'));
    // The OK of 10:20 is delayed; the alarm fires again at 10:30 and that arrives first.
    await handler(alarmEvent('ALARM', T30, 'a30'));
    await handler(alarmEvent('OK', T20, 'ok20'));

    const latest = alarmMessages().at(-1)!;
    const shown = sb.bot.fake.messages.find((m) => m.ts === latest.ts)!;
    expect(textOf(shown)).toContain(':rotating_light: *ALARM*');
    expect(textOf(shown)).not.toContain('*OK*');
  });

  it('posts the alarm once when recording its message failed once (a throttled store), and the OK finds it', async () => {
    const { sb, alarmMessages } = await start();
    const handler = ab!.handlerWith(throttledRecords(sb.store.store, (call) => call === 1));
    const event = alarmEvent('ALARM', T0);

    // Recording the posted message is retried in place: the delivery succeeds (no Lambda retry to post it
    // again), and a redelivery of the same event (SNS delivers at least once) finds it recorded.
    await handler(event);
    await handler(event);

    expect(alarmMessages()).toHaveLength(1);
    // Recorded: the OK updates that very message.
    await handler(alarmEvent('OK', T20, 'ok20'));
    expect(alarmMessages()).toHaveLength(1);
    expect(textOf(sb.bot.fake.messages.find((m) => m.ts === alarmMessages()[0]!.ts)!)).toContain('*OK*');
  });
});
