/**
 * Checks what `osls package` generated before anyone deploys it:
 *
 * - the expected resources: both functions (nodejs22.x or newer, arm64), the HTTP API route
 *   `POST /slack/events`, the SNS subscription of the alarm function, the DynamoDB table (on demand, point in
 *   time recovery, pk/sk), a log group with a retention for each function;
 * - deferred tasks: the Slack function's async invocations are retried (MaximumRetryAttempts ≥ 1, and its
 *   DEFERRED_MAX_ATTEMPTS is that + 1) and then sent to an encrypted SQS queue its role may write to;
 * - the timer sweep: one EventBridge rule, every minute, targets the Slack function, and the only permission
 *   EventBridge gets is to invoke that function from that rule;
 * - least privilege: no Allow statement grants a write action (or a wildcard action) on `Resource: "*"`, the
 *   failover switch's writes (S3 objects, ARC routing controls, provisioned concurrency) name no wildcard
 *   resource, and no statement uses NotAction/NotResource;
 * - no secret in plaintext, in the template or in the files that go into the zip: Slack token shapes
 *   (`xoxb-…`, `xapp-…`), a value in an environment variable named like a secret, and any given value;
 * - every function's handler resolves to a bundle file inside the dist directory, the way the Lambda
 *   Node.js runtime resolves it (`dist/lambda/handler.handler` → handler.js, .mjs or .cjs, in that order;
 *   scripts/bundle.ts writes ES modules, `.mjs`).
 *
 *   npx tsx scripts/check-package.ts [--template=.serverless/cloudformation-template-update-stack.json]
 *     [--dist=dist/lambda]
 *
 * Secret values of the current environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN) are
 * always among the values looked for.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type Template = { Resources?: Record<string, Resource> } & Record<string, unknown>;
export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface Finding {
  rule: 'resources' | 'iam' | 'secrets';
  message: string;
}

export const MIN_NODE_RUNTIME = 22;
export const SLACK_ROUTE = 'POST /slack/events';

/** Slack credential shapes: tokens are `xoxb-` / `xapp-` followed by numbered parts. */
export const SECRET_PATTERNS: { name: string; pattern: RegExp }[] = [
  { name: 'Slack bot/user token', pattern: /xox[abposr]-\d+-[\w-]{6,}/ },
  { name: 'Slack app-level token', pattern: /xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]+/ },
  // Slack signing secrets are 32 lower-case hex digits.
  { name: 'Slack signing secret', pattern: /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/ },
];

/** Environment variables whose value must never be set in the template (`SLACK_SECRETS_SSM_PREFIX` may). */
const SECRET_VARIABLE = /(SECRET|TOKEN|PASSWORD|PRIVATE_KEY)$/i;

/** Variables of the current environment whose values must never reach the package. */
export const SECRET_ENV_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;

export function checkTemplate(template: Template, options: { secrets?: string[] } = {}): Finding[] {
  return [
    ...checkResources(template),
    ...checkIam(template),
    ...checkSecretsInText('template', JSON.stringify(template), options.secrets ?? []),
    ...checkSecretEnvironment(template),
  ];
}

// --- expected resources -------------------------------------------------------------------------------

function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function checkResources(template: Template): Finding[] {
  const findings: Finding[] = [];
  const missing = (message: string) => findings.push({ rule: 'resources', message });

  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  for (const name of ['slack', 'alarm']) {
    const found = functions.find(([, r]) =>
      String(r.Properties?.['FunctionName'] ?? '').endsWith(`-${name}`),
    );
    if (!found) {
      missing(`no Lambda function named *-${name}`);
      continue;
    }
    const [id, fn] = found;
    const runtime = String(fn.Properties?.['Runtime'] ?? '');
    const version = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1] ?? 0);
    if (version < MIN_NODE_RUNTIME)
      missing(`${id}: runtime ${runtime || '(none)'} is older than nodejs${MIN_NODE_RUNTIME}.x`);
    const architectures = fn.Properties?.['Architectures'];
    if (!Array.isArray(architectures) || architectures.join() !== 'arm64')
      missing(`${id}: architecture is not arm64`);
  }

  const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
    ([, r]) => r.Properties?.['RouteKey'],
  );
  if (!routes.includes(SLACK_ROUTE))
    missing(`no HTTP API route "${SLACK_ROUTE}" (found: ${routes.join(', ') || 'none'})`);

  const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').filter(
    ([, r]) =>
      r.Properties?.['Protocol'] === 'lambda' && refersTo(r.Properties?.['Endpoint'], 'AlarmLambdaFunction'),
  );
  if (subscriptions.length === 0) missing('no SNS subscription of the alarm function');

  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
  if (tables.length !== 1) missing(`expected one DynamoDB table, found ${tables.length}`);
  for (const [id, table] of tables) {
    const p = table.Properties ?? {};
    if (p['BillingMode'] !== 'PAY_PER_REQUEST') missing(`${id}: BillingMode is not PAY_PER_REQUEST`);
    const pitr = p['PointInTimeRecoverySpecification'] as
      | { PointInTimeRecoveryEnabled?: unknown }
      | undefined;
    if (pitr?.PointInTimeRecoveryEnabled !== true) missing(`${id}: point-in-time recovery is not enabled`);
    const keys = JSON.stringify(p['KeySchema']);
    const expectedKeys = JSON.stringify([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    if (keys !== expectedKeys) missing(`${id}: key schema is not pk (HASH) + sk (RANGE)`);
  }

  findings.push(...checkDeferredRetries(template, functions));
  findings.push(...checkTimerSchedule(template, functions));

  const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');
  for (const [id, fn] of functions) {
    const name = String(fn.Properties?.['FunctionName'] ?? '');
    const group = logGroups.find(([, g]) => g.Properties?.['LogGroupName'] === `/aws/lambda/${name}`);
    if (!group) missing(`${id}: no log group /aws/lambda/${name}`);
    else if (typeof group[1].Properties?.['RetentionInDays'] !== 'number')
      missing(`${group[0]}: no RetentionInDays`);
  }
  return findings;
}

/** Lambda retries a failed deferred task, then hands it to an on-failure queue the function may write to. */
function checkDeferredRetries(template: Template, functions: [string, Resource][]): Finding[] {
  const findings: Finding[] = [];
  const missing = (message: string) => findings.push({ rule: 'resources', message });
  const slack = functions.find(([, r]) => String(r.Properties?.['FunctionName'] ?? '').endsWith('-slack'));
  if (!slack) return findings;
  const [fnId, fn] = slack;
  const config = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').find(([, r]) =>
    refersTo(r.Properties?.['FunctionName'], fnId),
  )?.[1];
  const retries = config?.Properties?.['MaximumRetryAttempts'];
  if (typeof retries !== 'number' || retries < 1)
    missing(`${fnId}: deferred tasks are not retried (MaximumRetryAttempts ${String(retries)})`);
  const variables = (fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables;
  if (typeof retries === 'number' && Number(variables?.['DEFERRED_MAX_ATTEMPTS']) !== retries + 1)
    missing(`${fnId}: DEFERRED_MAX_ATTEMPTS is not MaximumRetryAttempts + 1 (${retries + 1})`);
  const destination = (config?.Properties?.['DestinationConfig'] as { OnFailure?: { Destination?: unknown } })
    ?.OnFailure?.Destination;
  const queue = resourcesOfType(template, 'AWS::SQS::Queue').find(([id]) => refersTo(destination, id));
  if (!queue) {
    missing(`${fnId}: no on-failure destination to an SQS queue of the stack`);
    return findings;
  }
  const [queueId, q] = queue;
  if (q.Properties?.['SqsManagedSseEnabled'] !== true && q.Properties?.['KmsMasterKeyId'] === undefined)
    missing(`${queueId}: the on-failure queue is not encrypted`);
  const role = String((fn.Properties?.['Role'] as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0] ?? '');
  const sends = policyStatements(template).some(
    ({ where, statement }) =>
      where.startsWith(`${role}/`) &&
      statement.Effect === 'Allow' &&
      ([] as string[]).concat(statement.Action ?? []).includes('sqs:SendMessage') &&
      refersTo(statement.Resource, queueId),
  );
  if (!sends) missing(`${role || fnId}: may not sqs:SendMessage to ${queueId}`);
  return findings;
}

/** The timer sweep's schedule: a one-minute rule whose only target is the Slack function, allowed from that rule. */
function checkTimerSchedule(template: Template, functions: [string, Resource][]): Finding[] {
  const findings: Finding[] = [];
  const missing = (message: string) => findings.push({ rule: 'resources', message });
  const slack = functions.find(([, r]) => String(r.Properties?.['FunctionName'] ?? '').endsWith('-slack'));
  if (!slack) return findings;
  const [fnId] = slack;
  const rules = resourcesOfType(template, 'AWS::Events::Rule');
  const rule = rules.find(([, r]) =>
    ((r.Properties?.['Targets'] as { Arn?: unknown }[] | undefined) ?? []).some((t) => refersTo(t.Arn, fnId)),
  );
  if (!rule) {
    missing(`${fnId}: no EventBridge schedule invokes it (the timer sweep)`);
    return findings;
  }
  const [ruleId, r] = rule;
  if (r.Properties?.['ScheduleExpression'] !== 'rate(1 minute)')
    missing(
      `${ruleId}: the timer sweep runs on ${String(r.Properties?.['ScheduleExpression'])}, not rate(1 minute)`,
    );
  const targets = (r.Properties?.['Targets'] as unknown[] | undefined) ?? [];
  if (targets.length !== 1) missing(`${ruleId}: ${targets.length} targets; only the Slack function`);
  const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
    ([, p]) => p.Properties?.['Principal'] === 'events.amazonaws.com',
  );
  if (permissions.length !== 1 || !refersTo(permissions[0]?.[1].Properties?.['SourceArn'], ruleId))
    missing(`${fnId}: EventBridge may invoke it other than from ${ruleId}`);
  return findings;
}

function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${logicalId}"`);
}

// --- IAM ------------------------------------------------------------------------------------------------

export interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

/** Every statement of every identity policy in the template, with where it stands. */
export function policyStatements(template: Template): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  const add = (where: string, document: unknown) => {
    const statements = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    for (const statement of ([] as Statement[]).concat(statements ?? [])) {
      out.push({ where: statement.Sid ? `${where} ${statement.Sid}` : where, statement });
    }
  };
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role') {
      for (const policy of (p['Policies'] as
        | { PolicyName?: string; PolicyDocument?: unknown }[]
        | undefined) ?? []) {
        add(`${id}/${policy.PolicyName ?? '?'}`, policy.PolicyDocument);
      }
    } else if (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') {
      add(id, p['PolicyDocument']);
    }
  }
  return out;
}

/**
 * Read-only by name: IAM's List/Read access levels are, across services, the Get/List/Describe/... verbs.
 * Anything else (Put, Update, Change, Invoke, Decrypt, ...) counts as a write, and so does any wildcard.
 */
const READ_VERBS = /^(Get|List|Describe|BatchGet|Query|Scan|Search|Lookup|View|Select|Test|Check)([A-Z]|$)/;

export function isReadAction(action: string): boolean {
  const [, verb] = action.split(':', 2);
  if (verb === undefined || verb.includes('*')) return false;
  return READ_VERBS.test(verb);
}

function checkIam(template: Template): Finding[] {
  const findings: Finding[] = [];
  for (const { where, statement } of policyStatements(template)) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined)
      findings.push({ rule: 'iam', message: `${where}: NotAction grants too much` });
    if (statement.NotResource !== undefined) {
      findings.push({ rule: 'iam', message: `${where}: NotResource grants too much` });
    }
    const resources = ([] as unknown[]).concat(statement.Resource ?? []);
    const writes = ([] as string[]).concat(statement.Action ?? []).filter((action) => !isReadAction(action));
    if (resources.includes('*') && writes.length > 0) {
      findings.push({ rule: 'iam', message: `${where}: ${writes.join(', ')} on Resource "*"` });
      continue;
    }
    // The failover switch's writes (S3 objects, ARC routing controls, provisioned concurrency) name their
    // resources exactly: a wildcard there would let the bot turn or warm anything.
    const switchWrites = writes.filter((a) => SCOPED_WRITE.test(a));
    const wild = resources.filter(
      (r) => typeof r === 'string' && r.includes('*') && !NO_RESOURCE_ARN.test(r),
    );
    if (switchWrites.length > 0 && wild.length > 0) {
      findings.push({
        rule: 'iam',
        message: `${where}: ${switchWrites.join(', ')} on a wildcard (${wild.join(', ')})`,
      });
    }
  }
  return findings;
}

/** Writes that must name exact resources (scripts/bundle.ts derives them from the runbooks). */
const SCOPED_WRITE =
  /^(s3:Put|s3:Delete|route53-recovery-cluster:Update|lambda:(Put|Delete)ProvisionedConcurrency)/;
/** scripts/bundle.ts's stand-in when the runbooks declare nothing: it matches no real resource. */
const NO_RESOURCE_ARN = /none-declared-in-runbooks/;

// --- secrets --------------------------------------------------------------------------------------------

export function checkSecretsInText(where: string, text: string, secrets: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const { name, pattern } of SECRET_PATTERNS) {
    if (pattern.test(text)) findings.push({ rule: 'secrets', message: `${where}: contains a ${name}` });
  }
  for (const secret of secrets) {
    // Short values (`1`, `true`) would match anything; a real secret is never that short.
    if (secret.length >= 8 && text.includes(secret)) {
      findings.push({
        rule: 'secrets',
        message: `${where}: contains the value of a secret from the environment`,
      });
    }
  }
  return findings;
}

function checkSecretEnvironment(template: Template): Finding[] {
  const findings: Finding[] = [];
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const variables = (fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    for (const [name, value] of Object.entries(variables ?? {})) {
      if (SECRET_VARIABLE.test(name) && value !== '' && value !== undefined) {
        findings.push({
          rule: 'secrets',
          message: `${id}: environment variable ${name} is set in the template`,
        });
      }
    }
  }
  return findings;
}

/** Scans every text file that goes into the zip (the bundle directory). */
export function checkDistSecrets(dist: string, secrets: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of listFiles(dist)) {
    findings.push(...checkSecretsInText(file, readFileSync(file, 'utf8'), secrets));
  }
  return findings;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function environmentSecrets(env: Record<string, string | undefined> = process.env): string[] {
  return SECRET_ENV_VARIABLES.flatMap((name) => (env[name] ? [env[name]] : []));
}

// --- handlers -------------------------------------------------------------------------------------------

/** The extensions the Lambda Node.js runtime tries for a handler's module, in its order. */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/**
 * Each function's `Handler` (`dist/lambda/handler.handler`: module path, then export) names a module file
 * under `root` (the package's root, where the zip is unpacked) that lies inside `dist`.
 */
export function checkHandlerFiles(template: Template, root: string, dist: string): Finding[] {
  const findings: Finding[] = [];
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const handler = String(fn.Properties?.['Handler'] ?? '');
    const modulePath = handler.slice(0, handler.lastIndexOf('.'));
    const file = HANDLER_EXTENSIONS.map((ext) => resolve(root, `${modulePath}${ext}`)).find((f) =>
      existsSync(f),
    );
    if (!modulePath || !file) {
      findings.push({
        rule: 'resources',
        message: `${id}: handler ${handler || '(none)'} names no bundle file`,
      });
    } else if (relative(resolve(dist), file).startsWith('..')) {
      findings.push({ rule: 'resources', message: `${id}: handler ${handler} is outside ${dist}` });
    }
  }
  return findings;
}

// --- CLI ------------------------------------------------------------------------------------------------

export function checkPackage(options: {
  template: string;
  dist: string;
  secrets: string[];
  /** Where the handler paths start (the zip's root); default: two levels above dist (dist/lambda → .). */
  root?: string;
}): Finding[] {
  const template = JSON.parse(readFileSync(options.template, 'utf8')) as Template;
  return [
    ...checkTemplate(template, { secrets: options.secrets }),
    ...checkHandlerFiles(template, options.root ?? dirname(dirname(resolve(options.dist))), options.dist),
    ...checkDistSecrets(options.dist, options.secrets),
  ];
}

if (require.main === module) {
  const args = Object.fromEntries(
    process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=', 2) as [string, string | undefined]),
  );
  const template = resolve(args['template'] ?? '.serverless/cloudformation-template-update-stack.json');
  const dist = resolve(args['dist'] ?? 'dist/lambda');
  const findings = checkPackage({ template, dist, secrets: environmentSecrets() });
  if (findings.length > 0) {
    for (const f of findings) console.error(`✗ [${f.rule}] ${f.message}`);
    process.exitCode = 1;
  } else {
    console.log(
      `✓ ${template}: expected resources present, no write action on "*", no plaintext secret, handlers in ${dist}`,
    );
  }
}
