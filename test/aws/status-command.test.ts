/**
 * `/runbook status` end to end: a signed slash command through Bolt's HTTP receiver, the ack, the deferred
 * AWS work, and the report through response_url. AWS is either the simulated gateway (scenario files) or the
 * real gateway over SDK clients stubbed with aws-sdk-client-mock.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsGateway } from '../../src/aws/gateway';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { blockActionPayload, TEST_CHANNEL, TEST_USER } from '../helpers/slack-payloads';
import { HC_DR, HC_PRIMARY, liveRecords, RECORDS, serviceError } from './fixtures';

const route53 = mockClient(Route53Client);
const cloudwatch = mockClient(CloudWatchClient);

let bot: TestBot | undefined;

async function artifactWithRecords() {
  const artifact = await loadTestArtifact();
  return { ...artifact, records: { ...artifact.records, 'route53-failover': RECORDS } };
}

function allText(body: Record<string, unknown>): string {
  return JSON.stringify(body.blocks ?? []) + String(body.text ?? '');
}

beforeEach(() => {
  route53.reset();
  cloudwatch.reset();
});

afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('/runbook status', () => {
  it('acknowledges at once, then reports the simulated primary-down scenario, labelled SIMULATED', async () => {
    // Prepare
    bot = await startTestBot({
      env: { AWS_SIMULATION: 'primary-down' },
      deps: { artifact: await artifactWithRecords() },
    });

    // Act
    const res = await bot.command('status');

    // Assess
    expect(res.status).toBe(200);
    expect(JSON.stringify((await res.response(0)).body)).toContain('Checking Route 53');
    const report = (await res.response(1)).body;
    expect(report.replace_original).toBe(true);
    const text = allText(report);
    expect(String(report.text)).toMatch(/^\[SIMULATED\] /);
    expect(text).toContain('*SIMULATED (primary-down)* — not real AWS data');
    expect(text).toContain('*UNHEALTHY*, 0/8 checkers healthy');
    expect(text).toContain('`api-eu-west-1` in *eu-west-1* answers (PRIMARY is unhealthy)');
    expect(text).toContain('sitecraft-prod-api-5xx');
    expect(text).toContain('5xx rate 41.35% (6120 of 14800 requests)');
    expect(text).toContain('Bedrock throttles 37');
    // It ends with the one next step those facts support, and the placeholder is gone.
    expect(text).toMatch(/Next: traffic is on the DR region while the primary is unhealthy/);
    expect(text).not.toContain('PRIMARY is healthy');
    const shown = bot.fake.channelMessages(TEST_CHANNEL, TEST_USER).map((m) => JSON.stringify(m.blocks));
    expect(shown.some((b) => b.includes('Checking Route 53'))).toBe(false);
    expect(route53.calls()).toHaveLength(0);
    expect(cloudwatch.calls()).toHaveLength(0);
  });

  it('answers the command before any AWS call finishes', async () => {
    // Prepare: a gateway whose every call waits until the test releases it.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const simulated = createSimulatedGateway(loadScenario('primary-healthy'), { records: RECORDS });
    const slow: AwsGateway = {
      ...simulated,
      healthCheckStatus: async (id) => {
        await gate;
        return simulated.healthCheckStatus(id);
      },
    };
    bot = await startTestBot({ deps: { artifact: await artifactWithRecords(), getAws: async () => slow } });

    // Act
    const res = await bot.command('status');

    // Assess: acknowledged and "Checking…" shown while AWS is still outstanding
    expect(res.status).toBe(200);
    await res.response(0);
    expect(res.responses()).toHaveLength(1);
    release();
    expect(allText((await res.response(1)).body)).toContain('PRIMARY is healthy');
  });

  it('shows a throttled CloudWatch call by name with Retry, and Retry reports again', async () => {
    // Prepare: live gateway over stubbed SDK clients
    route53.on(GetHealthCheckStatusCommand).resolves({
      HealthCheckObservations: [
        { Region: 'us-east-1', StatusReport: { Status: 'Success: HTTP Status Code 200, OK' } },
      ],
    });
    route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
    cloudwatch
      .on(DescribeAlarmsCommand)
      .rejectsOnce(serviceError('Throttling', 'Rate exceeded'))
      .resolves({ MetricAlarms: [] });
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    bot = await startTestBot({
      env: { ALARM_PREFIX: 'sitecraft-prod-', AWS_CALL_TIMEOUT_MS: '2000' },
      deps: { artifact: await artifactWithRecords() },
    });

    // Act
    const res = await bot.command('status');
    const first = (await res.response(1)).body;

    // Assess
    expect(allText(first)).toContain('CloudWatch DescribeAlarms was throttled by AWS');
    expect(allText(first)).toContain(ActionIds.awsStatusRetry);
    expect(route53).toReceiveCommandWith(GetHealthCheckStatusCommand, { HealthCheckId: HC_PRIMARY });
    expect(route53).toReceiveCommandWith(GetHealthCheckStatusCommand, { HealthCheckId: HC_DR });
    expect(cloudwatch).toReceiveCommandWith(DescribeAlarmsCommand, {
      AlarmNamePrefix: 'sitecraft-prod-',
      StateValue: 'ALARM',
    });

    // Act: Retry
    const retry = await bot.action(
      blockActionPayload({
        actionId: ActionIds.awsStatusRetry,
        value: 'status',
        responseUrl: res.responseUrl,
      }),
    );
    expect(retry.status).toBe(200);
    const second = await bot.waitFor(() =>
      res.responses().find((r, i) => i >= 2 && allText(r.body).includes('Refresh')),
    );

    // Assess
    expect(allText(second.body)).not.toContain('SIMULATED');
    expect(allText(second.body)).toContain('No alarms in ALARM');
  });

  it('reports missing credentials clearly instead of crashing', async () => {
    route53.onAnyCommand().rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    cloudwatch.onAnyCommand().rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    bot = await startTestBot({ deps: { artifact: await artifactWithRecords() } });

    const res = await bot.command('status');

    const text = allText((await res.response(1)).body);
    expect(text).toContain(
      'Route 53 GetHealthCheckStatus could not run: the bot has no valid AWS credentials',
    );
    expect(text).toContain('CloudWatch DescribeAlarms could not run');
  });
});
