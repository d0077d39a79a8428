/**
 * helper-178's review: "Done out of order…" on a step whose own check (a step extension's guardDone: the
 * evidence, the Route 53 change, the stakeholder notice) objects. The override modal names only the order
 * (actions.ts openOverrideModal: the check is asked only when the step is in order), and the one reason
 * given waives the check too: the step is recorded done "out of order", nobody was told its check failed,
 * and the thread does not say it was overridden.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../../src/slack/action-ids';
import {
  registerStepExtension,
  unregisterStepExtension,
} from '../../../src/slack/features/checklists/extensions';
import { type ChecklistBot, startChecklistBot, textOf, writeApprovers } from '../../workflows/checklist-bot';
import { compileMarkdown } from '../../workflows/promotion-fixture';

const MD = `# Comms

## Tell stakeholders
<!-- bot: checklist=tell command="tell" title="Tell stakeholders" -->

1. **Confirm the outage.** Look at the dashboards.
2. **Post the notice.** Post it to #status.
   <!-- bot: check=notice -->
3. **Close the bridge.** Thank everyone.
`;

const CHECK = 'The stakeholder notice has not been posted yet';

let t: ChecklistBot | undefined;
afterEach(async () => {
  unregisterStepExtension('check');
  await t?.close();
  t = undefined;
});

describe('Done out of order on a step whose check fails ', () => {
  it("tells the person the step's check failed before their reason waives it, and records it", async () => {
    registerStepExtension('check', {
      guardDone: () => ({ ok: false, reason: `${CHECK}: press "Post notice".`, overridable: true }),
    });
    t = await startChecklistBot({
      artifact: await compileMarkdown({ 'COMMS.md': MD }),
      approversFile: writeApprovers(),
    });
    await t.command('tell', 'U0IC');
    // Step 1 is still open: step 2 offers "Done out of order…".
    await t.click(t.latestRun(), ActionIds.checklistDoneAnyway, 'U0IC', 'post-the-notice');
    const view = t.bot.fake.callsTo('views.open').pop()?.args.view;
    expect(view).toBeDefined();
    const prompt = JSON.stringify(view);
    expect(prompt).toContain('comes after');
    await t.submitModal('U0IC', 'doing comms while the others confirm');
    const thread = t.thread(t.latestRun()).map(textOf).join('\n');
    // Recorded done (the check waived) …
    expect(thread).toContain('marked *2. Post the notice* done out of order');
    // The check was never shown, yet the reason waived it: what was waived must be on record, and asked.
    expect(prompt).toContain(CHECK);
    expect(thread).toMatch(/failed check/);
  });
});
