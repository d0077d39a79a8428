/**
 * Found in a review (helper-189): `runbook lint`'s alarm check ("every CloudWatch alarm the DR template
 * defines must be answered by exactly one runbook section", src/runbooks/lint/alarms.ts) lists only
 * `AWS::CloudWatch::Alarm` resources. A composite alarm (`AWS::CloudWatch::CompositeAlarm`: "primary 5xx AND
 * switch healthy", the usual way to cut a storm down to one page) notifies the same topic with the same
 * message shape, and the bot posts it, but lint never asked for its section: it reached Slack with "No
 * runbook section for this alarm yet" while lint passed. Composite alarms are listed too.
 */
import { describe, expect, it } from 'vitest';
import { templateAlarms } from '../../../src/runbooks/lint/alarms';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AlarmPrefix: { Type: String }
Resources:
  Api5xx:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Sub \${AlarmPrefix}api-5xx
  PrimaryDown:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: !Sub \${AlarmPrefix}primary-down
      AlarmRule: !Sub ALARM("\${AlarmPrefix}api-5xx") AND ALARM("\${AlarmPrefix}r53-primary-unhealthy")
      AlarmActions: [!Ref AlarmTopic]
`;

describe('templateAlarms: composite alarms are alarms too', () => {
  it('lists a composite alarm of the template, to be mapped to a section or reported', () => {
    expect(templateAlarms(TEMPLATE).map((a) => a.name)).toEqual(['api-5xx', 'primary-down']);
  });
});
