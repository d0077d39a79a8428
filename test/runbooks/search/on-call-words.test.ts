/**
 * On-call words that the development batches 22 and 23 (issue 20, search16) showed the search missing or
 * misreading: each case is a phrasing written for this test, not an eval query, and fails on the search
 * before its change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DECISION_INTENT, IMPACT_INTENT, IMPERATIVE_PROCEDURE } from '../../../src/runbooks/search/config';
import { reduceLogLine } from '../../../src/runbooks/search/log-line';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadRankingArtifact } from '../../helpers/artifact';

let search: RunbookSearch;
beforeAll(async () => {
  search = createSearch(await loadRankingArtifact());
});

const top = (q: string, n = 1) => {
  const r = search.search(q, { limit: n });
  return r.confident ? r.results.map((x) => x.section.id) : [];
};

describe('on-call words as data (terms/)', () => {
  it("reads the model's capacity as Bedrock's quota", () => {
    expect(top('need more llm capacity for the launch')).toEqual([
      'OPERATIONS.md#request-a-bedrock-quota-increase',
    ]);
  });

  it('reads scaling the standby back to minimum as returning it to standby capacity', () => {
    expect(top('put eu-west-1 back to minimum')).toEqual([
      'DR_FAILOVER.md#step-5-return-eu-west-1-to-standby-capacity',
    ]);
    expect(top('scale ireland back down after failback', 3)).toContain(
      'DR_FAILOVER.md#step-5-return-eu-west-1-to-standby-capacity',
    );
  });

  it('does not read a 504 as every kind of timeout: it is a gateway timeout', () => {
    const answers = top('getting 504s', 3);
    expect(answers[0]).toBe('TROUBLESHOOTING.md#api-timeout--lambda-cold-start');
    expect(answers).not.toContain('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
  });

  it('reads "in the morning" as the start of the working day that API timeout names', () => {
    // Not the Daily checks, which are done in the morning.
    expect(top('requests take 10 seconds in the morning')).toEqual([
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    ]);
    expect(top('api requests time out in the morning')).toEqual([
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    ]);
  });
});

describe('what kind of section a question wants', () => {
  it('reads "how do we …" as a procedure question, not a decision', () => {
    expect(DECISION_INTENT.test('do we roll back for this')).toBe(true);
    expect(DECISION_INTENT.test('how do we roll back the frontend')).toBe(false);
    expect(DECISION_INTENT.test('how would we fail over to ireland')).toBe(false);
    // "what do we do with this" asks for the procedure, not whether to run it.
    expect(DECISION_INTENT.test('the r53 alarm fired, what do we do with this')).toBe(false);
    expect(DECISION_INTENT.test('what would we do if ireland went down')).toBe(false);
    // "worth failing over?" weighs whether to act.
    expect(DECISION_INTENT.test('api 5xx at 25 percent, worth failing over')).toBe(true);
    expect(DECISION_INTENT.test('bedrock degraded in eu-west-1, is failing over worth it')).toBe(true);
    const answers = top('how would we fail over to ireland', 2);
    expect(answers[0]).toBe('DR_FAILOVER.md#failover-procedure');
    expect(answers).not.toContain('DR_FAILOVER.md#manual-operational-decision');
  });

  it('reads "can tenants still generate" beside a region as what its outage affects', () => {
    expect(IMPACT_INTENT.test('can tenants still generate if cape town is down')).toBe(true);
    expect(IMPACT_INTENT.test('does publishing still work')).toBe(true);
    // An action of ours, not what the outage affects.
    expect(IMPACT_INTENT.test('can we still fail over')).toBe(false);
    expect(top('can tenants still generate if cape town is down')).toEqual(['ARCHITECTURE.md#regions']);
  });
});

describe('a long story covers less of its words (SearchTuning.longQueryGroups)', () => {
  it('answers a story told in many words when the section holds its incident words', () => {
    expect(
      top(
        'a tenant emailed that she changed the opening hours on her contact page and pressed publish twice this morning but her visitors still see the old hours',
      ),
    ).toEqual(['TROUBLESHOOTING.md#site-not-updating--cache-invalidation']);
    expect(
      top(
        'one of our customers says the people at her firm cannot open the site she made while a person at another company apparently can see it',
      ),
    ).toEqual(['TROUBLESHOOTING.md#access-denied--tenant-mismatch']);
  });

  it('still answers nothing for a long story about something else', () => {
    for (const q of [
      'my neighbour says the people at her gym cannot open the lockers she booked while someone at another branch apparently can',
      'my sister changed her phone number on her facebook page twice this morning but her friends still see the old number',
    ])
      expect(search.search(q).confident, q).toBe(false);
  });
});

describe('a place where the users are who report a problem (namesStrayPlace, SERVED_PEOPLE)', () => {
  it('answers the problem users in a city we do not run in report', () => {
    expect(top('users in london say the site is slow to load')).toEqual([
      'TROUBLESHOOTING.md#page-load-slow--bundle-size',
    ]);
    expect(top('tenants in sao paulo see 504s on generate')).toEqual([
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    ]);
  });

  it('still answers nothing about such a place when nothing is wrong', () => {
    for (const q of ['are there customers in canada', 'what time is it for our customers in sydney'])
      expect(search.search(q).confident, q).toBe(false);
  });
});

describe('an everyday subject is the situation only where the query places it there', () => {
  it('answers nothing when an everyday thing is what shows the error', () => {
    for (const q of ['hotel wifi login page gives 401', 'the kitchen coffee machine shows error 502']) {
      const r = search.search(q);
      expect(r.confident, q).toBe(false);
      expect(r.suggestions.length, q).toBeGreaterThan(0);
    }
  });

  it('still answers when the query places the problem in it, or names whose it is', () => {
    expect(top('generation stream drops on hotel wifi')).toEqual([
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    ]);
    expect(top("a customer's laptop clock is off so tokens look expired")).toEqual([
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    ]);
  });
});

describe('on-call words as data, batches 25 and 26 (lead)', () => {
  it('reads "out of date" as a copy behind its source: the replica, not the cache', () => {
    expect(top('the secrets in ireland look out of date')).toEqual(['DR_FAILOVER.md#secrets-replication']);
  });

  it('reads "can\'t reach" with a primary city as the region being unreachable', () => {
    const answers = top("customers in cape town can't reach the app", 3);
    expect(answers.length).toBe(3);
    for (const id of answers) expect(id.startsWith('DR_FAILOVER.md#')).toBe(true);
  });

  it('reads an announcement as telling stakeholders', () => {
    expect(top('draft the announcement for the failover', 3)).toContain(
      'DR_FAILOVER.md#failover-notification-template',
    );
  });

  it('reads "comes out" as output, not as taking a release out', () => {
    const answers = top('pages come out mangled after the prompt change', 3);
    expect(answers[0]).toBe('TROUBLESHOOTING.md#invalid-response--prompt-issues');
    expect(answers).not.toContain('DEPLOYMENT.md#rollback');
    expect(answers).not.toContain('DEPLOYMENT.md#quick-rollback-steps');
    expect(top('that release needs to come out now')).toEqual(['DEPLOYMENT.md#rollback']);
  });

  it('weighs a unit after a number as the measurement, not the subject', () => {
    const answers = top('time to first token is 14 seconds', 3);
    expect(answers).toContain('TROUBLESHOOTING.md#slow-generation--model-latency');
    expect(answers).not.toContain('DR_FAILOVER.md#dynamodb-global-tables');
  });
});

describe('pasted exception names longer than a word may be', () => {
  it('keeps a 38-character exception name and reads it through the AWS error table', () => {
    const answers = top(
      'botocore.exceptions.ClientError: An error occurred (ProvisionedThroughputExceededException) when calling the Query operation',
      3,
    );
    expect(answers).toContain('TROUBLESHOOTING.md#api-timeout--lambda-cold-start');
    expect(answers[0]).not.toBe('TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues');
  });
});

describe('whether the other region changes anything (IMPACT_INTENT)', () => {
  const regionTables = ['ARCHITECTURE.md#regions', 'DR_FAILOVER.md#regions-and-roles'];

  it('reads "would a failover help" and "will X stop" as what each region hosts', () => {
    for (const q of [
      'bedrock in ireland is throwing errors, would a failover help',
      'will publishing stop if cape town goes down',
    ]) {
      expect(IMPACT_INTENT.test(q.replace(',', ''))).toBe(true);
      expect(regionTables).toContain(top(q)[0]);
    }
  });

  it('leaves a question with no region to its own section', () => {
    expect(top('would a rollback fix the broken previews')[0]).not.toBe('ARCHITECTURE.md#regions');
  });
});

describe('everyone signed out', () => {
  it('reads "the whole user base" as every session at once (Session invalid)', () => {
    expect(top('our whole user base got signed out together')).toEqual([
      'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    ]);
  });
});

describe('401 after the API moved region (runbook: Session invalid, What you see)', () => {
  it('answers Session invalid, not Token expired, for a 401 right after a failover or failback', () => {
    expect(top('users get 401 after we failed over to ireland')).toEqual([
      'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    ]);
    expect(top('all api calls 401 after failback')).toEqual([
      'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    ]);
  });
});

describe('told to run a procedure (IMPERATIVE_PROCEDURE)', () => {
  it('answers the procedure a clause tells to run, over the symptom the rest describes', () => {
    expect(top('previews are garbage after the release, roll it back')).toEqual(['DEPLOYMENT.md#rollback']);
    // "after the push" names the deploy in passing; "back it out" is the instruction.
    expect(top('api is on fire after the push, back it out')).toEqual(['DEPLOYMENT.md#rollback']);
  });

  it('does not read a procedure named in passing as an instruction', () => {
    expect(IMPERATIVE_PROCEDURE.test('sign in broke after the rollback')).toBe(false);
    expect(IMPERATIVE_PROCEDURE.test('should we roll back')).toBe(false);
  });
});

describe('still going, and everyone', () => {
  it('reads a stack "updating for" a while as stuck (Deploy stuck)', () => {
    expect(top('the prod stack has been updating for 45 minutes')).toEqual([
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    ]);
  });

  it('reads "across the board" as many users at once, not as an unknown subject', () => {
    expect(top('403s across the board this morning')).toEqual([
      'TROUBLESHOOTING.md#access-denied--tenant-mismatch',
    ]);
  });
});

describe('a long while, and a region that does not answer', () => {
  it('reads "stuck for ages" as stuck a long while, not as slowness (Deploy stuck)', () => {
    expect(top('the terraform apply has been stuck for ages')).toEqual([
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    ]);
  });

  it('reads "stopped answering" as the region being unreachable, not a question about regions', () => {
    expect(top('the primary region stopped answering')).toEqual(['DR_FAILOVER.md#failover-procedure']);
  });
});

describe('household appliances are everyday subjects (terms/off-topic.ts)', () => {
  it('does not answer a fridge that shows an error code', () => {
    const r = search.search('the fridge display shows error 503', { limit: 3 });
    expect(r.confident).toBe(false);
    expect(r.results).toEqual([]);
  });
});

describe('other site builders, chat assistants, identity providers and paging tools are other platforms (terms/off-topic.ts)', () => {
  it.each([
    'my squarespace page shows the old version after publishing',
    'chatgpt drops the answer halfway with a network error',
    'our auth0 tenant logs users out after an hour',
    'set up an opsgenie schedule override for tonight',
  ])('does not answer "%s"', (query) => {
    const r = search.search(query, { limit: 3 });
    expect(r.confident).toBe(false);
    expect(r.results).toEqual([]);
  });
});

describe('an everyday subject the asker owns, named by a phrase (kinds.ts ownsEverydaySubject)', () => {
  it('does not answer "my email password" with the section that says email and password apart', () => {
    const r = search.search('i forgot my email password, can someone reset it', { limit: 3 });
    expect(r.confident).toBe(false);
    expect(r.results).toEqual([]);
  });
});

describe('a message typed inside a longer name (exactMessageBoost)', () => {
  it('answers the section titled "Bedrock access denied", not the app\'s "Access denied" message', () => {
    expect(top('bedrock access denied')).toEqual([
      'TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam',
    ]);
    expect(top('access denied')).toEqual(['TROUBLESHOOTING.md#access-denied--tenant-mismatch']);
  });
  it('also when the name\'s other word stands elsewhere in the query ("access denied from bedrock")', () => {
    expect(top('generating fails, access denied from bedrock', 1)).toEqual([
      'TROUBLESHOOTING.md#bedrock-access-denied--model-access-and-iam',
    ]);
    expect(top('tenant gets access denied on their own site', 1)).toEqual([
      'TROUBLESHOOTING.md#access-denied--tenant-mismatch',
    ]);
  });
});

describe('moving everything', () => {
  it('reads "move everything to <the DR region>" as the failover, and "... back" as the failback', () => {
    expect(top('move everything to dublin')).toEqual(['DR_FAILOVER.md#failover-procedure']);
    expect(top('move everything back to cape town')).toEqual(['DR_FAILOVER.md#failback-procedure']);
  });
});

describe("Lambda's timeout line", () => {
  it('keeps the configured timeout Lambda reports, as the runbooks write it', () => {
    expect(reduceLogLine('2026-11-04T09:12:01.456Z Task timed out after 300.00 seconds')).toContain(
      'Task timed out after 300 s',
    );
    expect(top('Task timed out after 300.00 seconds', 3)).toContain(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
  });
});

describe('whom to reach', () => {
  it('reads "who do we page" as the escalation contacts, whatever severity it names', () => {
    expect(top('who do we page for a sev2')).toEqual(['OPERATIONS.md#escalation-contacts']);
  });
});

describe("an idiom's lone word", () => {
  it('reads "who do I call" by what the idiom means, not "call" as written ("API calls")', () => {
    const answers = top('who do I call about the api', 3);
    expect(answers).toHaveLength(3);
    // The people first, then the escalation paths; the API's own symptom may follow, never a section
    // picked for the word "calls".
    expect(answers.slice(0, 2)).toEqual([
      'OPERATIONS.md#escalation-contacts',
      'TROUBLESHOOTING.md#escalation-paths',
    ]);
    expect(answers[2]).toMatch(/escalation|api-timeout/);
  });
});

/**
 * Session 10's phrasings, one row each (why in the comment above it): a query written for this test, not an
 * eval query; the section that must answer it; within how many answers (1: it is the answer). Each change
 * had at least one row that failed before it; rows such as "token expired", "move traffic to ireland" and
 * "the generation stopped halfway through" guard what a change must not take.
 */
const ANSWERS: readonly (readonly [query: string, section: string, within: number])[] = [
  // the AWS CLI's own no-credentials line
  ['aws s3 ls: Unable to locate credentials', 'DEPLOYMENT.md#aws-credentials', 1],
  // "after a pause" is after idle
  ['the api is slow after a pause in traffic', 'TROUBLESHOOTING.md#api-timeout--lambda-cold-start', 1],
  // "after a break" is after idle
  ['first call after a break is really slow', 'TROUBLESHOOTING.md#api-timeout--lambda-cold-start', 1],
  // passing the pager is the handover
  ["I'm passing the pager to the next person", 'OPERATIONS.md#on-call-handover', 1],
  // the next person on call is the handover
  ['what does the next person on call need from me', 'OPERATIONS.md#on-call-handover', 1],
  // "stop paging" is silencing the alarm
  ['stop paging me during the maintenance window', 'OPERATIONS.md#silence-an-alarm-during-maintenance', 1],
  // "bring it home" is the failback
  ['bring it home, ireland is done', 'DR_FAILOVER.md#failback-procedure', 1],
  // the start of a shift is when the daily checks run
  ['what do I look at at the start of my shift', 'OPERATIONS.md#daily-checks', 1],
  // npm's ERESOLVE report, pasted
  [
    'npm error While resolving: sitecraft-web@2.0.1 npm error Found: vite@6.0.0',
    'TROUBLESHOOTING.md#build-failed--dependency-issues',
    1,
  ],
  // objects missing from the DR bucket is S3 replication
  ['is the ireland bucket missing objects', 'DR_FAILOVER.md#s3-cross-region-replication', 1],
  // ExpiredTokenException is the caller's AWS credentials
  [
    'ExpiredTokenException: The security token included in the request is expired',
    'DEPLOYMENT.md#aws-credentials',
    1,
  ],
  // ExpiredToken is the caller's AWS credentials
  ['terraform plan fails with ExpiredToken', 'DEPLOYMENT.md#aws-credentials', 1],
  // a user's expired token is still the app's Token expired
  ['token expired', 'TROUBLESHOOTING.md#token-expired--cognito-refresh', 1],
  // "yank it back" is the rollback
  ['the new build is hosed, yank it back to the last release', 'DEPLOYMENT.md#rollback', 1],
  // "dip a toe" is the canary
  ['we want to dip a toe in prod first', 'PROMOTION.md#canary-deployment', 3],
  // "shut it up" is silencing the alarm
  [
    'the maintenance alarm keeps screaming, shut it up',
    'OPERATIONS.md#silence-an-alarm-during-maintenance',
    1,
  ],
  // "the big red button" is the failover
  ['Cape Town is gone, hit the big red button', 'DR_FAILOVER.md#failover-procedure', 1],
  // "barfing half-baked" output is a malformed response
  ['the model keeps barfing half-baked json', 'TROUBLESHOOTING.md#invalid-response--prompt-issues', 1],
  // an instruction may say "rollback"
  ['prod is on fire after the push, rollback', 'DEPLOYMENT.md#rollback', 1],
  // an instruction may say "yank it"
  ['checkout page is borked since the deploy, yank it', 'DEPLOYMENT.md#rollback', 1],
  // "move traffic back" is the failback
  ['when do we move traffic back from dublin', 'DR_FAILOVER.md#failback-procedure', 1],
  // "move traffic" alone is the failover
  ['move traffic to ireland', 'DR_FAILOVER.md#failover-procedure', 1],
  // a query opening with what a task's verb means asks for that task
  ['flush the cdn for the builder app', 'OPERATIONS.md#invalidate-the-cloudfront-cache', 1],
  // "creds" are credentials
  ['my aws creds expired', 'DEPLOYMENT.md#aws-credentials', 1],
  // bailing out of a canary is its abort
  ['canary looks dodgy, how do i bail out', 'PROMOTION.md#how-the-canary-works', 3],
  // "clobber" is overwriting
  ['did failback clobber any writes', 'OPERATIONS.md#find-writes-replication-may-have-overwritten', 1],
  // "does that stop X" with a region named asks what it hosts
  ['Ireland is down, does that stop generation?', 'ARCHITECTURE.md#regions', 2],
  // "does X still" with a region named asks what it hosts
  [
    'does generation still run in Dublin while we serve from Cape Town',
    'DR_FAILOVER.md#regions-and-roles',
    2,
  ],
  // a 401 for everybody after the flip is the failover sign-in
  [
    'API returning 401 for everybody right after we flipped to dublin',
    'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    1,
  ],
  // a release job sitting there is a stuck deploy
  [
    'the release job has been sitting there for 40 minutes',
    'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    1,
  ],
  // halfway through a promotion is during it
  ['an alarm fired halfway through the promotion, what is undone', 'PROMOTION.md#how-the-canary-works', 3],
  // halfway through a generation is still a stream cut off
  ['the generation stopped halfway through', 'TROUBLESHOOTING.md#connection-lost--sse-failures', 1],
  // the stream function's 300 s timeout is in its prose; `--period 300` in another section's command is not
  ['Task timed out after 300.11 seconds', 'TROUBLESHOOTING.md#connection-lost--sse-failures', 1],
  // what stops or dies is a problem, so the bank and the laptop are where it happened, not the subject
  [
    'one user at a large bank says creating a site stops halfway with a reconnecting banner',
    'TROUBLESHOOTING.md#connection-lost--sse-failures',
    1,
  ],
  ['stream dies whenever my laptop goes to sleep', 'TROUBLESHOOTING.md#connection-lost--sse-failures', 1],
  // Secrets Manager's refusal to change a replica is in the section that says the replicas are read-only
  [
    "InvalidParameterException: Operation not permitted on a replica secret. Call must be made in primary secret's region.",
    'DR_FAILOVER.md#secrets-replication',
    1,
  ],
  // AWS CLI v1 lacks `logs tail`; the message after "error:" outweighs the echoed command and its usage text
  [
    '$ aws logs tail /aws/lambda/sitecraft-prod-generate --since 1h usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters] aws: error: argument operation: Invalid choice, valid choices are: associate-kms-key | cancel-export-task | create-export-task',
    'DEPLOYMENT.md#required-tools',
    1,
  ],
  // a lazily loaded chunk that a prune deleted
  [
    'Uncaught (in promise) TypeError: Failed to fetch dynamically imported module: https://app.sitecraft.example/assets/Settings-9c2d.js',
    'OPERATIONS.md#prune-old-frontend-assets',
    1,
  ],
  // a message the symptom's What you see quotes in code marks names that symptom, not the exception's others
  [
    'An error occurred (NotAuthorizedException) when calling the InitiateAuth operation: User is disabled.',
    'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    1,
  ],
  // verify, prove and confirm ask for the runbooks' "Verification"
  ['we rolled back, how do we verify it worked', 'DEPLOYMENT.md#verification-after-rollback', 1],
  [
    'rolled back, now how do i prove both regions r actually on the old version',
    'DEPLOYMENT.md#verification-after-rollback',
    1,
  ],
  // a phrasal verb split by its object: "scale Ireland back down" is scaling down, not adjusting concurrency
  [
    'scale Ireland back down after we moved back',
    'DR_FAILOVER.md#step-5-return-eu-west-1-to-standby-capacity',
    1,
  ],
  ['move production back to South Africa', 'DR_FAILOVER.md#failback-procedure', 1],
  // a person asked for with no kind of problem named is the contacts table; a kind named is its path
  ['who do I wake up if this gets worse', 'OPERATIONS.md#escalation-contacts', 1],
  ['who do I call about login problems', 'TROUBLESHOOTING.md#authentication-issues-escalation', 1],
  ['who do I escalate a deploy problem to', 'TROUBLESHOOTING.md#deployment-issues-escalation', 1],
  // `--region af-south-1` in a symptom's commands is a parameter: a region named is the DR sections' subject
  [
    'AWS says there is an event in the Cape Town region affecting lambda',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  [
    'published sites in the Irish bucket are missing files that exist in the Cape Town one',
    'DR_FAILOVER.md#s3-cross-region-replication',
    1,
  ],
  // green and stable are healthy; mint is get; wat is what
  [
    'af-south been green since lunch, can we kick off the failback now or do we wait',
    'DR_FAILOVER.md#failback-procedure',
    1,
  ],
  ['gimme the steps to mint a token for the smoke acct', 'OPERATIONS.md#get-a-smoke-test-token', 1],
  [
    'prod deploy hung 40 min, no new stack evnts, wat do',
    'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    1,
  ],
  // "let's fail back" tells to run the procedure, not its step that shares "primary ... healthy"
  ["ok primary's been green 2h+, lets fail back", 'DR_FAILOVER.md#failback-procedure', 1],
  // a CloudWatch alarm email: the alarm's name (36 characters) is kept first, and names its section
  [
    'You are receiving this email because your Amazon CloudWatch Alarm "sitecraft-prod-r53-primary-unhealthy" in the US East (N. Virginia) region has entered the ALARM state, because "Threshold Crossed: 1 datapoint [0.0 (05/12/26 19:32:00)] was less than the threshold (1.0)." at "Saturday 05 December, 2026 19:33:12 UTC".',
    'DR_FAILOVER.md#failover-procedure',
    1,
  ],
  // a JSON value in quotes ("FAILED") is no quote of Build failed's message; the status FAILED is a word
  [
    '$ aws lambda get-provisioned-concurrency-config --region eu-west-1 --function-name sitecraft-prod-generate --qualifier live { "RequestedProvisionedConcurrentExecutions": 10, "AvailableProvisionedConcurrentExecutions": 0, "AllocatedProvisionedConcurrentExecutions": 0, "Status": "FAILED", "StatusReason": "FUNCTION_ERROR_INIT_FAILURE", "LastModified": "2026-12-05T19:52:31+0000" }',
    'OPERATIONS.md#adjust-provisioned-concurrency',
    1,
  ],
  // a quoted message, whole or two words of it, is still its symptom
  ['users see "token expired" after lunch', 'TROUBLESHOOTING.md#token-expired--cognito-refresh', 1],
  // a count asked for ("to 45") is no word the answer must hold
  [
    'bump PC on sitecraft-prod-api to 45 ahead of the campaign',
    'OPERATIONS.md#adjust-provisioned-concurrency',
    1,
  ], // configure-aws-credentials' errors when the deploy role's OIDC trust refuses the job, or the job has no token
  [
    'Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    'TROUBLESHOOTING.md#could-not-assume-role-with-oidc--trust-policy',
    1,
  ],
  [
    'Error: Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    'TROUBLESHOOTING.md#could-not-assume-role-with-oidc--trust-policy',
    1,
  ],
  // the same failure asked in plain words
  [
    "the deploy workflow can't get AWS credentials",
    'TROUBLESHOOTING.md#could-not-assume-role-with-oidc--trust-policy',
    3,
  ],
  // checking the region that now serves is the failover's Step 4 (the word "switch" stays Failover switch's)
  ['run the smoke tests after the failover', 'DR_FAILOVER.md#step-4-verify-failover-site', 3],
  // GitHub's refusal of a workflow dispatch is a GitHub access problem, not a stuck deploy
  ['gh workflow run says HTTP 403: Must have admin rights to Repository.', 'DEPLOYMENT.md#github-access', 1],
  // Cognito refusing the password flow for the web app's client: the smoke-token task names it
  [
    'InvalidParameterException when calling the InitiateAuth operation: USER_PASSWORD_AUTH flow not enabled for this client',
    'OPERATIONS.md#get-a-smoke-test-token',
    1,
  ],
  // a user's laptop clock is the device clock Token expired names
  [
    'laptop clock is wrong and the app says the token expired',
    'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    1,
  ],
  // a Friday afternoon ("arvo") release is a question for the change window
  ['can we ship the prod release on friday arvo', 'PROMOTION.md#approvals-obtained', 1],
  // but "black friday" is a sales peak to plan capacity for, not the weekday
  ['we need more model capacity before black friday', 'OPERATIONS.md#request-a-bedrock-quota-increase', 1],
  // a switchover is a failover
  ['how do we do a switchover to ireland', 'DR_FAILOVER.md#failover-procedure', 1],
  // where tenants' prompts go is data residency (Regions), not a prompt issue
  ['does tenant prompt data leave south africa when a site is generated', 'ARCHITECTURE.md#regions', 1],
  // the stream function's 300 s timeout is a stream cut at five minutes
  [
    'the stream request fails after almost exactly 5 minutes',
    'TROUBLESHOOTING.md#connection-lost--sse-failures',
    2,
  ],
  // an old password refused after a failover is the DR pool's migration, not a revoked session
  [
    'support says some users old password is rejected since the failover',
    'DR_FAILOVER.md#cognito-backup-and-restore-caveats',
    1,
  ],
  [
    'a user who signed up during the failover cannot sign in after failback',
    'DR_FAILOVER.md#cognito-backup-and-restore-caveats',
    2,
  ],
  // edits that vanished across a failover are writes replication overwrote
  [
    'customer edits vanished after we failed back',
    'OPERATIONS.md#find-writes-replication-may-have-overwritten',
    1,
  ],
  // release hours are the change window
  ['what are the prod release hours', 'PROMOTION.md#approvals-obtained', 1],
  // intensifiers and chat filler say nothing about what is wrong
  [
    'it keeps logging me out every hour, super annoying tbh',
    'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    1,
  ],
  [
    'ugh, cold starts are killing the api after every deploy lol',
    'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    1,
  ],
  [
    'page is insanely slow to load on phones since tuesday',
    'TROUBLESHOOTING.md#page-load-slow--bundle-size',
    1,
  ],
  // laggy is slow, mega an intensifier
  [
    'the app is mega laggy every morning and says it took too long',
    'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    1,
  ],
  // Jozi is Johannesburg: the primary region's users
  ['our jozi customers cannot reach the api', 'DR_FAILOVER.md#failover-procedure', 3],
  // A step that holds much more of the question than its procedure's own text answers it (stepCoverageLead);
  // naming the procedure alone still answers the procedure.
  [
    'failover: writing the off body to the switch bucket times out, how else can I move traffic',
    'DR_FAILOVER.md#step-3-update-route-53',
    1,
  ],
  ['bring traffic home to cape town', 'DR_FAILOVER.md#failback-procedure', 1],
  ['how do i run the failover', 'DR_FAILOVER.md#failover-procedure', 1],
  // Running a procedure, said as such, is an instruction to run it (IMPERATIVE_PROCEDURE), not where it runs.
  ['run the failover to ireland', 'DR_FAILOVER.md#failover-procedure', 1],
  // An alarm unmuted is re-enabled; shushed, silenced.
  ['unmute the latency alarm, maintenance is over', 'OPERATIONS.md#silence-an-alarm-during-maintenance', 1],
  ['shush the 5xx alarm while we patch the database', 'OPERATIONS.md#silence-an-alarm-during-maintenance', 1],
  // IN_PROGRESS is provisioned concurrency allocating (OPERATIONS, DR Step 2), not a CloudFormation stack's state.
  [
    'provisioned concurrency on generate still says IN_PROGRESS',
    'OPERATIONS.md#adjust-provisioned-concurrency',
    1,
  ],
  // Chat shorthand written out (shorthand.ts): whn, wht, tonite, yday.
  ['whn do we fail back', 'DR_FAILOVER.md#failback-procedure', 1],
  // The best section holds too little of the query, a close runner-up enough of it (coverageRescue).
  [
    'customers say their password is wrong since the switchover last night, what do we tell them',
    'DR_FAILOVER.md#cognito-backup-and-restore-caveats',
    1,
  ],
  // A health check "red" is one people see failing: the daily check of both checks (its keywords).
  [
    'the dublin health check has been red since this morning but cape town is fine',
    'OPERATIONS.md#health-and-replication',
    1,
  ],
  // The canary compared with "the old version" is the monitoring period's abort criteria (its keywords).
  [
    'the 10% rollout shows more errors on the new version than the old one, do we pull it',
    'PROMOTION.md#monitoring-period',
    1,
  ],
  // South Africans' short names for their cities (airport codes): CPT, JHB/JNB (terms/regions.ts).
  [
    'api in cpt is throwing 503s for everyone, do we fail over',
    'DR_FAILOVER.md#manual-operational-decision',
    2,
  ],
  // How many a day is the daily check's question (Capacity and delivery's keywords: day).
  ['how many bedrock throttles per day is too many', 'OPERATIONS.md#capacity-and-delivery', 1],
  // "woken up" is being paged; a journo asks as the press (colloquial.ts).
  ['a journo is asking about the outage, who deals with the press', 'OPERATIONS.md#escalation-contacts', 1],
  ['head of eng asks when she should be woken up for an outage', 'OPERATIONS.md#escalation-contacts', 1],
  // Data-protection law asks where tenants' data lives: the Regions table's data residency (acronyms.ts).
  ['does customer data leave south africa, its a POPIA question', 'ARCHITECTURE.md#regions', 1],
  ['GDPR: which regions store customer data', 'ARCHITECTURE.md#regions', 1],
  // AWS WAF is the web application firewall: a firewall in front of our API (the WAF section's keywords).
  [
    'how do i know if the firewall in front of our api is blocking a customer',
    'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    1,
  ],
  // The website or site generator is generation (colloquial.ts); a lone generator is not.
  ['the site generator gives people 429s', 'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling', 1],
  // Forms of address and chat fillers are nothing (shorthand.ts): "bro" is no subject of the question.
  ['bro the canary is looking dodgy, how do i kill it', 'PROMOTION.md#monitoring-period', 1],
  // The switch write refused (the AWS CLI's connection errors) is Step 3's fallback (its keywords and text).
  [
    'upload failed: - to s3://sitecraft-prod-dr-switch-eu-west-1/failover/api-primary.json Connect timeout on endpoint URL: "https://sitecraft-prod-dr-switch-eu-west-1.s3.eu-west-1.amazonaws.com/failover/api-primary.json"',
    'DR_FAILOVER.md#step-3-update-route-53',
    1,
  ],
  // An incident commander's words: PIR (the post-incident review the all-clear schedules), "loop in".
  ['when do we hold the PIR for this failover', 'DR_FAILOVER.md#all-clear-notification-template', 1],
  ['IC here, should I loop in security now', 'OPERATIONS.md#escalation-contacts', 2],
  // A 403 the function never logged is the WAF's: a symptom by its What you see, though its title quotes
  // nothing (search-index.ts symptomOf), and its parts give way to it unless one is asked for.
  [
    'tenant gets a 403 on save and the api logs show nothing for it',
    'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    1,
  ],
  ['what does the waf diagnosis say to check first', 'TROUBLESHOOTING.md#diagnosis-6', 1],
  // Which user pool people sign in to is Cognito's caveats, not Session invalid (whose keywords no longer
  // say "user pool": its tokens, not the pools, are its subject).
  [
    'which user pool do people sign in to after the failover',
    'DR_FAILOVER.md#cognito-backup-and-restore-caveats',
    1,
  ],
  // DNS that has not moved minutes after the switch went off is Step 3's "Still af-south-1 after 3 minutes?"
  // (the secondary check first), not the failback that moves it back.
  [
    'the switch has been off for 4 minutes and route 53 still gives out cape town',
    'DR_FAILOVER.md#step-3-update-route-53',
    1,
  ],
  [
    'dig on the name servers still returns cape town 4 minutes after the switch went off',
    'DR_FAILOVER.md#step-3-update-route-53',
    2,
  ],
  // A command word that opens another section's title, with that title's next word, names that section
  // (rank.ts titleOpeners): "the failover switch" is the switch, not the failover procedure.
  ['the failover switch', 'DR_FAILOVER.md#failover-switch', 1],
  // Waiting it out is the other side of the decision whether to act, not a sign-out (colloquial.ts).
  ['ride it out or fail over to ireland?', 'DR_FAILOVER.md#manual-operational-decision', 1],
  // Hush is shush (silence); FE is the frontend (acronyms.ts).
  ['hush the 5xx alarm for the maintenance window', 'OPERATIONS.md#silence-an-alarm-during-maintenance', 1],
  ['how do i deploy the FE to prod', 'DEPLOYMENT.md#frontend-s3cloudfront', 1],
  // To put the previous version back is to roll back (colloquial.ts).
  ['the new version broke the builder, put the previous one back', 'DEPLOYMENT.md#quick-rollback-steps', 2],
  // Whether to fail over is the decision's criteria, not the procedure, once the criteria are an answer at all.
  [
    'cape town api 5xx for 10 minutes and the fix is not landing, do we fail over now',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  // When and how soon to move back is the failback's own opening (a quiet window, 2 hours healthy), not its Step 1.
  [
    'the primary looks fine again since lunch, how soon can we move back',
    'DR_FAILOVER.md#failback-procedure',
    1,
  ],
  // A rejected password is refused, not an invalid session (colloquial.ts): the DR pool's caveats answer it.
  [
    'a user says her password is rejected since the failover to europe',
    'DR_FAILOVER.md#cognito-backup-and-restore-caveats',
    1,
  ],
  // An eu-west-1 outage is no reason to fail over (the criteria say so), and moving to DR is the failover.
  [
    'agentcore and bedrock are dead in ireland, should we fail over to cape town',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  ['move to dr', 'DR_FAILOVER.md#failover-procedure', 1],
  // What a plan prints before a replacement is the Terraform step that says to stop and review it.
  [
    'tf plan wants to destroy and recreate the users table, go ahead?',
    'DEPLOYMENT.md#infrastructure-terraform',
    1,
  ],
  // A release's 5xx with no datapoints is the deploy's monitoring confirmation (it says: not a pass).
  [
    'the 5XXError sum came back with no datapoints after the release, does that count as a pass',
    'DEPLOYMENT.md#monitoring-confirmation',
    1,
  ],
  // The two Step 4s say which region each one checks: the failover's eu-west-1, the failback's af-south-1.
  ['smoke test the app from eu-west-1 after the switch', 'DR_FAILOVER.md#step-4-verify-failover-site', 3],
  // "You're in the queue" is what the app shows while generation starts are shed (Generation timeout's Fix).
  [
    "customers keep getting the you're in the queue message when they generate, what is that",
    'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    1,
  ],
  // Where customer data is processed and stored is ARCHITECTURE's Regions (data residency), failed over or not.
  ['does customer data leave south africa while we are failed over', 'ARCHITECTURE.md#regions', 1],
  // Whether what was written in eu-west-1 made it back is the failback's Step 2 (synchronise data).
  [
    'how do i make sure everything written in dublin made it back to cape town before we go home',
    'DR_FAILOVER.md#step-2-synchronise-data',
    1,
  ],
  // Whether a PROMOTION may go to prod now is its change window (Approvals obtained), not the deploy's steps.
  ['can we push the release to prod on a friday at 2pm', 'PROMOTION.md#approvals-obtained', 1],
  // "what severity is that" asks which class of the scale a situation is: the scale's own section (kinds.ts).
  [
    'a third of the generations end in error since noon, what severity is that',
    'OPERATIONS.md#severity-levels',
    1,
  ],
  ['what sev would that be if half the logins fail', 'OPERATIONS.md#severity-levels', 1],
  [
    'cape town api 5xx at 25 percent for 20 minutes, worth failing over?',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  // A state the query reports (in synonyms) is not the step that confirms it: the failback is asked for
  ['South Africa is healthy again, bring the traffic back home', 'DR_FAILOVER.md#failback-procedure', 1],
  // ... and a yes/no question about that state is the step's
  [
    'is Cape Town healthy enough to go back',
    'DR_FAILOVER.md#step-1-confirm-the-primary-region-is-healthy',
    1,
  ],
  // Signing in fails because the region is down: break-glass, not the everyday credentials
  [
    'cape town region is out and aws sso login fails, how do i get into the prod account',
    'OPERATIONS.md#break-glass-access-without-iam-identity-center',
    1,
  ],
  // "whether to" asks whether to act: the criteria
  [
    'trying to decide whether to fail over, the api has been flaky for ten minutes',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  ['who makes the call whether we move to ireland', 'DR_FAILOVER.md#manual-operational-decision', 1],
  // "shut up" an alarm is to silence it; old files "cleared out" were pruned
  [
    'shut up the api 5xx alarm while we patch the database',
    'OPERATIONS.md#silence-an-alarm-during-maintenance',
    1,
  ],
  [
    'we cleared out old js bundles yesterday and now the editor wont load for some users',
    'OPERATIONS.md#prune-old-frontend-assets',
    2,
  ],
  // "mgmt" is management (shorthand.ts): a word the runbooks hold, not one they lack
  ['mgmt asking for the rpo of our dr', 'DR_FAILOVER.md#recovery-points', 1],
  // Asked whether to run a procedure whose criteria a section holds: the procedure is weighed, not run
  [
    'sites down in cape town and dublin at the same time, should we fail over',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  // ... and the failback, which no criteria section names, is still the answer to when
  ['when do we go back to cape town', 'DR_FAILOVER.md#failback-procedure', 1],
  // An alarm named in a typed question says which section, however little else the question says
  [
    'my first week on call, pager says ALARM sitecraft-prod-r53-primary-unhealthy, what do i do now',
    'DR_FAILOVER.md#failover-procedure',
    1,
  ],
  // data residency in a customer's words: "leave the country", "sent overseas", what they type (the prompt)
  ["a tenant's lawyer asks if their prompts leave the country", 'ARCHITECTURE.md#regions', 1],
  ['does the text i type into the builder get sent overseas', 'ARCHITECTURE.md#regions', 1],
  // a WAF false positive told by its content: a large body or a script in the page HTML (the core rule set)
  [
    '403 when a customer uploads a big inline image, api logs show nothing',
    'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    1,
  ],
  // more ways to ask whether: "is it time to", "good idea?", "or not", "grounds for", "at what point"
  [
    'sign-in broken in cape town only, is it time to fail over',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  [
    'sign-in broken in cape town only, good idea to fail over?',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  // sites published during a failover: the sites bucket's two-way replication answers where they are
  [
    'tenants published while we ran from ireland, do those sites come back to cape town',
    'DR_FAILOVER.md#s3-cross-region-replication',
    1,
  ],
  // what a step's own script prints, pasted back, says which step is running (echoedMessages)
  [
    'sitecraft-prod-publish FAILED 0 of 2 FAILED: read StatusReason (get-provisioned-concurrency-config)',
    'DR_FAILOVER.md#step-2-warm-up-eu-west-1',
    1,
  ],
  ['sitecraft-prod-users NO DATA: not a pass', 'OPERATIONS.md#health-and-replication', 1],
  // to resolve a problem is to fix it, not npm's "unable to resolve"
  ['L1 could not resolve it, who next', 'OPERATIONS.md#escalation-contacts', 1],
  // a symptom's message quoted in single quotes, inside a long question, is answered with confidence
  [
    "since the deploy our clients are seeing 'Session invalid', please explain the reason and the way to solve it",
    'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    1,
  ],
  // lowering the severity once impact has dropped: Severity levels says who and when
  [
    'things calmed down after the fix, when can we downgrade the severity',
    'OPERATIONS.md#severity-levels',
    1,
  ],
  // "where does X live" for a thing whose whole title the query says: its own section, not the regions' table
  ['where does the failover switch sit these days, which bucket', 'DR_FAILOVER.md#failover-switch', 1],
  // a message a section quotes, whole, is answered wherever the asker saw it ("on my laptop")
  [
    'on my laptop the cli says The SSO session associated with this profile has expired or is otherwise invalid, now what',
    'DEPLOYMENT.md#aws-credentials',
    1,
  ],
  // whether a rollback worked is its verification, not the canary
  ['how can i tell the rollback worked', 'DEPLOYMENT.md#verification-after-rollback', 1],
  // ... and what it prints around a value: `still … after 15 minutes` (the deploy's provisioned concurrency wait)
  ['eu-west-1 publish: still IN_PROGRESS after 15 minutes', 'DEPLOYMENT.md#backend-lambda', 1],
  // a contraction typed without its apostrophe ("we've" → weve) is a stop word, not a word the runbooks lack
  [
    "we've been on ireland since monday and cape town is healthy, when do we go back",
    'DR_FAILOVER.md#failback-procedure',
    1,
  ],
  // A problem word in its -ing form ("keep expiring"), and South African and British chat filler ("ag",
  // "bloody", "ngl", "sharpish"): a filler, not a word the query is about.
  ['ngl the jwts keep expiring for half the team', 'TROUBLESHOOTING.md#token-expired--cognito-refresh', 1],
  ['ag man, generation is bloody slow for everyone', 'TROUBLESHOOTING.md#slow-generation--model-latency', 1],
  ['need to roll the frontend back sharpish, cheeky bug in prod', 'DEPLOYMENT.md#rollback', 1],
  // "SA" is South Africa (terms/regions.ts), as people there write it.
  ['which region serves our SA customers', 'ARCHITECTURE.md#regions', 1],
  ['does generation stop for SA users too if eu-west-1 falls over', 'ARCHITECTURE.md#regions', 1],
  // "would failing over help": what acting would change, as a decision question weighs it; the procedure
  // gains nothing for being named (rank.ts ACTION_EFFECT).
  [
    'Dublin region outage, generation dead for everyone, would failing over to Cape Town help us',
    'DR_FAILOVER.md#regions-and-roles',
    1,
  ],
  // ... and, one form for both, what a region's outage does: the table of what each region hosts.
  [
    'Bedrock is down in Ireland, would a failover to Cape Town buy us anything',
    'DR_FAILOVER.md#regions-and-roles',
    1,
  ],
  // What a screen says, as a symptom's What you see quotes it in double quotes, typed whole.
  [
    'got a box saying please sign out and sign in again, no idea why',
    'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    1,
  ],
  // GT (global tables) and LWW (last writer wins), as engineers type DynamoDB's terms (terms/acronyms.ts).
  ['is GT replication healthy between the regions', 'DR_FAILOVER.md#dynamodb-global-tables', 3],
  [
    'LWW conflict after failback lost a customer edit, how do I find it',
    'DR_FAILOVER.md#dynamodb-global-tables',
    2,
  ],
  // a region named in passing: the table of regions answers only when it holds as much of the question
  [
    'what do we tell customers in Joburg while we run from the backup region',
    'DR_FAILOVER.md#failover-notification-template',
    1,
  ],
  ['where are the agentcore logs kept, cape town or ireland', 'TROUBLESHOOTING.md#generation-issues', 1],
  // content a WAF rule blocks, in a customer's words (YouTube and photo are everyday subjects the section holds)
  [
    'a client cannot save the one page with a youtube video embedded in it, her other pages save',
    'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    1,
  ],
  [
    'saving the about page fails since she pasted a large photo into the text',
    'TROUBLESHOOTING.md#blocked-by-aws-waf--managed-rule-false-positive',
    1,
  ],
  // a problem met around a failover: the DR runbook's sections answer it, symptoms gain nothing
  [
    'sso is broken since cape town went down, how do I log in to aws to start the failover',
    'DR_FAILOVER.md#access-during-a-regional-outage',
    1,
  ],
  // "…, fail over?" asks whether to (the criteria); "…, fail over" tells to (the procedure)
  [
    'cape town api has been 5xx-ing on a third of calls for 20 min and ireland deep health is fine, fail over?',
    'DR_FAILOVER.md#manual-operational-decision',
    1,
  ],
  [
    'cape town api has been 5xx-ing on a third of calls for 20 min, fail over',
    'DR_FAILOVER.md#failover-procedure',
    1,
  ],
  // a device where the problem was met is the situation, not the subject (search/config.ts DEVICES)
  [
    'running the smoke test from my laptop: Unable to locate credentials, which profile do I need',
    'DEPLOYMENT.md#aws-credentials',
    1,
  ],
  [
    'the dashboard loads fine on my laptop but route 53 says the primary health check is unhealthy',
    'DR_FAILOVER.md#automated-route-53-health-checks',
    1,
  ],
  // a toast of four words with one of its own ("Please sign in again.") names its symptom
  [
    "a customer on android keeps seeing 'please sign in again' every hour",
    'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    1,
  ],
  [
    'the app keeps telling her: Please sign in again. about once an hour',
    'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    1,
  ],
  // 'answering' is 'answer' (stem: a root ending in -er)
  [
    'how do I see which region the api hostname is answering from at the moment',
    'DR_FAILOVER.md#dns-answer',
    1,
  ],
  ['which region is answering for api.sitecraft.example at the moment', 'DR_FAILOVER.md#dns-answer', 2],
  // what a region's outage does, asked of the people served or of a thing that keeps working (IMPACT_INTENT)
  [
    'if ireland goes down can our users in cape town still build sites',
    'DR_FAILOVER.md#regions-and-roles',
    1,
  ],
  ['does publishing keep working if the cape town region dies', 'ARCHITECTURE.md#regions', 1],
  // Works from home, not at the office: a corporate proxy (Connection lost's likely causes).
  [
    'staff at the agency lose the generation stream at their desks; at home it works',
    'TROUBLESHOOTING.md#connection-lost--sse-failures',
    1,
  ],
  // and after the cutback, the failback's Step 4
  ['check it works after the cutback to Cape Town', 'DR_FAILOVER.md#step-4-verify-primary-site', 1],
];

describe('on-call phrasings of session 10 (terms/, IMPERATIVE_PROCEDURE, IMPACT_INTENT, preferTasksByTheirVerb)', () => {
  it.each(ANSWERS)('"%s" → %s', (query, section, within) => {
    expect(top(query, within)).toContain(section);
  });

  it('reads "the pager going off about X" as an alarm about X, not a question about the on-call rota', () => {
    const answers = top('pager going off about 5xx', 3);
    expect(answers).toHaveLength(3);
    expect(answers).not.toContain('OPERATIONS.md#on-call-handover');
  });

  it('takes no noun-led title for a task: "route 53 ..." keeps answering the health checks', () => {
    expect(top('route 53 health check failing for the primary', 1)).not.toEqual([
      'DR_FAILOVER.md#route-53-records',
    ]);
  });
});
