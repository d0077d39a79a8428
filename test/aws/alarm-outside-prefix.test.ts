/**
 * Found in a review (helper-174): ALARM_PREFIX says which alarms are this deployment's (src/config.ts: "only
 * CloudWatch alarms whose names start with it are shown"; serverless.yml `sitecraft-<stage>-`), and the
 * alarm topic takes "infra/dr.yaml, or your own" alarms. An alarm whose name lacks the prefix is matched
 * to the runbooks under its whole name (src/slack/features/alarms/match.ts `runbookAlarmName` returns it
 * unchanged), so an alarm simply named `api-5xx` (another team's, a test alarm, another stage's without
 * the stage prefix) is posted in the prod alarm channel as the DR trigger, with "Start failover".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type AlarmBot, alarmEvent, startAlarmBot } from './alarm-harness';

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

describe('an alarm outside ALARM_PREFIX', () => {
  it('offers no Start failover for an alarm named api-5xx when ALARM_PREFIX is sitecraft-prod-', async () => {
    const { sb, handler, alarmMessages } = await start();
    // The prod alarm is answered with the DR trigger (as the runbooks declare)...
    await handler(alarmEvent('ALARM', T0, 'prod'));
    const prod = alarmMessages();
    expect(JSON.stringify(prod[0]?.blocks)).toContain(ActionIds.awsAlarmStartFailover);

    // ...an alarm that is not this deployment's (no sitecraft-prod- prefix) is not.
    await handler(alarmEvent('ALARM', T0, 'bare', 'api-5xx'));
    const other = alarmMessages().filter((m) => !prod.some((p) => p.ts === m.ts));
    for (const m of other) {
      const shown = sb.bot.fake.messages.find((x) => x.ts === m.ts)!;
      expect(JSON.stringify(shown.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
    }
  });
});
