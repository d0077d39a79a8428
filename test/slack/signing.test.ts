import { isValidSlackRequest } from '@slack/bolt';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  computeSlackSignature,
  isFutureTimestamp,
  MAX_CLOCK_SKEW_SECONDS,
  verifySlackSignature,
} from '../../src/slack/signing';
import { SLACK_EXAMPLE, signSlackRequest } from '../helpers/signed';

const { secret, timestamp, body, signature } = SLACK_EXAMPLE;
const at = (seconds: number) => new Date(seconds * 1000);

afterEach(() => {
  vi.useRealTimers();
});

describe("Slack's published example vector", () => {
  test('our signing code and the test helper both produce the published signature', () => {
    expect(computeSlackSignature(secret, timestamp, body)).toBe(signature);
    expect(signSlackRequest(body, secret, timestamp)['x-slack-signature']).toBe(signature);
  });

  test('verifies with an injected clock frozen at the timestamp', () => {
    expect(verifySlackSignature({ secret, rawBody: body, signature, timestamp, now: at(timestamp) })).toEqual(
      { ok: true },
    );
  });

  test("Bolt's own verification accepts it with the clock frozen (vi.useFakeTimers)", () => {
    vi.useFakeTimers();
    vi.setSystemTime(at(timestamp));
    const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp };
    expect(isValidSlackRequest({ signingSecret: secret, body, headers })).toBe(true);
    vi.setSystemTime(at(timestamp + MAX_CLOCK_SKEW_SECONDS + 1));
    expect(isValidSlackRequest({ signingSecret: secret, body, headers })).toBe(false);
  });
});

describe('verifySlackSignature refuses', () => {
  const ok = { secret, rawBody: body, signature, timestamp, now: at(timestamp) };
  test.each([
    ['a wrong secret', { secret: 'not-the-secret' }, 'bad-signature'],
    ['a tampered body', { rawBody: body.replace('roadrunner', 'wile.e.coyote') }, 'bad-signature'],
    ['a missing signature', { signature: undefined }, 'missing-headers'],
    ['a missing timestamp', { timestamp: undefined }, 'missing-headers'],
    ['a non-numeric timestamp', { timestamp: 'yesterday' }, 'missing-headers'],
    ['a truncated signature', { signature: signature.slice(0, 20) }, 'bad-signature'],
    ['a stale timestamp (5 min + 1 s ago)', { now: at(timestamp + 301) }, 'stale'],
    ['a future timestamp (5 min + 1 s ahead)', { now: at(timestamp - 301) }, 'future'],
  ] as const)('%s', (_name, change, reason) => {
    expect(verifySlackSignature({ ...ok, ...change })).toEqual({ ok: false, reason });
  });

  test('accepts the edges of the ±5 minute window', () => {
    expect(verifySlackSignature({ ...ok, now: at(timestamp + 300) }).ok).toBe(true);
    expect(verifySlackSignature({ ...ok, now: at(timestamp - 300) }).ok).toBe(true);
  });
});

describe('isFutureTimestamp (the side Bolt does not check)', () => {
  test('only more than 300 s ahead counts', () => {
    const now = at(timestamp);
    expect(isFutureTimestamp(String(timestamp + 300), now)).toBe(false);
    expect(isFutureTimestamp(String(timestamp + 301), now)).toBe(true);
    expect(isFutureTimestamp(String(timestamp - 10_000), now)).toBe(false);
    expect(isFutureTimestamp(undefined, now)).toBe(false);
    expect(isFutureTimestamp('garbage', now)).toBe(false);
  });

  test('Bolt alone would accept a future timestamp (why we check it ourselves)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(at(timestamp - 3600));
    const headers = { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp };
    expect(isValidSlackRequest({ signingSecret: secret, body, headers })).toBe(true);
  });
});
