/**
 * A small but complete set of runbooks that passes `runbook lint`, for the lint and tree tests: the six
 * files with every required heading, a Mermaid diagram each, four walkable decision trees, a checklist
 * with a gate, contacts, an escalation path, a record set and a template. Tests break one thing at a time.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';

const FAMILIES: { family: string; symptoms: [string, string][] }[] = [
  {
    family: 'Generation issues',
    symptoms: [
      ['Generation timeout', 'Bedrock throttling'],
      ['Invalid response', 'prompt issues'],
      ['Connection lost', 'SSE failures'],
    ],
  },
  {
    family: 'Authentication issues',
    symptoms: [
      ['Token expired', 'Cognito refresh'],
      ['Access denied', 'tenant mismatch'],
      ['Session invalid', 'logout/login'],
    ],
  },
  {
    family: 'Deployment issues',
    symptoms: [
      ['Build failed', 'dependency issues'],
      ['Deploy stuck', 'CloudFormation issues'],
      ['Site not updating', 'cache invalidation'],
    ],
  },
  {
    family: 'Performance issues',
    symptoms: [
      ['Slow generation', 'model latency'],
      ['Page load slow', 'bundle size'],
      ['API timeout', 'Lambda cold start'],
    ],
  },
];

const FLOW = '```mermaid\nflowchart LR\n  a[Start] --> b[End]\n```';

function symptom(message: string, cause: string): string {
  return `### "${message}" — ${cause}

Users see \`${message}\`.

#### What you see

The message ${message}.

#### Likely causes

- ${cause}

#### Diagnosis

\`\`\`bash
export AWS_REGION=af-south-1
export FUNCTION_NAME=sitecraft-prod-api
aws lambda get-function-configuration --region "$AWS_REGION" --function-name "$FUNCTION_NAME" --query Timeout --output text
\`\`\`

#### Fix

Fix the ${cause}.

#### Verify

The message is gone.

#### Escalate

See [escalation paths](#escalation-paths).
`;
}

export const TREES = `## Decision trees

### Generation problems tree
<!-- bot: tree=generation keywords="generation bedrock sse stream" -->

\`\`\`mermaid
flowchart TD
  g1{Does generation stop after 30 s?} -->|Yes| g2{HTTP 429 in the logs?}
  g1 -->|No| g3[Check the SSE stream] --> c1[Connection lost]
  g2 -->|Yes| t1[Generation timeout]
  g2 -->|No| e1((Escalate))
  click t1 href "#generation-timeout--bedrock-throttling"
  click e1 href "#generation-escalation"
\`\`\`

### Login problems tree
<!-- bot: tree=login keywords="login auth cognito sign-in" -->

\`\`\`mermaid
flowchart TD
  l1{"Does the API answer 401?"} -->|Yes| l2[Token expired]
  l1 -->|No, 403| l3[Access denied]
  l1 -->|Neither| l4[Session invalid]
  click l2 href "#token-expired--cognito-refresh"
  click l3 href "#access-denied--tenant-mismatch"
  click l4 href "#session-invalid--logoutlogin"
\`\`\`

### Deploy problems tree
<!-- bot: tree=deploy keywords="deploy build release cloudformation" -->

\`\`\`mermaid
flowchart TD
  d1{Did the build pass?} -->|No| d2[Build failed]
  d1 -->|Yes| d3{Is the stack in progress for over 30 min?}
  d3 -->|Yes| d4[Deploy stuck]
  d3 -->|No| d5[Site not updating]
  click d2 href "#build-failed--dependency-issues"
  click d4 href "#deploy-stuck--cloudformation-issues"
  click d5 href "#site-not-updating--cache-invalidation"
\`\`\`

### Slowness tree
<!-- bot: tree=slow keywords="slow latency performance" -->

\`\`\`mermaid
flowchart TD
  s1{What is slow?} -->|Generation| s2[Slow generation]
  s1 -->|Page load| s3[Page load slow]
  s1 -->|API calls| s4[API timeout]
  click s2 href "#slow-generation--model-latency"
  click s3 href "#page-load-slow--bundle-size"
  click s4 href "#api-timeout--lambda-cold-start"
\`\`\`
`;

export const ESCALATION = `## Escalation paths

### Generation escalation
<!-- bot: escalation=generation title="Generation outage" -->

1. **L1 — On-call engineer:** check the dashboards.
2. **L2 — Platform lead:** decide on failover.
`;

export function troubleshooting(trees = TREES): string {
  const families = FAMILIES.map(
    (f) => `## ${f.family}\n\n${f.symptoms.map(([m, c]) => symptom(m, c)).join('\n')}`,
  ).join('\n');
  return `# Troubleshooting\n\nStart here.\n\n${families}\n${trees}\n${ESCALATION}`;
}

export function goodRunbooks(): Record<string, string> {
  return {
    'DEPLOYMENT.md': `# Deployment

${FLOW}

## Prerequisites

AWS credentials, GitHub access and the tools.

## Deployment steps

### Infrastructure (Terraform)

\`\`\`hcl
terraform apply
\`\`\`

### Backend (Lambda)

\`\`\`bash
export AWS_REGION=af-south-1
export FUNCTION_NAME=sitecraft-prod-api
export ARTIFACT_BUCKET=sitecraft-prod-artifacts
aws lambda update-function-code --region "$AWS_REGION" --function-name "$FUNCTION_NAME" \\
  --s3-bucket "$ARTIFACT_BUCKET" --s3-key backend/v1.zip
\`\`\`

### Agents (AgentCore)

Deploy the agents.

### Frontend (S3/CloudFront)

Sync the bundle, see [Rollback](#rollback) and [the gate](PROMOTION.md#sit-to-prod-promotion).

## Verification

Health checks and smoke tests.

## Rollback

Point the alias back.
`,
    'PROMOTION.md': `# Promotion

${FLOW}

## Pre-promotion checklist

The source environment is healthy.

## DEV to SIT promotion

Steps and configuration differences.

## SIT to PROD promotion
<!-- bot: checklist=promote-sit-prod command="promote sit prod" -->

1. **Check the canary.** Compare error rates.

> **Approval gate: SIT → PROD release.** Approvers: Security, Business Owner.

2. **Full rollout.** Shift all traffic.

## Post-promotion verification

Performance baseline holds.
`,
    'TROUBLESHOOTING.md': troubleshooting(),
    'DR_FAILOVER.md': `# DR failover

${FLOW}

## DR architecture

Active af-south-1, failover eu-west-1.

## Failover triggers

Route 53 health checks.

## Failover procedure
<!-- bot: checklist=failover command="failover" -->

### Step 1: Confirm primary failure

Look at the health checks.

### Step 2: Warm up eu-west-1

Raise provisioned concurrency.

### Step 3: Update Route 53

Turn the switch off.

### Step 4: Verify failover site

Run the smoke tests.

### Step 5: Notify stakeholders
<!-- bot: notify=failover-notice -->

Post the notice.

## Notification template
<!-- bot: template=failover-notice -->

\`\`\`text
Failover of {{incident}} started by {{started_by}}.
\`\`\`

## Route 53 records
<!-- bot: records=route53-failover -->

| Hosted zone ID | Record name | Type | Set identifier | Failover | Region | Health check ID | Target |
|---|---|---|---|---|---|---|---|
| Z1 | api.example.com | A | primary | PRIMARY | af-south-1 | hc-1 | d-1.example.com |
| Z1 | api.example.com | A | secondary | SECONDARY | eu-west-1 | - | d-2.example.com |

## Failback procedure

Data synchronisation, DNS cutback, verification.

## Testing schedule

Quarterly DR drills.
`,
    'ARCHITECTURE.md': `# Architecture

## Components

${FLOW}

## Data flows

Browser to API.

## Regions

af-south-1 and eu-west-1.

## Trust boundaries

Tenants are isolated.
`,
    'OPERATIONS.md': `# Operations

${FLOW}

## Daily checks

Dashboards.

## Weekly checks

Costs.

## On-call handover

Hand over open incidents.

## Routine tasks

Rotate secrets.

## Escalation contacts
<!-- bot: contacts -->

| Level | Role | Who | Phone | When to escalate |
|---|---|---|---|---|
| L1 | On-call engineer | @platform-oncall | +27 00 000 0000 (placeholder) | First response |
| L2 | Platform lead | @platform-lead | +27 00 000 0001 (placeholder) | After 30 min |
`,
    'approvers.yaml': `roles:
  devops: [U01DEVOPS1]
  security: [U01SECURE1]
  architecture: [U01ARCH001]
  business-owner: [U01OWNER01]
`,
  };
}

/** Writes `files` into a new temporary directory and returns its path. */
export async function writeRunbooks(files: Record<string, string>): Promise<string> {
  const dir = tempDir('runbooks-');
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}
