/**
 * On-call words that the development batches 22 and 23 (issue 20, search16) showed the search missing or
 * misreading: each case is a phrasing written for this test, not an eval query, and fails on the search
 * before its change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DECISION_INTENT, IMPACT_INTENT, IMPERATIVE_PROCEDURE } from '../../../src/runbooks/search/config';
import { reduceLogLine } from '../../../src/runbooks/search/log-line';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadTestArtifact } from '../../helpers/artifact';

let search: RunbookSearch;
beforeAll(async () => {
  search = createSearch(await loadTestArtifact());
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
    for (const id of answers) expect(id).toMatch(/escalation/);
  });
});

describe("the AWS CLI's own messages (DEPLOYMENT.md AWS credentials)", () => {
  it('answers "Unable to locate credentials" with the section that says which profile to choose', () => {
    expect(top('aws s3 ls: Unable to locate credentials', 1)).toEqual(['DEPLOYMENT.md#aws-credentials']);
  });
});

describe('a pause in traffic', () => {
  it('reads "after a break" / "after a pause" as after idle (a cold start)', () => {
    expect(top('the api is slow after a pause in traffic', 1)).toEqual([
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    ]);
    expect(top('first call after a break is really slow', 1)).toEqual([
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    ]);
  });
});

describe('handing the pager on', () => {
  it('reads "pass the pager" / "the next person on call" as the on-call handover', () => {
    expect(top("I'm passing the pager to the next person", 1)).toEqual(['OPERATIONS.md#on-call-handover']);
    expect(top('what does the next person on call need from me', 1)).toEqual([
      'OPERATIONS.md#on-call-handover',
    ]);
  });
});

describe('stopping the pager for planned work', () => {
  it('reads "stop paging" / "stop the pager" as silencing the alarm, and "bring it home" as the failback', () => {
    expect(top('stop paging me during the maintenance window', 1)).toEqual([
      'OPERATIONS.md#silence-an-alarm-during-maintenance',
    ]);
    expect(top('bring it home, ireland is done', 1)).toEqual(['DR_FAILOVER.md#failback-procedure']);
  });
  it('reads "the pager going off about X" as an alarm about X, not a question about the on-call rota', () => {
    const answers = top('pager going off about 5xx', 3);
    expect(answers).toHaveLength(3);
    expect(answers).not.toContain('OPERATIONS.md#on-call-handover');
  });
});

describe('the start of a shift', () => {
  it('reads "the start of my shift" as when the daily checks run', () => {
    expect(top('what do I look at at the start of my shift', 1)).toEqual(['OPERATIONS.md#daily-checks']);
  });
});

describe("npm's ERESOLVE report, pasted (TROUBLESHOOTING.md Build failed)", () => {
  it('answers the lines npm prints after "code ERESOLVE" with the build failure section', () => {
    expect(top('npm error While resolving: sitecraft-web@2.0.1 npm error Found: vite@6.0.0', 1)).toEqual([
      'TROUBLESHOOTING.md#build-failed--dependency-issues',
    ]);
  });
});

describe('the replica bucket (DR_FAILOVER.md S3 cross-region replication)', () => {
  it('answers whether objects are copying to the DR bucket with the replication section', () => {
    expect(top('is the ireland bucket missing objects', 1)).toEqual([
      'DR_FAILOVER.md#s3-cross-region-replication',
    ]);
  });
});

describe('an AWS error name whose words mislead (terms/aws-errors.ts NOT_BY_ITS_WORDS)', () => {
  it("reads ExpiredTokenException as the caller's AWS credentials, not a user's expired Cognito token", () => {
    expect(top('ExpiredTokenException: The security token included in the request is expired', 1)).toEqual([
      'DEPLOYMENT.md#aws-credentials',
    ]);
    expect(top('terraform plan fails with ExpiredToken', 1)).toEqual(['DEPLOYMENT.md#aws-credentials']);
    expect(top('token expired', 1)).toEqual(['TROUBLESHOOTING.md#token-expired--cognito-refresh']);
  });
});

describe('more on-call slang (terms/colloquial.ts)', () => {
  it('reads "yank it back", "dip a toe", "shut it up", "big red button" and "barfing half-baked" output', () => {
    expect(top('the new build is hosed, yank it back to the last release', 1)).toEqual([
      'DEPLOYMENT.md#rollback',
    ]);
    expect(top('we want to dip a toe in prod first', 3)).toContain('PROMOTION.md#canary-deployment');
    expect(top('the maintenance alarm keeps screaming, shut it up', 1)).toEqual([
      'OPERATIONS.md#silence-an-alarm-during-maintenance',
    ]);
    expect(top('Cape Town is gone, hit the big red button', 1)).toEqual([
      'DR_FAILOVER.md#failover-procedure',
    ]);
    expect(top('the model keeps barfing half-baked json', 1)).toEqual([
      'TROUBLESHOOTING.md#invalid-response--prompt-issues',
    ]);
  });
});

describe('an instruction to roll back, said as one word or as slang (IMPERATIVE_PROCEDURE)', () => {
  it('answers the rollback for "..., rollback" and "..., yank it"', () => {
    expect(top('prod is on fire after the push, rollback', 1)).toEqual(['DEPLOYMENT.md#rollback']);
    expect(top('checkout page is borked since the deploy, yank it', 1)).toEqual(['DEPLOYMENT.md#rollback']);
  });
});

describe('moving traffic back', () => {
  it('reads "move traffic back" as the failback, though "move traffic" alone is the failover', () => {
    expect(top('when do we move traffic back from dublin', 1)).toEqual(['DR_FAILOVER.md#failback-procedure']);
    expect(top('move traffic to ireland', 1)).toEqual(['DR_FAILOVER.md#failover-procedure']);
  });
});

describe('a query that opens with a task verb (preferTasksByTheirVerb)', () => {
  it('answers the task whose title opens with that verb or what the opening idiom means', () => {
    expect(top('flush the cdn for the builder app', 1)).toEqual([
      'OPERATIONS.md#invalidate-the-cloudfront-cache',
    ]);
    // A noun-led title is no task: "route 53 ..." keeps answering the health checks.
    expect(top('route 53 health check failing for the primary', 1)).not.toEqual([
      'DR_FAILOVER.md#route-53-records',
    ]);
  });
});

describe('creds, bailing out, clobbering (terms/colloquial.ts)', () => {
  it('reads "creds" as credentials, "bail out" of a canary as its abort, "clobber" as overwriting', () => {
    expect(top('my aws creds expired', 1)).toEqual(['DEPLOYMENT.md#aws-credentials']);
    expect(top('canary looks dodgy, how do i bail out', 3)).toContain('PROMOTION.md#how-the-canary-works');
    expect(top('did failback clobber any writes', 1)).toEqual([
      'OPERATIONS.md#find-writes-replication-may-have-overwritten',
    ]);
  });
});

describe('"does X still ..." / "does that stop X" with a region named (IMPACT_INTENT)', () => {
  it('asks what each region hosts', () => {
    expect(top('Ireland is down, does that stop generation?', 2)).toContain('ARCHITECTURE.md#regions');
    expect(top('does generation still run in Dublin while we serve from Cape Town', 2)).toContain(
      'DR_FAILOVER.md#regions-and-roles',
    );
  });
});

describe('"everybody" and "we flipped to <region>"', () => {
  it('reads a 401 for everybody after the flip as the failover sign-in (Session invalid)', () => {
    expect(top('API returning 401 for everybody right after we flipped to dublin', 1)).toEqual([
      'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    ]);
  });
});

describe('the release job', () => {
  it('reads a release job that sits there as a stuck deploy, not a failed build', () => {
    expect(top('the release job has been sitting there for 40 minutes', 1)).toEqual([
      'TROUBLESHOOTING.md#deploy-stuck--cloudformation-issues',
    ]);
  });
});

describe('halfway through a procedure', () => {
  it('is during it, not a stream cut off mid-way', () => {
    expect(top('an alarm fired halfway through the promotion, what is undone', 3)).toContain(
      'PROMOTION.md#how-the-canary-works',
    );
    expect(top('the generation stopped halfway through', 1)).toEqual([
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    ]);
  });
});
