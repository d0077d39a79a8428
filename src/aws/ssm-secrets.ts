/**
 * Slack secrets from SSM Parameter Store. On Lambda the bot token and signing secret are SecureString
 * parameters under one prefix (`/runbook-bot/prod/slack-bot-token`, `.../slack-signing-secret`), read once
 * per cold start with one `GetParameters` call (WithDecryption), so no secret is ever written into the
 * CloudFormation template or the function's environment.
 *
 * The result is an overlay of environment variables (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`) for
 * `loadConfig`, which validates them like any other setting.
 */
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Parameter name under the prefix → the variable `loadConfig` reads. */
export const SLACK_SECRET_PARAMETERS = {
  'slack-bot-token': 'SLACK_BOT_TOKEN',
  'slack-signing-secret': 'SLACK_SIGNING_SECRET',
} as const;

export type SlackSecretVariable = (typeof SLACK_SECRET_PARAMETERS)[keyof typeof SLACK_SECRET_PARAMETERS];

export type SlackSecrets = Record<SlackSecretVariable, string>;

export class SsmSecretsError extends Error {
  override readonly name = 'SsmSecretsError';
}

/** Cold start budget: one short attempt plus retries, well inside Lambda's 10 s init phase. */
export function createSsmClient(region?: string): SSMClient {
  return new SSMClient({
    ...(region ? { region } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
}

/** `/runbook-bot/prod` and `/runbook-bot/prod/` name the same folder. */
export function secretParameterNames(prefix: string): Record<string, SlackSecretVariable> {
  if (!prefix.startsWith('/'))
    throw new SsmSecretsError(`SLACK_SECRETS_SSM_PREFIX must start with "/" (got "${prefix}")`);
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return Object.fromEntries(
    Object.entries(SLACK_SECRET_PARAMETERS).map(([name, variable]) => [`${folder}${name}`, variable]),
  );
}

/**
 * Reads every Slack secret under the prefix. Throws `SsmSecretsError` naming the missing parameters (never
 * a value); SDK errors (access denied, throttling) propagate with their own names.
 */
export async function readSlackSecrets(
  prefix: string,
  client: SSMClient = createSsmClient(),
): Promise<SlackSecrets> {
  const names = secretParameterNames(prefix);
  const out = await client.send(
    new GetParametersCommand({ Names: Object.keys(names), WithDecryption: true }),
  );
  const secrets: Partial<SlackSecrets> = {};
  for (const parameter of out.Parameters ?? []) {
    const variable = parameter.Name === undefined ? undefined : names[parameter.Name];
    if (variable !== undefined && parameter.Value) secrets[variable] = parameter.Value;
  }
  const missing = Object.entries(names)
    .filter(([, variable]) => secrets[variable] === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new SsmSecretsError(
      `SSM parameters not found or empty: ${missing.join(', ')} (see the README, "Install")`,
    );
  }
  return secrets as SlackSecrets;
}
