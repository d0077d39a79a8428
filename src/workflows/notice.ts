/**
 * Filling a notification template from DR_FAILOVER.md (`{{incident}}`, `{{started_by}}`, `{{time}}`,
 * `{{from_region}}`, `{{to_region}}`, `{{status}}`, `{{run}}`, ...). Pure. A placeholder without a value is
 * left visible as `{{name}}` and reported, so the person posting sees what is missing.
 */

export interface FilledTemplate {
  text: string;
  /** Placeholders found in the text with no value. */
  missing: string[];
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w-]*)\s*\}\}/g;

export function fillTemplate(text: string, values: Record<string, string | undefined>): FilledTemplate {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing] };
}

/** `2025-03-01T10:04:00.000Z` → `2025-03-01 10:04 UTC`. */
export function noticeTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The audience's local zone as a template declares it: `local="SAST=Africa/Johannesburg"`. */
export interface LocalZone {
  /** As the runbook writes it to people (`SAST`). */
  label: string;
  /** The IANA zone that gives its clock time (`Africa/Johannesburg`). */
  timeZone: string;
}

/** `SAST=Africa/Johannesburg` → the zone; null when absent or not a zone this runtime knows. */
export function parseLocalZone(text: string | undefined): LocalZone | null {
  const m = /^\s*([A-Za-z][A-Za-z0-9+-]{0,9})\s*=\s*([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+|UTC)\s*$/.exec(
    text ?? '',
  );
  if (!m) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: m[2] });
  } catch {
    return null;
  }
  return { label: m[1]!, timeZone: m[2]! };
}

function clock(iso: string, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * A time as stakeholders read it: UTC, and the runbook's local zone when the template names one
 * (`2025-03-01 10:04 UTC (12:04 SAST)`; the local date is added when it differs). `withDate: false` leaves
 * the UTC date out (`10:34 UTC (12:34 SAST)`), for a time later the same day.
 */
export function audienceTime(
  iso: string,
  local: LocalZone | null,
  options: { withDate?: boolean } = {},
): string {
  if (!Number.isFinite(Date.parse(iso))) return iso;
  const utc = clock(iso, 'UTC');
  const head = `${options.withDate === false ? '' : `${utc.date} `}${utc.time} UTC`;
  if (!local || local.timeZone === 'UTC') return head;
  const there = clock(iso, local.timeZone);
  const date = there.date !== utc.date ? `${there.date} ` : '';
  return `${head} (${date}${there.time} ${local.label})`;
}
