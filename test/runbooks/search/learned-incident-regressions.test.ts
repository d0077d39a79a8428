/**
 * Found in a review (helper-218) of the learned layer after its first review (b5eccb2): on-call questions
 * the ranking alone (loadRankingArtifact) answers right and the full artifact (loadTestArtifact) answers
 * wrong, or withdraws as no good match because 'not ours' is more than notOursAbove probable
 * (engine.ts learnedOrder).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../../src/runbooks/model/model';
import { createSearch } from '../../../src/runbooks/search/search';
import { firstAnswer as first, loadRankingArtifact, loadTestArtifact } from '../../helpers/artifact';

let full: Artifact;
let alone: Artifact;
beforeAll(async () => {
  full = await loadTestArtifact();
  alone = await loadRankingArtifact();
});

describe('learned layer: who to call for a leaked credential is never withdrawn', () => {
  for (const q of [
    'over the weekend who do i call for a leaked token',
    "it's friday evening and who do I page for a leaked aws key",
    'failover went wrong, who to page',
  ]) {
    it(`"${q}" is answered with the escalation contacts`, () => {
      expect(first(alone, q)).toBe('OPERATIONS.md#escalation-contacts');
      // Was: no good match (the learned 'not ours' over 0.2), so no Security contact during a leak.
      expect(first(full, q)).toBe('OPERATIONS.md#escalation-contacts');
    });
  }

  // Known, not fixed: an aside read as small talk ("(I'm new on the team)") still makes the learned 'not
  // ours' more than 0.5 probable and the answer is withdrawn; what is guaranteed is that the "no good match"
  // offers Escalation contacts first.
  it(`"what's the escalation contact for security (I'm new on the team)" offers the escalation contacts first`, () => {
    const q = "what's the escalation contact for security (I'm new on the team)";
    expect(first(alone, q)).toBe('OPERATIONS.md#escalation-contacts');
    const r = createSearch(full).search(q);
    const offered = r.confident ? r.results[0]?.section.id : r.suggestions[0]?.id;
    expect(offered).toBe('OPERATIONS.md#escalation-contacts');
  });
});

describe('learned layer: data loss and promotion questions are not withdrawn', () => {
  // Known, not fixed (since batches 136-137, 43e9f1f): askers taught that questions naming the global tables
  // ("is PITR retention 35 days on the global tables", "the normal lag between the two dynamo replicas, is
  // that what we'd lose") are answered by DynamoDB global tables, and the learned order now puts that section,
  // which explains last-writer-wins, above the procedure that finds the overwritten writes. Tried: the
  // learned weight 0.5 (top-1 unchanged over batches 4-137, top-3 -3) and a stricter coverage bar for the
  // re-order (top-1 -91): neither kept. What is guaranteed: answered (never withdrawn), with the procedure
  // in the first two.
  it('"global tables last writer wins lost an update" is answered, with finding overwritten writes in the first two', () => {
    const q = 'global tables last writer wins lost an update';
    expect(first(alone, q)).toBe('OPERATIONS.md#find-writes-replication-may-have-overwritten');
    // Was: no good match.
    const r = createSearch(full).search(q);
    expect(r.confident).toBe(true);
    expect(r.results.slice(0, 2).map((x) => x.section.id)).toContain(
      'OPERATIONS.md#find-writes-replication-may-have-overwritten',
    );
  });

  it('"promotion to prod got stuck in canary" is answered in the SIT to PROD canary', () => {
    const q = 'promotion to prod got stuck in canary';
    expect(first(alone, q)).toBe('PROMOTION.md#canary-deployment');
    // Was: no good match mid-promotion.
    expect(first(full, q)).toBe('PROMOTION.md#canary-deployment');
  });
});

describe('learned layer: the step the ranking found is not replaced by a neighbour or the whole procedure', () => {
  it('"how do i confirm cape town is really down before failing over" is failover Step 1', () => {
    const q = 'how do i confirm cape town is really down before failing over';
    expect(first(alone, q)).toBe('DR_FAILOVER.md#step-1-confirm-primary-failure');
    // Was: Manual: operational decision, with under half Step 1's relevance (0.56 against 1.30).
    expect(first(full, q)).toBe('DR_FAILOVER.md#step-1-confirm-primary-failure');
  });

  it('"after rollback errors still high" is Verification after rollback', () => {
    const q = 'after rollback errors still high';
    expect(first(alone, q)).toBe('DEPLOYMENT.md#verification-after-rollback');
    // Was: "Slow generation" — model latency.
    expect(first(full, q)).toBe('DEPLOYMENT.md#verification-after-rollback');
  });

  it('"notify stakeholders that we have failed back to cape town" is failback Step 6', () => {
    const q = 'notify stakeholders that we have failed back to cape town';
    expect(first(alone, q)).toBe('DR_FAILOVER.md#step-6-notify-stakeholders');
    // Was: the whole Failback procedure (learned 0.655) over the step the ranking found.
    expect(first(full, q)).toBe('DR_FAILOVER.md#step-6-notify-stakeholders');
  });
});

describe('learned layer: a question of how something works, or asking for the walk, keeps the ranking order', () => {
  it('"how does streaming generation work sse" is the SSE request path, not the SSE failure symptom', () => {
    const q = 'how does streaming generation work sse';
    expect(first(alone, q)).toBe('ARCHITECTURE.md#generation-request-path-sse');
    // Was: Connection lost — SSE failures (people asking about SSE mostly report its failures).
    expect(first(full, q)).toBe('ARCHITECTURE.md#generation-request-path-sse');
    // Reporting the failure is the symptom, learned or not.
    expect(first(full, 'sse streaming keeps dropping mid generation')).toBe(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
  });

  it('"diagnose a login problem" is the walk through the login symptoms, not the one most reported', () => {
    const walk = ['TROUBLESHOOTING.md#authentication-tree', 'TROUBLESHOOTING.md#authentication-issues'];
    expect(walk).toContain(first(alone, 'diagnose a login problem'));
    // Was: Session invalid — logout/login (learned from people reporting that symptom).
    expect(walk).toContain(first(full, 'diagnose a login problem'));
  });
});

describe('learned layer: a question that names a procedure is no instruction to run it', () => {
  // Only "fail over to eu-west-1 now", "rollback after failed deploy" (an instruction, config.ts
  // IMPERATIVE_PROCEDURE) keep the procedure they name against what askers taught; a question about it
  // takes the section askers of it were answered by (over batches 4-137 scored fresh: top-1 +23).
  it.each([
    ['who makes the call to fail over to eu-west-1', 'DR_FAILOVER.md#manual-operational-decision'],
    [
      'can i approve a failover checklist that I kicked off myself',
      'PROMOTION.md#sign-off-roles-for-approval-gates',
    ],
  ])('"%s" → %s', (q, section) => {
    expect(first(full, q)).toBe(section);
  });
});
