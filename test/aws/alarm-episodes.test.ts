/**
 * Found in a review (helper-194) of the flapping fix (a new ALARM updates the message still showing an open
 * episode): an episode ended by OK stays ended through a later no-data, and a message deleted meanwhile
 * never swallows a new ALARM.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type AlarmBot, alarmEvent, shownAlarms, startAlarmBot } from './alarm-harness';
import { textOf } from './steps-bot';

let ab: AlarmBot | undefined;
afterEach(async () => {
  await ab?.sb.close();
  ab = undefined;
});

/** The alarm going to INSUFFICIENT_DATA at `at` (a metric that stopped: no traffic at night). */
function noData(at: string, id: string): SNSEvent {
  const event = alarmEvent('OK', at, id);
  const record = event.Records[0]!;
  const message = JSON.parse(record.Sns.Message) as Record<string, string>;
  message['NewStateValue'] = 'INSUFFICIENT_DATA';
  message['OldStateValue'] = 'OK';
  message['NewStateReason'] = 'Insufficient Data: 1 datapoint was unknown.';
  return {
    Records: [
      { ...record, Sns: { ...record.Sns, Subject: 'INSUFFICIENT_DATA', Message: JSON.stringify(message) } },
    ],
  };
}

describe('alarm episodes', () => {
  it('a new ALARM after OK then no data posts a new message, not only a thread reply under the old one', async () => {
    ab = await startAlarmBot();
    // Monday: ALARM 10:00, back to OK 10:10; the metric then stops (no requests at night): INSUFFICIENT_DATA.
    await ab.handler(alarmEvent('ALARM', '2025-03-01T10:00:00.000+0000', 'a0'));
    await ab.handler(alarmEvent('OK', '2025-03-01T10:10:00.000+0000', 'ok10'));
    await ab.handler(noData('2025-03-01T23:00:00.000+0000', 'nd'));
    // Two days later a new outage: the page must reach the channel as a new message.
    await ab.handler(alarmEvent('ALARM', '2025-03-03T09:00:00.000+0000', 'a2'));

    const shown = shownAlarms(ab);
    expect(shown).toHaveLength(2);
    const latest = shown[1]!;
    expect(textOf(latest)).toContain('ALARM');
    expect(JSON.stringify(latest.blocks)).toContain(ActionIds.awsAlarmStartFailover);
  });
});

describe('a new ALARM while the message of the open episode is gone', () => {
  it('still reaches the channel when the earlier ALARM message was deleted (chat.update: message_not_found)', async () => {
    ab = await startAlarmBot();
    await ab.handler(alarmEvent('ALARM', '2025-03-01T10:00:00.000+0000', 'a0'));
    // Someone tidies the alarm channel and deletes the bot's message; the episode's OK was never delivered.
    ab.alarmMessages()[0]!.deleted = true; // as chat.delete leaves it in the fake Slack
    // A new outage hours later: before 4855d54 it was posted as a new message.
    const callsBefore = ab.sb.bot.fake.calls.length;
    let thrown: unknown;
    await ab.handler(alarmEvent('ALARM', '2025-03-01T16:00:00.000+0000', 'a2')).catch((e: unknown) => {
      thrown = e;
    });
    const visible = shownAlarms(ab).filter((m) => !m.deleted);
    // The bot tried to update the deleted message (message_not_found) and posted nothing at the top level.
    expect(ab.sb.bot.fake.calls.slice(callsBefore).map((c) => c.method)).toContain('chat.update');
    expect(thrown).toBeUndefined();
    expect(visible).toHaveLength(1);
    expect(textOf(visible[0]!)).toContain('ALARM');
    expect(JSON.stringify(visible[0]!.blocks)).toContain(ActionIds.awsAlarmStartFailover);
  });
});
