import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  readSlackSecrets,
  SsmSecretsError,
  sdkGetParameters,
  secretParameterNames,
} from '../../src/aws/ssm-secrets';
import { readsSecretsFromSsm, withSlackSecrets } from '../../src/config';
import { createLambdaHandler } from '../../src/entry/lambda';
import { testArtifactPath } from '../helpers/artifact';
import { signSlackRequest } from '../helpers/signed';
import { tempDir } from '../helpers/temp';

const ssm = mockClient(SSMClient);
const client = sdkGetParameters(
  new SSMClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  }),
);

const BOT_TOKEN = 'xoxb-1111-2222-ssmTestToken';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

afterEach(() => ssm.reset());

describe('secretParameterNames', () => {
  it('names one parameter per Slack secret under the prefix, with or without a trailing slash', () => {
    const expected = {
      '/runbook-bot/prod/slack-bot-token': 'SLACK_BOT_TOKEN',
      '/runbook-bot/prod/slack-signing-secret': 'SLACK_SIGNING_SECRET',
    };
    expect(secretParameterNames('/runbook-bot/prod/')).toEqual(expected);
    expect(secretParameterNames('/runbook-bot/prod')).toEqual(expected);
  });

  it('rejects a prefix that is not a path', () => {
    expect(() => secretParameterNames('runbook-bot/prod')).toThrow(/must start with "\/"/);
  });
});

describe('readSlackSecrets', () => {
  it('reads both parameters in one decrypted GetParameters call and returns them as variables', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [
        { Name: '/runbook-bot/dev/slack-signing-secret', Type: 'SecureString', Value: SIGNING_SECRET },
        { Name: '/runbook-bot/dev/slack-bot-token', Type: 'SecureString', Value: BOT_TOKEN },
      ],
      InvalidParameters: [],
    });

    const secrets = await readSlackSecrets('/runbook-bot/dev/', client);

    expect(secrets).toEqual({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(ssm.commandCalls(GetParametersCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParametersCommand)[0]!.args[0].input).toEqual({
      Names: ['/runbook-bot/dev/slack-bot-token', '/runbook-bot/dev/slack-signing-secret'],
      WithDecryption: true,
    });
  });

  it('names the missing parameter, and never a value, when one is absent', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [{ Name: '/runbook-bot/dev/slack-bot-token', Type: 'SecureString', Value: BOT_TOKEN }],
      InvalidParameters: ['/runbook-bot/dev/slack-signing-secret'],
    });

    const failure = await readSlackSecrets('/runbook-bot/dev', client).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SsmSecretsError);
    expect((failure as Error).message).toContain('/runbook-bot/dev/slack-signing-secret');
    expect((failure as Error).message).not.toContain(BOT_TOKEN);
  });

  it('treats an empty value as missing', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [
        { Name: '/runbook-bot/dev/slack-bot-token', Type: 'SecureString', Value: BOT_TOKEN },
        { Name: '/runbook-bot/dev/slack-signing-secret', Type: 'SecureString', Value: '' },
      ],
    });

    await expect(readSlackSecrets('/runbook-bot/dev/', client)).rejects.toThrow(/slack-signing-secret/);
  });

  it('lets an SDK error (access denied) through with its name', async () => {
    const denied = Object.assign(new Error('not authorized to perform: ssm:GetParameters'), {
      name: 'AccessDeniedException',
    });
    ssm.on(GetParametersCommand).rejects(denied);

    await expect(readSlackSecrets('/runbook-bot/dev/', client)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('withSlackSecrets (config)', () => {
  const read = async (prefix: string) => ({
    SLACK_BOT_TOKEN: `xoxb-from-${prefix.length}`,
    SLACK_SIGNING_SECRET: 'from-ssm-secret',
  });

  it('leaves the environment alone when SLACK_SECRETS_SSM_PREFIX is not set', async () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-env' };
    await expect(withSlackSecrets(read, env)).resolves.toBe(env);
  });

  it('tells whether the secrets come from SSM (the Lambda entry then reads the artifact without blocking)', () => {
    expect(readsSecretsFromSsm({ SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/dev/' })).toBe(true);
    expect(readsSecretsFromSsm({ SLACK_SECRETS_SSM_PREFIX: '  ' })).toBe(false);
    expect(readsSecretsFromSsm({ SLACK_BOT_TOKEN: 'xoxb-env' })).toBe(false);
  });

  it('lays the secrets read under the prefix over the environment', async () => {
    const env = {
      SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/dev/',
      SLACK_BOT_TOKEN: 'xoxb-stale',
      LOG_LEVEL: 'debug',
    };
    await expect(withSlackSecrets(read, env)).resolves.toEqual({
      SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/dev/',
      SLACK_BOT_TOKEN: 'xoxb-from-17',
      SLACK_SIGNING_SECRET: 'from-ssm-secret',
      LOG_LEVEL: 'debug',
    });
  });

  it('names the variable when the prefix is not a parameter path', async () => {
    await expect(withSlackSecrets(read, { SLACK_SECRETS_SSM_PREFIX: 'runbook-bot' })).rejects.toThrow(
      /^SLACK_SECRETS_SSM_PREFIX must be an SSM parameter path/,
    );
  });
});

describe('Lambda entry with SLACK_SECRETS_SSM_PREFIX', () => {
  it('verifies Slack requests with the signing secret read from SSM, read once per container', async () => {
    ssm.on(GetParametersCommand).resolves({
      Parameters: [
        { Name: '/runbook-bot/test/slack-bot-token', Value: BOT_TOKEN },
        { Name: '/runbook-bot/test/slack-signing-secret', Value: SIGNING_SECRET },
      ],
    });
    const dir = tempDir('ssm-entry-');
    const approvers = join(dir, 'approvers.yaml');
    writeFileSync(approvers, 'roles:\n  devops: [U01DEVOPS1]\n');
    const handler = createLambdaHandler({
      env: {
        AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-test-slack',
        AWS_REGION: 'eu-west-1',
        SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/test/',
        SLACK_BOT_USER_ID: 'U0BOT0001',
        SLACK_BOT_ID: 'B0BOT0001',
        RUNBOOK_ARTIFACT: await testArtifactPath(),
        APPROVERS_FILE: approvers,
        STORE: 'embedded',
        AWS_SIMULATION: 'primary-healthy',
      },
    });
    const event = (secret: string) => {
      const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'legacy' });
      return {
        version: '2.0',
        routeKey: 'POST /slack/events',
        rawPath: '/slack/events',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', ...signSlackRequest(body, secret) },
        requestContext: { http: { method: 'POST', path: '/slack/events' } },
        body,
        isBase64Encoded: false,
      };
    };

    const accepted = await handler(event(SIGNING_SECRET), {});
    const refused = await handler(event('some-other-signing-secret'), {});

    expect(accepted.statusCode).toBe(200);
    expect(String(accepted.body)).toContain('c-123');
    expect(refused.statusCode).toBe(401);
    expect(ssm.commandCalls(GetParametersCommand)).toHaveLength(1);
  });

  it('eager (as deployed): reads them before any event; a failed start is tried again by the first event', async () => {
    ssm
      .on(GetParametersCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({
        Parameters: [
          { Name: '/runbook-bot/test/slack-bot-token', Value: BOT_TOKEN },
          { Name: '/runbook-bot/test/slack-signing-secret', Value: SIGNING_SECRET },
        ],
      });
    const env = {
      AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-test-slack',
      AWS_REGION: 'eu-west-1',
      SLACK_SECRETS_SSM_PREFIX: '/runbook-bot/test/',
      SLACK_BOT_USER_ID: 'U0BOT0001',
      SLACK_BOT_ID: 'B0BOT0001',
      RUNBOOK_ARTIFACT: await testArtifactPath(),
      STORE: 'embedded',
    };
    createLambdaHandler({ env });
    const handler = createLambdaHandler({ env, eager: true });
    // Only the eager one starts before an event; its failure is nobody's unhandled rejection.
    await vi.waitFor(() => expect(ssm.commandCalls(GetParametersCommand)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(ssm.commandCalls(GetParametersCommand)).toHaveLength(1);

    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-456', token: 'legacy' });
    const res = await handler(
      {
        version: '2.0',
        routeKey: 'POST /slack/events',
        rawPath: '/slack/events',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', ...signSlackRequest(body, SIGNING_SECRET) },
        requestContext: { http: { method: 'POST', path: '/slack/events' } },
        body,
        isBase64Encoded: false,
      } as unknown as Parameters<typeof handler>[0],
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(String(res.body)).toContain('c-456');
    expect(ssm.commandCalls(GetParametersCommand)).toHaveLength(2);
  });
});
