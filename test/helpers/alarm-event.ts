/** A CloudWatch alarm's state change as SNS delivers it to the alarm function (aws-lambda's SNSEvent). */
import type { SNSEvent } from 'aws-lambda';

export function alarmSnsEvent(
  name: string,
  description: string,
  reason = 'Threshold Crossed: 3 datapoints were above the threshold.',
): SNSEvent {
  const message = JSON.stringify({
    AlarmName: name,
    AlarmDescription: description,
    AWSAccountId: '123456789012',
    NewStateValue: 'ALARM',
    OldStateValue: 'OK',
    NewStateReason: reason,
    StateChangeTime: '2025-03-01T10:00:00.000+0000',
    Region: 'Africa (Cape Town)',
    AlarmArn: `arn:aws:cloudwatch:af-south-1:123456789012:alarm:${name}`,
  });
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:af-south-1:123456789012:alarms:sub',
        Sns: {
          Type: 'Notification',
          MessageId: `m-${name}`,
          TopicArn: 'arn:aws:sns:af-south-1:123456789012:alarms',
          Subject: 'ALARM',
          Message: message,
          Timestamp: '2025-03-01T10:00:05.000Z',
          SignatureVersion: '1',
          Signature: 'x',
          SigningCertUrl: 'https://example.invalid/cert',
          UnsubscribeUrl: 'https://example.invalid/unsub',
          MessageAttributes: {},
        },
      },
    ],
  };
}
