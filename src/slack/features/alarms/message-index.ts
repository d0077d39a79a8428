/**
 * Which Slack message belongs to which alarm, so the OK transition updates the message the ALARM posted.
 *
 * Stored through the checklist Store's per-channel pointer (`setLatestRun(channel, key, value)`) under the
 * key `alarm:<alarm ARN>`, which no checklist id can collide with; the value packs the message ts, the
 * state it shows, and since when. A dedicated item type can replace this adapter without touching callers.
 */
import type { AlarmState } from '../../../aws/alarm-notification';
import type { Store } from '../../../store/store';

export interface AlarmMessageRef {
  ts: string;
  state: AlarmState;
  /** When the alarm last went into ALARM (ISO), for "in ALARM since". */
  alarmSince: string | null;
  /** The state change this message shows (ISO): a redelivered notification is recognised by it. */
  changedAt: string;
}

export interface AlarmMessageIndex {
  get(channel: string, alarmKey: string): Promise<AlarmMessageRef | null>;
  put(channel: string, alarmKey: string, ref: AlarmMessageRef): Promise<void>;
}

const KEY_PREFIX = 'alarm:';

export function storeAlarmIndex(store: Pick<Store, 'getLatestRun' | 'setLatestRun'>): AlarmMessageIndex {
  return {
    async get(channel, alarmKey) {
      const raw = await store.getLatestRun(channel, `${KEY_PREFIX}${alarmKey}`);
      if (!raw) return null;
      try {
        const ref = JSON.parse(raw) as AlarmMessageRef;
        return typeof ref.ts === 'string' ? ref : null;
      } catch {
        return null;
      }
    },
    async put(channel, alarmKey, ref) {
      await store.setLatestRun(channel, `${KEY_PREFIX}${alarmKey}`, JSON.stringify(ref));
    },
  };
}
