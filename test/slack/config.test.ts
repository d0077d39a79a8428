import { describe, expect, test } from 'vitest';
import { ConfigError, DEFAULT_REPO_URL, loadConfig } from '../../src/config';

const BOT = 'xoxb-1-2-abc';
const SECRET = 'abcdef0123456789abcdef0123456789';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('defaults with no environment: the playground', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'playground',
      port: 3000,
      repoUrl: DEFAULT_REPO_URL,
      artifactPath: 'build/artifact.json',
      approversFile: 'runbooks/approvers.yaml',
      slashCommand: '/runbook',
      logLevel: 'info',
      slack: {},
    });
  });

  test('mode follows the credentials present', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }).mode).toBe('http');
    expect(
      loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: 'xapp-1-A-1-x' })
        .mode,
    ).toBe('socket');
    expect(
      loadConfig({
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: SECRET,
        AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot',
      }).mode,
    ).toBe('lambda');
  });

  test('normalises URLs: SLACK_API_URL gains a trailing slash, RUNBOOK_REPO_URL loses it', () => {
    const config = loadConfig({
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      RUNBOOK_REPO_URL: 'https://git.example/r/',
    });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.repoUrl).toBe('https://git.example/r');
  });

  test('reads the stale-runbook age and the user groups contacts mention', () => {
    expect(loadConfig({}).staleAfterDays).toBe(180);
    const c = loadConfig({
      RUNBOOK_STALE_DAYS: '30',
      SLACK_USERGROUPS: '@SiteCraft-Oncall=S0ONCALL1,sec=S0SEC',
    });
    expect(c.staleAfterDays).toBe(30);
    expect(c.slack.userGroups).toEqual({ 'sitecraft-oncall': 'S0ONCALL1', sec: 'S0SEC' });
  });

  test('blank values count as unset', () => {
    expect(loadConfig({ PORT: '  ', SLACK_BOT_TOKEN: '' }).port).toBe(3000);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: BOT }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_APP_TOKEN: 'xapp-1-A-1-x' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-wrong-kind' }, 'SLACK_APP_TOKEN'],
    [{ SLACK_API_URL: 'ftp://files.example' }, 'SLACK_API_URL'],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL'],
    [{ RUNBOOK_REPO_URL: 'github.com/x' }, 'RUNBOOK_REPO_URL'],
    [{ SLACK_BOT_USER_ID: 'bot' }, 'SLACK_BOT_USER_ID'],
    [{ SLACK_BOT_ID: 'U123' }, 'SLACK_BOT_ID'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SLASH_COMMAND: 'runbook' }, 'SLASH_COMMAND'],
    [{ AWS_LAMBDA_FUNCTION_NAME: 'f', SLACK_BOT_TOKEN: BOT }, 'SLACK_SIGNING_SECRET'],
    [{ RUNBOOK_STALE_DAYS: 'half a year' }, 'RUNBOOK_STALE_DAYS'],
    [{ RUNBOOK_STALE_DAYS: '0' }, 'RUNBOOK_STALE_DAYS'],
    [{ SLACK_USERGROUPS: 'sitecraft-oncall' }, 'SLACK_USERGROUPS'],
    [{ SLACK_USERGROUPS: 'sitecraft-oncall=U0123ABCD' }, 'SLACK_USERGROUPS'],
  ])('%o stops start-up naming %s', (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  test('an error message never repeats a secret value', () => {
    const error = configError({
      SLACK_BOT_TOKEN: 'xoxp-secret-user-token-123',
      SLACK_SIGNING_SECRET: SECRET,
    });
    expect(error.message).not.toContain('xoxp-secret-user-token-123');
  });
});
