import { describe, expect, it } from 'vitest';
import { decideApproval } from '../../src/workflows/two-person';

const request = { requestedBy: 'U0ASKER', requestedAt: '2025-01-01T00:00:00.000Z' };

describe('decideApproval (two-person rule)', () => {
  it('refuses the person who asked', () => {
    expect(decideApproval(request, 'U0ASKER')).toMatchObject({ ok: false, reason: 'same-person' });
  });

  it('accepts anyone else, or only listed approvers when a list is given', () => {
    expect(decideApproval(request, 'U0OTHER')).toEqual({ ok: true });
    expect(decideApproval(request, 'U0OTHER', { approvers: ['U0LEAD'] })).toMatchObject({
      ok: false,
      reason: 'not-an-approver',
    });
    expect(decideApproval(request, 'U0LEAD', { approvers: ['U0LEAD'] })).toEqual({ ok: true });
  });

  it('refuses a second decision', () => {
    expect(decideApproval(request, 'U0OTHER', { decidedBy: 'U0LEAD' })).toMatchObject({
      ok: false,
      reason: 'already-decided',
    });
  });
});
