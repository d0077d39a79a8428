/**
 * Slack's error code of a failed Web API call (`message_not_found`, `hash_conflict`, `missing_scope`), if
 * any: what `@slack/web-api` puts in `error.data.error` for an `ok: false` answer. No imports: any listener
 * may read it without loading more at start.
 */
export function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}
