/**
 * `response_url`s for the playground, with Slack's rules: each URL remembers who triggered it, in which
 * channel and from which message, accepts up to 5 posts within 30 minutes, and turns each post into a
 * timeline change (an ephemeral or in-channel message, or an edit or deletion of the source message).
 */
import { randomBytes } from 'node:crypto';
import type { Timeline } from './timeline';

export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseContext {
  user: string;
  channel: string;
  /** The message the action came from; null for a slash command. */
  sourceTs: string | null;
}

interface Entry extends ResponseContext {
  posts: number;
  expiresAt: number;
}

export interface ResponseBody {
  text?: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
}

export type ResponseOutcome = { ok: true } | { ok: false; status: number; error: string };

export class ResponseUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly timeline: Timeline,
    private readonly botUserId: string,
    private readonly now: () => number = Date.now,
  ) {}

  mint(context: ResponseContext): string {
    const id = randomBytes(12).toString('hex');
    this.entries.set(id, { ...context, posts: 0, expiresAt: this.now() + RESPONSE_URL_TTL_MS });
    return `${this.baseUrl()}/response/${id}`;
  }

  post(id: string, body: ResponseBody): ResponseOutcome {
    const entry = this.entries.get(id);
    if (!entry || entry.expiresAt < this.now()) return { ok: false, status: 404, error: 'expired_url' };
    if (entry.posts >= RESPONSE_URL_MAX_POSTS) return { ok: false, status: 404, error: 'used_url' };
    entry.posts += 1;
    this.apply(entry, body);
    return { ok: true };
  }

  private apply(entry: Entry, body: ResponseBody): void {
    const source = entry.sourceTs ? this.timeline.get(entry.sourceTs) : undefined;
    if (isTrue(body.delete_original)) {
      if (source) this.timeline.remove(source.ts);
      return;
    }
    if (isTrue(body.replace_original) && source) {
      this.timeline.update(source.ts, { text: body.text ?? '', blocks: body.blocks });
      return;
    }
    const inChannel = body.response_type === 'in_channel';
    const threadTs = body.thread_ts ?? source?.thread_ts;
    this.timeline.add({
      channel: entry.channel,
      user: this.botUserId,
      bot: true,
      text: body.text ?? '',
      kind: 'message',
      ...(body.blocks ? { blocks: body.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(inChannel ? {} : { ephemeral_to: entry.user }),
    });
  }
}

function isTrue(value: boolean | string | undefined): boolean {
  return value === true || value === 'true';
}
