/**
 * The "Before you start" note that opens a run's thread (found in a review, helper-206: the variables every
 * command uses were shown nowhere in a run): within one section block for every checklist of the runbooks.
 */
import { describe, expect, it } from 'vitest';
import { checklistPreamble } from '../../src/slack/render/checklist-details';
import { SLACK_LIMITS } from '../../src/slack/render/limits';
import { loadTestArtifact } from '../helpers/artifact';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main';

describe('checklistPreamble', () => {
  it('fits one section block for every checklist, and carries the rollback’s variables and warning', async () => {
    const artifact = await loadTestArtifact();
    expect(artifact.checklists.length).toBeGreaterThan(3);
    for (const c of artifact.checklists) {
      const text = checklistPreamble(artifact, c.sectionId, REPO);
      if (text === null) continue;
      expect(text.length, c.id).toBeLessThanOrEqual(SLACK_LIMITS.sectionText - 100);
      expect(text, c.id).toContain('Before you start');
    }
    const rollback = artifact.checklists.find((c) => c.id === 'rollback');
    const text = checklistPreamble(artifact, rollback?.sectionId ?? '', REPO) ?? '';
    expect(text).toContain('export PREVIOUS_RELEASE=');
    expect(text).toContain('call L2 before rolling back the backend');
  });

  it('is null for a section with no text of its own', () => {
    expect(checklistPreamble({ sections: [] }, 'NOPE.md#x', REPO)).toBeNull();
  });
});
