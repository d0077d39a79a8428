/**
 * Found in a review (helper-182): a gate's escalation (`escalate=L2`) in a live run names OPERATIONS.md's contact. With
 * SLACK_USERGROUPS mapping its handle to a user group, `/runbook contacts` mentions the group; the escalation
 * itself must page it the same way, not print `@sitecraft-platform-leads` as text nobody is notified by.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type ReachBot, startReachBot } from './reach-bot';

const STARTER = 'U0STARTER';

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

describe('escalation to a contact of OPERATIONS.md', () => {
  it('mentions the contact’s user group (SLACK_USERGROUPS) when a live gate escalates', async () => {
    rb = await startReachBot({ env: { SLACK_USERGROUPS: 'sitecraft-platform-leads=S0LEADS1' } });
    await rb.command('promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    expect(JSON.stringify(rb.latestRun().blocks)).toContain(ActionIds.checklistApprove);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    expect(Number.isFinite(opened)).toBe(true);
    await rb.sweepAt(new Date(opened + 60 * 60_000).toISOString());
    const escalated = rb.thread().filter((m) => (m.text ?? '').includes(':rotating_light:'));
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.text).toContain('L2 — Secondary on-call / service owner');
    // The group is paged: a real mention, as `/runbook contacts` renders it.
    expect(escalated[0]?.text).toContain('<!subteam^S0LEADS1');
  });
});
