/**
 * Files into a thread by Slack's upload flow, the three steps `files.uploadV2` takes, done here so the
 * caller knows which one failed:
 *
 * 1. `files.getUploadURLExternal` per file (an id and an upload URL);
 * 2. the bytes POSTed to that URL;
 * 3. `files.completeUploadExternal` shares them, as one message, into the thread.
 *
 * Until step 3 nothing is visible (a file never completed is never shown): a failure there is `refused`,
 * and the caller may post the content another way. Step 3 is the only one that shares; when Slack's answer
 * to it is lost (a timeout, a 5xx, a dropped connection, or an `internal_error`, which Slack says may follow
 * a partial success) the files may be in the thread or not: `unconfirmed`, and the caller must not post the
 * same content again by itself. Step 3 is therefore sent once (no client retries: a retry after a lost
 * answer could share twice, or fail and look like a refusal), with a timeout. Without `files:read` the bot
 * cannot look the files up afterwards (files.info), so the person who clicked decides, told exactly that.
 */
import { webApi } from '@slack/bolt';
import type { AppDeps } from './deps';
import { slackErrorCode } from './slack-error';
import { webClientOptions } from './web-client';

export interface UploadFile {
  filename: string;
  title: string;
  content: string;
  snippetType: 'text' | 'json';
}

export interface UploadRequest {
  channel: string;
  threadTs?: string;
  /** The message the files are shared with. */
  blocks: unknown[];
  files: UploadFile[];
}

export type UploadResult =
  | { kind: 'shared'; fileIds: string[] }
  /** Nothing was shared: Slack refused, or a step before the share failed. */
  | { kind: 'refused'; error: unknown }
  /** The share was sent and its answer lost: the files may be in the thread. */
  | { kind: 'unconfirmed'; error: unknown; fileIds: string[] };

/** Longer than Slack takes to share a few small files; shorter than a person waits for the answer. */
export const COMPLETE_TIMEOUT_MS = 20_000;
const BYTES_TIMEOUT_MS = 30_000;

/** Slack's answers to step 3 that do not say nothing happened (its docs: "some aspect ... may have succeeded"). */
const MAYBE_DONE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export async function uploadToThread(
  deps: Pick<AppDeps, 'config'>,
  client: webApi.WebClient,
  request: UploadRequest,
): Promise<UploadResult> {
  const ids: string[] = [];
  try {
    for (const file of request.files) {
      const bytes = Buffer.from(file.content, 'utf8');
      const opened = await client.files.getUploadURLExternal({
        filename: file.filename,
        length: bytes.length,
        snippet_type: file.snippetType,
      });
      if (!opened.upload_url || !opened.file_id) throw new Error('no upload URL in Slack’s answer');
      const posted = await fetch(opened.upload_url, {
        method: 'POST',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
        redirect: 'error',
        signal: AbortSignal.timeout(BYTES_TIMEOUT_MS),
      });
      await posted.arrayBuffer().catch(() => undefined);
      if (posted.status !== 200) throw new Error(`upload URL answered HTTP ${posted.status}`);
      ids.push(opened.file_id);
    }
  } catch (error) {
    return { kind: 'refused', error };
  }
  try {
    await completionClient(deps).files.completeUploadExternal({
      files: request.files.map((f, i) => ({ id: ids[i] ?? '', title: f.title })) as [
        { id: string; title: string },
      ],
      channel_id: request.channel,
      ...(request.threadTs ? { thread_ts: request.threadTs } : {}),
      blocks: request.blocks as webApi.KnownBlock[],
    });
    return { kind: 'shared', fileIds: ids };
  } catch (error) {
    return answered(error) ? { kind: 'refused', error } : { kind: 'unconfirmed', error, fileIds: ids };
  }
}

/** Slack answered (ok: false) with an error that means the share did not happen. */
function answered(error: unknown): boolean {
  const e = error as { code?: unknown } | null;
  const code = slackErrorCode(error);
  // A 429 is an answer too: the call was not processed.
  if (e?.code === webApi.ErrorCode.RateLimitedError) return true;
  return e?.code === webApi.ErrorCode.PlatformError && code !== undefined && !MAYBE_DONE.has(code);
}

/** Step 3's client: one attempt (see above), a timeout, the same API URL and token as every other. */
function completionClient(deps: Pick<AppDeps, 'config'>): webApi.WebClient {
  return new webApi.WebClient(deps.config.slack.botToken, {
    ...webClientOptions(deps.config.slack),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: COMPLETE_TIMEOUT_MS,
  });
}
