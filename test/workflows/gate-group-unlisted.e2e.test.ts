/**
 * Found in a review (helper-190): when Slack refuses to list a role's user group
 * (`usergroups.users.list` failing: rate limit, a missing scope after a reinstall), a member of that group
 * who signs a gate is told they are not an approver, and the refusal is recorded for good in the run's audit
 * trail as an attempt by someone without a role. The refusal should say why (the membership could not be
 * read) rather than accuse the signer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type ChecklistBot, startChecklistBot, writeApprovers } from './checklist-bot';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const GATE = 'gate-sit-prod-release';
const APPROVERS = `
roles:
  security: [U0SEC]
  architecture: [S0ARCH]
  devops: [U0OPS]
  business-owner: [U0BIZ]
`;

let t: ChecklistBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a gate signed by a group member while Slack cannot list the group', () => {
  it('says the membership could not be checked, not that the signer is no approver', async () => {
    t = await startChecklistBot({
      artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }),
      approversFile: writeApprovers(APPROVERS),
    });
    // U0ARCH is in @architecture (S0ARCH); Slack refuses to list it (from before anything was cached).
    t.bot.fake.failMethod('usergroups.users.list', { ok: false, error: 'ratelimited' });
    await t.command('promote sit prod', 'U0IC');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0IC', 'freeze-sit');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0OPS', 'run-the-regression-suite');

    const click = await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0ARCH', GATE);
    const answer = click
      .responses()
      .map((r) => String(r.body.text))
      .join('\n');
    expect(answer).not.toMatch(/not an approver|not a member/);
    expect(answer).toMatch(/could not|try again/i);
  });
});
