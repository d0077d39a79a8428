/**
 * The words of an incident (issue 20): pasted log lines reduced to what can match, the vocabulary tables
 * compiled into synonyms, and confidence that needs the informative part of a query covered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { buildSynonyms } from '../../../src/runbooks/compile/terms/index';
import { AWS_REGIONS } from '../../../src/runbooks/compile/terms/regions';
import type { Artifact } from '../../../src/runbooks/model/model';
import { camelWords, informativeTokens, reduceLogLine } from '../../../src/runbooks/search/log-line';
import { MAX_QUERY_CHARS, MAX_WORDS, prepareQuery } from '../../../src/runbooks/search/query';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadRankingArtifact } from '../../helpers/artifact';

let artifact: Artifact;
let search: RunbookSearch;
beforeAll(async () => {
  artifact = await loadRankingArtifact();
  search = createSearch(artifact);
});

describe('a pasted log line', () => {
  it('loses timestamps, ids, ARNs’ accounts, hex, paths and measurements, and keeps names, codes and words', () => {
    const line =
      '2026-11-03T02:14:55.123Z 3f2a1c9e-88b1-4c1e-9d7e-0a1b2c3d4e5f ERROR Invoke error {"errorType":"ThrottlingException","errorMessage":"Too many tokens"} arn:aws:lambda:af-south-1:333333333333:function:sitecraft-prod-generate c0ffee12 /usr/local/bin/python Duration: 8412.33 ms';
    const reduced = reduceLogLine(line);
    for (const gone of [
      '2026-11-03',
      '3f2a1c9e',
      '333333333333',
      'c0ffee12',
      '/usr/local',
      '8412.33',
      'errorType',
    ])
      expect(reduced).not.toContain(gone);
    for (const kept of [
      'ThrottlingException',
      'Too many tokens',
      'sitecraft-prod-generate',
      'python',
      'lambda',
    ])
      expect(reduced).toContain(kept);
  });

  it("drops packages' versions and keeps their names (npm, pip, a lock file)", () => {
    const reduced = reduceLogLine(
      'npm error While resolving: sitecraft-web@1.4.2 Found: react@18.3.1 peer @headlessui/react@^1.7.19 (node v20.11.1, 2.0.0-rc.1)',
    );
    for (const gone of ['1.4.2', '18.3.1', '1.7.19', '20.11.1', '2.0.0', 'rc.1'])
      expect(reduced).not.toContain(gone);
    for (const kept of ['sitecraft-web', 'react', '@headlessui/react', 'node'])
      expect(reduced).toContain(kept);
    // Two parts are a decimal (a log measurement), not a version: the existing rule, unchanged.
    expect(reduceLogLine('Max Memory Used: 1024 MB of 1.5 limit')).not.toContain('1.5');
    // Region codes and plain numbers stay.
    expect(reduceLogLine('eu-west-1 returned 503 at 1.2.3.4.5x')).toContain('eu-west-1 returned 503');
  });

  it("keeps an API route's words without its host, and only a file path's last part", () => {
    // `/v1/health/deep` names what was called, as a URL's path does; its version is no word.
    expect(reduceLogLine('/v1/health/deep on api-af-south-1 gives 200 now but was 503')).toBe(
      'health deep on api-af-south-1 gives 200 now but was 503',
    );
    expect(reduceLogLine('tail /var/log/sitecraft/server.log shows 503')).toBe('tail server.log shows 503');
  });

  it("keeps a URL's host without its top-level domain, and its path's words", () => {
    expect(reduceLogLine('prod is down http://evil.example')).toBe('prod is down evil');
    expect(
      reduceLogLine('curl https://d-8hz3w5n1rb.execute-api.eu-west-1.amazonaws.com/v1/health/deep'),
    ).toBe('curl d-8hz3w5n1rb.execute-api.eu-west-1.amazonaws health deep');
    expect(reduceLogLine('https://localhost:8443/status')).toBe('localhost status');
  });

  it('leaves a typed question alone, thresholds and HTTP statuses included', () => {
    expect(reduceLogLine('lots of 504s since this morning')).toBe('lots of 504s since this morning');
    expect(reduceLogLine('errors above 20% for 15 minutes')).toBe('errors above 20% for 15 minutes');
  });

  it('searches exception names and codes first, and an unknown exception also as its words', () => {
    expect([...informativeTokens('npm ERR! code ERESOLVE, JWT and TENANT_MISMATCH, E401').keys()]).toEqual([
      'eresolve',
      'tenant_mismatch',
      'e401',
    ]);
    expect(camelWords('ProvisionedThroughputExceededException')).toBe('provisioned throughput exceeded');
    const q = prepareQuery('some words before it SomeOddNewException happened', {
      synonyms: {},
      stopWords: [],
    });
    expect(q.groups[0]).toMatchObject({
      word: 'someoddnewexception',
      code: true,
      alternatives: [['some', 'odd', 'new']],
    });
    expect(q.pasted).toBe(true);
  });

  it('takes a state printed in capitals for a word, and keeps a code that comes after a long paste is cut', () => {
    expect([
      ...informativeTokens('"Status": "FAILED", "StatusReason": "FUNCTION_ERROR_INIT_FAILURE"').keys(),
    ]).toEqual(['statusreason', 'function_error_init_failure']);
    expect([...informativeTokens('npm error code ERESOLVE; UPDATE_ROLLBACK_FAILED').keys()]).toEqual([
      'eresolve',
      'update_rollback_failed',
    ]);
    const long = `${'some words of a long listing '.repeat(12)}"StatusReason": "FUNCTION_ERROR_INIT_FAILURE"`;
    expect(long.length).toBeGreaterThan(MAX_QUERY_CHARS);
    const q = prepareQuery(long, { synonyms: {}, stopWords: ['of', 'a'] });
    expect(q.groups[0]).toMatchObject({ code: true });
    expect(q.groups.map((g) => g.word)).toContain('function_error_init_failure');
  });

  it('searches a question passed on without who passed it on, and keeps words that only look like it', () => {
    const vocabulary = { synonyms: {}, stopWords: ['if', 'the', 'a', 'we', 'can', 'do', 'i', 'how', 'here'] };
    const words = (query: string) => prepareQuery(query, vocabulary).groups.map((g) => g.word);
    expect(words('marketing asks if customers can still generate sites')).toEqual([
      'customers',
      'still',
      'generate',
      'sites',
    ]);
    expect(words("CS asking: do customers' published websites go offline")).toEqual([
      'customers',
      'published',
      'websites',
      'go',
      'offline',
    ]);
    expect(words('support lead: users locked out')).toEqual(['users', 'locked', 'out']);
    expect(words("a tenant's lawyer asks whether prompts leave africa")).toEqual([
      'prompts',
      'leave',
      'africa',
    ]);
    expect(words('customers keep asking whether pages disappear')).toEqual(['pages', 'disappear']);
    expect(words('new joiner here, how do i clear the cache')).toEqual(['clear', 'cache']);
    // A label that is no asker is part of the question; so is what a customer does without asking.
    expect(words('agent log: not authorized')).toEqual(['agent', 'log', 'not', 'authorized']);
    expect(words('morning check: 900 throttles')).toEqual(['morning', 'check', '900', 'throttles']);
    expect(words('customers say sites are down')).toEqual(['customers', 'say', 'sites', 'are', 'down']);
    // Too little left: the question is the whole of it.
    expect(words('support: outage')).toEqual(['support', 'outage']);
  });

  it('leaves out what a clause opened by "not" rules out, but not "not only", a symptom or quoted output', () => {
    const vocabulary = {
      synonyms: {},
      stopWords: ['the', 'a', 'i', 'want', 'on', 'of', 'them', 'its', 'is'],
    };
    const words = (query: string) => prepareQuery(query, vocabulary).groups.map((g) => g.word);
    expect(words('every generation fails, not throttling')).toEqual(['every', 'generation', 'fails', 'not']);
    expect(words('failing since 3am, not rate limiting, agent says denied')).toEqual([
      'failing',
      'since',
      '3am',
      'not',
      'agent',
      'says',
      'denied',
    ]);
    expect(words('no, I want the RTO target, not the drill schedule')).toEqual([
      'no',
      'rto',
      'target',
      'not',
    ]);
    // The phrase ends where the next clause starts: the 403 is what is asked about.
    expect(words('its not a 500 its a 403')).toEqual(['not', '403']);
    expect(words('logs full of 429s, not all of them')).toEqual(['logs', 'full', '429s', 'not', 'all']);
    expect(words('login page, not loading')).toEqual(['login', 'page', 'not', 'loading']);
    expect(words('not READY after 10 minutes')).toEqual(['not', 'ready', 'after', '10', 'minutes']);
    // Pasted output keeps every word; a "not" inside a clause is the report itself.
    expect(words('ERROR 403 NO_DATA: not a pass')).toContain('pass');
    expect(words('the token is not refreshed')).toEqual(['token', 'not', 'refreshed']);
  });

  it('reads a phrasal verb split by its object as the idiom, and keeps the object a word', () => {
    const vocabulary = {
      synonyms: {
        'roll back': 'rollback',
        'scale down': 'standby capacity',
        'back down': 'standby capacity',
      },
      stopWords: ['the', 'after', 'we'],
    };
    const words = (query: string) => prepareQuery(query, vocabulary).groups.map((g) => [g.word, g.idiom]);
    expect(words('roll the frontend back')).toEqual([
      ['roll back', true],
      ['frontend', false],
    ]);
    // The particle's own idiom means the same: the verb joins it rather than standing alone.
    expect(words('scale ireland back down')).toEqual([
      ['ireland', false],
      ['scale back down', true],
    ]);
    // A verb the table pairs with no particle that follows stays a word.
    expect(words('roll the frontend forward')).toEqual([
      ['roll', false],
      ['frontend', false],
      ['forward', false],
    ]);
  });
});

describe('the vocabulary tables', () => {
  it('name every region by code, console name and place, both ways', () => {
    const synonyms = buildSynonyms({});
    expect(AWS_REGIONS.length).toBeGreaterThanOrEqual(34);
    expect(synonyms['ireland']).toContain('=eu-west-1');
    expect(synonyms['cape town']).toContain('=af-south-1');
    expect(synonyms['europe ireland']).toContain('=eu-west-1');
    expect(synonyms['eu-west-1']).toContain('ireland');
    expect(synonyms['europe']?.split(', ')).toEqual(expect.arrayContaining(['eu-west-1', 'eu-central-1']));
  });

  it('turn HTTP statuses, AWS error names and acronyms into the words runbooks use', () => {
    const synonyms = buildSynonyms({});
    expect(synonyms['504s']).toContain('=504');
    expect(synonyms['gateway timeout']).toContain('=504');
    expect(synonyms['provisionedthroughputexceededexception']).toContain('dynamodb throttling');
    expect(synonyms['lcp']).toContain('largest contentful paint');
    expect(synonyms['largest contentful paint']).toContain('=lcp');
    expect(synonyms['init duration']).toContain('cold start');
    // Terraform's S3-native lock file is the state lock (a cache purge is not what "nuke the tflock" asks).
    expect(synonyms['tflock']).toContain('state lock');
  });

  it('read each region’s role from the runbooks’ failover records', () => {
    expect(artifact.search.synonyms['cape town']).toContain('primary');
    expect(artifact.search.synonyms['ireland']).toContain('dr region');
  });
});

describe('answers and refusals', () => {
  const top = (q: string) => {
    const r = search.search(q);
    return r.confident ? r.results[0]?.section.id : null;
  };

  it('answers incident phrasings with the section that fixes them', () => {
    expect(
      top(
        '2026-11-03T02:14:55.123Z 3f2a1c9e-88b1-4c1e-9d7e-0a1b2c3d4e5f ERROR {"errorType":"ThrottlingException","errorMessage":"Too many tokens, please wait before trying again."}',
      ),
    ).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
    // Bedrock refusing the model itself: its own section, not the app's "Access denied" page.
    expect(
      top(
        "botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the ConverseStream operation: You don't have access to the model with the specified model ID.",
      ),
    ).toBe('TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam');
    expect(
      top(
        'User: arn:aws:sts::333333333333:assumed-role/sitecraft-prod-agent/abc is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:eu-west-1::foundation-model/x because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action',
      ),
    ).toBe('TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam');
    expect(top('lots of 504s from the api after a quiet period')).toBe(
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    );
    expect(top('Cape Town region is having an outage, move the api to Europe')).toBe(
      'DR_FAILOVER.md#failover-procedure',
    );
    expect(top('the deploy pipeline is wedged')).toBe(
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    );
    expect(top('users keep getting booted out every hour')).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
  });

  it('answers pasted output by the error codes it holds, whatever else the logger printed', () => {
    // The logger's own words ("processing", "exceed", "maximum") would dilute coverage; the code decides.
    // (The symptom, or the how-to that waits for invalidations in progress: both hold the code.)
    expect([
      'TROUBLESHOOTING.md#site-not-updating--cache-invalidation',
      'OPERATIONS.md#invalidate-the-cloudfront-cache',
    ]).toContain(
      top(
        'TooManyInvalidationsInProgress: Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations',
      ),
    );
    // A code the runbooks do not know decides nothing.
    expect(
      top('An error occurred (QuantumFluxCapacitorException) when calling the Warp operation'),
    ).toBeNull();
  });

  it('says "no good match" when only an everyday word is shared, and suggests the closest sections', () => {
    for (const q of ['approve my holiday request', 'tokens for the vending machine', 'banana phone']) {
      const r = search.search(q);
      expect(r.confident, q).toBe(false);
      expect(r.suggestions.length, q).toBeGreaterThan(0);
    }
    const banana = search.search('banana phone');
    expect(banana.suggestions.map((s) => s.id)).toContain('OPERATIONS.md#escalation-contacts');
    // One everyday word the runbooks use only in running text ("…which tenants report"): nothing is about
    // it. One they make a topic (a title, keywords) is theirs to answer.
    for (const q of ['report', 'the report', 'reported']) expect(search.search(q).confident, q).toBe(false);
    expect(search.search('security').confident).toBe(true);
    expect(top('slow')).toMatch(/slow/);
    // Nothing close at all: the runbooks, the one with the most symptoms first.
    expect(search.search('zzqx wwvy').suggestions[0]?.id).toBe('TROUBLESHOOTING.md#troubleshooting-runbook');
  });

  it('says "no good match" for an everyday-life subject the runbooks mention only in passing, not where it is their topic', async () => {
    // The runbooks mention public holidays once, in a change window; the question is about a holiday.
    expect(search.search('approve my holiday request').results).toEqual([]);
    const source = (heading: string) => ({
      file: 'OPS.md',
      source: `# Ops\n\n## Release approvals\n\nApprove each release request; no releases on public holidays.\n\n## ${heading}\n\nRefill the beans and descale it weekly.\n`,
    });
    const incidental = createSearch(
      await compileRunbookSources([source('Machine care')], { skipTrees: true }),
    );
    expect(incidental.search('approve my holiday request').confident).toBe(false);
    expect(incidental.search('approve the release request').confident).toBe(true);
    // Where the runbooks make it a topic (a heading), it is theirs to answer.
    const topic = createSearch(await compileRunbookSources([source('Coffee machine')], { skipTrees: true }));
    expect(topic.search('coffee machine descale').results[0]?.section.id).toBe('OPS.md#coffee-machine');
    expect(incidental.search('coffee machine descale').confident).toBe(false);
  });
});

describe('what a query is about', () => {
  const top = (q: string) => {
    const r = search.search(q);
    return r.confident ? r.results[0]?.section.id : null;
  };

  it('is not what the asker rules out ("…, not rate limiting")', () => {
    expect(
      top(
        'generations failing since 3am, not rate limiting, retries change nothing, agent log says bedrock denied it',
      ),
    ).toBe('TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam');
  });

  it('is the symptom whose message the asker quotes the opening of, apostrophes and all, whatever the story', () => {
    expect(
      top("our account manager in a client meeting got 'we couldn't finish your site' twice in a row"),
    ).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
    expect(
      top("the receptionist at the dentist says 'we lost the connection to' keeps popping up on her laptop"),
    ).toBe('TROUBLESHOOTING.md#connection-lost--sse-failures');
  });

  it('is the step after the one the asker says is done, when they ask what comes next', () => {
    const firstTwo = (q: string) =>
      search
        .search(q)
        .results.slice(0, 2)
        .map((r) => r.section.id);
    expect(
      firstTwo("the switch is off and the name servers answer with the standby target, what's the next step"),
    ).toEqual(['DR_FAILOVER.md#step-4-verify-failover-site', 'DR_FAILOVER.md#step-3-update-route-53']);
    expect(top('the 30 minute canary window passed cleanly, next move')).toBe('PROMOTION.md#full-rollout');
    // What went wrong is the step's own business; a procedure as a whole has no step after it.
    expect(top('the sync printed FAIL marker not in af-south-1, next step?')).toBe(
      'DR_FAILOVER.md#step-2-synchronise-data',
    );
    expect(
      search.search('the switch is off and the name servers answer with the standby target').results[0]
        ?.section.id,
    ).toBe('DR_FAILOVER.md#step-3-update-route-53');
  });

  it('is one of its everyday subjects unless the answer itself speaks of it', () => {
    // Connection lost names laptop sleep among its likely causes; nothing answers a laptop's own sign-in.
    expect(top("the stream drops whenever the user's laptop goes to sleep")).toBe(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
    for (const q of [
      'my laptop keeps asking me to sign in again every hour',
      'reset my laptop password',
      'my VPN token expired, how do I get a new one',
      // What a service costs in general (off-topic.ts finance), not what ours spends.
      'what does lambda charge per million requests in eu-west-1',
      'cloudfront pricing for the africa edge locations',
    ])
      expect(top(q), q).toBeNull();
    expect(top('what does provisioned concurrency cost us')).toBe(
      'OPERATIONS.md#capacity-dependencies-and-cost',
    );
  });

  it('is another platform than ours when it names one the runbooks never do', () => {
    for (const q of [
      'cloudflare cache purge is taking forever',
      'kubectl rollout undo fails with no rollout history',
      'postgres replica is an hour behind the primary',
      // CI, alerting, app and AI platforms the runbooks never name.
      'jenkins build stuck waiting for an executor',
      'the openai api keeps throttling us with 429s',
      'helm rollback to the previous release',
      'prometheus alert stays firing after the silence expired',
      // Observability tools other than CloudWatch.
      'how do i silence a grafana alert during the maintenance window',
      'mute the datadog monitor for tonight',
    ])
      expect(top(q), q).toBeNull();
    // The same questions about our own platform are answered.
    expect(top('purge the cloudfront cache')).toBe('OPERATIONS.md#invalidate-the-cloudfront-cache');
    expect(top('bedrock keeps throttling us with 429s')).toBe(
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    );
  });

  it('is the section whose alarms= directive names the pasted alarm, whatever the stage prefix', () => {
    expect(top('ALARM: "sitecraft-prod-api-latency-p99" in Africa (Cape Town)')).toBe(
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    );
    expect(top('sitecraft-dev-bedrock-throttles is in alarm')).toBe(
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    );
  });

  it('is not when it started: "since this morning" is context', () => {
    // The daily checks are done in the morning; 403s since this morning are a symptom.
    expect(top('users get 403 since this morning')).toBe('TROUBLESHOOTING.md#access-denied--tenant-mismatch');
    expect(top('lots of 504s from the api since this morning')).toBe(
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    );
  });

  it('reads a time of night, chat exasperation and "single sign-on" as meant (development batch 130)', () => {
    // "in the middle of" is a stream cut (Connection lost); "the middle of the night" is only when.
    expect(top('every generation fails, even in the middle of the night when nobody is busy')).toBe(
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    );
    // Exasperation is nothing: it no longer leaves the query a word short of confident.
    expect(top('changes published an hour ago still not live smh')).toBe(
      'TROUBLESHOOTING.md#site-not-updating--cache-invalidation',
    );
    // The long form of SSO, hyphenated as usually written: IAM Identity Center's break-glass path.
    expect(top('how do I get into the AWS console when the single sign-on page will not load')).toBe(
      'OPERATIONS.md#break-glass-access-without-iam-identity-center',
    );
  });

  it('reads request shorthand, taking over the pager and an S3 refusal of the switch (development batch 131)', () => {
    // "reqs" is requests: the query is no longer a word short of confident.
    expect(top('waf blocking reqs from one customer again')).toBe(
      'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    );
    // Taking over on-call is the other side of handing it over.
    expect(top('taking over on-call from tomorrow, anything I should know')).toBe(
      'OPERATIONS.md#on-call-handover',
    );
    // Step 3's fallback names S3's own refusals of the switch write (its keywords hold the error codes).
    expect(
      top(
        'upload failed: - to s3://sitecraft-prod-dr-switch-eu-west-1/state An error occurred (SlowDown) when calling the PutObject operation',
      ),
    ).toBe('DR_FAILOVER.md#step-3-update-route-53');
  });

  it('reads what the AI produces as its output, and "instead" as nothing (development batch 131)', () => {
    const q = prepareQuery('the AI keeps producing garbage instead of a proper website', artifact.search);
    expect(q.groups.map((g) => g.word)).not.toContain('instead');
    expect(q.groups.find((g) => g.word === 'producing')?.alternatives.flat()).toContain('generating');
    expect(top('the AI keeps producing garbage instead of a proper website')).toBe(
      'TROUBLESHOOTING.md#invalid-response--prompt-issues',
    );
  });

  it('reads a dropped g, dying streams, a 500 as of its class (development batches 132 and 133)', () => {
    // "limitin" is no word of the runbooks; "limiting", stemmed, is.
    expect(top('bedrock rate limitin us badly rn')).toBe(
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    );
    expect(top('the sse stream keeps dyin on the corp vpn')).toBe(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
    // A status the runbooks name is also its class: the severity thresholds are written for 5xx.
    expect(top('at what share of 500s does it count as a sev1')).toBe('OPERATIONS.md#severity-levels');
  });

  it('leaves a pasted error beside another platform or an everyday subject to it (development batch 133)', () => {
    for (const q of [
      'Auth0 gives 429 on /oauth/token during the user import',
      'handover checklist for nurses at shift change',
      'warm standby generator for my house, worth it?',
    ])
      expect(search.search(q).confident, q).toBe(false);
    // Our own pasted error is still ours.
    expect(top('npm ERR! code ERESOLVE unable to resolve dependency tree')).toBe(
      'TROUBLESHOOTING.md#build-failed--dependency-issues',
    );
  });

  it("reads photos as what customers' sites hold, and a profile picture as one's own (development batch 133)", () => {
    expect(top('published site still shows the old photos after an hour')).toBe(
      'TROUBLESHOOTING.md#site-not-updating--cache-invalidation',
    );
    expect(top('photos missing on the ireland copy of the sites bucket')).toBe(
      'DR_FAILOVER.md#s3-cross-region-replication',
    );
    expect(search.search('how do I change my profile picture in slack').confident).toBe(false);
  });

  it('finds the all-clear by what it says: the incident is over, service restored (development batch 133)', () => {
    for (const q of [
      'what do we post when the incident is over',
      'last update to customers once service is restored',
    ])
      expect(top(q), q).toBe('DR_FAILOVER.md#all-clear-notification-template');
  });

  it('finds where traffic goes by its words (development batch 134)', () => {
    expect(top('which region is serving traffic right now')).toBe('DR_FAILOVER.md#dns-answer');
  });

  it('keeps the telling words of a long message, not its first twelve (development batch 135)', () => {
    const story =
      'quick one from the product team, they are demoing to a big prospect at two and one of the sales engineers noticed that the preview they generated this morning has been stuck at the old version since they hit publish, how do we force the cdn to refresh';
    expect(top(story)).toBe('TROUBLESHOOTING.md#site-not-updating--cache-invalidation');
    // By hand: the runbooks' rarer words first, then their everyday ones, then the rest, in the order typed.
    const terms = new Set(['cdn', 'publish', 'preview', 'team', 'version', 'old']);
    const everyday = new Set(['team', 'version', 'old', 'big', 'morning']);
    const vocabulary = {
      ...artifact.search,
      synonyms: {},
      isTerm: (w: string) => terms.has(w),
      isCommon: (w: string) => everyday.has(w),
    };
    const words = prepareQuery(story, vocabulary).groups.map((g) => g.word);
    expect(words).toHaveLength(MAX_WORDS);
    for (const w of ['preview', 'publish', 'cdn', 'team', 'version', 'old']) expect(words).toContain(w);
    expect(words.indexOf('preview')).toBeLessThan(words.indexOf('cdn'));
    // Without the runbooks' words to tell (a vocabulary made by hand without them), the first twelve.
    const plain = prepareQuery(story, { ...artifact.search, synonyms: {} }).groups.map((g) => g.word);
    expect(plain).not.toContain('cdn');
  });

  it('is people when it asks who, and output when it holds code identifiers', () => {
    expect(top('who do I wake up for a sev1')).toBe('OPERATIONS.md#escalation-contacts');
    const pasted = prepareQuery(
      'aws_lambda_function.api: Still modifying... [id=sitecraft-prod-api, 35m0s elapsed]',
      {
        synonyms: {},
        stopWords: [],
      },
    );
    expect(pasted.pasted).toBe(true);
    expect(prepareQuery('the api is still modifying', { synonyms: {}, stopWords: [] }).pasted).toBe(false);
    expect(top('aws_lambda_function.api: Still modifying... [id=sitecraft-prod-api, 35m0s elapsed]')).toBe(
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    );
  });
});

describe("a procedure's numbered steps", () => {
  it('answer with the whole procedure when the query names it and not a step, and with the step when it is named', () => {
    const ids = (q: string) => search.search(q).results.map((r) => r.section.id);
    expect(ids('sync data before failback')[0]).toBe('DR_FAILOVER.md#step-2-synchronise-data');
    const fail = ids('move back to Cape Town after the incident');
    expect(fail[0]).toBe('DR_FAILOVER.md#failback-procedure');
  });
});
