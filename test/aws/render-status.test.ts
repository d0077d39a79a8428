/** The AWS renderers stay within Slack's limits however much AWS returns, and escape what they echo. */
import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/aws/status';
import type { AlarmSummary } from '../../src/aws/types';
import { ActionIds } from '../../src/slack/action-ids';
import { renderStatus } from '../../src/slack/render/status';
import { renderAlarm } from '../../src/slack/render/status-alarm';
import { planDetail, requestMessage, route53StepBlocks } from '../../src/slack/render/status-steps';
import { planFailover } from '../../src/workflows/failover-plan';
import { slackLimitViolations } from '../helpers/slack-limits';
import { visibleText } from '../helpers/slack-messages';
import { liveRecords, RECORDS, ZONE } from './fixtures';

const alarm = (i: number): AlarmSummary => ({
  name: `sitecraft-prod-alarm-${i}-<!channel>`,
  description: 'x'.repeat(500),
  state: 'ALARM',
  reason: `Threshold Crossed & <@U123>: ${'9'.repeat(400)}`,
  updatedAt: '2025-03-01T10:00:00.000Z',
  region: 'af-south-1',
  type: 'metric',
});

function bigReport(): StatusReport {
  const observations = Array.from({ length: 16 }, (_v, i) => ({
    checkerRegion: `checker-${i}`,
    ipAddress: null,
    status: 'Failure: timeout',
    checkedAt: null,
    healthy: false,
  }));
  const region = (name: string, role: 'primary' | 'dr') => ({
    region: name,
    role,
    healthChecks: Array.from({ length: 6 }, (_v, i) => ({
      healthCheckId: `hc-${i}`,
      recordName: `api${i}.sitecraft.example.com`,
      setIdentifier: `set-${i}`,
      report: {
        ok: true as const,
        value: { healthCheckId: `hc-${i}`, observations, healthyCheckers: 0, healthy: false },
      },
    })),
    alarms: { ok: true as const, value: Array.from({ length: 40 }, (_v, i) => alarm(i)) },
    metrics: {
      ok: true as const,
      value: {
        requests: 100,
        errors: 50,
        errorRate: 0.5,
        p99LatencyMs: 30_000,
        bedrockThrottles: 3,
        windowMinutes: 15,
        note: null,
      },
    },
  });
  return {
    generatedAt: '2025-03-01T10:00:00.000Z',
    simulated: 'SIMULATED (primary-down)',
    alarmPrefix: 'sitecraft-<prod>-',
    regions: [region('af-south-1', 'primary'), region('eu-west-1', 'dr')],
    answering: [
      {
        name: 'api.sitecraft.example.com',
        type: 'A',
        region: 'eu-west-1',
        answer: {
          ok: true,
          value: {
            name: 'api',
            type: 'A',
            setIdentifier: 'api-eu-west-1',
            failover: 'PRIMARY',
            reason: 'PRIMARY is unhealthy',
          },
        },
      },
    ],
  };
}

describe('AWS renderers', () => {
  it('status: within limits with many alarms, and alarm text is escaped', () => {
    const message = renderStatus(bigReport());

    expect(slackLimitViolations(message)).toEqual([]);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('sitecraft-prod-alarm-0-&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('Threshold Crossed &amp; &lt;@U123&gt;');
    expect(json).toContain('…and 32 more.');
    expect(message.text.startsWith('[SIMULATED] ')).toBe(true);
  });

  it('Route 53 approval request: within limits, shows the change batch', () => {
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live: { [ZONE]: liveRecords() },
      comment: 'runbook-bot failover run R1',
    });
    const message = requestMessage({
      runId: '20250301T100000-abcdef',
      request: {
        id: '0123456789abcdef',
        kind: 'route53-failover',
        stepId: 'update-route-53',
        requestedBy: 'U0ALICE',
        requestedAt: '2025-03-01T10:00:00.000Z',
        status: 'pending',
        attempts: 0,
        plan,
      },
      what: 'Route 53 failover',
      verb: 'failover',
      planText: planDetail(plan),
      simulated: null,
    });

    expect(slackLimitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('ChangeResourceRecordSets');
    // The buttons carry the run and the request, nothing else.
    expect(JSON.stringify(message.blocks)).toContain('"value":"20250301T100000-abcdef|0123456789abcdef"');
  });

  it('Route 53 request whose execution stopped (its lease ran out): offers Retry, on the request and the step', () => {
    const request = {
      id: '0123456789abcdef',
      kind: 'route53-failover',
      stepId: 'update-route-53',
      requestedBy: 'U0ALICE',
      requestedAt: '2025-03-01T10:00:00.000Z',
      status: 'executing' as const,
      decidedBy: 'U0BOB',
      attempts: 1,
      leaseUntil: '2025-03-01T10:06:00.000Z',
    };
    const view = {
      runId: '20250301T100000-abcdef',
      request,
      what: 'Route 53 failover',
      verb: 'failover',
      planText: '',
      simulated: null,
    };
    const running = requestMessage({ ...view, now: '2025-03-01T10:05:00.000Z' });
    expect(JSON.stringify(running.blocks)).not.toContain(ActionIds.awsRoute53Retry);
    const stopped = requestMessage({ ...view, now: '2025-03-01T10:07:00.000Z' });
    expect(JSON.stringify(stopped.blocks)).toContain(`"value":"20250301T100000-abcdef|0123456789abcdef"`);
    expect(visibleText(stopped)).toContain('stopped without a result');
    const step = route53StepBlocks({
      direction: 'failover',
      drill: false,
      value: '20250301T100000-abcdef|update-route-53',
      records: RECORDS,
      latest: request,
      retryable: true,
      runId: '20250301T100000-abcdef',
    });
    expect(JSON.stringify(step)).toContain(ActionIds.awsRoute53Retry);
    expect(JSON.stringify(step)).not.toContain(ActionIds.awsRoute53Execute);
  });

  it('Route 53 step: no Execute (nor its approval prompt) once a change succeeded or while one is open', () => {
    const base = {
      id: '0123456789abcdef',
      kind: 'route53-failover',
      stepId: 'update-route-53',
      requestedBy: 'U0ALICE',
      requestedAt: '2025-03-01T10:00:00.000Z',
      decidedBy: 'U0BOB',
      attempts: 1,
    };
    const blocks = (latest: Parameters<typeof route53StepBlocks>[0]['latest']) =>
      JSON.stringify(
        route53StepBlocks({
          direction: 'failover',
          drill: false,
          value: '20250301T100000-abcdef|update-route-53',
          records: RECORDS,
          latest,
          runId: '20250301T100000-abcdef',
        }),
      );
    expect(blocks(null)).toContain(ActionIds.awsRoute53Execute);
    const done = blocks({
      ...base,
      status: 'succeeded',
      outcome: 'insync',
      finishedAt: '2025-03-01T10:02:00.000Z',
    });
    expect(done).toContain('applied and INSYNC');
    expect(done).not.toContain(ActionIds.awsRoute53Execute);
    expect(done).not.toContain("second person's approval");
    const pending = blocks({ ...base, status: 'pending', decidedBy: undefined });
    expect(pending).not.toContain(ActionIds.awsRoute53Execute);
    // After a cancelled request it may be asked again.
    expect(blocks({ ...base, status: 'cancelled' })).toContain(ActionIds.awsRoute53Execute);
  });

  it('alarm: within limits with a huge reason, escaped', () => {
    const message = renderAlarm({
      notification: {
        name: 'a<b>',
        description: '<!here> '.repeat(300),
        state: 'ALARM',
        previousState: 'OK',
        reason: 'r'.repeat(5000),
        changedAt: '2025-03-01T10:00:00.000Z',
        region: 'af-south-1',
        arn: null,
        accountId: null,
      },
      section: null,
      sectionUrl: null,
      failover: { checklistId: 'failover' },
      alarmSince: null,
    });

    expect(slackLimitViolations(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('<!here>');
  });
  it('alarm: no data after an ALARM keeps Start failover (a region that is down sends no metrics); OK removes it', () => {
    const view = (state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA', alarmSince: string | null) =>
      JSON.stringify(
        renderAlarm({
          notification: {
            name: 'sitecraft-prod-api-5xx',
            description: null,
            state,
            previousState: 'ALARM',
            reason: null,
            changedAt: '2025-03-01T10:20:00.000Z',
            region: 'af-south-1',
            arn: null,
            accountId: null,
          },
          section: null,
          sectionUrl: null,
          failover: { checklistId: 'failover' },
          alarmSince,
        }),
      );
    const noData = view('INSUFFICIENT_DATA', '2025-03-01T10:00:00.000Z');
    expect(noData).toContain(ActionIds.awsAlarmStartFailover);
    expect(noData).toContain('not a recovery');
    expect(noData).toContain('in ALARM since 2025-03-01 10:00 UTC');
    expect(view('OK', '2025-03-01T10:00:00.000Z')).not.toContain(ActionIds.awsAlarmStartFailover);
    // No data with no ALARM before it (a new alarm, a quiet metric) offers nothing.
    expect(view('INSUFFICIENT_DATA', null)).not.toContain(ActionIds.awsAlarmStartFailover);
  });
});
