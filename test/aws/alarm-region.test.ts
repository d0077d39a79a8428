/**
 * Found in a review (helper-189): the DR trigger alarm `api-5xx` exists in both regions under one name
 * (infra/dr.yaml: "both regions' stacks use the same names"). The alarm was matched on its name only
 * (src/slack/features/alarms/match.ts), so `api-5xx` firing in eu-west-1, the region the failover moves
 * traffic to, offered "Start failover": failing over into the failing region. The failover checklist's own
 * tables (records=, switch=) say which way it moves traffic; the alarm is still posted with its section.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type AlarmBot, alarmEvent, inRegion, shownAlarms, startAlarmBot } from './alarm-harness';
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

describe('a DR trigger alarm by region', () => {
  it('offers no Start failover for api-5xx firing in eu-west-1, the region the failover moves traffic to', async () => {
    const a = await start();
    // The DR region's own api-5xx (same name, its own stack): failing over to eu-west-1 cannot fix it
    // (runbooks/DR_FAILOVER.md: "Nor for an eu-west-1 outage").
    await a.handler(inRegion(alarmEvent('ALARM', T0, 'eu'), 'eu-west-1', 'EU (Ireland)'));

    const [shown] = shownAlarms(a);
    expect(textOf(shown!)).toContain('(eu-west-1)');
    expect(textOf(shown!)).toContain('Failover procedure');
    expect(JSON.stringify(shown!.blocks)).not.toContain(ActionIds.awsAlarmStartFailover);
  });

  it('keeps Start failover for the primary and for the us-east-1 Route 53 alarm about the primary', async () => {
    const a = await start();
    await a.handler(alarmEvent('ALARM', T0, 'af'));
    await a.handler(
      inRegion(
        alarmEvent('ALARM', T0, 'r53', 'sitecraft-prod-r53-primary-unhealthy'),
        'us-east-1',
        'US East (N. Virginia)',
      ),
    );

    const shown = shownAlarms(a);
    expect(shown).toHaveLength(2);
    for (const m of shown) expect(JSON.stringify(m.blocks)).toContain(ActionIds.awsAlarmStartFailover);
  });
});
