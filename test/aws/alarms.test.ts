/**
 * CloudWatch alarms into Slack: the SNS Lambda entry, runbook matching, the message with its buttons,
 * the OK transition updating the same message, and the buttons through the app.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { alarmKey, parseAlarmMessage } from '../../src/aws/alarm-notification';
import { createAlarmHandler } from '../../src/entry/alarm';
import { ActionIds } from '../../src/slack/action-ids';
import { matchAlarm } from '../../src/slack/features/alarms/match';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { findElement } from '../workflows/checklist-bot';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ARN = 'arn:aws:cloudwatch:af-south-1:123456789012:alarm:sitecraft-prod-api-5xx';

function alarmMessage(state: 'ALARM' | 'OK', at: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    AlarmName: 'sitecraft-prod-api-5xx',
    AlarmDescription: 'API Gateway 5XX error rate above 5% for 3 minutes (DR trigger)',
    AWSAccountId: '123456789012',
    NewStateValue: state,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason:
      state === 'OK'
        ? 'Threshold Crossed: 3 datapoints [0.2, 0.1, 0.0] were not greater than the threshold (5.0).'
        : 'Threshold Crossed: 3 datapoints [41.2, 38.9, 44.0] were greater than the threshold (5.0).',
    StateChangeTime: at,
    Region: 'Africa (Cape Town)',
    AlarmArn: ARN,
    ...extra,
  });
}

function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:af-south-1:123456789012:alarms:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: 'arn:aws:sns:af-south-1:123456789012:alarms',
        Subject: 'ALARM',
        Message,
        Timestamp: '2025-03-01T10:00:05.000Z',
        SignatureVersion: '1',
        Signature: 'x',
        SigningCertUrl: 'https://example.invalid/cert',
        UnsubscribeUrl: 'https://example.invalid/unsub',
        MessageAttributes: {},
      },
    })),
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
  const alarmMessages = () => sb!.bot.fake.messages.filter((m) => m.channel === 'C0ALARMS' && !m.thread_ts);
  return { sb, handler, alarmMessages };
}

describe('alarm notifications', () => {
  it('posts ALARM with the mapped runbook section and both buttons, and OK updates the same message', async () => {
    // Prepare
    const { sb, handler, alarmMessages } = await start();

    // Act 1: ALARM (delivered twice, as SNS may)
    await handler(snsEvent(alarmMessage('ALARM', '2025-03-01T10:00:00.000+0000')));
    await handler(snsEvent(alarmMessage('ALARM', '2025-03-01T10:00:00.000+0000')));

    // Assess 1
    expect(alarmMessages()).toHaveLength(1);
    const posted = alarmMessages()[0]!;
    const text = textOf(posted);
    expect(text).toContain(':rotating_light: *ALARM* `sitecraft-prod-api-5xx` (af-south-1)');
    // api-5xx is declared by the failover procedure (alarms= … dr-trigger in runbooks/DR_FAILOVER.md).
    expect(text).toContain(
      'Runbook: <https://github.com/example/sitecraft-runbooks/blob/main/runbooks/DR_FAILOVER.md#failover-procedure|',
    );
    expect(findElement(posted, ActionIds.awsAlarmOpenRunbook).value).toBe(
      'DR_FAILOVER.md#failover-procedure',
    );
    expect(findElement(posted, ActionIds.awsAlarmStartFailover).value).toBe('failover');

    // Act 2: back to OK
    await handler(snsEvent(alarmMessage('OK', '2025-03-01T10:20:00.000+0000')));

    // Assess 2: same message, updated; no second top-level post; a note in its thread
    expect(alarmMessages()).toHaveLength(1);
    const updated = sb.bot.fake.messages.find((m) => m.ts === posted.ts)!;
    expect(textOf(updated)).toContain(':white_check_mark: *OK* `sitecraft-prod-api-5xx`');
    expect(textOf(updated)).toContain(
      'Back to OK at 2025-03-01 10:20 UTC (in ALARM since 2025-03-01 10:00 UTC)',
    );
    expect(JSON.stringify(updated.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
    expect(sb.bot.fake.callsTo('chat.update').map((c) => c.args.ts)).toEqual([posted.ts]);
    expect(sb.bot.fake.messages.filter((m) => m.thread_ts === posted.ts).map((m) => m.text)).toEqual([
      ':white_check_mark: OK at 10:20 UTC',
    ]);
  });

  it('drops a message that is not an alarm and ignores OK for an alarm it never showed', async () => {
    const { handler, alarmMessages } = await start();

    const result = await handler(
      snsEvent('not json', JSON.stringify({ hello: 1 }), alarmMessage('OK', '2025-03-01T10:20:00.000+0000')),
    );

    expect(result).toEqual({ handled: 1, failed: 0 });
    expect(alarmMessages()).toHaveLength(0);
  });

  it('"Start failover" starts the failover checklist in the alarm channel; "Open runbook" shows the section', async () => {
    const { sb, handler, alarmMessages } = await start();
    await handler(snsEvent(alarmMessage('ALARM', '2025-03-01T10:00:00.000+0000')));
    const posted = alarmMessages()[0]!;

    const open = await sb.click(posted, ActionIds.awsAlarmOpenRunbook, 'U0BOB');
    await sb.waitFor('section shown', () => sb.answers(open).includes('Failover procedure'));

    await sb.click(posted, ActionIds.awsAlarmStartFailover, 'U0BOB');
    const run = await sb.waitFor('failover run', () =>
      sb.bot.fake.messages.find(
        (m) => m.channel === 'C0ALARMS' && JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport),
      ),
    );
    expect(textOf(run)).toContain('DR failover to eu-west-1');
  });
});

describe('matchAlarm', () => {
  it('uses only the declared mapping, with the stage prefix taken off', async () => {
    const { sb } = await start();
    const { artifact } = sb.bot.deps;
    const n = parseAlarmMessage(
      alarmMessage('ALARM', '2025-03-01T10:00:00.000+0000'),
      '2025-03-01T10:00:05.000Z',
    );

    expect(matchAlarm(n, artifact, 'sitecraft-prod-')).toMatchObject({
      section: { id: 'DR_FAILOVER.md#failover-procedure' },
      start: { checklistId: 'failover' },
    });
    // The words of an undeclared alarm never pick a section, however close they are to one.
    expect(
      matchAlarm({ name: 'sitecraft-prod-api-timeout-504-cold-start' }, artifact, 'sitecraft-prod-'),
    ).toBeNull();
    expect(matchAlarm({ name: 'sitecraft-prod-api-5xx' }, artifact, '')).toBeNull();
    expect(alarmKey(n)).toBe(ARN);
    expect(n).toMatchObject({
      region: 'af-south-1',
      changedAt: '2025-03-01T10:00:00.000Z',
      previousState: 'OK',
      accountId: '123456789012',
    });
  });
});
