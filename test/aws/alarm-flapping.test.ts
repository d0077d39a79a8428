/**
 * Found in a review (helper-189): a flapping alarm whose notifications arrive late or out of order. A new
 * ALARM posted a new message without closing the one still showing ALARM (its OK in between late), which
 * then stayed red with Start failover after the alarm was OK; and an OK after the OK shown was dated from
 * the earlier episode's ALARM (the message's alarmSince kept across episodes), rewriting a closed message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type AlarmBot, alarmEvent, shownAlarms, startAlarmBot } from './alarm-harness';
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
const T10 = '2025-03-01T10:10:00.000+0000';
const T20 = '2025-03-01T10:20:00.000+0000';
const T30 = '2025-03-01T10:30:00.000+0000';
const T40 = '2025-03-01T10:40:00.000+0000';

describe('a flapping alarm', () => {
  it('leaves no message showing ALARM once the alarm is OK, when it fired again before its OK arrived', async () => {
    const a = await start();
    // ALARM 10:00, OK 10:20 (delayed by a failed first delivery), ALARM 10:30, then the late OK, then OK 10:40.
    await a.handler(alarmEvent('ALARM', T0, 'a0'));
    await a.handler(alarmEvent('ALARM', T30, 'a30'));
    await a.handler(alarmEvent('OK', T20, 'ok20'));
    await a.handler(alarmEvent('OK', T40, 'ok40'));

    // The alarm is OK: nothing in the channel shows it in ALARM or offers to start a failover for it.
    const shown = shownAlarms(a);
    expect(shown.length).toBeGreaterThan(0);
    for (const m of shown) {
      expect(textOf(m)).not.toContain(':rotating_light: *ALARM*');
      expect(JSON.stringify(m.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
    }
    expect(shown.map(textOf).join('\n')).toContain(
      'Back to OK at 2025-03-01 10:40 UTC (in ALARM since 2025-03-01 10:30 UTC)',
    );
  });

  it("never dates a later episode's OK from an earlier episode's ALARM (the later ALARM delayed behind its OK)", async () => {
    const a = await start();
    // Episode 1: 10:00 ALARM, 10:10 OK. Episode 2: 10:30 ALARM (its first delivery failed, retried later),
    // 10:40 OK arrives first.
    await a.handler(alarmEvent('ALARM', T0, 'a0'));
    await a.handler(alarmEvent('OK', T10, 'ok10'));
    await a.handler(alarmEvent('OK', T40, 'ok40'));
    await a.handler(alarmEvent('ALARM', T30, 'a30'));

    // The alarm was in ALARM 10:00-10:10 and 10:30-10:40, never from 10:00 to 10:40.
    const shown = shownAlarms(a);
    expect(shown.length).toBeGreaterThan(0);
    for (const m of shown) {
      expect(textOf(m)).not.toContain(
        'Back to OK at 2025-03-01 10:40 UTC (in ALARM since 2025-03-01 10:00 UTC)',
      );
      expect(textOf(m)).not.toContain(':rotating_light: *ALARM*');
    }
    // The first episode's message keeps its own return to OK.
    expect(shown.map(textOf).join('\n')).toContain(
      'Back to OK at 2025-03-01 10:10 UTC (in ALARM since 2025-03-01 10:00 UTC)',
    );
  });
});
