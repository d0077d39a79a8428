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
