import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runbookChangedSince } from '../../src/slack/features/aws-steps/shared';
import type { ChecklistRuntime } from '../../src/slack/features/checklists/runtime';
import { checklistHash, snapshotItems } from '../../src/workflows/run-state';
import { newRun, promotion } from './fixtures';

/**
 * Found in a review (helper-200): 334a6c9 changed what checklistHash covers (it now also hashes the
 * checklist's directives and records=). A run started on the version before stores the hash of the old
 * formula, so deploying this version with no runbook change stopped every run in flight from acting on AWS
 * ("This checklist's runbook changed since the run started"), and take-over started it over.
 */
/** checklistHash as computed before 334a6c9 (items only). */
function hashBefore334a6c9(c: typeof promotion): string {
  return createHash('sha256')
    .update(JSON.stringify(snapshotItems(c)))
    .digest('hex')
    .slice(0, 12);
}

describe('runbookChangedSince across the deploy of the new checklistHash', () => {
  it('a run started on the previous bot version, runbook unchanged, may still act on AWS', () => {
    const run = newRun({ checklistId: promotion.id, checklistHash: hashBefore334a6c9(promotion) });
    const rt = {
      checklist: (id: string) => (id === promotion.id ? promotion : undefined),
    } as ChecklistRuntime;

    expect(checklistHash(promotion)).not.toBe(run.checklistHash); // only the formula changed
    expect(runbookChangedSince(rt, run)).toBeNull();
  });
});
