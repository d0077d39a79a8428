/** A CloudWatch alarm's state change as SNS delivers it to the alarm function (aws-lambda's SNSEvent). */
import type { SNSEvent } from 'aws-lambda';

export function alarmSnsEvent(
  name: string,
  description: string,
  reason = 'Threshold Crossed: 3 datapoints were above the threshold.',
): SNSEvent {
  return alarmStateEvent({ name, description, reason, messageId: `m-${name}` });
}

/** One state change of an alarm (ALARM by default, at 10:00 on 2025-03-01), as SNS message `messageId`. */
export function alarmStateEvent(input: {
  name: string;
  description: string;
  state?: 'ALARM' | 'OK';
  at?: string;
  reason?: string;
  messageId?: string;
}): SNSEvent {
  const state = input.state ?? 'ALARM';
  const message = JSON.stringify({
    AlarmName: input.name,
    AlarmDescription: input.description,
    AWSAccountId: '123456789012',
    NewStateValue: state,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    NewStateReason: input.reason ?? `Threshold Crossed (${state})`,
    StateChangeTime: input.at ?? '2025-03-01T10:00:00.000+0000',
    Region: 'Africa (Cape Town)',
    AlarmArn: `arn:aws:cloudwatch:af-south-1:123456789012:alarm:${input.name}`,
  });
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:af-south-1:123456789012:alarms:sub',
        Sns: {
          Type: 'Notification',
          MessageId: input.messageId ?? `m-${input.name}`,
          TopicArn: 'arn:aws:sns:af-south-1:123456789012:alarms',
          Subject: state,
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
