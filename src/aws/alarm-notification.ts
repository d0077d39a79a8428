/**
 * CloudWatch alarm notifications as SNS delivers them (the `Message` of each record is the alarm's JSON).
 * Parsing only, no SDK: tolerant of missing fields, strict about what identifies the alarm.
 */

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

export interface AlarmNotification {
  name: string;
  description: string | null;
  state: AlarmState;
  previousState: AlarmState | null;
  reason: string | null;
  /** ISO 8601. */
  changedAt: string;
  /** `af-south-1`, from the alarm ARN (the message's `Region` is a display name like "EU (Ireland)"). */
  region: string | null;
  arn: string | null;
  accountId: string | null;
}

export class AlarmNotificationError extends Error {
  override readonly name = 'AlarmNotificationError';
}

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

function state(v: unknown): AlarmState | null {
  return typeof v === 'string' && (STATES as readonly string[]).includes(v) ? (v as AlarmState) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** `2025-03-01T10:00:00.000+0000` (CloudWatch's form) → ISO; unparsable → `fallback`. */
function isoTime(v: unknown, fallback: string): string {
  if (typeof v !== 'string') return fallback;
  const normalized = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(normalized);
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

export function parseAlarmMessage(message: string, receivedAt: string): AlarmNotification {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(message) as Record<string, unknown>;
  } catch {
    throw new AlarmNotificationError(
      'SNS message is not JSON (is the topic subscribed to a CloudWatch alarm?)',
    );
  }
  const name = str(data['AlarmName']);
  const newState = state(data['NewStateValue']);
  if (!name || !newState)
    throw new AlarmNotificationError('SNS message is not a CloudWatch alarm notification');
  const arn = str(data['AlarmArn']);
  const arnParts = arn?.split(':') ?? [];
  return {
    name,
    description: str(data['AlarmDescription']),
    state: newState,
    previousState: state(data['OldStateValue']),
    reason: str(data['NewStateReason']),
    changedAt: isoTime(data['StateChangeTime'], receivedAt),
    region: arnParts[3] || null,
    arn,
    accountId: str(data['AWSAccountId']) ?? (arnParts[4] || null),
  };
}

/** What identifies one alarm across its transitions. */
export function alarmKey(n: Pick<AlarmNotification, 'arn' | 'name' | 'region'>): string {
  return n.arn ?? `${n.region ?? 'unknown'}:${n.name}`;
}
