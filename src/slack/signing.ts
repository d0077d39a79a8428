/**
 * Slack request signing, as Slack documents it: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`,
 * compared in constant time, with the timestamp within ±5 minutes of now.
 *
 * Bolt verifies signatures too, but only rejects timestamps in the past; `guardFutureTimestamps` and
 * `isFutureTimestamp` close the other side before Bolt sees the request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/** Slack's window on either side of now. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export function computeSlackSignature(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type VerifyFailure = 'missing-headers' | 'stale' | 'future' | 'bad-signature';

export interface VerifyInput {
  secret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | number | undefined;
  now: Date;
}

export function verifySlackSignature(
  input: VerifyInput,
): { ok: true } | { ok: false; reason: VerifyFailure } {
  const { secret, rawBody, signature, timestamp, now } = input;
  const ts = Number(timestamp);
  if (!signature || timestamp === undefined || timestamp === '' || !Number.isInteger(ts)) {
    return { ok: false, reason: 'missing-headers' };
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (ts < nowSeconds - MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts > nowSeconds + MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'future' };
  const expected = Buffer.from(computeSlackSignature(secret, ts, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true };
}

/** True when the `X-Slack-Request-Timestamp` value is a number more than 5 minutes ahead of now. */
export function isFutureTimestamp(timestamp: string | undefined, now: Date): boolean {
  if (timestamp === undefined) return false;
  const ts = Number(timestamp);
  return Number.isFinite(ts) && ts > Math.floor(now.getTime() / 1000) + MAX_CLOCK_SKEW_SECONDS;
}

/**
 * Wraps an HTTP request listener (Bolt's `HTTPReceiver.requestListener`) to answer 401, with an empty body
 * as Bolt does, to any request stamped more than 5 minutes in the future. Everything else passes through
 * to Bolt, which verifies the signature and the past side of the window.
 */
export function guardFutureTimestamps(
  listener: RequestListener,
  opts: { now: () => Date; logger: Logger },
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = Array.isArray(header) ? header[0] : header;
    if (isFutureTimestamp(timestamp, opts.now())) {
      opts.logger.warn('request refused: timestamp in the future', { path: req.url, timestamp });
      req.resume();
      res.writeHead(401);
      res.end();
      return;
    }
    return listener(req, res);
  };
}
