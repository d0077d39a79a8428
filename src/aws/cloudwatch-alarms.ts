/** CloudWatch `DescribeAlarms`: alarms currently in ALARM whose names start with the configured prefix. */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { type CallOptions, callAws } from './call';
import type { AwsOperation } from './errors';
import type { AlarmSummary } from './types';

export const DESCRIBE_ALARMS: AwsOperation = {
  service: 'CloudWatch',
  action: 'DescribeAlarms',
  iamAction: 'cloudwatch:DescribeAlarms',
};

const MAX_PAGES = 5;

export async function describeAlarmsInAlarm(
  client: CloudWatchClient,
  input: { region: string; prefix: string },
  options: CallOptions = {},
): Promise<AlarmSummary[]> {
  const alarms: AlarmSummary[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const token = nextToken;
    const out = await callAws(
      DESCRIBE_ALARMS,
      (abortSignal) =>
        client.send(
          new DescribeAlarmsCommand({
            StateValue: 'ALARM',
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: 100,
            ...(input.prefix ? { AlarmNamePrefix: input.prefix } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal },
        ),
      options,
    );
    for (const a of out.MetricAlarms ?? []) alarms.push(toSummary(a, input.region, 'metric'));
    for (const a of out.CompositeAlarms ?? []) alarms.push(toSummary(a, input.region, 'composite'));
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  return alarms;
}

interface SdkAlarm {
  AlarmName?: string;
  AlarmDescription?: string;
  StateValue?: string;
  StateReason?: string;
  StateUpdatedTimestamp?: Date;
}

function toSummary(a: SdkAlarm, region: string, type: AlarmSummary['type']): AlarmSummary {
  const state = a.StateValue === 'OK' || a.StateValue === 'INSUFFICIENT_DATA' ? a.StateValue : 'ALARM';
  return {
    name: a.AlarmName ?? '(unnamed alarm)',
    description: a.AlarmDescription ?? null,
    state,
    reason: a.StateReason ?? null,
    updatedAt: a.StateUpdatedTimestamp?.toISOString() ?? null,
    region,
    type,
  };
}
