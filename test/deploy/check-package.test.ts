import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkDistSecrets,
  checkHandlerFiles,
  checkTemplate,
  environmentSecrets,
  isReadAction,
  type Resource,
  type Template,
} from '../../scripts/check-package';
import { tempDir } from '../helpers/temp';

/** The smallest template that passes: what serverless.yml must keep generating. */
function passingTemplate(): Template {
  const fn = (name: string): Resource => ({
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: `runbook-bot-dev-${name}`,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Role: { 'Fn::GetAtt': [name === 'slack' ? 'SlackRole' : 'AlarmRole', 'Arn'] },
      Environment: {
        Variables: {
          SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/dev/',
          SLACK_BOT_TOKEN: '',
          ...(name === 'slack' ? { DEFERRED_MAX_ATTEMPTS: '3' } : {}),
        },
      },
    },
  });
  const logGroup = (name: string): Resource => ({
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: `/aws/lambda/runbook-bot-dev-${name}`, RetentionInDays: 14 },
  });
  return {
    Resources: {
      SlackLambdaFunction: fn('slack'),
      AlarmLambdaFunction: fn('alarm'),
      SlackLogGroup: logGroup('slack'),
      AlarmLogGroup: logGroup('alarm'),
      HttpApiRoutePostSlackEvents: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: { RouteKey: 'POST /slack/events' },
      },
      AlarmSnsSubscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: { Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['AlarmLambdaFunction', 'Arn'] } },
      },
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        },
      },
      SlackLambdaEvConf: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'SlackLambdaFunction' },
          MaximumRetryAttempts: 2,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeferredFailures', 'Arn'] } } },
        },
      },
      DeferredFailures: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
      SlackEventsRuleSchedule1: {
        Type: 'AWS::Events::Rule',
        Properties: {
          ScheduleExpression: 'rate(1 minute)',
          State: 'ENABLED',
          Targets: [{ Arn: { 'Fn::GetAtt': ['SlackLambdaFunction', 'Arn'] }, Id: 'slackSchedule' }],
        },
      },
      SlackLambdaPermissionEventsRuleSchedule1: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['SlackLambdaFunction', 'Arn'] },
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['SlackEventsRuleSchedule1', 'Arn'] },
        },
      },
      SlackRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            {
              PolicyName: 'slack',
              PolicyDocument: {
                Statement: [
                  {
                    Sid: 'DeferredFailures',
                    Effect: 'Allow',
                    Action: 'sqs:SendMessage',
                    Resource: { 'Fn::GetAtt': ['DeferredFailures', 'Arn'] },
                  },
                ],
              },
            },
          ],
        },
      },
      ReadPolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Statement: [
              { Sid: 'Metrics', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
            ],
          },
        },
      },
    },
  };
}

function withStatement(statement: Record<string, unknown>): Template {
  const template = passingTemplate();
  template.Resources!['ExtraRole'] = {
    Type: 'AWS::IAM::Role',
    Properties: { Policies: [{ PolicyName: 'extra', PolicyDocument: { Statement: [statement] } }] },
  };
  return template;
}

describe('checkTemplate: expected resources', () => {
  it('passes the template serverless.yml is meant to generate', () => {
    expect(checkTemplate(passingTemplate())).toEqual([]);
  });

  it('names each missing or misconfigured resource', () => {
    const template = passingTemplate();
    const resources = template.Resources!;
    delete resources['HttpApiRoutePostSlackEvents'];
    delete resources['AlarmSnsSubscription'];
    resources['SlackLambdaFunction']!.Properties!['Runtime'] = 'nodejs20.x';
    resources['AlarmLambdaFunction']!.Properties!['Architectures'] = ['x86_64'];
    resources['Table']!.Properties!['BillingMode'] = 'PROVISIONED';
    delete resources['Table']!.Properties!['PointInTimeRecoverySpecification'];
    delete resources['AlarmLogGroup']!.Properties!['RetentionInDays'];

    const messages = checkTemplate(template).map((f) => f.message);

    expect(messages).toEqual([
      'SlackLambdaFunction: runtime nodejs20.x is older than nodejs22.x',
      'AlarmLambdaFunction: architecture is not arm64',
      'no HTTP API route "POST /slack/events" (found: none)',
      'no SNS subscription of the alarm function',
      'Table: BillingMode is not PAY_PER_REQUEST',
      'Table: point-in-time recovery is not enabled',
      'AlarmLogGroup: no RetentionInDays',
    ]);
  });

  it('names deferred tasks that are never retried, an unsent failure, an unencrypted queue, and a role that cannot send', () => {
    const noRetry = passingTemplate();
    noRetry.Resources!['SlackLambdaEvConf']!.Properties!['MaximumRetryAttempts'] = 0;
    expect(checkTemplate(noRetry).map((f) => f.message)).toEqual([
      'SlackLambdaFunction: deferred tasks are not retried (MaximumRetryAttempts 0)',
      'SlackLambdaFunction: DEFERRED_MAX_ATTEMPTS is not MaximumRetryAttempts + 1 (1)',
    ]);
    const noQueue = passingTemplate();
    noQueue.Resources!['SlackLambdaEvConf']!.Properties!['DestinationConfig'] = {};
    expect(checkTemplate(noQueue).map((f) => f.message)).toEqual([
      'SlackLambdaFunction: no on-failure destination to an SQS queue of the stack',
    ]);
    const plain = passingTemplate();
    plain.Resources!['DeferredFailures']!.Properties = {};
    delete plain.Resources!['SlackRole'];
    expect(checkTemplate(plain).map((f) => f.message)).toEqual([
      'DeferredFailures: the on-failure queue is not encrypted',
      'SlackRole: may not sqs:SendMessage to DeferredFailures',
    ]);
  });
});

describe('checkTemplate: the timer sweep', () => {
  it('names a missing schedule, a slower one, another target, and EventBridge allowed from elsewhere', () => {
    const none = passingTemplate();
    delete none.Resources!['SlackEventsRuleSchedule1'];
    expect(checkTemplate(none).map((f) => f.message)).toEqual([
      'SlackLambdaFunction: no EventBridge schedule invokes it (the timer sweep)',
    ]);
    const slow = passingTemplate();
    const rule = slow.Resources!['SlackEventsRuleSchedule1']!.Properties!;
    rule['ScheduleExpression'] = 'rate(1 hour)';
    (rule['Targets'] as unknown[]).push({ Arn: 'arn:aws:lambda:eu-west-1:1:function:other', Id: 'x' });
    slow.Resources!['SlackLambdaPermissionEventsRuleSchedule1']!.Properties!['SourceArn'] = '*';
    expect(checkTemplate(slow).map((f) => f.message)).toEqual([
      'SlackEventsRuleSchedule1: the timer sweep runs on rate(1 hour), not rate(1 minute)',
      'SlackEventsRuleSchedule1: 2 targets; only the Slack function',
      'SlackLambdaFunction: EventBridge may invoke it other than from SlackEventsRuleSchedule1',
    ]);
  });
});

describe('checkTemplate: IAM', () => {
  it('allows read actions on "*"', () => {
    const template = withStatement({
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'route53:ListHealthChecks'],
      Resource: '*',
    });
    expect(checkTemplate(template)).toEqual([]);
  });

  it('rejects a write action, a wildcard action, NotAction and NotResource', () => {
    const cases = [
      {
        Sid: 'W',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:GetChange'],
        Resource: ['*'],
      },
      { Sid: 'Star', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      { Sid: 'NA', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' },
      { Sid: 'NR', Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::b' },
    ];
    const messages = cases.flatMap((s) =>
      checkTemplate(withStatement(s)).map((f) => `${f.rule}: ${f.message}`),
    );
    expect(messages).toEqual([
      'iam: ExtraRole/extra W: route53:ChangeResourceRecordSets on Resource "*"',
      'iam: ExtraRole/extra Star: dynamodb:* on Resource "*"',
      'iam: ExtraRole/extra NA: NotAction grants too much',
      'iam: ExtraRole/extra NR: NotResource grants too much',
    ]);
  });

  it('rejects a failover switch write on a wildcard, but not the stand-in that matches nothing', () => {
    const wide = withStatement({
      Sid: 'Sw',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::sitecraft-dr-switch/*'],
    });
    const none = withStatement({
      Effect: 'Allow',
      Action: 'route53-recovery-cluster:UpdateRoutingControlState',
      Resource: [
        'arn:aws:route53-recovery-control::*:controlpanel/none-declared-in-runbooks/routingcontrol/x',
      ],
    });

    expect(checkTemplate(wide).map((f) => f.message)).toEqual([
      'ExtraRole/extra Sw: s3:PutObject on a wildcard (arn:aws:s3:::sitecraft-dr-switch/*)',
    ]);
    expect(checkTemplate(none)).toEqual([]);
  });

  it('accepts a write action scoped to a resource, and ignores Deny', () => {
    const scoped = withStatement({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: { 'Fn::Sub': 'arn:x' },
    });
    const deny = withStatement({ Effect: 'Deny', Action: '*', Resource: '*' });
    expect([...checkTemplate(scoped), ...checkTemplate(deny)]).toEqual([]);
  });

  it('classifies actions by their verb', () => {
    expect(['cloudwatch:DescribeAlarms', 'dynamodb:Query', 'ssm:GetParameters'].map(isReadAction)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['kms:Decrypt', 'dynamodb:PutItem', 'route53:Get*', '*', 'lambda:InvokeFunction'].map(isReadAction),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('checkTemplate: secrets', () => {
  it('finds a Slack token anywhere in the template', () => {
    const template = passingTemplate();
    template['Outputs'] = { Leak: { Value: 'xoxb-1234567890-0987654321-AbCdEfGhIjKl' } };
    expect(checkTemplate(template)).toEqual([
      { rule: 'secrets', message: 'template: contains a Slack bot/user token' },
    ]);
  });

  it('finds an app-level token', () => {
    const template = passingTemplate();
    template['Outputs'] = { Leak: { Value: 'xapp-1-A0123456789-1234567890123-0123456789abcdef' } };
    expect(checkTemplate(template).map((f) => f.message)).toEqual([
      'template: contains a Slack app-level token',
    ]);
  });

  it('finds a signing secret (32 hex digits), but not a longer hex string such as a hash', () => {
    const template = passingTemplate();
    template['Outputs'] = { Leak: { Value: 'secret=0123456789abcdef0123456789abcdef' } };
    expect(checkTemplate(template).map((f) => f.message)).toEqual([
      'template: contains a Slack signing secret',
    ]);
    template['Outputs'] = {
      Hash: { Value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    };
    expect(checkTemplate(template)).toEqual([]);
  });

  it('finds a given secret value, and a secret variable set in a function environment', () => {
    const template = passingTemplate();
    template.Resources!['SlackLambdaFunction']!.Properties!['Environment'] = {
      Variables: { SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5', DEFERRED_MAX_ATTEMPTS: '3' },
    };
    expect(
      checkTemplate(template, { secrets: ['8f742231b10e8888abcd99yyyzzz85a5'] }).map((f) => f.message),
    ).toEqual([
      'template: contains the value of a secret from the environment',
      'SlackLambdaFunction: environment variable SLACK_SIGNING_SECRET is set in the template',
    ]);
  });

  it('scans the files that go into the zip', () => {
    const dist = tempDir('dist-');
    writeFileSync(join(dist, 'clean.cjs'), 'module.exports = "no secrets here";');
    writeFileSync(join(dist, 'artifact.json'), '{"text":"token xoxb-1111111111-2222222222-abcdefABCDEF"}');
    expect(checkDistSecrets(dist, [])).toEqual([
      { rule: 'secrets', message: `${join(dist, 'artifact.json')}: contains a Slack bot/user token` },
    ]);
  });

  it('takes the secret values of the environment, and only those', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-env',
      SLACK_SIGNING_SECRET: 'signing',
      PATH: '/usr/bin',
      SLACK_APP_TOKEN: '',
    };
    expect(environmentSecrets(env)).toEqual(['xoxb-env', 'signing']);
  });
});

describe('checkHandlerFiles', () => {
  const withHandlers = (...handlers: string[]): Template => ({
    Resources: Object.fromEntries(
      handlers.map((Handler, i) => [`Fn${i}`, { Type: 'AWS::Lambda::Function', Properties: { Handler } }]),
    ),
  });

  it('resolves each handler as the Node.js runtime does (.js, .mjs, .cjs) inside the dist directory', () => {
    const root = tempDir('handlers-');
    mkdirSync(join(root, 'dist', 'lambda'), { recursive: true });
    writeFileSync(join(root, 'dist', 'lambda', 'handler.mjs'), 'export const handler = 1;');
    writeFileSync(join(root, 'elsewhere.mjs'), 'export const handler = 1;');
    const dist = join(root, 'dist', 'lambda');

    expect(checkHandlerFiles(withHandlers('dist/lambda/handler.handler'), root, dist)).toEqual([]);
    expect(
      checkHandlerFiles(withHandlers('dist/lambda/alarm.handler', 'elsewhere.handler'), root, dist).map(
        (f) => `${f.rule}: ${f.message}`,
      ),
    ).toEqual([
      'resources: Fn0: handler dist/lambda/alarm.handler names no bundle file',
      `resources: Fn1: handler elsewhere.handler is outside ${dist}`,
    ]);
  });
});
