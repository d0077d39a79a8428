/**
 * The one module that reads `process.env`. Every setting is read and validated here, once; a missing or
 * malformed value stops start-up with a `ConfigError` whose message names the variable.
 *
 * Other owners add their settings additively: a field on `Config`, a line in `loadConfig`.
 */
import { accessSync, constants } from 'node:fs';

/** AWS_SIMULATION's built-in scenarios (src/aws/scenario.ts holds one of each, checked by its type). */
export const BUILT_IN_SCENARIO_NAMES = [
  'primary-healthy',
  'primary-down',
  'region-down',
  's3-down',
  'switch-refused',
] as const;

export type Mode = 'lambda' | 'http' | 'socket' | 'playground';

export interface SlackConfig {
  /** SLACK_BOT_TOKEN (`xoxb-…`). */
  botToken?: string;
  /** SLACK_SIGNING_SECRET. */
  signingSecret?: string;
  /** SLACK_APP_TOKEN (`xapp-…`): turns on Socket Mode. */
  appToken?: string;
  /** SLACK_API_URL: Web API base URL override (tests, proxies); always ends with `/`. */
  apiUrl?: string;
  /** SLACK_BOT_USER_ID (`U…`/`W…`): with SLACK_BOT_ID, spares Bolt an `auth.test` on cold start. */
  botUserId?: string;
  /** SLACK_BOT_ID (`B…`). */
  botId?: string;
  /**
   * SLACK_USERGROUPS: user group handles → IDs, `sitecraft-oncall=S0123ABCD,sitecraft-security=S0456EFGH`,
   * so contacts name a group as a real mention (`<!subteam^S0123ABCD>`) instead of plain `@handle` text.
   */
  userGroups?: Record<string, string>;
}

export interface Config {
  slack: SlackConfig;
  /** PORT for the HTTP receiver (default 3000). */
  port: number;
  /** RUNBOOK_REPO_URL: where "View in repository" links point; a section link is `${repoUrl}/${file}#${anchor}`. */
  repoUrl: string;
  /** RUNBOOK_ARTIFACT: the compiled runbooks (default build/artifact.json). */
  artifactPath: string;
  /** APPROVERS_FILE: role → Slack IDs (default runbooks/approvers.yaml). */
  approversFile: string;
  /** SLASH_COMMAND: the command the app registers (default `/runbook`; e.g. `/runbook-dev` for a staging app). */
  slashCommand: string;
  /**
   * RUNBOOK_STALE_DAYS: answers warn when their runbook's last review (its `reviewed=` hint) is older than
   * this many days, and `runbook lint` warns (default 180).
   */
  staleAfterDays: number;
  /** LOG_LEVEL: debug | info | warn | error (default info). */
  logLevel: LogLevelName;
  /** AWS_LAMBDA_FUNCTION_NAME, set by the Lambda runtime; its presence means we run on Lambda. */
  lambdaFunctionName?: string;
  /** How the process talks to Slack, derived from which credentials are present (see `deriveMode`). */
  mode: Mode;
  /** Checklist run state (checklists owner). */
  store: StoreConfig;
  /** Live AWS evidence and actions (aws owner). */
  aws: AwsConfig;
  /** Work done after the ack (src/slack/deferred.ts). */
  deferred: DeferredConfig;
  /**
   * PLAYGROUND_LIVE_AWS=1: the local playground talks to live AWS with the credentials in the environment.
   * Without it the playground always simulates AWS, whatever credentials happen to be set.
   */
  playgroundLiveAws: boolean;
}

export interface DeferredConfig {
  /**
   * DEFERRED_MAX_ATTEMPTS: deliveries of one task before it is reported as failed (default 3). On Lambda it
   * must be the function's `maximumRetryAttempts` + 1 (serverless.yml sets both).
   */
  maxAttempts: number;
  /** DEFERRED_RETRY_DELAY_MS: the in-process runner's wait before running a failed task again (default 60000, as Lambda). */
  retryDelayMs: number;
  /**
   * TIMER_INTERVAL_MS: how often a local process (HTTP, Socket Mode, playground) sweeps the timers: reminders,
   * escalations, stakeholder updates (default 30000; 0 turns the sweep off). On Lambda an EventBridge
   * schedule invokes the sweep every minute (serverless.yml) and this is not used.
   */
  timerIntervalMs: number;
}

export interface AwsConfig {
  /** PRIMARY_REGION (default af-south-1). */
  primaryRegion: string;
  /** DR_REGION (default eu-west-1). */
  drRegion: string;
  /**
   * ALARM_PREFIX: this deployment's CloudWatch alarms start with it; only they are matched to a runbook section
   * (and a DR trigger's Start failover). Others are posted with their own text (default: every alarm matched).
   */
  alarmPrefix: string;
  /** ALARM_CHANNEL: channel ID where CloudWatch alarm notifications are posted. */
  alarmChannel?: string;
  /** STAKEHOLDER_CHANNELS: comma-separated channel IDs that "Notify stakeholders" posts to. */
  stakeholderChannels: string[];
  /**
   * AWS_SIMULATION: a scenario name (`primary-healthy`, `primary-down`) or a scenario JSON path. When set,
   * AWS is simulated and every result is labelled SIMULATED; nothing reaches AWS.
   */
  simulation?: string;
  /** DEFERRED_FUNCTION_NAME: the function invoked asynchronously for slow work (default AWS_LAMBDA_FUNCTION_NAME). */
  deferFunctionName?: string;
  /** AWS_REGION (set by Lambda): where that function runs (default PRIMARY_REGION). */
  deferRegion: string;
  /** AWS_CALL_TIMEOUT_MS: deadline for one AWS call, retries included (default 8000). */
  callTimeoutMs: number;
  /**
   * True when the environment names AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, web identity or
   * container credentials). Informative only: the playground uses live AWS only with PLAYGROUND_LIVE_AWS=1.
   */
  credentialsInEnv?: boolean;
  metrics: AwsMetricsConfig;
  failover: FailoverTimingConfig;
}

/** How long the failover and warm-up steps wait for AWS to follow a change, within the function's timeout. */
export interface FailoverTimingConfig {
  /** FAILOVER_DNS_WAIT_MS: how long "Execute failover" reads the name servers after the switch (default 150000). */
  dnsWaitMs: number;
  /** FAILOVER_DNS_POLL_MS: between two reads (default 10000). */
  dnsPollMs: number;
  /** WARMUP_WAIT_MS: how long "Warm up" reads provisioned concurrency after setting it (default 180000). */
  warmupWaitMs: number;
  /** WARMUP_POLL_MS: between two reads (default 15000). */
  warmupPollMs: number;
}

export interface AwsMetricsConfig {
  /** API_METRICS_NAMESPACE (default AWS/ApiGateway). */
  apiNamespace: string;
  /** API_5XX_METRIC (default 5XXError; `5xx` for HTTP APIs). */
  api5xxMetric: string;
  /** API_COUNT_METRIC (default Count). */
  apiCountMetric: string;
  /** API_LATENCY_METRIC (default Latency). */
  apiLatencyMetric: string;
  /** API_DIMENSION: the dimension naming the API (default ApiId; ApiName for REST APIs). */
  apiDimension: string;
  /** API_IDS: the API per region, `af-south-1=abc123,eu-west-1=def456`. */
  apiIds: Record<string, string>;
  /** API_STAGE: adds a `Stage` dimension when set. */
  apiStage?: string;
  /** BEDROCK_METRICS_NAMESPACE (default AWS/Bedrock). */
  bedrockNamespace: string;
  /** BEDROCK_THROTTLE_METRIC (default InvocationThrottles). */
  bedrockThrottleMetric: string;
  /** BEDROCK_MODEL_ID: adds a `ModelId` dimension when set (default: all models). */
  bedrockModelId?: string;
  /** STATUS_METRICS_MINUTES: the window `/runbook status` reports (default 15). */
  windowMinutes: number;
}

export interface StoreConfig {
  /**
   * STORE: `dynamodb` (AWS, or DYNAMODB_ENDPOINT) or `embedded` (in-process dynalite). Default: `dynamodb`
   * on Lambda or when DYNAMODB_ENDPOINT is set, else `embedded`.
   */
  kind: 'dynamodb' | 'embedded';
  /** TABLE_NAME (default `runbook-bot`). */
  tableName: string;
  /** DYNAMODB_ENDPOINT: e.g. `http://localhost:8000` for DynamoDB Local. */
  endpoint?: string;
  /** STORE_PATH: LevelDB directory that makes the embedded store persistent (in memory when unset). */
  path?: string;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** A runbook not reviewed for longer than this many days is called stale (RUNBOOK_STALE_DAYS). */
export const DEFAULT_STALE_DAYS = 180;

export const DEFAULT_REPO_URL = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';

export function loadConfig(env: Env = process.env): Config {
  const slack: SlackConfig = {
    botToken: optional(
      env,
      'SLACK_BOT_TOKEN',
      matching(/^xoxb-[\w-]+$/, 'must be a bot token starting with xoxb-'),
    ),
    signingSecret: optional(
      env,
      'SLACK_SIGNING_SECRET',
      matching(/^\S{8,}$/, 'must be the app signing secret'),
    ),
    appToken: optional(
      env,
      'SLACK_APP_TOKEN',
      matching(/^xapp-[\w-]+$/, 'must be an app-level token starting with xapp-'),
    ),
    apiUrl: optional(env, 'SLACK_API_URL', httpUrl({ trailingSlash: true })),
    botUserId: optional(
      env,
      'SLACK_BOT_USER_ID',
      matching(/^[UW][A-Z0-9]+$/, 'must be a Slack user ID such as U0123ABCD'),
    ),
    botId: optional(
      env,
      'SLACK_BOT_ID',
      matching(/^B[A-Z0-9]+$/, 'must be a Slack bot ID such as B0123ABCD'),
    ),
    userGroups: optional(env, 'SLACK_USERGROUPS', userGroupIds),
  };
  const lambdaFunctionName = optional(env, 'AWS_LAMBDA_FUNCTION_NAME', (v) => v);
  return {
    slack,
    port: optional(env, 'PORT', portNumber) ?? 3000,
    repoUrl: optional(env, 'RUNBOOK_REPO_URL', httpUrl({ trailingSlash: false })) ?? DEFAULT_REPO_URL,
    artifactPath: artifactPathOf(env),
    approversFile: optional(env, 'APPROVERS_FILE', (v) => v) ?? 'runbooks/approvers.yaml',
    slashCommand:
      optional(
        env,
        'SLASH_COMMAND',
        matching(/^\/[a-z0-9_-]{1,31}$/, 'must look like /runbook (lower case, no spaces)'),
      ) ?? '/runbook',
    staleAfterDays: optional(env, 'RUNBOOK_STALE_DAYS', positiveInteger) ?? DEFAULT_STALE_DAYS,
    logLevel: optional(env, 'LOG_LEVEL', oneOf(['debug', 'info', 'warn', 'error'] as const)) ?? 'info',
    lambdaFunctionName,
    mode: deriveMode(slack, lambdaFunctionName !== undefined),
    store: loadStoreConfig(env, lambdaFunctionName !== undefined),
    aws: loadAwsConfig(env, lambdaFunctionName),
    deferred: {
      maxAttempts: optional(env, 'DEFERRED_MAX_ATTEMPTS', positiveInteger) ?? 3,
      retryDelayMs: optional(env, 'DEFERRED_RETRY_DELAY_MS', positiveInteger) ?? 60_000,
      timerIntervalMs: optional(env, 'TIMER_INTERVAL_MS', nonNegativeInteger) ?? 30_000,
    },
    playgroundLiveAws: ['1', 'true'].includes(
      optional(env, 'PLAYGROUND_LIVE_AWS', oneOf(['1', '0', 'true', 'false'] as const)) ?? '0',
    ),
  };
}

/**
 * Lambda when the Lambda runtime is present; Socket Mode with a bot and an app token; HTTP with a bot token
 * and a signing secret; the local playground with no Slack credentials at all. Half a set is an error that
 * names the missing variable, so a typo never silently starts the playground.
 */
export function deriveMode(slack: SlackConfig, onLambda: boolean): Mode {
  const { botToken, signingSecret, appToken } = slack;
  if (onLambda) {
    if (!botToken) throw new ConfigError('SLACK_BOT_TOKEN', 'is required on AWS Lambda');
    if (!signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET', 'is required on AWS Lambda');
    return 'lambda';
  }
  if (!botToken && !signingSecret && !appToken) return 'playground';
  if (!botToken)
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      'is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set',
    );
  if (appToken) return 'socket';
  if (!signingSecret) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  return 'http';
}

/**
 * The environment for `loadConfig`, with the Slack secrets filled in from SSM Parameter Store when
 * SLACK_SECRETS_SSM_PREFIX (`/runbook-bot/prod/`) is set, as serverless.yml sets it on Lambda. `read` fetches
 * them (`readSlackSecrets` in src/aws/ssm-secrets.ts); their values win over the environment's.
 */
export async function withSlackSecrets(
  read: (prefix: string) => Promise<Env>,
  env: Env = process.env,
): Promise<Env> {
  const prefix = optional(
    env,
    'SLACK_SECRETS_SSM_PREFIX',
    matching(/^\/[\w./-]*$/, 'must be an SSM parameter path such as /runbook-bot/prod/'),
  );
  return prefix === undefined ? env : { ...env, ...(await read(prefix)) };
}

/** Whether the Slack secrets are read from SSM (SLACK_SECRETS_SSM_PREFIX set), before the rest of the config. */
export function readsSecretsFromSsm(env: Env = process.env): boolean {
  return optional(env, 'SLACK_SECRETS_SSM_PREFIX', (v) => v) !== undefined;
}

/** RUNBOOK_ARTIFACT, readable before the rest of the config (the Lambda entry loads it while reading secrets). */
export function artifactPathOf(env: Env = process.env): string {
  return optional(env, 'RUNBOOK_ARTIFACT', (v) => v) ?? 'build/artifact.json';
}

/** Slack credentials for the modes that talk to Slack; throws naming the variable when one is missing. */
export function requireSlackCredentials(config: Config): { botToken: string; signingSecret: string } {
  const { botToken, signingSecret } = config.slack;
  if (!botToken) throw new ConfigError('SLACK_BOT_TOKEN', 'is required');
  if (!signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET', 'is required');
  return { botToken, signingSecret };
}

function loadStoreConfig(env: Env, onLambda: boolean): StoreConfig {
  const endpoint = optional(env, 'DYNAMODB_ENDPOINT', httpUrl({ trailingSlash: false }));
  const kind =
    optional(env, 'STORE', oneOf(['dynamodb', 'embedded'] as const)) ??
    (onLambda || endpoint ? 'dynamodb' : 'embedded');
  const path = optional(env, 'STORE_PATH', (v) => v);
  return {
    kind,
    tableName:
      optional(
        env,
        'TABLE_NAME',
        matching(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
      ) ?? 'runbook-bot',
    ...(endpoint ? { endpoint } : {}),
    ...(path ? { path } : {}),
  };
}

/** Any of these in the environment means AWS credentials are configured (the SDK's default chain). */
const AWS_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
] as const;

export function loadAwsConfig(env: Env, lambdaFunctionName?: string): AwsConfig {
  const region = matching(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as af-south-1');
  const channel = matching(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C0123ABCD');
  const primaryRegion = optional(env, 'PRIMARY_REGION', region) ?? 'af-south-1';
  return {
    primaryRegion,
    drRegion: optional(env, 'DR_REGION', region) ?? 'eu-west-1',
    alarmPrefix: optional(env, 'ALARM_PREFIX', (v) => v) ?? '',
    alarmChannel: optional(env, 'ALARM_CHANNEL', channel),
    // Each channel once: listed twice, every notice would be posted there twice.
    stakeholderChannels: [...new Set(optional(env, 'STAKEHOLDER_CHANNELS', listOf(channel)) ?? [])],
    simulation: optional(env, 'AWS_SIMULATION', simulationName),
    deferFunctionName: optional(env, 'DEFERRED_FUNCTION_NAME', (v) => v) ?? lambdaFunctionName,
    deferRegion: optional(env, 'AWS_REGION', region) ?? primaryRegion,
    callTimeoutMs: optional(env, 'AWS_CALL_TIMEOUT_MS', positiveInteger) ?? 8_000,
    credentialsInEnv: AWS_CREDENTIAL_VARIABLES.some((name) => optional(env, name, (v) => v) !== undefined),
    metrics: {
      apiNamespace: optional(env, 'API_METRICS_NAMESPACE', (v) => v) ?? 'AWS/ApiGateway',
      api5xxMetric: optional(env, 'API_5XX_METRIC', (v) => v) ?? '5XXError',
      apiCountMetric: optional(env, 'API_COUNT_METRIC', (v) => v) ?? 'Count',
      apiLatencyMetric: optional(env, 'API_LATENCY_METRIC', (v) => v) ?? 'Latency',
      apiDimension: optional(env, 'API_DIMENSION', (v) => v) ?? 'ApiId',
      apiIds: optional(env, 'API_IDS', keyValues) ?? {},
      apiStage: optional(env, 'API_STAGE', (v) => v),
      bedrockNamespace: optional(env, 'BEDROCK_METRICS_NAMESPACE', (v) => v) ?? 'AWS/Bedrock',
      bedrockThrottleMetric: optional(env, 'BEDROCK_THROTTLE_METRIC', (v) => v) ?? 'InvocationThrottles',
      bedrockModelId: optional(env, 'BEDROCK_MODEL_ID', (v) => v),
      windowMinutes: optional(env, 'STATUS_METRICS_MINUTES', positiveInteger) ?? 15,
    },
    failover: {
      dnsWaitMs: optional(env, 'FAILOVER_DNS_WAIT_MS', positiveInteger) ?? 150_000,
      dnsPollMs: optional(env, 'FAILOVER_DNS_POLL_MS', positiveInteger) ?? 10_000,
      warmupWaitMs: optional(env, 'WARMUP_WAIT_MS', positiveInteger) ?? 180_000,
      warmupPollMs: optional(env, 'WARMUP_POLL_MS', positiveInteger) ?? 15_000,
    },
  };
}

/** `handle=S0123ABCD,other=S0456EFGH` (a leading `@` on a handle is dropped). */
function userGroupIds(value: string, name: string): Record<string, string> {
  const pairs = keyValues(value, name);
  // No prototype: a handle is looked up by what a runbook writes (`@constructor` is no group).
  const out: Record<string, string> = Object.create(null);
  for (const [rawHandle, id] of Object.entries(pairs)) {
    const handle = rawHandle.replace(/^@/, '').toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(handle))
      throw new ConfigError(name, `has "${rawHandle}", which is not a user group handle`);
    if (!/^S[A-Z0-9]{2,}$/.test(id))
      throw new ConfigError(
        name,
        `maps ${handle} to "${id}", which is not a user group ID such as S0123ABCD`,
      );
    out[handle] = id;
  }
  return out;
}

function nonNegativeInteger(value: string, name: string): number {
  return value.trim() === '0' ? 0 : positiveInteger(value, name);
}

/** A built-in scenario's name or a readable file: a typo stops start-up, never reads as an AWS failure later. */
function simulationName(value: string, name: string): string {
  if ((BUILT_IN_SCENARIO_NAMES as readonly string[]).includes(value)) return value;
  try {
    accessSync(value, constants.R_OK);
    return value;
  } catch {
    throw new ConfigError(
      name,
      `is neither a built-in scenario (${BUILT_IN_SCENARIO_NAMES.join(', ')}) nor a readable file (got "${value}")`,
    );
  }
}

/** Node's timers fire at once for a delay above this (2^31 - 1 ms, about 24.8 days): no setting may exceed it. */
const MAX_SETTING = 2_147_483_647;

function positiveInteger(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new ConfigError(name, `must be a positive whole number (got "${value}")`);
  if (Number(value) > MAX_SETTING)
    throw new ConfigError(name, `must be at most ${MAX_SETTING} (got "${value}")`);
  return Number(value);
}

/** `a,b, c` → each item parsed; empty items dropped. */
function listOf<T>(item: Parse<T>): Parse<T[]> {
  return (value, name) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => item(v, name));
}

/** `Name=value,Other=value` → `{ Name: 'value', Other: 'value' }`. */
function keyValues(value: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (eq < 1 || key === '' || val === '')
      throw new ConfigError(name, `must be a list like Name=value,Other=value (got "${value}")`);
    out[key] = val;
  }
  return out;
}

type Parse<T> = (value: string, name: string) => T;

function optional<T>(env: Env, name: string, parse: Parse<T>): T | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  return parse(value, name);
}

function matching(pattern: RegExp, problem: string): Parse<string> {
  return (value, name) => {
    if (!pattern.test(value)) throw new ConfigError(name, problem);
    return value;
  };
}

function oneOf<T extends string>(allowed: readonly T[]): Parse<T> {
  return (value, name) => {
    const lower = value.toLowerCase();
    const found = allowed.find((a) => a === lower);
    if (found === undefined)
      throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
    return found;
  };
}

function portNumber(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a port number 0-65535 (got "${value}")`);
  const port = Number(value);
  if (port > 65535) throw new ConfigError(name, `must be a port number 0-65535 (got "${value}")`);
  return port;
}

function httpUrl({ trailingSlash }: { trailingSlash: boolean }): Parse<string> {
  return (value, name) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, `must be an http(s) URL (got "${value}")`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(name, `must be an http(s) URL (got "${value}")`);
    }
    const bare = value.replace(/\/+$/, '');
    return trailingSlash ? `${bare}/` : bare;
  };
}
