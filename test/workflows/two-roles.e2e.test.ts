/**
 * Someone who holds two of a gate's roles signs it once, as the role fewest others hold: the gate can still
 * be closed by the others. Signing the first listed role (Security, which U0SEC also holds) would leave
 * Architecture to U0BOTH alone, who cannot sign twice: the promotion would be stuck behind its gate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type ChecklistBot, hasElement, startChecklistBot, textOf, writeApprovers } from './checklist-bot';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const GATE = 'gate-sit-prod-release';
const APPROVERS = `
roles:
  security: [U0BOTH, U0SEC]
  architecture: [U0BOTH]
  devops: [U0OPS]
`;

let t: ChecklistBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a signer holding two of the gate roles', () => {
  it('signs as the role nobody else holds, so a second person can close the gate', async () => {
    t = await startChecklistBot({
      artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }),
      approversFile: writeApprovers(APPROVERS),
    });
    await t.command('promote sit prod', 'U0IC');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0IC', 'freeze-sit');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0OPS', 'run-the-regression-suite');

    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0BOTH', GATE);
    expect(textOf(t.latestRun())).toContain('Architecture: <@U0BOTH>');
    expect(textOf(t.latestRun())).toContain('Security: waiting');
    // A second click by the same person signs nothing more.
    const again = await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0BOTH', GATE);
    expect(String(again.responses()[0]?.body.text)).toMatch(/already signed/);

    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0SEC', GATE);
    const msg = t.latestRun();
    expect(textOf(msg)).toContain('approved by <@U0BOTH> (Architecture), <@U0SEC> (Security)');
    expect(hasElement(msg, ActionIds.checklistDone, 'deploy-prod')).toBe(true);
  });
});
