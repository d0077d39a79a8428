/**
 * Found in a review (helper-174): duration settings larger than a Node timer holds (2^31 − 1 ms, about 24.8 days) pass
 * `positiveInteger` (src/config.ts) and reach setTimeout/setInterval, which Node then fires after 1 ms
 * (TimeoutOverflowWarning). AWS_CALL_TIMEOUT_MS=3000000000 makes every AWS call time out at once;
 * TIMER_INTERVAL_MS=3000000000 sweeps the store every millisecond. A value the process cannot honour must
 * stop start-up with a ConfigError naming it, as every other malformed value does.
 */
import { describe, expect, test } from 'vitest';
import { callAws } from '../../src/aws/call';
import { ConfigError, loadConfig } from '../../src/config';

const HUGE = '3000000000';

describe('durations beyond what a Node timer holds', () => {
  test('AWS_CALL_TIMEOUT_MS=3000000000: a 30 ms AWS call is not cut off after 1 ms', async () => {
    let config: ReturnType<typeof loadConfig> | undefined;
    try {
      config = loadConfig({ AWS_CALL_TIMEOUT_MS: HUGE });
    } catch (error) {
      // Refused at start-up, naming the variable: the fix this test accepts.
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('AWS_CALL_TIMEOUT_MS');
      return;
    }
    const op = {
      service: 'route53',
      action: 'GetHealthCheckStatus',
      iamAction: 'route53:GetHealthCheckStatus',
    };
    const result = callAws(
      op as Parameters<typeof callAws>[0],
      () => new Promise<string>((resolve) => setTimeout(() => resolve('answered'), 30)),
      { timeoutMs: config.aws.callTimeoutMs },
    );
    await expect(result).resolves.toBe('answered');
  });

  test.each(['TIMER_INTERVAL_MS', 'DEFERRED_RETRY_DELAY_MS', 'FAILOVER_DNS_POLL_MS', 'WARMUP_POLL_MS'])(
    '%s=3000000000 is refused with a ConfigError naming it (Node would fire it after 1 ms)',
    (name) => {
      expect(() => loadConfig({ [name]: HUGE })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: HUGE })).toThrow(name);
    },
  );
});
