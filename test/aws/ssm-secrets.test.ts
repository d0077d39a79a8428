import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readSlackSecrets, SsmSecretsError, secretParameterNames } from '../../src/aws/ssm-secrets';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });

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
    const denied = Object.assign(new Error('not authorized to perform: ssm:GetParameters'), { name: 'AccessDeniedException' });
    ssm.on(GetParametersCommand).rejects(denied);

    await expect(readSlackSecrets('/runbook-bot/dev/', client)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
