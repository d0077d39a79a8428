/**
 * Found in a review (helper-203): an open approval DM while Slack cannot list the invitee's user group. The invite is
 * kept open on purpose (invites.ts planInvites: "none is closed for a lookup that failed"), but the DM is
 * re-rendered on every sync (a timer sweep) with the invitee's roles read now: none through the unlisted
 * group, so the DM loses its Approve button and tells the approver nothing more is needed from them, while
 * the gate still waits for their role.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { hasElement, type ReachBot, startReachBot, textOf } from './reach-bot';

const GATE = 'gate-dev-sit-promotion';
const STARTER = 'U0STARTER';

let rb: ReachBot | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rb?.close();
  rb = undefined;
});

describe('an approval DM while the invitee’s user group cannot be listed', () => {
  it('keeps asking (Approve stays) and never says nothing more is needed while the gate waits', async () => {
    // Only Date is faked (it follows real time): the group cache reads Date.now.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    rb = await startReachBot();
    await rb.command('promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    // U0OPS2 is DevOps through the S0DEVOPS group only.
    const dm = rb.approvalDm('U0OPS2');
    expect(dm && hasElement(dm, ActionIds.checklistApprove, GATE)).toBe(true);

    // Slack refuses to list the group from now on; an hour and more later (past maxStaleMs) a sweep runs.
    rb.bot.fake.failMethod('usergroups.users.list', { ok: false, error: 'ratelimited' });
    const shift = 61 * 60_000;
    vi.setSystemTime(Date.now() + shift);
    rb.clock.now = new Date(rb.clock.now.getTime() + shift);
    await rb.sweepAt(rb.clock.now.toISOString());
    await rb.settle();

    const state = await rb.state();
    // The gate still waits for DevOps, and U0OPS2's invite is still open (kept on purpose).
    expect(state.gates[GATE]?.approvals.some((a) => a.role === 'devops')).not.toBe(true);
    expect(state.invites?.find((i) => i.user === 'U0OPS2')?.status).toBe('open');
    const now = rb.approvalDm('U0OPS2')!;
    expect(textOf(now)).not.toContain('Nothing more is needed from you');
    expect(hasElement(now, ActionIds.checklistApprove, GATE)).toBe(true);
  });
});
