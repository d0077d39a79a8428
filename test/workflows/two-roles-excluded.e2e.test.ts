/**
 * helper-178's review: someone holding two of a gate's roles signs the one fewest OTHER people can still
 * sign (signingOrder). It counts every holder, also the run's starter (who never signs its gates) and
 * whoever already signed this gate (who never signs twice): the gate is left with a role nobody may sign.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type ChecklistBot, hasElement, startChecklistBot, textOf, writeApprovers } from './checklist-bot';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const GATE = 'gate-sit-prod-release';

let t: ChecklistBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a signer holding two of the gate roles ', () => {
  it('does not sign the role the only other holder of the other role could not sign (that holder started the run)', async () => {
    // Security: U0BOTH or U0SEC. Architecture: U0BOTH or U0ARCH, and U0ARCH started the run.
    t = await startChecklistBot({
      artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }),
      approversFile: writeApprovers(`
roles:
  security: [U0BOTH, U0SEC]
  architecture: [U0BOTH, U0ARCH]
`),
    });
    await t.command('promote sit prod', 'U0ARCH');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0ARCH', 'freeze-sit');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0ARCH', 'run-the-regression-suite');

    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0BOTH', GATE);
    // U0ARCH may not sign (the starter), so U0BOTH must sign Architecture, leaving Security to U0SEC.
    expect(textOf(t.latestRun())).toContain('Architecture: <@U0BOTH>');
    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0SEC', GATE);
    expect(hasElement(t.latestRun(), ActionIds.checklistDone, 'deploy-prod')).toBe(true);
  });

  it('does not sign the role whose only other holder already signed this gate', async () => {
    // A three-role gate. U0OPS (DevOps, Security) signs first, as DevOps (nobody else holds it). Then
    // U0BOTH (Architecture, Security) must sign Security: its other holder, U0OPS, has signed already,
    // while Architecture still has U0ARCH. Counting U0OPS as a possible signer makes it a tie, and the
    // file's order picks Architecture: Security is left to nobody.
    const md = PROMOTION_MD.replace(
      'Approvers: Security, Architecture.',
      'Approvers: Security, Architecture, DevOps.',
    );
    t = await startChecklistBot({
      artifact: await compileMarkdown({ 'PROMOTION.md': md }),
      approversFile: writeApprovers(`
roles:
  architecture: [U0BOTH, U0ARCH]
  security: [U0BOTH, U0OPS]
  devops: [U0OPS]
`),
    });
    await t.command('promote sit prod', 'U0IC');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0IC', 'freeze-sit');
    await t.click(t.latestRun(), ActionIds.checklistDone, 'U0IC', 'run-the-regression-suite');
    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0OPS', GATE);
    expect(textOf(t.latestRun())).toContain('DevOps: <@U0OPS>');
    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0BOTH', GATE);
    expect(textOf(t.latestRun())).toContain('Security: <@U0BOTH>');
    await t.click(t.latestRun(), ActionIds.checklistApprove, 'U0ARCH', GATE);
    expect(hasElement(t.latestRun(), ActionIds.checklistDone, 'deploy-prod')).toBe(true);
  });
});
