/**
 * Every failed AWS call becomes an `AwsCallError` that names the service and the action and says, in words
 * a responder understands, what went wrong and what to do. Slack shows `userMessage` with a Retry button;
 * nothing above this layer inspects SDK error shapes.
 */

export type AwsService =
  | 'Route 53'
  | 'Route 53 ARC'
  | 'CloudWatch'
  | 'CloudWatch Logs'
  | 'Lambda'
  | 'S3'
  | 'DNS';

export interface AwsOperation {
  service: AwsService;
  /** API action, e.g. `GetHealthCheckStatus`. */
  action: string;
  /** IAM action, e.g. `route53:GetHealthCheckStatus` (see docs/iam.md). */
  iamAction: string;
}

export type AwsErrorKind =
  | 'throttled'
  | 'access-denied'
  | 'credentials'
  | 'timeout'
  | 'network'
  | 'invalid-request'
  | 'not-found'
  | 'failed';

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';

  constructor(
    readonly operation: AwsOperation,
    readonly kind: AwsErrorKind,
    /** The SDK's error name/code (`ThrottlingException`), for logs. */
    readonly code: string,
    /** One or two sentences for Slack, naming service and action. Contains no user input. */
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }

  /** Worth a Retry button: the same call may succeed later. */
  get retryable(): boolean {
    return this.kind !== 'invalid-request' && this.kind !== 'not-found';
  }
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'PriorRequestNotComplete',
  'SlowDown',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'NotAuthorized',
  'AuthorizationError',
]);
const BAD_CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const TIMEOUTS = new Set([
  'TimeoutError',
  'ETIMEOUT',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ETIMEDOUT',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'NetworkingError',
  // node:dns answers from a name server that failed or refused.
  'ESERVFAIL',
  'EREFUSED',
  // Route 53 ARC: this cluster endpoint is out of rotation; another one answers.
  'EndpointTemporarilyUnavailableException',
]);
const NOT_FOUND = new Set([
  'NoSuchHealthCheck',
  'NoSuchHostedZone',
  'NoSuchChange',
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NoSuchKey',
  'NoSuchBucket',
  'ProvisionedConcurrencyConfigNotFoundException',
  // node:dns: the name exists with no record of that type, or does not exist.
  'ENODATA',
]);
const INVALID = new Set([
  'InvalidChangeBatch',
  'InvalidInput',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidParameterValueException',
  'ValidationError',
  'ValidationException',
  'InvalidNextToken',
  'InvalidRequestContentException',
  // Route 53 ARC refuses a change a safety rule forbids.
  'ConflictException',
]);

/** The SDK puts the AWS error code in `name` (and sometimes `Code`/`code`); Node puts errno codes in `code`. */
export function errorCode(error: unknown): string {
  if (error === null || typeof error !== 'object') return 'Unknown';
  const e = error as { name?: unknown; code?: unknown; Code?: unknown };
  for (const candidate of [e.code, e.Code, e.name]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return 'Unknown';
}

function httpStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

function kindOf(error: unknown): AwsErrorKind {
  const code = errorCode(error);
  const name = (error as { name?: unknown } | null)?.name;
  const names = [code, typeof name === 'string' ? name : ''];
  const message = error instanceof Error ? error.message : '';
  if (names.some((n) => THROTTLING.has(n)) || httpStatus(error) === 429) return 'throttled';
  if (names.some((n) => BAD_CREDENTIALS.has(n)) || /could not load credentials/i.test(message))
    return 'credentials';
  if (names.some((n) => ACCESS_DENIED.has(n))) return 'access-denied';
  if (names.some((n) => TIMEOUTS.has(n))) return 'timeout';
  if (names.some((n) => NETWORK.has(n))) return 'network';
  if (names.some((n) => NOT_FOUND.has(n))) return 'not-found';
  if (names.some((n) => INVALID.has(n))) return 'invalid-request';
  return 'failed';
}

function messageFor(op: AwsOperation, kind: AwsErrorKind, error: unknown): string {
  const call = `${op.service} ${op.action}`;
  switch (kind) {
    case 'throttled':
      return `${call} was throttled by AWS (too many requests). Wait a few seconds, then retry.`;
    case 'access-denied':
      return `${call} was denied: the bot's IAM role is not allowed \`${op.iamAction}\`. Ask the platform team to grant it (docs/iam.md).`;
    case 'credentials':
      return `${call} could not run: the bot has no valid AWS credentials (missing, expired or invalid). Check the Lambda role or your local AWS profile.`;
    case 'timeout':
      return `${call} timed out: AWS did not answer in time. Retry; if it keeps failing, check the AWS Health Dashboard.`;
    case 'network':
      return `${call} could not reach AWS (network error). Retry in a moment.`;
    case 'not-found':
      return `${call} failed: ${op.service} does not know the resource (${errorCode(error)}). Check the IDs in the runbook.`;
    case 'invalid-request':
      return `${call} was rejected as invalid (${errorCode(error)}): ${shortReason(error)}`;
    default:
      return `${call} failed (${errorCode(error)}). Retry; if it keeps failing, escalate.`;
  }
}

/** AWS's own reason for a rejected request, without anything that could be a secret. */
function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

export function classifyAwsError(op: AwsOperation, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const kind = kindOf(error);
  return new AwsCallError(op, kind, errorCode(error), messageFor(op, kind, error), { cause: error });
}
