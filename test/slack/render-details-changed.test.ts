/**
 * helper-178's review: "Details" shows the step's text from the current artifact and promises to say when
 * the runbook changed since the run started (src/slack/render/checklist-details.ts). It says so only when
 * the step's id is gone: a step whose commands were edited, or an id that now names another step (ids are
 * made from titles, `verify`, `verify-2`: inserting a "Verify" step before shifts them), shows the new text
 * under the run's old step with no word of the change.
 */
import { describe, expect, it } from 'vitest';
import { renderStepDetails } from '../../src/slack/render/checklist-details';
import { createRunState } from '../../src/workflows/run-state';
import { compileMarkdown } from '../workflows/promotion-fixture';

const V1 = `# Ops

## Drain
<!-- bot: checklist=drain command="drain" title="Drain a region" -->

1. **Verify.** Check the standby:

   \`\`\`bash
   curl https://standby.example/health
   \`\`\`

2. **Stop the writers.** Scale the writers to zero.

3. **Verify.** Check that nothing writes:

   \`\`\`bash
   aws dynamodb describe-table --table-name orders
   \`\`\`
`;

// A "Verify" step inserted at the top: the ids `verify` and `verify-2` now name other steps.
const V2 = V1.replace(
  '1. **Verify.** Check the standby:',
  '1. **Verify.** Confirm the primary is really down:\n\n   ```bash\n   aws route53 delete-health-check --health-check-id hc-primary\n   ```\n\n1. **Verify.** Check the standby:',
);

const CHANGED = /runbook changed since this run started/;

function text(message: { blocks: unknown[] }): string {
  return JSON.stringify(message.blocks);
}

describe('Details after the runbook changed ', () => {
  it("says so when the run's step id now names another step of the new runbook", async () => {
    const v1 = await compileMarkdown({ 'OPS.md': V1 });
    const v2 = await compileMarkdown({ 'OPS.md': V2 });
    const checklist = v1.checklists.find((c) => c.id === 'drain')!;
    const state = createRunState({
      runId: '20261207T040000-abcdef',
      checklist,
      drill: false,
      startedBy: 'U0IC',
      startedAt: '2026-12-07T04:00:00.000Z',
      channel: 'C0OPS',
    });
    // The run's step 3 is `verify-2` ("check that nothing writes").
    const step3 = state.items.find((it) => it.type === 'step' && it.n === 3)!;
    expect(step3.id).toBe('verify-2');
    const details = renderStepDetails({
      state,
      itemId: 'verify-2',
      artifact: v2,
      repoUrl: 'https://x.example/r',
    });
    expect(text(details)).toContain('standby.example');
    expect(text(details)).not.toContain('describe-table');
    // In v2 `verify-2` is the old step 1 (curl the standby); the reader of the run's step 3 must be told.
    expect(text(details)).toMatch(CHANGED);
  });

  it("says so when the step's commands were edited since the run started", async () => {
    const v1 = await compileMarkdown({ 'OPS.md': V1 });
    const v2 = await compileMarkdown({
      'OPS.md': V1.replace('--table-name orders', '--table-name orders-v2'),
    });
    const state = createRunState({
      runId: '20261207T040000-abcdef',
      checklist: v1.checklists.find((c) => c.id === 'drain')!,
      drill: false,
      startedBy: 'U0IC',
      startedAt: '2026-12-07T04:00:00.000Z',
      channel: 'C0OPS',
    });
    const details = renderStepDetails({
      state,
      itemId: 'verify-2',
      artifact: v2,
      repoUrl: 'https://x.example/r',
    });
    expect(text(details)).toContain('orders-v2');
    expect(text(details)).toMatch(CHANGED);
  });
});
