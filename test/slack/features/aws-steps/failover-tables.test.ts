/**
 * Which switch write a later verdict read ("Check again") weighs: the step's latest switch request, unless a
 * record-swap fallback succeeded after it (the fallback answered that failure, so it is not offered again).
 */
import { describe, expect, it } from 'vitest';
import { SWITCH_WRITE_FAILED, writeOfStep } from '../../../../src/slack/features/aws-steps/failover-tables';
import type { ActionRequest } from '../../../../src/workflows/requests';

const request = (over: Partial<ActionRequest>): ActionRequest => ({
  id: 'a1b2c3d4',
  kind: 'route53-failover',
  stepId: 'update-route-53',
  requestedBy: 'U0DEVOPS',
  requestedAt: '2026-12-04T10:00:00.000Z',
  status: 'failed',
  attempts: 1,
  lastError: `${SWITCH_WRITE_FAILED}: AccessDenied`,
  ...over,
});
const failedSwitch = request({});
const failure = { succeeded: [], failed: [{ switchId: 'switch', error: failedSwitch.lastError }] };

describe('writeOfStep', () => {
  it('a failed switch write, with no fallback since: the failure (the fallback may be offered)', () => {
    expect(writeOfStep([failedSwitch])).toEqual(failure);
  });

  it('a fallback that succeeded after the failed write: nothing to weigh (the fallback is not re-offered)', () => {
    const swap = request({
      id: 'b1b2c3d4',
      kind: 'record-swap-failover',
      requestedAt: '2026-12-04T10:05:00.000Z',
      status: 'succeeded',
      lastError: undefined,
    });
    expect(writeOfStep([failedSwitch, swap])).toBeNull();
  });

  it('a fallback that failed, or was cancelled, does not answer the failure', () => {
    for (const status of ['failed', 'cancelled', 'pending'] as const) {
      const swap = request({
        id: 'c1b2c3d4',
        kind: 'record-swap-failover',
        requestedAt: '2026-12-04T10:05:00.000Z',
        status,
      });
      expect(writeOfStep([failedSwitch, swap])).toEqual(failure);
    }
  });

  it('a switch request after the fallback is weighed again', () => {
    const swap = request({
      id: 'b1b2c3d4',
      kind: 'record-swap-failover',
      requestedAt: '2026-12-04T10:05:00.000Z',
      status: 'succeeded',
    });
    const turned = request({
      id: 'd1b2c3d4',
      requestedAt: '2026-12-04T10:09:00.000Z',
      status: 'succeeded',
      changeId: 'switch:dr-s3',
      lastError: undefined,
    });
    expect(writeOfStep([failedSwitch, swap, turned])).toEqual({ succeeded: ['dr-s3'], failed: [] });
  });

  it('no request yet: nothing known', () => {
    expect(writeOfStep([])).toBeNull();
  });
});
