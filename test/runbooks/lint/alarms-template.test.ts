/**
 * Found in a review (helper-179): `runbook lint`'s alarm check ("every CloudWatch alarm the DR template defines must be
 * answered by exactly one runbook section") reads only alarms whose AlarmName is the `!Sub` short form. An
 * alarm written in CloudFormation's long form, or left for CloudFormation to name, is skipped without a word,
 * and reaches Slack with "no runbook section for this alarm yet". Fails on the code it was written against.
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
  PrimaryUnhealthy:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName:
        Fn::Sub: \${AlarmPrefix}r53-primary-unhealthy
  SwitchOff:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Join ['', [!Ref AlarmPrefix, r53-switch-off]]
  Unnamed:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: HealthCheckStatus
`;

describe('templateAlarms: every alarm of the template, however its name is written', () => {
  it("reads CloudFormation's long form (Fn::Sub:) as it reads !Sub", () => {
    expect(templateAlarms(TEMPLATE).map((a) => a.name)).toEqual(
      expect.arrayContaining(['api-5xx', 'r53-primary-unhealthy']),
    );
  });

  it('does not drop an alarm named by !Join, or one CloudFormation names itself: each is listed, to be mapped or reported', () => {
    expect(templateAlarms(TEMPLATE)).toHaveLength(4);
  });
});
