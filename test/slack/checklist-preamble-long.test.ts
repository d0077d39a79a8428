/**
 * Found in a review (helper-207): a checklist section whose own text opens with an `export` block (or a paragraph) longer
 * than the preamble's budget got no "Before you start" at all: no text, and no link to the runbook either, so
 * the variables every command uses are again shown nowhere in the run.
 */
import { describe, expect, it } from 'vitest';
import { checklistPreamble } from '../../src/slack/render/checklist-details';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main';
const section = (markdown: string) => ({
  sections: [
    {
      id: 'DEPLOYMENT.md#rollback',
      file: 'DEPLOYMENT.md',
      title: 'Rollback',
      anchor: 'rollback',
      level: 2,
      markdown,
    },
  ],
});

describe('checklistPreamble with a long opening block', () => {
  it('still opens the thread (pointing to the runbook) when the export block alone exceeds the budget', () => {
    const exports = `\`\`\`\n${'export PREVIOUS_RELEASE="s3://releases/web/2026-12-07T08:00:00Z/build"\n'.repeat(60)}\`\`\`\n`;
    const artifact = section(exports) as unknown as Parameters<typeof checklistPreamble>[0];
    const text = checklistPreamble(artifact, 'DEPLOYMENT.md#rollback', REPO);
    expect(text).not.toBeNull();
    expect(text).toContain('Before you start');
    expect(text).toContain('DEPLOYMENT.md#rollback');
  });

  it('still opens the thread when the opening paragraph alone exceeds the budget', () => {
    const para = `Before rolling back, read this. ${'Call L2 if the release ran a data migration. '.repeat(70)}`;
    const artifact = section(para) as unknown as Parameters<typeof checklistPreamble>[0];
    const text = checklistPreamble(artifact, 'DEPLOYMENT.md#rollback', REPO);
    expect(text).not.toBeNull();
    expect(text).toContain('DEPLOYMENT.md#rollback');
  });
});
