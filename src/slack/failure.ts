/**
 * What happens when a listener throws: the user gets a short ephemeral note with a reference and a next
 * step; the log gets one structured entry with the same reference. Never a stack trace in Slack, never a
 * token in a log (the logger scrubs).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from './logger';
import { failureMessage } from './render/failure';

export function newErrorRef(): string {
  return randomBytes(4).toString('hex');
}

interface FailureBody {
  type?: string;
  command?: string;
  response_url?: string;
  user_id?: string;
  user?: { id?: string };
  channel_id?: string;
  channel?: { id?: string };
  team_id?: string;
  team?: { id?: string };
  actions?: Array<{ action_id?: string }>;
  view?: { callback_id?: string };
}

/** Log the failure; return the reference to show the user. */
export function logFailure(logger: Logger, error: unknown, body: unknown, where: string): string {
  const ref = newErrorRef();
  const b = (body ?? {}) as FailureBody;
  logger.error('listener failed', {
    ref,
    where,
    type: b.type ?? (b.command ? 'slash_command' : undefined),
    command: b.command,
    actionIds: b.actions?.map((a) => a.action_id),
    callbackId: b.view?.callback_id,
    user: b.user_id ?? b.user?.id,
    channel: b.channel_id ?? b.channel?.id,
    team: b.team_id ?? b.team?.id,
    error,
  });
  return ref;
}

/**
 * Best-effort ephemeral notice through the payload's `response_url` (commands and most interactions have
 * one). Swallows its own failure: the original error is already logged.
 */
export async function notifyFailure(
  body: unknown,
  ref: string,
  opts: { repoUrl: string; logger: Logger; command?: string },
): Promise<void> {
  const url = (body as FailureBody | undefined)?.response_url;
  if (!url) return;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        response_type: 'ephemeral',
        replace_original: false,
        ...failureMessage(ref, opts),
      }),
    });
    if (!res.ok) opts.logger.warn('failure notice not delivered', { ref, status: res.status });
  } catch (error) {
    opts.logger.warn('failure notice not delivered', { ref, error });
  }
}
