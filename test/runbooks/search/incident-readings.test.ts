/**
 * Readings and places a query reports, answered from what the runbooks themselves say (search/kinds.ts,
 * compile/region-roles.ts, compile/search-index.ts): an HTTP status the What you see names, a wait and
 * the symptom that states a duration, an alarm's name, a place by what each region hosts; and everyday
 * words that say when ("after lunch") or what the question is about ("request a new laptop"). Shown on a
 * made-up runbook, so the rules are seen to come from its text, and on the runbooks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { PROBLEM_WORDS } from '../../../src/runbooks/compile/search-terms';
import type { Artifact } from '../../../src/runbooks/model/model';
import { createSearch, DEFAULT_TUNING, type SearchTuning } from '../../../src/runbooks/search/search';
import { loadRankingArtifact } from '../../helpers/artifact';

const RUNBOOK = `# Shop runbook

## Service map
<!-- bot: keywords="service map overview" -->

| Layer | ap-southeast-2 (active) | ap-southeast-4 (warm standby) |
|---|---|---|
| Storefront | Lambda storefront, 10 provisioned | Lambda storefront, 1 provisioned |
| Ledger data | DynamoDB replica | DynamoDB replica |

## Checkout problems

### "Signed out" — session refresh
<!-- bot: keywords="signed out session refresh" -->

#### What you see

- Shoppers are sent back to the sign-in page; checkout API calls return 401.

#### Fix

Check the refresh token lifetime.

### "Request lost" — basket stream
<!-- bot: keywords="request lost basket stream" -->

#### What you see

- The basket stream request ends and the basket is empty; every request after it is fine.

#### Fix

Check the basket stream.

### "Checkout delayed" — cold starts
<!-- bot: keywords="checkout delayed cold start" -->

#### What you see

- The checkout page shows the basket after more than 8 seconds.

#### Fix

Raise provisioned concurrency on the checkout function.

### "Checkout broken" — bad release
<!-- bot: keywords="checkout broken bad release" -->

#### What you see

- The checkout page shows a blank basket after a release.

#### Fix

Roll back the release.

## Nightly export

The ledger data lives in the export bucket: the ledger data export runs nightly.

## Region move
<!-- bot: alarms="storefront-5xx" -->

Moving storefront traffic from ap-southeast-2 to ap-southeast-4 when the storefront fails.
`;

let artifact: Artifact;
beforeAll(async () => {
  artifact = await compileRunbookSources([{ file: 'SHOP.md', source: RUNBOOK }], { skipTrees: true });
});

const top = (query: string, tuning: Partial<SearchTuning> = {}) =>
  createSearch(artifact, { ...DEFAULT_TUNING, ...tuning }).search(query).results[0]?.section.anchor;

const explained = (query: string, tuning: Partial<SearchTuning> = {}) =>
  createSearch(artifact, { ...DEFAULT_TUNING, ...tuning }).search(query, { explain: true }).explain ?? [];
const ranked = (query: string, tuning: Partial<SearchTuning> = {}) =>
  explained(query, tuning).map((e) => e.id);
const relevance = (query: string, id: string, tuning: Partial<SearchTuning> = {}) =>
  explained(query, tuning).find((e) => e.id === id)?.relevance ?? Number.NaN;

describe('readings a query reports, on a made-up runbook', () => {
  it('an HTTP status said in words is the symptom whose What you see names its code, twice a word seen', () => {
    const q = 'unauthorized on every request';
    expect(top(q)).toBe('signed-out--session-refresh');
    const gain = (id: string) => relevance(q, id) - relevance(q, id, { sightedBoost: 0 });
    // "request" is seen in Request lost's What you see; the status (401) in Signed out's, counted double.
    expect(gain('SHOP.md#request-lost--basket-stream')).toBeCloseTo(DEFAULT_TUNING.sightedBoost);
    expect(gain('SHOP.md#signed-out--session-refresh')).toBeCloseTo(2 * DEFAULT_TUNING.sightedBoost);
  });

  it('a wait reported in plain words ranks first the symptom whose What you see states how long', () => {
    expect(ranked('checkout page basket spins')[0]).toBe('SHOP.md#checkout-delayed--cold-starts');
    const without = ranked('checkout page basket spins', { sightedBoost: 0 });
    // Without the reading, the symptom with a blank basket (no duration) ranks first.
    expect(without[0]).toBe('SHOP.md#checkout-broken--bad-release');
  });

  it("a section's alarm names are its keywords", () => {
    expect(top('storefront 5xx')).toBe('region-move');
  });
});

describe('places, on a made-up runbook', () => {
  it('a place we never use is a question about our regions beside a hosting word, and no answer alone', () => {
    expect(top('is anything of ours hosted in Frankfurt')).toBe('service-map');
    expect(top('the weather in Frankfurt')).toBeUndefined();
    expect(top('the time in Frankfurt')).toBeUndefined();
  });

  it('"where does X live" is the table of what each region hosts', () => {
    expect(top('where does the ledger data live')).toBe('service-map');
    expect(top('where does the ledger data live', { regionFactBoost: 0 })).not.toBe('service-map');
  });
});

describe('everyday words, on the runbooks', () => {
  let search: ReturnType<typeof createSearch>;
  beforeAll(async () => {
    search = createSearch(await loadRankingArtifact());
  });
  const answer = (q: string) => search.search(q).results[0]?.section.id;

  it('after a preposition of time an everyday word says when, not what the question is about', () => {
    expect(answer('unauthorized on every request after lunch')).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
    expect(answer('book a table for lunch')).toBeUndefined();
  });

  it("the preposition of a phrase says no time: the platform after 'fail over' is the question's subject", () => {
    expect(answer('how do I fail over an Azure Front Door origin to a secondary region')).toBeUndefined();
    expect(answer('how do I fail over to the secondary region')).toBe('DR_FAILOVER.md#failover-procedure');
  });

  it("an everyday subject a section speaks of in the plural is held by it, unless it is the asker's own", () => {
    expect(answer('is a public holiday ok for a prod release')).toBe('PROMOTION.md#approvals-obtained');
    expect(answer('approve my holiday request')).toBeUndefined();
    expect(answer('check the api from my laptop after the failover')).toBe(
      'DR_FAILOVER.md#step-4-verify-failover-site',
    );
  });

  it('a product named in CamelCase is a product, not an error code that makes the query pasted output', () => {
    expect(answer('GitLab CI job stuck on pending, no runners available')).toBeUndefined();
    expect(answer('ValidationException when the deploy job calls CloudFormation')).toBeDefined();
  });

  it('an everyday subject with at most one other known word is the question, even if a section names it', () => {
    expect(answer('request a new laptop')).toBeUndefined();
    expect(answer('check the api from my laptop after the failover')).toBe(
      'DR_FAILOVER.md#step-4-verify-failover-site',
    );
  });

  it('every error status is a reported problem, by code, plural or one-word name', () => {
    for (const w of ['401', '403s', '429', 'forbidden', 'unauthorized', '504s'])
      expect(PROBLEM_WORDS).toContain(w);
    expect(PROBLEM_WORDS).not.toContain('200');
  });
});
