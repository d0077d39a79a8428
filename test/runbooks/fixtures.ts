/** Small runbooks written for the compiler tests, independent of the real runbooks' wording. */

export const TROUBLESHOOTING_MD = `# Troubleshooting

Start here when something is wrong.

## Authentication issues

<!-- bot: keywords="login sign-in cognito" -->

### "Token expired" — Cognito refresh

<!-- bot: keywords="jwt 401 refresh token" -->

#### What you see

Users are logged out and the API answers 401 with \`Token expired\`.

#### Likely causes

- The refresh token is past its validity.

#### Diagnosis

\`\`\`bash
aws cognito-idp describe-user-pool --user-pool-id "$POOL_ID"
\`\`\`

#### Fix

Sign in again; raise the refresh token validity if it happens often.

#### Verify

The API answers 200.

#### Escalate

Page the platform on-call.

## Model issues

### "Generation timeout" — Bedrock throttling

#### What you see

Answers stop after 30 seconds with HTTP 429 from Bedrock.

#### Likely causes

- Provisioned throughput exhausted.

#### Diagnosis

Look at the \`ThrottledRequests\` metric.

#### Fix

Request a quota increase.

#### Verify

No more 429s.

#### Escalate

Open an AWS support case.

## Notes

### Fix

A plain heading that repeats an anchor.

### Fix

And again.
`;

export const DR_MD = `# DR failover

## Failover procedure
<!-- bot: checklist=failover command="failover|fail over" title="DR failover to eu-west-1" records=route53-failover -->

\`\`\`bash
export PRIMARY_REGION=us-east-1
\`\`\`

1. **Confirm the outage.** Check the health checks.
   <!-- bot: step=confirm evidence=primary-health -->
2. **Announce the failover.**
   <!-- bot: notify=failover-notice -->

> **Approval gate: Failover.** Approvers: DevOps, Business Owner.

3. Switch DNS to the secondary. Then watch.
   <!-- bot: action=route53-failover -->

### Backend (Lambda)

1. Scale up the Lambda concurrency.
2. **Warm the caches:** run the warm-up job.

## Failback procedure
<!-- bot: checklist=failback command="failback" -->

### Step 1: Confirm the primary is healthy

<!-- bot: evidence=primary-health -->

Look at the health checks.

#### Commands

\`\`\`bash
aws route53 get-health-check-status --health-check-id "$HC"
\`\`\`

### Approval gate: Failback

Approvers: DevOps.

### Step 2 — Switch back

<!-- bot: action=route53-failback -->

Flip the records back.

## Route 53 records
<!-- bot: records=route53-failover -->

| Hosted zone ID | Record name | Type | Set identifier | Failover | Region | Health check ID | Target |
|---|---|---|---|---|---|---|---|
| Z123 | api.example.com | A | primary | PRIMARY | us-east-1 | hc-1 | \`d-abc.execute-api.us-east-1.amazonaws.com\` |
| Z123 | api.example.com | A | secondary | SECONDARY | eu-west-1 | — | d-def.execute-api.eu-west-1.amazonaws.com |

## Failover notice
<!-- bot: template=failover-notice -->

\`\`\`text
:rotating_light: {{incident}}: failing over from {{from_region}} to {{to_region}} ({{started_by}}).
\`\`\`
`;

export const OPERATIONS_MD = `# Operations

## Contacts
<!-- bot: contacts -->

| Level | Role | Who | Phone | When to escalate |
|---|---|---|---|---|
| L1 | On-call engineer | @platform-oncall | +1 555 0100 (placeholder) | First response |
| L2 | Platform lead | Jane Placeholder | +1 555 0101 | After 30 minutes |

## Escalation for outages
<!-- bot: escalation=outage title="Production outage" -->

1. **L1 — On-call engineer:** acknowledge within 5 minutes.
2. **L2 — Platform lead:** join the bridge.
`;

export const FIXTURES: { file: string; source: string }[] = [
  { file: 'TROUBLESHOOTING.md', source: TROUBLESHOOTING_MD },
  { file: 'DR_FAILOVER.md', source: DR_MD },
  { file: 'OPERATIONS.md', source: OPERATIONS_MD },
];
