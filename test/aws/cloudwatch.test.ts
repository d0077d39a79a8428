import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeAlarmsInAlarm } from '../../src/aws/cloudwatch-alarms';
import { getMetricData } from '../../src/aws/cloudwatch-metrics';
import { serviceError } from './fixtures';

const cloudwatch = mockClient(CloudWatchClient);
const client = new CloudWatchClient({ region: 'af-south-1' });

beforeEach(() => cloudwatch.reset());

describe('describeAlarmsInAlarm', () => {
  it('asks for ALARM state with the prefix and follows NextToken', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({
        MetricAlarms: [
          {
            AlarmName: 'sitecraft-prod-api-5xx',
            AlarmDescription: 'API 5xx above 5% (DR trigger)',
            StateValue: 'ALARM',
            StateReason: 'Threshold Crossed',
            StateUpdatedTimestamp: new Date('2025-03-01T10:00:00Z'),
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'sitecraft-prod-region-down', StateValue: 'ALARM' }] });

    const alarms = await describeAlarmsInAlarm(client, { region: 'af-south-1', prefix: 'sitecraft-prod-' });

    expect(cloudwatch).toReceiveNthCommandWith(1, DescribeAlarmsCommand, {
      StateValue: 'ALARM',
      AlarmNamePrefix: 'sitecraft-prod-',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      MaxRecords: 100,
    });
    expect(cloudwatch).toReceiveNthCommandWith(2, DescribeAlarmsCommand, { NextToken: 'page-2' });
    expect(alarms).toEqual([
      {
        name: 'sitecraft-prod-api-5xx',
        description: 'API 5xx above 5% (DR trigger)',
        state: 'ALARM',
        reason: 'Threshold Crossed',
        updatedAt: '2025-03-01T10:00:00.000Z',
        region: 'af-south-1',
        type: 'metric',
      },
      {
        name: 'sitecraft-prod-region-down',
        description: null,
        state: 'ALARM',
        reason: null,
        updatedAt: null,
        region: 'af-south-1',
        type: 'composite',
      },
    ]);
  });

  it('leaves the prefix out when none is configured', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({});

    await describeAlarmsInAlarm(client, { region: 'eu-west-1', prefix: '' });

    const input = cloudwatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('AlarmNamePrefix');
  });

  it.each([
    ['Throttling', 'throttled'],
    ['AccessDenied', 'access-denied'],
    ['ExpiredToken', 'credentials'],
  ])('reports %s as %s naming CloudWatch DescribeAlarms', async (code, kind) => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(serviceError(code));

    await expect(describeAlarmsInAlarm(client, { region: 'af-south-1', prefix: '' })).rejects.toMatchObject({
      kind,
      userMessage: expect.stringMatching(/^CloudWatch DescribeAlarms /),
    });
  });
});

describe('getMetricData', () => {
  it('sends one query per metric and returns series by id', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'err', Timestamps: [new Date('2025-03-01T10:00:00Z')], Values: [4], StatusCode: 'Complete' },
        { Id: 'p99', Timestamps: [], Values: [], StatusCode: 'PartialData' },
      ],
    });
    const window = { start: new Date('2025-03-01T09:45:00Z'), end: new Date('2025-03-01T10:00:00Z') };

    const series = await getMetricData(client, {
      window,
      queries: [
        {
          id: 'err',
          namespace: 'AWS/ApiGateway',
          metricName: '5XXError',
          dimensions: { ApiId: 'abc' },
          stat: 'Sum',
          periodSeconds: 60,
        },
        {
          id: 'p99',
          namespace: 'AWS/ApiGateway',
          metricName: 'Latency',
          dimensions: { ApiId: 'abc' },
          stat: 'p99',
          periodSeconds: 60,
        },
      ],
    });

    expect(cloudwatch).toReceiveCommandWith(GetMetricDataCommand, {
      StartTime: window.start,
      EndTime: window.end,
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        {
          Id: 'err',
          Label: '5XXError',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/ApiGateway',
              MetricName: '5XXError',
              Dimensions: [{ Name: 'ApiId', Value: 'abc' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
        expect.objectContaining({ Id: 'p99' }),
      ],
    });
    expect(series).toEqual([
      {
        id: 'err',
        label: '5XXError',
        timestamps: ['2025-03-01T10:00:00.000Z'],
        values: [4],
        statusCode: 'Complete',
      },
      { id: 'p99', label: 'Latency', timestamps: [], values: [], statusCode: 'PartialData' },
    ]);
  });

  it('reports throttling naming GetMetricData', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(serviceError('Throttling', 'Rate exceeded'));

    await expect(
      getMetricData(client, { queries: [], window: { start: new Date(0), end: new Date(60_000) } }),
    ).rejects.toMatchObject({
      kind: 'throttled',
      operation: { service: 'CloudWatch', action: 'GetMetricData' },
    });
  });
});
