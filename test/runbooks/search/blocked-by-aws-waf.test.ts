/**
 * "Blocked by AWS WAF — managed rule false positive" (TROUBLESHOOTING.md): phrasings written for this test,
 * not eval queries. Access denied must keep the plain 403 questions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadTestArtifact } from '../../helpers/artifact';

let search: RunbookSearch;
beforeAll(async () => {
  search = createSearch(await loadTestArtifact());
});

const top = (q: string) => {
  const r = search.search(q, { limit: 1 });
  return r.confident ? r.results.map((x) => x.section.id) : [];
};

const WAF = 'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive';

describe('a request blocked by AWS WAF', () => {
  it.each([
    'waf is blocking one of our tenants',
    'BlockedRequests spiking on the web acl, real customer blocked',
    "managed rule false positive blocking a customer's save",
  ])('answers %s with the WAF section', (q) => {
    expect(top(q)).toEqual([WAF]);
  });

  it('leaves a plain 403 on a tenant site to Access denied', () => {
    expect(top('customer gets 403 forbidden on their own site')).toEqual([
      'TROUBLESHOOTING.md#access-denied--tenant-mismatch',
    ]);
  });
});
