/**
 * Slack secrets from SSM Parameter Store. On Lambda the bot token and signing secret are SecureString
 * parameters under one prefix (`/runbook-bot/prod/slack-bot-token`, `.../slack-signing-secret`), read once
 * per cold start with one `GetParameters` call (WithDecryption), so no secret is ever written into the
 * CloudFormation template or the function's environment.
 *
 * The call is made without the AWS SDK when the environment holds credentials (always on Lambda: the
 * role's temporary keys): one SigV4-signed POST over node:https (src/aws/sigv4.ts), so a cold start does
 * not load and initialise the SDK's SSM client (bench/: about 85 ms and 560 KiB of JavaScript). Anywhere
 * else (a laptop with a profile, SSO) the SDK's credential chain is used, loaded only then.
 *
 * The result is an overlay of environment variables (`SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`) for
 * `loadConfig`, which validates them like any other setting.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { signRequest } from './sigv4';

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

/** What `GetParameters` answers that this module reads. */
export interface GetParametersOutput {
  Parameters?: { Name?: string; Value?: string }[];
}

/** One decrypted `GetParameters` call for these names. */
export type GetParameters = (names: string[]) => Promise<GetParametersOutput>;

/** Cold start budget: one short attempt plus retries, well inside Lambda's 10 s init phase. */
const ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;

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
 * a value); SSM's errors (access denied, throttling) propagate with their own names.
 */
export async function readSlackSecrets(
  prefix: string,
  getParameters: GetParameters = defaultGetParameters(),
): Promise<SlackSecrets> {
  const names = secretParameterNames(prefix);
  const out = await getParameters(Object.keys(names));
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

/** Signed over HTTPS when the environment holds credentials (Lambda), else the SDK's credential chain. */
export function defaultGetParameters(env: NodeJS.ProcessEnv = process.env): GetParameters {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId && secretAccessKey) {
    return signedGetParameters({
      endpoint: ssmEndpoint(env),
      region: regionOf(env),
      credentials: {
        accessKeyId,
        secretAccessKey,
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      },
    });
  }
  return async (names) => {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    return sdkGetParameters(
      new SSMClient({
        maxAttempts: ATTEMPTS,
        requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      }),
    )(names);
  };
}

/** Through an SDK client (tests, machines whose credentials only the SDK's chain finds). */
export function sdkGetParameters(client: SSMClient): GetParameters {
  return async (names) => {
    const { GetParametersCommand } = await import('@aws-sdk/client-ssm');
    return client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
  };
}

function regionOf(env: NodeJS.ProcessEnv): string {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new SsmSecretsError('AWS_REGION is not set: cannot read the Slack secrets from SSM');
  return region;
}

/** The SDK's own override variables first (the benchmark's loopback SSM uses them), then SSM's endpoint. */
export function ssmEndpoint(env: NodeJS.ProcessEnv): string {
  const override = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
  if (override) return override;
  const region = regionOf(env);
  return `https://ssm.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export interface SignedOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  now?: () => Date;
  /** Between attempts (ms); the default backs off 50 ms, then 200 ms. */
  backoff?: (attempt: number) => number;
}

/** An SSM error answer: its `__type` (`AccessDeniedException`) becomes the error's name. */
export class SsmRequestError extends Error {
  constructor(
    name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** `GetParameters` (WithDecryption) as one signed AWS JSON 1.1 request, retried on throttling, 5xx and network errors. */
export function signedGetParameters(options: SignedOptions): GetParameters {
  const url = new URL(options.endpoint);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const now = options.now ?? (() => new Date());
  const backoff = options.backoff ?? ((attempt) => (attempt === 1 ? 50 : 200));
  return async (names) => {
    const body = JSON.stringify({ Names: names, WithDecryption: true });
    for (let attempt = 1; ; attempt++) {
      const headers = signRequest(
        {
          method: 'POST',
          url,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AmazonSSM.GetParameters',
          },
          body,
        },
        options.credentials,
        { region: options.region, service: 'ssm', now: now() },
      );
      let answer: { status: number; text: string };
      try {
        answer = await post(url, headers, body);
      } catch (error) {
        // The network (reset, timeout): worth another attempt.
        if (attempt >= ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, backoff(attempt)));
        continue;
      }
      if (answer.status === 200) return JSON.parse(answer.text) as GetParametersOutput;
      const error = ssmError(answer.status, answer.text);
      if (attempt >= ATTEMPTS || !retryable(error)) throw error;
      await new Promise((r) => setTimeout(r, backoff(attempt)));
    }
  };
}

function retryable(error: SsmRequestError): boolean {
  return error.status >= 500 || /Throttling|TooManyUpdates|RequestLimitExceeded/.test(error.name);
}

function ssmError(status: number, text: string): SsmRequestError {
  let type = `HTTP${status}`;
  let message = `SSM GetParameters answered ${status}`;
  try {
    const parsed = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
    if (parsed.__type) type = parsed.__type.split('#').pop() ?? type;
    const said = parsed.message ?? parsed.Message;
    if (said) message = `${message}: ${said}`;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new SsmRequestError(type, message, status);
}

/** One POST with the cold-start timeouts; HTTPS for AWS, plain HTTP only for a loopback stand-in. */
async function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        timeout: CONNECT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    // Connect within 1 s (the socket's idle timeout until then), answer within 3 s in all.
    const deadline = setTimeout(
      () => req.destroy(new Error('SSM GetParameters timed out')),
      REQUEST_TIMEOUT_MS,
    );
    req.on('socket', (socket) => socket.once('connect', () => req.setTimeout(REQUEST_TIMEOUT_MS)));
    req.on('timeout', () => req.destroy(new Error('SSM GetParameters timed out')));
    req.on('error', reject);
    req.on('close', () => clearTimeout(deadline));
    req.end(body);
  });
}
