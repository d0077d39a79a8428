/**
 * "Raise alarm" in the playground: the CloudWatch alarms infra/dr.yaml defines, sent to ALARM and back to OK
 * as CloudWatch would notify them (the alarm's JSON in an SNS record), through the same SNS handler the
 * alarm Lambda runs (src/slack/features/alarms/sns.ts). So the alarm → Slack → Start failover path can be
 * tried without an AWS account. Nothing here reaches AWS, in either AWS mode: the notification is local.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SNSEvent } from 'aws-lambda';
import { parse as parseYaml } from 'yaml';
import type { AlarmState } from '../aws/alarm-notification';

/** The repository's DR template, beside runbooks/ (as `runbook lint` finds it). */
export const DEFAULT_ALARM_TEMPLATE = join(__dirname, '..', '..', 'infra', 'dr.yaml');

/** Shown when an ARN needs an account: a placeholder, never a real one. */
const PLAYGROUND_ACCOUNT = '000000000000';

export interface TemplateAlarmInfo {
  /** As the runbooks name it: `api-5xx` (the template's name without `${AlarmPrefix}`). */
  name: string;
  description: string;
  namespace: string;
  metricName: string;
}

export interface PlaygroundAlarms {
  /** The template's `AlarmPrefix` default (`sitecraft-prod-`), or '' without a template. */
  templatePrefix: string;
  list(): { name: string; fullName: string; description: string; state: AlarmState }[];
  /**
   * The SNS event CloudWatch would send for this transition, and `commit` to record the new state once the
   * bot has it: an alarm whose delivery failed stays as it was, so it can be sent again.
   */
  transition(name: string, to: AlarmState): { event: SNSEvent; commit(): void };
}

export class UnknownAlarmError extends Error {
  override readonly name = 'UnknownAlarmError';
}

interface Template {
  Parameters?: Record<string, { Default?: unknown }>;
  Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
}

/** The alarms of a CloudFormation template (none when it is missing or unreadable: the page then hides "Raise alarm"). */
export function readTemplateAlarms(path: string): { prefix: string; alarms: TemplateAlarmInfo[] } {
  if (!existsSync(path)) return { prefix: '', alarms: [] };
  const doc = parseYaml(readFileSync(path, 'utf8'), { logLevel: 'error' }) as Template | null;
  const defaults = Object.fromEntries(
    Object.entries(doc?.Parameters ?? {}).map(([k, p]) => [
      k,
      p?.Default === undefined ? '' : String(p.Default),
    ]),
  );
  const alarms: TemplateAlarmInfo[] = [];
  for (const resource of Object.values(doc?.Resources ?? {})) {
    const p = resource?.Properties ?? {};
    if (resource?.Type !== 'AWS::CloudWatch::Alarm' || typeof p['AlarmName'] !== 'string') continue;
    alarms.push({
      name: p['AlarmName'].replace(/^\$\{AlarmPrefix\}/, ''),
      // `!Sub` parameters get their defaults; pseudo parameters (`${AWS::Region}`) stay as written.
      description:
        typeof p['AlarmDescription'] === 'string'
          ? p['AlarmDescription'].replace(/\$\{(\w+)\}/g, (all, k: string) => defaults[k] || all)
          : '',
      namespace: typeof p['Namespace'] === 'string' ? p['Namespace'] : '',
      metricName: typeof p['MetricName'] === 'string' ? p['MetricName'] : '',
    });
  }
  return { prefix: defaults['AlarmPrefix'] ?? '', alarms };
}

export function createPlaygroundAlarms(opts: {
  templatePath?: string;
  /** ALARM_PREFIX as the bot is configured (the alarm names carry it, as the real ones do). */
  prefix: () => string;
  /** Region the alarms live in (Route 53 metrics exist only in us-east-1, so their alarms live there). */
  region: string;
  now?: () => Date;
}): PlaygroundAlarms {
  const now = opts.now ?? (() => new Date());
  const { prefix: templatePrefix, alarms } = readTemplateAlarms(opts.templatePath ?? DEFAULT_ALARM_TEMPLATE);
  const states = new Map<string, AlarmState>(alarms.map((a) => [a.name, 'OK']));
  const full = (a: TemplateAlarmInfo) => `${opts.prefix()}${a.name}`;
  return {
    templatePrefix,
    list: () =>
      alarms.map((a) => ({
        name: a.name,
        fullName: full(a),
        description: a.description,
        state: states.get(a.name) ?? 'OK',
      })),
    transition(name, to) {
      const alarm = alarms.find((a) => a.name === name);
      if (!alarm) throw new UnknownAlarmError(`No alarm "${name}" in infra/dr.yaml`);
      const from = states.get(name) ?? 'OK';
      const region = alarm.namespace === 'AWS/Route53' ? 'us-east-1' : opts.region;
      const at = now();
      const alarmName = full(alarm);
      const arn = `arn:aws:cloudwatch:${region}:${PLAYGROUND_ACCOUNT}:alarm:${alarmName}`;
      // The fields CloudWatch puts in an alarm's SNS message (what src/aws/alarm-notification.ts reads).
      const message = {
        AlarmName: alarmName,
        AlarmDescription: alarm.description.replace(/\$\{AWS::Region\}/g, region),
        AWSAccountId: PLAYGROUND_ACCOUNT,
        NewStateValue: to,
        NewStateReason: `Raised in the local playground (${from} → ${to}); no metric was read.`,
        StateChangeTime: at.toISOString().replace('Z', '+0000'),
        Region: region,
        AlarmArn: arn,
        OldStateValue: from,
        Trigger: { MetricName: alarm.metricName, Namespace: alarm.namespace },
      };
      const event: SNSEvent = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `arn:aws:sns:${region}:${PLAYGROUND_ACCOUNT}:playground-alarms:${randomUUID()}`,
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: `arn:aws:sns:${region}:${PLAYGROUND_ACCOUNT}:playground-alarms`,
              Subject: `${to}: "${alarmName}" in ${region}`.slice(0, 100),
              Message: JSON.stringify(message),
              Timestamp: at.toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      };
      return { event, commit: () => states.set(name, to) };
    },
  };
}
