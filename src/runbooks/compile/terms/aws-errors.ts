/**
 * Error names people paste from AWS SDKs, the AWS CLI, Lambda and Node.js, and what they mean in words a
 * runbook uses. A pasted `ThrottlingException` or `ProvisionedThroughputExceededException` then finds the
 * section about throttling even when that section never names the exception. Compiled into search
 * synonyms (terms/index.ts); names are matched case-insensitively, as one word.
 *
 * Meanings follow the services' API references (Common Errors and each operation's Errors list).
 */

export const AWS_ERRORS: Readonly<Record<string, string>> = {
  // Throttling and quotas (HTTP 429 / 400 with a throttling code).
  ThrottlingException: 'throttling, 429, rate exceeded, too many requests',
  Throttling: 'throttling, 429, rate exceeded',
  ThrottledException: 'throttling, 429',
  TooManyRequestsException: 'throttling, 429, too many requests, concurrency',
  RequestLimitExceeded: 'throttling, rate exceeded',
  ProvisionedThroughputExceededException: 'dynamodb throttling, throughput, hot partition',
  RequestThrottled: 'throttling',
  RequestThrottledException: 'throttling',
  SlowDown: 's3 throttling, throttling',
  PriorRequestNotComplete: 'route 53 throttling, throttling',
  EC2ThrottledException: 'lambda throttling, throttling',
  LimitExceededException: 'limit, quota, throttling',
  ServiceQuotaExceededException: 'quota, limit, service quotas',
  QuotaExceededException: 'quota, limit',
  TooManyInvalidationsInProgress: 'cloudfront invalidation, too many invalidations',
  // Identity, credentials, permissions.
  AccessDeniedException: 'access denied, 403, iam, permissions',
  AccessDenied: 'access denied, 403, iam, permissions',
  UnauthorizedOperation: 'iam, permissions, access denied',
  UnauthorizedException: 'unauthorized, 401',
  NotAuthorizedException: 'not authorized, unauthorized, cognito, token, sign in',
  UnrecognizedClientException: 'credentials, aws credentials, invalid token',
  InvalidClientTokenId: 'credentials, aws credentials, access key',
  // The caller's AWS credentials (STS, SSO), never a user's Cognito token (see NOT_BY_ITS_WORDS).
  ExpiredTokenException: 'aws credentials, sso login, sso session expired',
  ExpiredToken: 'aws credentials, sso login, sso session expired',
  TokenRefreshRequired: 'sso login, aws credentials',
  InvalidSignatureException: 'signature, clock skew, aws credentials',
  SignatureDoesNotMatch: 'signature, aws credentials',
  RequestExpired: 'clock skew, expired',
  IncompleteSignature: 'signature, aws credentials',
  MissingAuthenticationToken: 'authentication, token, 403',
  MissingAuthenticationTokenException: 'authentication, token, 403',
  OptInRequired: 'opt-in region, region not enabled',
  KMSAccessDeniedException: 'kms, decrypt, access denied',
  KMSInvalidStateException: 'kms, key',
  DecryptionFailure: 'kms, decrypt, secrets manager',
  // Cognito.
  UserNotFoundException: 'user, cognito, sign in',
  UserNotConfirmedException: 'user, cognito, confirmed',
  PasswordResetRequiredException: 'forgot password, cognito, sign in',
  UserLambdaValidationException: 'cognito trigger, pre token, lambda',
  InvalidLambdaResponseException: 'cognito trigger, pre token, lambda',
  UnexpectedLambdaException: 'cognito trigger, pre token, lambda',
  TooManyFailedAttemptsException: 'cognito, sign in',
  // Refresh token rotation: a refresh token that was already used (Cognito API reference).
  RefreshTokenReuseException: 'refresh token, cognito, sign in again',
  // The trigger named in Cognito's messages: `PreTokenGeneration failed with error …`.
  PreTokenGeneration: 'pre token trigger, cognito trigger',
  // Bedrock.
  ModelTimeoutException: 'bedrock, timeout, generation timeout',
  ModelNotReadyException: 'bedrock, model',
  ModelErrorException: 'bedrock, model error',
  ModelStreamErrorException: 'bedrock, stream',
  // Service side.
  ServiceUnavailableException: 'service unavailable, 503, outage',
  ServiceUnavailable: 'service unavailable, 503, outage',
  InternalServerException: 'internal server error, 500',
  InternalServerError: 'internal server error, 500',
  InternalFailure: 'internal server error, 500',
  InternalErrorException: 'internal server error, 500',
  ServiceException: 'lambda, service error, 500',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  // Resources and state.
  ResourceNotFoundException: 'not found, missing',
  NoSuchKey: 's3, not found, object',
  NoSuchBucket: 's3, bucket, not found',
  NoSuchDistribution: 'cloudfront, distribution',
  NoSuchHealthCheck: 'route 53 health check',
  InvalidChangeBatch: 'route 53, change, records',
  ResourceConflictException: 'conflict, in progress, lambda update',
  ResourceInUseException: 'in use, in progress',
  ResourceNotReadyException: 'not ready, in progress',
  ConditionalCheckFailedException: 'conditional check, lock, conflict',
  TransactionConflictException: 'conflict, dynamodb',
  ValidationException: 'invalid, validation',
  ValidationError: 'invalid, validation, cloudformation',
  InvalidParameterValueException: 'invalid, parameter',
  CodeStorageExceededException: 'lambda, code storage, versions',
  // ECR, a tag-immutable repository: the second push of a tag (ECR API reference).
  ImageTagAlreadyExistsException: 'image tag, immutable, ecr, agent image',
  // S3 conditional writes (`If-None-Match`, HTTP 412): how Terraform's S3 native lock refuses a held lock.
  PreconditionFailed: 'precondition failed, 412, state lock',
  ProvisionedConcurrencyConfigNotFoundException: 'provisioned concurrency',
  // CloudFormation resource handlers (`HandlerErrorCode` in a stack event's status reason).
  HandlerErrorCode: 'cloudformation, stack, update_failed',
  NotStabilized: 'stack, update_in_progress, not ready, rollback',
  NotUpdatable: 'stack, update_failed, replacement',
  GeneralServiceException: 'stack, update_failed',
  HandlerInternalFailure: 'stack, update_failed',
  ServiceLimitExceeded: 'quota, limit',
  // Lambda runtime errors (`errorType` in the function's log).
  'Runtime.ImportModuleError': 'lambda, module, deploy, release',
  'Runtime.HandlerNotFound': 'lambda, handler, deploy, release',
  'Runtime.OutOfMemory': 'out of memory, memory',
  'Runtime.ExitError': 'lambda, crash, memory',
  'Sandbox.Timedout': 'task timed out, timeout',
  // Node.js and network errors.
  ECONNRESET: 'connection lost, disconnected, network error',
  ECONNREFUSED: 'connection, unreachable',
  ETIMEDOUT: 'timeout, timed out, network error',
  ESOCKETTIMEDOUT: 'timeout, timed out',
  ENOTFOUND: 'dns, not found',
  EAI_AGAIN: 'dns',
  EPIPE: 'connection lost',
  ERR_HTTP2_PROTOCOL_ERROR: 'connection lost, stream',
  ERR_NETWORK_CHANGED: 'connection lost, network',
  ERR_INCOMPLETE_CHUNKED_ENCODING: 'connection lost, stream',
  // Chrome's other net errors for a connection cut or never answered (net_error_list).
  ERR_CONNECTION_RESET: 'connection lost, disconnected',
  ERR_CONNECTION_CLOSED: 'connection lost, disconnected',
  ERR_TIMED_OUT: 'timeout, timed out',
  ERR_NAME_NOT_RESOLVED: 'dns, not found',
};

/**
 * Phrases of log lines that name a cause without an error name: Lambda's REPORT line (`Init Duration` is
 * printed only for a cold start), its timeout line, API Gateway's integration timeout, Docker's
 * architecture mismatches.
 */
/**
 * Names of AWS_ERRORS whose own words say something else in these runbooks, so they mean only what the
 * table says: `ExpiredToken` is the caller's AWS credentials, while "expired token" is the app's "Token
 * expired" (a user's Cognito token). Every other name also means its words (`ProvisionedThroughputExceeded`).
 */
export const NOT_BY_ITS_WORDS: ReadonlySet<string> = new Set(['ExpiredTokenException', 'ExpiredToken']);

export const LOG_PHRASES: Readonly<Record<string, string>> = {
  'init duration': 'cold start, init duration',
  'task timed out': 'timeout, task timed out',
  'request timed out': 'timeout, 504, gateway timeout',
  'max memory used': 'memory',
  'signal killed': 'out of memory, memory',
  'socket hang up': 'connection lost, disconnected',
  'rate exceeded': 'throttling, rate exceeded',
  'too many tokens': 'throttling, tokens per minute',
  'connection reset': 'connection lost, disconnected',
  'state lock': 'state lock, terraform',
  // Terraform's S3-native lock file (`use_lockfile`): `<key>.tflock` beside the state.
  tflock: 'state lock, terraform',
  // API Gateway: the Cognito authorizer's 401 bodies, the throttle's execution log line.
  'incoming token has expired': 'token expired, 401',
  'exceeded throttle limit': 'throttling, 429',
  // ... and its execution log's line for an integration past the 29 s timeout (`Execution failed due to a timeout error`).
  'due to a timeout': 'timeout, 504, endpoint request timed out',
  // Cognito's NotAuthorizedException messages for the refresh and sign-in calls.
  'refresh token has expired': 'token expired, refresh token',
  'access token has expired': 'token expired',
  'token has been revoked': 'revoked, session invalid',
  'invalid refresh token': 'revoked, session invalid',
  'user is disabled': 'user disabled, session invalid',
  // Cognito's answer when a trigger's response is not the event it expects.
  'unrecognizable lambda output': 'pre token trigger, cognito trigger',
  // Bedrock's ThrottlingException messages (HTTP 429).
  'please wait before trying': 'throttling, rate exceeded',
  'rate is too high': 'throttling, rate exceeded',
  // A model answer cut at max_tokens: JSON.parse on the cut text (V8's message).
  'unexpected end of json': 'truncated, malformed json',
  'max tokens': 'max_tokens, truncated',
  // CloudFront's cache header on a cached copy.
  'hit from cloudfront': 'cache, cached copy, stale',
  // GitHub Actions: a job held for an environment's required reviewers.
  'waiting for review': 'waiting, approval, environment reviewers',
  // Docker and BuildKit: an image for another CPU architecture than the one asked for.
  'platform in manifest': 'arm64, platform, docker build',
  'no matching manifest': 'arm64, platform, docker build',
  'failed to solve': 'docker build',
  'exec format error': 'arm64, exec format error',
};
