/**
 * The deployable package, built the way `npm run package` builds it (bundle, then `osls package`), with
 * no AWS credentials and with Slack secrets planted in the environment: the generated CloudFormation and
 * the zip are then checked by scripts/check-package.ts and against the runbooks and the source.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundle, chunksOf, entryFile, outputKey } from '../../scripts/bundle';
import { checkPackage, policyStatements, type Statement, type Template } from '../../scripts/check-package';
import type { Artifact } from '../../src/runbooks/model/model';
import { partName, type SplitIndex } from '../../src/runbooks/model/split';
import { loadTestArtifact, REPO_ROOT, testArtifactPath } from '../helpers/artifact';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { tempDir } from '../helpers/temp';
import { zipEntryNames } from './zip-entries';

const run = promisify(execFile);

/** Planted in the environment of `osls package`: none may reach the template or the zip. */
const PLANTED = {
  SLACK_BOT_TOKEN: 'xoxb-0000000001-0000000002-plantedPackageToken',
  SLACK_SIGNING_SECRET: 'planted-signing-secret-5a4b3c2d1e0f',
  SLACK_APP_TOKEN: 'xapp-1-A0PLANTED01-0000000000003-0123456789abcdef',
};
const SECRETS = [...Object.values(PLANTED), TEST_BOT_TOKEN, TEST_SIGNING_SECRET];

let artifact: Artifact;
let bundled: BundleResult;
let packageDir: string;
let template: Template;

/** The environment of a machine with no AWS credentials at all. */
function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...PLANTED };
  for (const name of Object.keys(env)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE)$/.test(name))
      delete env[name];
  }
  const nowhere = join(tmpdir(), 'no-aws-config-here');
  return {
    ...env,
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

beforeAll(async () => {
  artifact = await loadTestArtifact();
  bundled = await bundle({ root: REPO_ROOT, artifact: await testArtifactPath() });
  packageDir = tempDir('runbook-bot-package-');
  const osls = require.resolve('osls/bin/serverless.js');
  await run(process.execPath, [osls, 'package', '--stage', 'dev', '--package', packageDir], {
    cwd: REPO_ROOT,
    env: credentialFreeEnv(),
  });
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 180_000);

function resource(id: string) {
  const found = template.Resources?.[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}

function statementsOf(roleId: string): Statement[] {
  const arns = (resource(roleId).Properties?.['ManagedPolicyArns'] ?? []) as { Ref?: string }[];
  const managed = arns.map((arn) => arn.Ref);
  return policyStatements(template)
    .filter(({ where }) => where.startsWith(`${roleId}/`) || managed.includes(where.split(' ')[0]))
    .map(({ statement }) => statement);
}

function statement(roleId: string, sid: string): Statement {
  const found = statementsOf(roleId).find((s) => s.Sid === sid);
  if (!found) throw new Error(`${roleId} has no statement ${sid}`);
  return found;
}

function grants(statements: Statement[], action: string): boolean {
  return statements.some(
    (s) => s.Effect === 'Allow' && ([] as string[]).concat(s.Action ?? []).includes(action),
  );
}

describe('npm run package (osls package, offline)', () => {
  it('passes scripts/check-package.ts: resources, no write on "*", no plaintext secret', () => {
    const findings = checkPackage({
      template: join(packageDir, 'cloudformation-template-update-stack.json'),
      dist: bundled.outdir,
      secrets: SECRETS,
    });
    expect(findings).toEqual([]);
  });

  it('zips the bundle (entries, chunks), its source maps, the artifact and the approvers, and nothing else', () => {
    const entries = zipEntryNames(join(packageDir, 'runbook-bot.zip')).sort();
    const chunks = entries.filter((e) => e.startsWith('dist/lambda/chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((e) => /^dist\/lambda\/chunks\/[\w-]+\.mjs(\.map)?$/.test(e))).toBe(true);
    // The split artifact: its index, and the files it names in dist/lambda/artifact/ (model/split.ts).
    const slices = entries.filter((e) => e.startsWith('dist/lambda/artifact/'));
    const index = JSON.parse(readFileSync(join(bundled.outdir, 'artifact.json'), 'utf8')) as SplitIndex;
    const { slices: runbookFiles, procedures = [], checklists = {}, cards = {}, ...others } = index.files;
    expect(procedures.length).toBeGreaterThan(0);
    expect(Object.keys(checklists).length).toBeGreaterThan(0);
    // Answer cards (src/slack/render/answer.ts), one file per symptom that has one.
    expect(Object.keys(cards).length).toBeGreaterThan(0);
    // Runbook files and procedures are written in parts (model/split.ts `partName`).
    const parted = (names: string[], parts: number[][] | undefined) =>
      names.flatMap((name, f) => (parts?.[f] ?? []).map((_, p) => partName(name, p)));
    expect(slices).toEqual(
      [
        ...parted(runbookFiles, index.sections.parts),
        ...parted(procedures, index.procedures?.parts),
        ...Object.values(checklists),
        ...Object.values(cards),
        ...Object.values(others),
      ]
        .map((f) => `dist/lambda/artifact/${f}`)
        .sort(),
    );
    expect(
      entries.filter((e) => !e.startsWith('dist/lambda/chunks/') && !e.startsWith('dist/lambda/artifact/')),
    ).toEqual([
      'dist/lambda/alarm.mjs',
      'dist/lambda/alarm.mjs.map',
      'dist/lambda/approvers.yaml',
      'dist/lambda/artifact.json',
      // @slack/web-api, loaded on the first call to Slack's Web API (scripts/defer-modules.ts).
      'dist/lambda/deferred-web-api.cjs',
      'dist/lambda/deferred-web-api.cjs.map',
      'dist/lambda/handler.mjs',
      'dist/lambda/handler.mjs.map',
    ]);
    // Exactly what the bundle wrote: every chunk it imports, each with its map, except the facades of the
    // chunks merged into their entry (scripts/merge-chunks.ts), which hold no code of their own.
    const written = Object.keys(bundled.sizes).map((f) => relative(REPO_ROOT, join(REPO_ROOT, f)));
    expect(chunks).toEqual(written.filter((f) => f.startsWith('dist/lambda/chunks/')).sort());
    const facade =
      /^export \{[\w$, ]*\} from "\.\/\.\.\/(handler|alarm)\.mjs";\n$|^import "\.\/\.\.\/(handler|alarm)\.mjs";\n$/;
    const code = chunks.filter(
      (e) => e.endsWith('.mjs') && !facade.test(readFileSync(join(REPO_ROOT, e), 'utf8')),
    );
    expect(code.length).toBeGreaterThan(0);
    expect(code.length).toBeLessThan(chunks.filter((e) => e.endsWith('.mjs')).length);
    for (const chunk of code) expect(chunks).toContain(`${chunk}.map`);
  });

  it('points the functions at files in the zip and at their SSM secrets', () => {
    for (const id of ['SlackLambdaFunction', 'AlarmLambdaFunction']) {
      const props = resource(id).Properties!;
      const variables = (props['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({
        RUNBOOK_ARTIFACT: 'dist/lambda/artifact.json',
        APPROVERS_FILE: 'dist/lambda/approvers.yaml',
        SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/dev/',
        TABLE_NAME: { Ref: 'Table' },
      });
      // The Node.js runtime resolves `dist/lambda/handler` to handler.mjs (no .js beside it).
      const file = String(props['Handler']).replace(/\.handler$/, '.mjs');
      expect(file).toMatch(/^dist\/lambda\/(handler|alarm)\.mjs$/);
      expect(existsSync(join(REPO_ROOT, file.replace(/\.mjs$/, '.js')))).toBe(false);
      expect(Object.keys(bundled.metafile.outputs)).toContain(relative(REPO_ROOT, join(REPO_ROOT, file)));
    }
    const ssm = statement('SlackRole', 'SlackSecrets');
    expect(ssm.Action).toBe('ssm:GetParameters');
    const parameterArn =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
      'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/runbook-bot/dev/*';
    expect(ssm.Resource).toEqual({ 'Fn::Sub': parameterArn });
  });

  it('lets Lambda retry a failed deferred task twice, then sends it to an encrypted queue the function may write to', () => {
    const config = Object.values(template.Resources ?? {}).find(
      (r) => r.Type === 'AWS::Lambda::EventInvokeConfig',
    );
    expect(config?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 900,
      FunctionName: { Ref: 'SlackLambdaFunction' },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeferredFailures', 'Arn'] } } },
    });
    expect(resource('DeferredFailures')).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true },
    });
    const variables = (resource('SlackLambdaFunction').Properties!['Environment'] as { Variables: object })
      .Variables;
    expect(variables).toMatchObject({ DEFERRED_MAX_ATTEMPTS: '3' });
    expect(statement('SlackRole', 'DeferredFailures')).toMatchObject({
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['DeferredFailures', 'Arn'] },
    });
    expect(grants(statementsOf('AlarmRole'), 'sqs:SendMessage')).toBe(false);
  });
});

describe('code splitting (ES modules)', () => {
  const staticInputs = (name: string) => {
    const entry = outputKey(bundled.metafile, entryFile(bundled.outdir, name), REPO_ROOT);
    return chunksOf(bundled.metafile, entry).flatMap((chunk) =>
      Object.keys(bundled.metafile.outputs[chunk]?.inputs ?? {}),
    );
  };

  it.each(['handler', 'alarm'])(
    '%s: what src imports lazily (AWS clients, store, SSM) is in chunks loaded by import(), not at start',
    (name) => {
      const atStart = staticInputs(name);
      expect(atStart).toContain(`src/entry/${name === 'handler' ? 'lambda' : 'alarm'}.ts`);
      // One file at cold start: the entry holds every chunk it imported statically (scripts/merge-chunks.ts).
      const entry = outputKey(bundled.metafile, entryFile(bundled.outdir, name), REPO_ROOT);
      expect(chunksOf(bundled.metafile, entry)).toEqual([entry]);
      const lazy = [
        'src/aws/index.ts',
        'src/aws/ssm-secrets.ts',
        // The seal and the runner of deferred tasks: loaded with the first task, not with a search.
        'src/aws/deferred-seal.ts',
        'src/slack/deferred-runner.ts',
        'src/workflows/sealed.ts',
        'src/store/dynamo.ts',
        'src/store/dynalite.ts',
      ];
      expect(atStart.filter((f) => lazy.includes(f) || f.includes('node_modules/@aws-sdk/'))).toEqual([]);
      const all = chunksOf(
        bundled.metafile,
        outputKey(bundled.metafile, entryFile(bundled.outdir, name), REPO_ROOT),
        { dynamic: true },
      ).flatMap((chunk) => Object.keys(bundled.metafile.outputs[chunk]?.inputs ?? {}));
      for (const file of ['src/aws/ssm-secrets.ts', 'src/store/dynamo.ts']) expect(all).toContain(file);
    },
  );

  it('handler: the lazy features, their workflows and renderers, and fuse.js load on first use, not at start', () => {
    const atStart = staticInputs('handler');
    // A lazy feature's folder loads at start only its manifest and what the manifest reads.
    const light =
      /^src\/slack\/features\/([^/]+\/(manifest|subcommands)|checklists\/(phrase|approvers-at-start))\.ts$/;
    const lazy =
      /^src\/slack\/features\/[^/]+\/|^src\/slack\/deferred-reply\.ts$|^src\/slack\/render\/(checklist[^/]*|status[^/]*|tree)\.ts$|^src\/workflows\/(?!approvers\.ts)|node_modules\/fuse\.js\//;
    expect(atStart.filter((f) => lazy.test(f) && !light.test(f))).toEqual([]);
    expect(atStart).toContain('src/slack/features/checklists/manifest.ts');
    expect(atStart).toContain('src/slack/features/search.ts');
    const all = chunksOf(
      bundled.metafile,
      outputKey(bundled.metafile, entryFile(bundled.outdir, 'handler'), REPO_ROOT),
      { dynamic: true },
    ).flatMap((chunk) => Object.keys(bundled.metafile.outputs[chunk]?.inputs ?? {}));
    for (const file of [
      'src/slack/features/checklists/checklists.ts',
      'src/slack/features/status/status.ts',
      'src/runbooks/search/fuzzy.ts',
    ])
      expect(all).toContain(file);
  });

  it('leaves dynalite out of the bundle, imported only from a lazily loaded chunk', () => {
    const importers = Object.entries(bundled.metafile.outputs).filter(([, o]) =>
      o.imports.some((i) => i.path === 'dynalite'),
    );
    expect(Object.keys(bundled.metafile.inputs).filter((f) => f.includes('node_modules/dynalite/'))).toEqual(
      [],
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const [file] of importers) {
      expect(file).toMatch(/\/chunks\//);
      for (const name of ['handler', 'alarm']) {
        const entry = outputKey(bundled.metafile, entryFile(bundled.outdir, name), REPO_ROOT);
        expect(chunksOf(bundled.metafile, entry)).not.toContain(file);
      }
    }
  });
});

describe('least privilege', () => {
  it('runs the timer sweep every minute: one EventBridge rule, the Slack function its only target', () => {
    const rules = Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)' });
    expect(JSON.stringify(rule.Properties?.['Targets'])).toContain('SlackLambdaFunction');
    // The table's index entries are deleted by the Slack function only.
    expect(statement('SlackRole', 'RunIndex')).toMatchObject({ Action: 'dynamodb:DeleteItem' });
    expect(grants(statementsOf('AlarmRole'), 'dynamodb:DeleteItem')).toBe(false);
  });

  it('lets the Slack function invoke itself and nothing else', () => {
    const invoke = statement('SlackRole', 'InvokeSelf');
    expect(invoke.Resource).toEqual({
      'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${resource('SlackLambdaFunction').Properties!['FunctionName']}`,
    });
    expect(grants(statementsOf('AlarmRole'), 'lambda:InvokeFunction')).toBe(false);
  });

  it('scopes Route 53 to exactly the records, zones and health checks the runbooks declare', () => {
    const records = Object.values(artifact.records).flat();
    expect(records.length).toBeGreaterThan(0);
    const zones = [...new Set(records.map((r) => `arn:aws:route53:::hostedzone/${r.hostedZoneId}`))].sort();
    const sets = Object.values(artifact.switches ?? {});
    const checks = [
      ...new Set([
        ...records.flatMap((r) => (r.healthCheckId ? [r.healthCheckId] : [])),
        ...sets.flatMap((set) => [
          set.calculatedHealthCheckId,
          ...set.primaryHealthCheckIds,
          ...set.secondaryHealthCheckIds,
          ...set.switches.map((sw) => sw.healthCheckId),
        ]),
      ]),
    ]
      .map((id) => `arn:aws:route53:::healthcheck/${id}`)
      .sort();

    const change = statement('SlackRole', 'FailoverRecordsChange');
    expect(change.Resource).toEqual(zones);
    expect(change.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
          ...new Set(records.map((r) => r.name.toLowerCase().replace(/\.$/, ''))),
        ].sort(),
        'route53:ChangeResourceRecordSetsRecordTypes': [...new Set(records.map((r) => r.type))].sort(),
        'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
      },
    });
    expect(statement('SlackRole', 'FailoverRecordsRead').Resource).toEqual(zones);
    expect(statement('SlackRole', 'HealthChecks').Resource).toEqual(checks);
    expect(grants(statementsOf('AlarmRole'), 'route53:ChangeResourceRecordSets')).toBe(false);
  });

  it('scopes the failover switch and the warm-up to exactly what the runbooks declare', () => {
    const switches = Object.values(artifact.switches ?? {}).flatMap((set) => set.switches);
    const objects = switches.flatMap((sw) => (sw.bucket ? [`arn:aws:s3:::${sw.bucket}/${sw.key}`] : []));
    expect(objects.length).toBeGreaterThan(0);
    const warmups = Object.values(artifact.warmups ?? {}).flat();

    expect(statement('SlackRole', 'FailoverSwitchObject')).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: objects.sort(),
    });
    expect(statement('SlackRole', 'WarmUp').Resource).toEqual(
      warmups
        .map((w) => ({
          'Fn::Sub': `arn:aws:lambda:${w.region}:\${AWS::AccountId}:function:${w.functionName}:${w.qualifier}`,
        }))
        .sort((a, b) => a['Fn::Sub'].localeCompare(b['Fn::Sub'])),
    );
    // No routing control is declared: the statement names nothing that exists.
    expect(statement('SlackRole', 'FailoverRoutingControl').Resource).toEqual([
      expect.stringContaining('none-declared-in-runbooks'),
    ]);
    for (const role of ['AlarmRole']) {
      for (const action of ['s3:PutObject', 'lambda:PutProvisionedConcurrencyConfig'])
        expect(grants(statementsOf(role), action)).toBe(false);
    }
  });

  it('grants the Slack function every AWS action its bundled source calls', () => {
    // Only for local development and tests (src/store/dynamo.ts `ensureTable`); the table is CloudFormation's.
    const notOnLambda = new Set(['dynamodb:CreateTable', 'dynamodb:DescribeTable']);
    const prefixes: Record<string, string> = {
      cloudwatch: 'cloudwatch',
      'cloudwatch-logs': 'logs',
      dynamodb: 'dynamodb',
      lambda: 'lambda',
      'route-53': 'route53',
      'route53-recovery-cluster': 'route53-recovery-cluster',
      s3: 's3',
      ssm: 'ssm',
    };
    // Everything the handler can ever run: its entry chunk and every chunk reachable from it, statically or
    // through `import()` (the AWS clients are loaded lazily, in chunks of their own).
    const entry = outputKey(bundled.metafile, entryFile(bundled.outdir, 'handler'), REPO_ROOT);
    const sources = [
      ...new Set(
        chunksOf(bundled.metafile, entry, { dynamic: true }).flatMap((chunk) =>
          Object.keys(bundled.metafile.outputs[chunk]?.inputs ?? {}),
        ),
      ),
    ].filter((f) => f.startsWith('src/'));
    expect(sources.length).toBeGreaterThan(0);
    const actions = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
        const prefix = prefixes[m[2]!];
        if (prefix === undefined)
          throw new Error(`${file}: add @aws-sdk/client-${m[2]} to this test's prefixes`);
        for (const name of m[1]!.matchAll(/\b(\w+)Command\b/g)) actions.add(`${prefix}:${name[1]}`);
      }
    }
    // `lambda:Invoke` is the API; its IAM action is `lambda:InvokeFunction`.
    const required = [...actions].map((a) => (a === 'lambda:Invoke' ? 'lambda:InvokeFunction' : a));
    expect(required).toEqual(
      expect.arrayContaining([
        'route53:ChangeResourceRecordSets',
        's3:PutObject',
        'route53-recovery-cluster:UpdateRoutingControlState',
        'lambda:PutProvisionedConcurrencyConfig',
        'route53:GetHealthCheck',
      ]),
    );
    expect(required.filter((a) => !notOnLambda.has(a) && !grants(statementsOf('SlackRole'), a))).toEqual([]);
  });

  it('lets the alarm function read its secrets, use the table and write its logs, and nothing more', () => {
    // It only posts notifications (docs/iam.md); every button it shows is handled by the Slack function.
    const actions = statementsOf('AlarmRole').flatMap((s) => ([] as string[]).concat(s.Action ?? []));
    expect(actions.sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ssm:GetParameters',
    ]);
  });
});

describe('the bundled handler, unpacked alone as in /var/task', () => {
  let taskRoot: string;
  beforeAll(() => {
    // Away from the repository: no node_modules to fall back on, as on Lambda.
    taskRoot = tempDir('var-task-');
    cpSync(bundled.outdir, join(taskRoot, 'dist', 'lambda'), { recursive: true });
  });

  /** One cold start: a fresh process loads the bundle and hands it one API Gateway v2 event. */
  async function invoke(contentType: string, body: string): Promise<{ statusCode: number; body?: string }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', TEST_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const event = apiGatewayV2Event(body, {
      'content-type': contentType,
      'x-slack-signature': signature,
      'x-slack-request-timestamp': timestamp,
    });
    // As the Lambda runtime loads an ES module handler: import() of its file URL.
    const script = `import(require('node:url').pathToFileURL('dist/lambda/handler.mjs').href)
      .then((m) => m.handler(${JSON.stringify(event)}, {}))
      .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ['-e', script], {
      cwd: taskRoot,
      env: {
        PATH: process.env['PATH'],
        AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-dev-slack',
        AWS_REGION: 'eu-west-1',
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_USER_ID: 'U0BOT0001',
        SLACK_BOT_ID: 'B0BOT0001',
        RUNBOOK_ARTIFACT: 'dist/lambda/artifact.json',
        APPROVERS_FILE: 'dist/lambda/approvers.yaml',
        // Not reached by these requests; the point is that start-up needs nothing else.
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
        AWS_SIMULATION: 'primary-healthy',
        LOG_LEVEL: 'error',
      },
    });
    return JSON.parse(stdout);
  }

  it("answers Slack's url_verification", async () => {
    const answer = await invoke(
      'application/json',
      JSON.stringify({ type: 'url_verification', challenge: 'c-42' }),
    );
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(answer.body ?? '{}')).toEqual({ challenge: 'c-42' });
  });

  /** Sends `/runbook <text>` through the bundled handler; returns its ack body and its response_url posts. */
  async function command(text: string): Promise<{ statusCode: number; replies: string[] }> {
    const replies: string[] = [];
    const server = createServer((req, res) => {
      let received = '';
      req.on('data', (chunk) => {
        received += chunk;
      });
      req.on('end', () => {
        replies.push(received);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = new URLSearchParams({
        command: '/runbook',
        text,
        user_id: 'U0USER0001',
        user_name: 'ana',
        channel_id: 'C0123ABCD',
        channel_name: 'ops',
        team_id: 'T0TEAM0001',
        team_domain: 'sitecraft',
        api_app_id: 'A0APP00001',
        is_enterprise_install: 'false',
        response_url: `http://127.0.0.1:${port}/commands/T0TEAM0001/1/x`,
        trigger_id: '1.2.3',
      }).toString();
      const answer = await invoke('application/x-www-form-urlencoded', body);
      // An answer in the ack body (search, help, list, contacts) counts as the command's first reply.
      return { statusCode: answer.statusCode, replies: [...(answer.body ? [answer.body] : []), ...replies] };
    } finally {
      server.close();
    }
  }

  it('runs /runbook help through Bolt and answers in the ack body (stubbed packages are never used)', async () => {
    const { statusCode, replies } = await command('help');
    expect(statusCode).toBe(200);
    expect(replies.join('\n')).toContain('/runbook');
  });

  it('loads a lazy feature from its chunk on first use (diagnose) and fuse.js for a mistyped query', async () => {
    const tree = await command('diagnose login');
    expect(tree.statusCode).toBe(200);
    expect(tree.replies.join('\n')).toContain('Authentication tree');
    const typo = await command('tokn expird');
    expect(typo.statusCode).toBe(200);
    expect(typo.replies.join('\n')).toContain('Token expired');
  });
});
