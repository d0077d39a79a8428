/**
 * Found in a review (helper-225) of be271a9 (config.ts EXPLANATION_INTENT, kinds.ts asksHowItWorks /
 * preferExplanations, engine.ts keeping the ranking's order for it): incident reports read as a question of
 * how something works, so the symptom is demoted and what the learned layer knew of it is thrown away.
 * `full`: the runbooks with the learned layer (loadTestArtifact).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../../src/runbooks/model/model';
import { firstAnswer as first, loadTestArtifact } from '../../helpers/artifact';

let full: Artifact;
beforeAll(async () => {
  full = await loadTestArtifact();
});

describe('"explain" before an error is asking what the error means: the symptom that quotes it', () => {
  const throttling = 'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling';
  it('"explain ThrottlingException from bedrock" is the Generation timeout symptom', () => {
    // Without "explain" (or as "what does … mean") the symptom answers.
    expect(first(full, 'ThrottlingException from bedrock')).toBe(throttling);
    expect(first(full, 'what does ThrottlingException from bedrock mean')).toBe(throttling);
    // Was (before be271a9) the symptom; now Capacity and delivery, the daily dashboard review.
    expect(first(full, 'explain ThrottlingException from bedrock')).toBe(throttling);
  });

  it('"explain rate exceeded" is the Generation timeout symptom (the learned layer said so at 0.43)', () => {
    expect(first(full, 'explain rate exceeded')).toBe(throttling);
  });
});

describe('a symptom reported as "how do users get …" is the symptom', () => {
  it('"how do users get redirected back to the login page" is Token expired, not the UAT step list', () => {
    // "…the user is sent back to sign-in" (its What you see); the learned layer finds it 0.91 probable, and
    // engine.ts drops that for the ranking's order (asksExplanation): PROMOTION.md#user-acceptance.
    expect(first(full, 'how do users get bounced back to the login page')).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
    expect(first(full, 'how do users get redirected back to the login page')).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
  });
});

describe('the primary region reported unavailable is an outage, not a question of architecture', () => {
  it('"how are users served while af-south-1 is unavailable" is the failover, not engineers\' access', () => {
    // Was (before be271a9) the failover procedure; now Access during a regional outage (how engineers reach
    // AWS), the failover gone from the top three: "unavailable" is no problem word (asksHowItWorks).
    expect(first(full, 'how are users served while af-south-1 is unavailable')).toMatch(
      /^DR_FAILOVER\.md#(failover-procedure|manual-operational-decision|failover-triggers|step-)/,
    );
  });
});
