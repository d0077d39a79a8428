/**
 * Found in a review (helper-222) of what an on-call engineer types during the DR failover: whether to fail
 * over was answered with the procedure the learned layer lifted over the criteria the ranking's decision
 * rules chose (now a question whether to act keeps the ranking's answer, engine.ts `asksDecision`), and
 * "…, fail over or not" was read as an instruction to run it (rank.ts: a decision question is none).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../../src/runbooks/model/model';
import { firstAnswer as first, loadRankingArtifact, loadTestArtifact } from '../../helpers/artifact';

let full: Artifact;
let alone: Artifact;
beforeAll(async () => {
  full = await loadTestArtifact();
  alone = await loadRankingArtifact();
});

describe('learned layer: whether to fail over is answered with the criteria, not the procedure', () => {
  // The criteria say when not to fail over (a bad release, a Cognito-only problem, an eu-west-1 outage);
  // the learned layer lifts the procedure (learned 0.65) over them, undoing kinds.ts's decision rule.
  for (const q of [
    'cape town is down, should we fail over',
    'cape town is down, do we fail over',
    'cape town is down, do we need to fail over',
    'whole region is gone, do we fail over',
  ]) {
    it(`"${q}" is Manual: operational decision`, () => {
      expect(first(alone, q)).toBe('DR_FAILOVER.md#manual-operational-decision');
      expect(first(full, q)).toBe('DR_FAILOVER.md#manual-operational-decision');
    });
  }
});

describe('ranking: "…, fail over or not" asks whether to (DECISION_INTENT), it is no instruction', () => {
  it('"cape town is down, fail over or not" is Manual: operational decision', () => {
    const q = 'cape town is down, fail over or not';
    // Was: the failover procedure in both (IMPERATIVE_PROCEDURE matches ", fail over" and adds its boost,
    // rank.ts: only a bare "…, fail over?" suppresses the instruction, not DECISION_INTENT's "or not").
    expect(first(alone, q)).toBe('DR_FAILOVER.md#manual-operational-decision');
    expect(first(full, q)).toBe('DR_FAILOVER.md#manual-operational-decision');
  });
});
