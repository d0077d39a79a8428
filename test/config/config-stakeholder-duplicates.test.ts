/**
 * Found in a review (helper-174): STAKEHOLDER_CHANNELS naming a channel twice (`C0STAKE,C0STAKE`, or the same ID with
 * different spacing, an easy slip in a serverless param) is accepted as it is (src/config.ts `listOf`), and
 * every notice, update and all-clear is posted once per entry (src/slack/features/aws-steps/notify.ts
 * `stakeholderTargets`, looped over by postNotice and postTo): stakeholders get each message twice. A
 * duplicate must be dropped, or refused at start-up with a ConfigError naming the variable.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import type { AppDeps } from '../../src/slack/deps';
import { stakeholderTargets } from '../../src/slack/features/aws-steps/notify';
import type { RunState } from '../../src/workflows/run-state';

describe('STAKEHOLDER_CHANNELS with a channel named twice', () => {
  test('a live run posts to each stakeholder channel once', () => {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({ STAKEHOLDER_CHANNELS: 'C0STAKE, C0EXEC,C0STAKE' });
    } catch (error) {
      // Refused at start-up, naming the variable: the other fix this test accepts.
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('STAKEHOLDER_CHANNELS');
      return;
    }
    const run = { drill: false, channel: 'C0INCIDENT' } as RunState;
    const targets = stakeholderTargets({ config } as AppDeps, run);
    expect(targets).toEqual(['C0STAKE', 'C0EXEC']);
  });
});
