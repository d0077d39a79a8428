import { describe, expect, test } from 'vitest';
import { runDeferred, UnknownDeferredTaskError } from '../../src/slack/deferred';
import { createInProcessDefer } from '../../src/slack/deferred-runner';
import type { AppDeps } from '../../src/slack/deps';
import { createLogger, createMemoryLogger, redact, toBoltLogger } from '../../src/slack/logger';

describe('logger', () => {
  test('one JSON line per entry, level-filtered, with token shapes and secret keys scrubbed', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', sink: (l) => lines.push(l), now: () => new Date(0) });
    logger.debug('hidden');
    logger.error('call failed for xoxb-123-456-abc', {
      token: 'anything',
      signingSecret: 'shh',
      nested: { header: 'Bearer xapp-1-A0-99-zz', list: ['xoxp-9-9'] },
      error: new Error('invalid_auth for xoxb-123-456-abc'),
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      level: 'error',
      time: '1970-01-01T00:00:00.000Z',
      msg: 'call failed for xoxb-[redacted]',
      token: '[redacted]',
      signingSecret: '[redacted]',
      nested: { header: 'Bearer xapp-[redacted]', list: ['xoxp-[redacted]'] },
      error: { name: 'Error', message: 'invalid_auth for xoxb-[redacted]' },
    });
    expect(lines[0]).not.toMatch(/xox[bp]-\d|xapp-1|shh/);
  });

  test("Bolt's logger interface writes through ours", () => {
    const memory = createMemoryLogger();
    const bolt = toBoltLogger(memory, 'info');
    bolt.setName('bolt-app');
    bolt.debug('not shown');
    bolt.warn('careful', { token: 'xoxb-1-2' });
    expect(memory.entries).toEqual([expect.objectContaining({ level: 'warn', source: 'bolt-app' })]);
    expect(JSON.stringify(memory.entries)).not.toContain('xoxb-1-2');
    expect(redact('xoxe.xoxb-1-abc')).toBe('xoxe.xoxb-[redacted]');
  });
});

describe('deferred tasks', () => {
  test('an unknown kind is refused at once', async () => {
    const { defer } = createInProcessDefer(() => ({}) as AppDeps);
    await expect(defer({ kind: 'nope', payload: 1 })).rejects.toBeInstanceOf(UnknownDeferredTaskError);
    await expect(runDeferred({ kind: 'nope', payload: 1 }, {} as AppDeps)).rejects.toThrow(/nope/);
  });
});
