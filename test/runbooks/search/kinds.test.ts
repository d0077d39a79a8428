/**
 * What kind of section a query wants (search/kinds.ts), shown on a made-up runbook so the rules are seen to
 * come from its structure (a symptom's "What you see", numbered steps, a decision heading, a table stating
 * the regions' roles), not from this repository's sections; on the runbooks, each rule is also switched off
 * (its tuning neutral) to show it is what decides.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import type { Artifact } from '../../../src/runbooks/model/model';
import { metAroundFailover } from '../../../src/runbooks/search/kinds';
import { prepareQuery } from '../../../src/runbooks/search/query';
import { createSearch, DEFAULT_TUNING, type SearchTuning } from '../../../src/runbooks/search/search';
import { loadRankingArtifact } from '../../helpers/artifact';

const RUNBOOK = `# Shop runbook

## Service map
<!-- bot: keywords="service map overview" -->

| Layer | ap-southeast-2 (active) | ap-southeast-4 (warm standby) |
|---|---|---|
| API | Lambda checkout, 10 provisioned | Lambda checkout, 1 provisioned |
| Data | DynamoDB replica | DynamoDB replica |

## Latency targets
<!-- bot: keywords="latency targets baseline checkout ttfb p95" -->

| Metric | Target |
|---|---|
| Checkout TTFB p95 | under 300 ms |
| Checkout total p95 | under 2 s |

## Checkout problems

### "Checkout slow" — cold starts
<!-- bot: keywords="checkout slow cold start ttfb" -->

#### What you see

- The checkout page shows a spinner; TTFB p95 of checkout above 300 ms.

#### Fix

Raise provisioned concurrency on the checkout function.

## Region move criteria
<!-- bot: keywords="decision when to move region" -->

Move traffic to ap-southeast-4 only when ap-southeast-2 is down for 10 minutes and a fix is not working.
Never for a bad release.

## Region move
<!-- bot: checklist=move command="move region" title="Move the region" -->

Moving checkout traffic from ap-southeast-2 to ap-southeast-4.

### Step 1: Confirm the active region is down

Check the checkout health in ap-southeast-2 (Sydney) and in ap-southeast-4 (Melbourne) before moving.

### Step 2: Switch traffic to Melbourne

Turn the switch off; checkout traffic goes to ap-southeast-4.
`;

let artifact: Artifact;
beforeAll(async () => {
  artifact = await compileRunbookSources([{ file: 'SHOP.md', source: RUNBOOK }], { skipTrees: true });
});

const top = (query: string, tuning: Partial<SearchTuning> = {}) =>
  createSearch(artifact, { ...DEFAULT_TUNING, ...tuning }).search(query).results[0]?.section.anchor;

describe('what kind of section a query wants, on a made-up runbook', () => {
  it('a reported reading is the symptom whose What you see names it; a question about the target is not', () => {
    expect(top('checkout TTFB is 900ms')).toBe('checkout-slow--cold-starts');
    expect(top('checkout ttfb terrible')).toBe('checkout-slow--cold-starts');
    expect(top('what is the checkout ttfb target')).toBe('latency-targets');
  });

  it('a question of fact about the regions is the table that states their roles, not a step naming them', () => {
    expect(top('which region is active')).toBe('service-map');
    expect(top('what do we run in Melbourne')).toBe('service-map');
    expect(top('what do we have in Melbourne')).toBe('service-map');
    // "run" is one of the words the compiler gives a table of the regions' roles (config.ts HOSTING_WORDS):
    // without "run", the rule is what decides.
    expect(top('what do we have in Melbourne', { regionFactBoost: 0, factStepDemotion: 1 })).not.toBe(
      'service-map',
    );
    // Asking how to do it is not a question of fact: the procedure answers.
    expect(top('how do we move region to Melbourne')).toMatch(
      /^(region-move|step-2-switch-traffic-to-melbourne)$/,
    );
  });

  it('a question whether to act is the section whose headings hold the decision; without asking, the procedure', () => {
    expect(top('bad release in Sydney, do we move region')).toBe('region-move-criteria');
    expect(top('move region')).toBe('region-move');
  });
});

describe('what kind of section a query wants, on the runbooks (each rule switched off changes the answer)', () => {
  let real: Artifact;
  beforeAll(async () => {
    real = await loadRankingArtifact();
  });
  const first = (query: string, tuning: Partial<SearchTuning> = {}) =>
    createSearch(real, { ...DEFAULT_TUNING, ...tuning }).search(query).results[0]?.section.id;

  it('"TTFT p95 is 4 seconds" and "LCP went from 2s to 5s" are symptoms, not the Performance baseline table', () => {
    expect(first('TTFT p95 is 4 seconds')).toBe('TROUBLESHOOTING.md#slow-generation--model-latency');
    expect(first('TTFT p95 is 4 seconds', { sightedBoost: 0 })).toBe('PROMOTION.md#performance-baseline');
    expect(first('LCP went from 2s to 5s')).toBe('TROUBLESHOOTING.md#page-load-slow--bundle-size');
    // The symptom's title names LCP: the graded title match (titleShareBoost) alone also prefers it.
    expect(first('LCP went from 2s to 5s', { sightedBoost: 0, titleShareBoost: 0 })).toBe(
      'PROMOTION.md#performance-baseline',
    );
    // Spelled out, a web-performance metric means what its acronym means.
    expect(first('time to first byte is 2 seconds')).toBe('TROUBLESHOOTING.md#page-load-slow--bundle-size');
  });

  it('"is the backup region on the same release" (a state, no problem) is the regions table, not the procedure', () => {
    const q = 'is the backup region on the same release as prod';
    expect(first(q)).toBe('DR_FAILOVER.md#regions-and-roles');
    // Without the demotion the failover procedure or one of its numbered steps would answer.
    expect(first(q, { factStepDemotion: 1 })).toMatch(/^DR_FAILOVER\.md#(failover-procedure|step-\d)/);
  });

  it('"how does the deploy pipeline work" is the page that describes it, not a symptom of its failing', () => {
    expect(first('how does the deploy pipeline work')).toBe('ARCHITECTURE.md#deploy-flow');
    expect(first('how does token refresh work')).toBe('ARCHITECTURE.md#authentication-flow');
    // Without the demotion the family of deploy symptoms and the token symptom answer.
    expect(first('how does the deploy pipeline work', { factStepDemotion: 1 })).toBe(
      'TROUBLESHOOTING.md#deployment-issues',
    );
    expect(first('how does token refresh work', { factStepDemotion: 1 })).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
    // A problem reported with it is a symptom again; asking how to act asks for the procedure.
    expect(first('how does the deploy pipeline work, its been stuck for an hour')).toBe(
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    );
    expect(first('how do i fix the deploy pipeline')).not.toBe('ARCHITECTURE.md#deploy-flow');
  });

  it('"should we fail over for a bad deploy" is the decision criteria, not the rollback', () => {
    expect(first('should we fail over for a bad deploy')).toBe('DR_FAILOVER.md#manual-operational-decision');
    // Without the boost, and without the procedure giving way to its criteria, the rollback answers.
    expect(first('should we fail over for a bad deploy', { decisionBoost: 0, factStepDemotion: 1 })).toBe(
      'DEPLOYMENT.md#rollback',
    );
  });

  it('"what sev would that be if half the logins fail" is the severity table, not the symptom it describes', () => {
    expect(first('what sev would that be if half the logins fail')).toBe('OPERATIONS.md#severity-levels');
    expect(first('what sev would that be if half the logins fail', { scaleBoost: 0 })).toBe(
      'TROUBLESHOOTING.md#invalid-response--prompt-issues',
    );
  });

  it('"what is our primary region" is a table of the regions, not a failback step', () => {
    const regions = ['DR_FAILOVER.md#regions-and-roles', 'ARCHITECTURE.md#regions'];
    expect(regions).toContain(first("what's our primary region again"));
    expect(first("what's our primary region again", { factStepDemotion: 1, regionFactBoost: 0 })).toBe(
      'DR_FAILOVER.md#step-1-confirm-the-primary-region-is-healthy',
    );
    expect(regions).toContain(first('why does generation go to Ireland when the API is in South Africa'));
    // (Since a command's region codes are no longer indexed, that one finds the tables without the rule.)
    const running = 'does generation still run in Dublin while we serve from Cape Town';
    expect(regions).toContain(first(running));
    expect(regions).not.toContain(first(running, { regionFactBoost: 0 }));
  });
});

describe('an everyday subject beside a reported problem (the off-topic rule)', () => {
  let search: ReturnType<typeof createSearch>;
  beforeAll(async () => {
    search = createSearch(await loadRankingArtifact());
  });
  const answer = (q: string) => search.search(q).results[0]?.section.id;

  it('is the situation of an incident the product’s words describe, and answers with its symptom', () => {
    expect(answer('generation stream drops on hotel wifi')).toBe(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
    expect(answer('customers on VPN get 403 access denied')).toBe(
      'TROUBLESHOOTING.md#access-denied--tenant-mismatch',
    );
  });

  it('is what the question is about when the rest is generic or the device is the asker’s own', () => {
    expect(answer('the office wifi connection keeps dropping')).toBeUndefined();
    expect(answer('my hotel wifi drops the generation stream')).toBeUndefined();
    expect(answer('the printer queue is stuck on one job')).toBeUndefined();
  });

  it('personal finance and the economy are subjects of their own (found in a review, helper-225)', () => {
    // Were: Failover switch ("calculated" health check) and Bedrock access denied (Marketplace).
    expect(answer('how are taxes calculated')).toBeUndefined();
    expect(answer('how does the stock market work')).toBeUndefined();
  });
});

describe('idioms across stop words', () => {
  it('read "flip us over" as "flip over" and "move everything back" as "move back"', () => {
    const vocabulary = { synonyms: artifact.search.synonyms, stopWords: artifact.search.stopWords };
    const words = (q: string) => prepareQuery(q, vocabulary).groups.map((g) => g.word);
    expect(words('flip us over to the DR side')).toContain('flip over');
    expect(words('move everything back to Cape Town')).toContain('move back');
    // As typed first: "fail over" stays one idiom in "fail over now".
    expect(words('fail over now')).toContain('fail over');
  });
});

describe('a problem met around a failover (metAroundFailover)', () => {
  it('reads a failover or failback, or serving from a region or the DR side, and nothing else', () => {
    const vocabulary = { synonyms: artifact.search.synonyms, stopWords: artifact.search.stopWords };
    const met = (q: string) => metAroundFailover(prepareQuery(q, vocabulary));
    expect(met("since the failback they can't sign in")).toBe(true);
    expect(met("people who signed up while we ran out of Ireland can't log in")).toBe(true);
    expect(met('errors while we were serving from eu-west-1')).toBe(true);
    expect(met('we were on the DR side when she changed her password')).toBe(true);
    // Running out of something, or running from a laptop, is no region serving.
    expect(met('generate ran out of memory mid-stream')).toBe(false);
    expect(met('the smoke test running from my laptop gets 401')).toBe(false);
    expect(met('users were on the old version and got errors')).toBe(false);
  });
});
