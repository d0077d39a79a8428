/**
 * AWS Lambda entry: API Gateway HTTP API (payload v2) events → Bolt's AwsLambdaReceiver.
 *
 * Two fixes before Bolt sees the event:
 * - base64 bodies are decoded here as UTF-8 (Bolt decodes them as `ascii`, which corrupts non-ASCII
 *   text and so breaks the signature of any request containing it);
 * - the signature is checked here, with Slack's rule (src/slack/signing.ts: both sides of the 5-minute
 *   window), and a request that fails it is refused with 401 before anything reads its body. Bolt's
 *   AwsLambdaReceiver parses the body first and checks the signature after: an unsigned body that is not
 *   JSON threw out of the handler (API Gateway's 500, a function error) instead of a 401 with nothing done.
 */
import type { AwsEvent, AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver';
import { isDeferredInvocation, isScheduledSweep } from '../aws/deferred-event';
import {
  artifactPathOf,
  type Env,
  loadConfig,
  readsSecretsFromSsm,
  requireSlackCredentials,
  withSlackSecrets,
} from '../config';
import { loadArtifact } from '../runbooks/model/artifact';
import { createLazySearch } from '../runbooks/search/lazy';
import { createApp } from '../slack/app';
import { type AppDeps, createDeps } from '../slack/deps';
import type { Feature } from '../slack/feature';
import { createLambdaReceiver } from '../slack/receivers';
import { verifySlackSignature } from '../slack/signing';

export type LambdaHandler = (event: AwsEvent, context: unknown) => Promise<AwsResponse>;

export interface LambdaHandlerOptions {
  env?: Env;
  deps?: Partial<AppDeps>;
  features?: Feature[];
  /**
   * Start the set-up (secrets, artifact, search, app) now rather than with the first event. The deployed
   * handler does, on Lambda: module load is the init phase, which on-demand functions run on a full vCPU
   * whatever their memory size, and the set-up overlaps the runtime fetching the first event.
   */
  eager?: boolean;
}

function header(headers: AwsEvent['headers'] | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Decode a base64 body as UTF-8 so Bolt receives the exact text Slack signed. */
export function decodeBody<E extends AwsEvent>(event: E): E {
  if (!event.isBase64Encoded || typeof event.body !== 'string') return event;
  return { ...event, body: Buffer.from(event.body, 'base64').toString('utf8'), isBase64Encoded: false };
}

/**
 * Whether Bolt's AwsLambdaReceiver parses `body` into an object: its rule (parseRequestBody), a form's
 * `payload` field or else the whole body as JSON, tried here where a failure can be answered. JSON that is
 * not an object (`payload=null`) parses, but Bolt then fails on it (a 500).
 */
function boltParses(body: string | null | undefined, contentType: string | undefined): boolean {
  const text = typeof body === 'string' ? body : '';
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const payload = new URLSearchParams(text).getAll('payload');
      return payload.length !== 1 || isObject(JSON.parse(payload[0] as string));
    }
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** Builds a handler; the app is created once per container, on the first event (or at once, `eager`). */
export function createLambdaHandler(opts: LambdaHandlerOptions = {}): LambdaHandler {
  let ready: Promise<{ bolt: LambdaHandler; deps: AppDeps }> | undefined;
  const init = async () => {
    const env = opts.env ?? process.env;
    // On Lambda the Slack secrets come from SSM Parameter Store (SLACK_SECRETS_SSM_PREFIX), once per
    // container, in one signed request without the AWS SDK (src/aws/ssm-secrets.ts); the reader is imported
    // only when a prefix is set. The artifact is read meanwhile: its parse overlaps the round trip to SSM.
    const readSlackSecrets = async (prefix: string) => {
      const ssm = await import('../aws/ssm-secrets.js');
      return ssm.readSlackSecrets(prefix, ssm.defaultGetParameters(env));
    };
    const secrets = withSlackSecrets(readSlackSecrets, env);
    const artifact = opts.deps?.artifact
      ? Promise.resolve(opts.deps.artifact)
      : loadArtifact(artifactPathOf(env), { blocking: !readsSecretsFromSsm(env) });
    // The search needs the artifact alone: it is set up while the secrets are on their way (an SSM round
    // trip on Lambda), not after.
    const search = opts.deps?.search ? Promise.resolve(opts.deps.search) : artifact.then(createLazySearch);
    // Awaited below; a failure of both must not leave this one unhandled while the other is awaited.
    search.catch(() => undefined);
    const config = loadConfig(await secrets);
    const deps = await createDeps(config, { ...opts.deps, artifact: await artifact, search: await search });
    const receiver = createLambdaReceiver(deps);
    createApp({ deps, receiver, ...(opts.features ? { features: opts.features } : {}) });
    return { bolt: receiver.toHandler() as LambdaHandler, deps };
  };
  const start = () => {
    ready ??= init().catch((error: unknown) => {
      ready = undefined; // let the next event retry a failed start-up
      throw error;
    });
    return ready;
  };
  if (opts.eager) {
    // Nobody awaits this one: a failure is thrown again by the first event's own try.
    start().catch(() => undefined);
  }
  return async (event, context) => {
    const { bolt, deps } = await start();
    // aws owner: slow work this function queued for itself (`InvocationType: 'Event'`, src/aws/lambda-defer.ts).
    if (isDeferredInvocation(event)) return runDeferredInvocation(event, deps);
    // The EventBridge schedule (serverless.yml): reminders, escalations and stakeholder updates that are due.
    // Whoever sends this event only makes the bot look: what fires is decided from the store, once.
    if (isScheduledSweep(event)) return runTimerSweep(deps);
    const decoded = decodeBody(event);
    // Before Bolt, which parses the body before it checks the signature (see the top of this file). Bolt
    // checks it again: the same rule, a few microseconds.
    const timestamp = header(event.headers, 'x-slack-request-timestamp');
    const verdict = verifySlackSignature({
      secret: requireSlackCredentials(deps.config).signingSecret,
      rawBody: typeof decoded.body === 'string' ? decoded.body : '',
      signature: header(event.headers, 'x-slack-signature'),
      timestamp,
      now: deps.now(),
    });
    if (!verdict.ok) {
      if (verdict.reason === 'future')
        deps.logger.warn('request refused: timestamp in the future', { timestamp });
      else deps.logger.info('request refused: not signed by Slack', { reason: verdict.reason, timestamp });
      return { statusCode: 401, body: '' };
    }
    // Signed yet not what Slack sends (only a holder of the secret can): refused, never thrown out of Bolt.
    if (!boltParses(decoded.body, header(event.headers, 'content-type'))) {
      deps.logger.warn('request refused: signed body that does not parse');
      return { statusCode: 400, body: '' };
    }
    return bolt(decoded, context);
  };
}

/**
 * aws owner: run one deferred task, sealed (src/aws/deferred-event.ts). A task that is not ours (no or a
 * wrong MAC, too old) is logged and dropped; one that ran already finds its lease taken and does nothing. A
 * failure worth retrying is THROWN: Lambda retries the async invocation (`maximumRetryAttempts`) and then
 * sends it to the on-failure destination (serverless.yml). Handlers report to Slack themselves.
 */
async function runDeferredInvocation(event: unknown, deps: AppDeps): Promise<AwsResponse> {
  try {
    // Loaded with the first deferred task a container runs: never on the search path.
    const { runSealedTask } = await import('../slack/deferred-runner.js');
    await runSealedTask(event, deps);
  } catch (error) {
    deps.logger.error('deferred task failed', { error });
    throw error;
  }
  return { statusCode: 200, body: '' };
}

async function runTimerSweep(deps: AppDeps): Promise<AwsResponse> {
  // Loaded with the first sweep a container runs: never on the search path.
  const { runTimers } = await import('../slack/timers.js');
  await runTimers(deps);
  return { statusCode: 200, body: '' };
}

// Eager only where the Lambda runtime loads this module (it sets AWS_LAMBDA_FUNCTION_NAME): a test or tool
// importing it starts nothing.
export const handler: LambdaHandler = createLambdaHandler({
  eager: process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined,
});
