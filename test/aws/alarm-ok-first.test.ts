/**
 * Found in a review (helper-174): an alarm's OK that arrives before its ALARM (the ALARM's delivery failed once and
 * Lambda's async retry brings it back a minute or more later, after the alarm recovered). The OK is
 * 'ignored' (no message yet) and not remembered, so the late ALARM posts a red message, with Start
 * failover, for an alarm that is OK, and nothing ever turns it green.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AlarmBot, alarmEvent, startAlarmBot } from './alarm-harness';
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

describe('an OK delivered before its ALARM', () => {
  it('never leaves the alarm channel showing ALARM for an alarm whose newer OK was already delivered', async () => {
    const { sb, handler, alarmMessages } = await start();
    // 10:00 ALARM: its first delivery failed (Slack 500), Lambda retries it later. 10:20 OK arrives first.
    await handler(alarmEvent('OK', T20, 'ok20'));
    // The retry of the 10:00 ALARM arrives after the OK.
    await handler(alarmEvent('ALARM', T0, 'a0'));

    // Either nothing is shown (the episode is over) or what is shown says OK: never a current ALARM.
    for (const m of alarmMessages()) {
      const shown = sb.bot.fake.messages.find((x) => x.ts === m.ts)!;
      expect(textOf(shown)).not.toContain(':rotating_light: *ALARM*');
    }
  });
});
