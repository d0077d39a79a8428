import { describe, expect, it } from 'vitest';
import { GET_METRIC_DATA } from '../../src/aws/cloudwatch-metrics';
import { AwsCallError, classifyAwsError } from '../../src/aws/errors';
import { serviceError } from './fixtures';

describe('classifyAwsError', () => {
  it.each([
    ['ThrottlingException', 'throttled'],
    ['Throttling', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['PriorRequestNotComplete', 'throttled'],
    ['AccessDenied', 'access-denied'],
    ['AccessDeniedException', 'access-denied'],
    ['ExpiredToken', 'credentials'],
    ['InvalidClientTokenId', 'credentials'],
    ['CredentialsProviderError', 'credentials'],
    ['TimeoutError', 'timeout'],
    ['AbortError', 'timeout'],
    ['InvalidChangeBatch', 'invalid-request'],
    ['NoSuchHealthCheck', 'not-found'],
    ['InternalFailure', 'failed'],
  ])('%s → %s', (code, kind) => {
    const error = classifyAwsError(GET_METRIC_DATA, serviceError(code));

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.kind).toBe(kind);
    expect(error.userMessage).toMatch(/^CloudWatch GetMetricData /);
  });

  it('recognises network errors by errno code and HTTP 429 without a code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyAwsError(GET_METRIC_DATA, refused).kind).toBe('network');
    const tooMany = Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 429 } });
    expect(classifyAwsError(GET_METRIC_DATA, tooMany).kind).toBe('throttled');
  });

  it('keeps the cause for logs and never puts it in the message', () => {
    const cause = serviceError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/bot is not authorized',
    );
    const error = classifyAwsError(GET_METRIC_DATA, cause);

    expect(error.cause).toBe(cause);
    expect(error.userMessage).not.toContain('123456789012');
    expect(classifyAwsError(GET_METRIC_DATA, error)).toBe(error);
  });
});
