/** The failover operations' requests and answers, against aws-sdk-client-mock (one file per operation). */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { GetHealthCheckCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
} from '@aws-sdk/client-route53-recovery-cluster';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { getRoutingControlState } from '../../src/aws/arc-state-read';
import { deleteProvisionedConcurrency } from '../../src/aws/lambda-provisioned-delete';
import { getProvisionedConcurrency } from '../../src/aws/lambda-provisioned-get';
import { putProvisionedConcurrency } from '../../src/aws/lambda-provisioned-put';
import { getHealthCheck } from '../../src/aws/route53-health-check';
import { getSwitchObject } from '../../src/aws/s3-object-read';
import { putSwitchObject } from '../../src/aws/s3-object-write';
import { ARC_ARN, ON } from '../workflows/switch-fixtures';
import { serviceError } from './fixtures';

const route53 = mockClient(Route53Client);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const arc = mockClient(Route53RecoveryClusterClient);

beforeEach(() => {
  route53.reset();
  lambda.reset();
  s3.reset();
  arc.reset();
});

const FN = { region: 'eu-west-1', functionName: 'sitecraft-prod-api', qualifier: 'live' };

describe('GetHealthCheck', () => {
  it('reports the type, Inverted, Disabled and a calculated check’s children', async () => {
    route53.on(GetHealthCheckCommand).resolves({
      HealthCheck: {
        Id: 'hc-calc',
        CallerReference: 'x',
        HealthCheckVersion: 3,
        HealthCheckConfig: {
          Type: 'CALCULATED',
          Inverted: true,
          ChildHealthChecks: ['hc-af', 'hc-switch'],
          HealthThreshold: 2,
        },
      },
    });

    const config = await getHealthCheck(new Route53Client({ region: 'us-east-1' }), 'hc-calc');

    expect(route53).toReceiveCommandWith(GetHealthCheckCommand, { HealthCheckId: 'hc-calc' });
    expect(config).toEqual({
      healthCheckId: 'hc-calc',
      type: 'CALCULATED',
      inverted: true,
      disabled: false,
      childHealthChecks: ['hc-af', 'hc-switch'],
      healthThreshold: 2,
      searchString: null,
      routingControlArn: null,
    });
  });

  it('names the control-plane failure', async () => {
    route53.on(GetHealthCheckCommand).rejects(serviceError('ServiceUnavailable', 'down', 503));

    await expect(getHealthCheck(new Route53Client({ region: 'us-east-1' }), 'hc')).rejects.toMatchObject({
      operation: { action: 'GetHealthCheck', iamAction: 'route53:GetHealthCheck' },
      kind: 'failed',
    });
  });
});

describe('provisioned concurrency', () => {
  const client = new LambdaClient({ region: 'eu-west-1' });

  it('reads the status, and no configuration as NONE', async () => {
    lambda
      .on(GetProvisionedConcurrencyConfigCommand, { FunctionName: 'sitecraft-prod-api' })
      .resolves({
        Status: 'IN_PROGRESS',
        RequestedProvisionedConcurrentExecutions: 20,
        AllocatedProvisionedConcurrentExecutions: 4,
      })
      .on(GetProvisionedConcurrencyConfigCommand, { FunctionName: 'sitecraft-prod-generate' })
      .rejects(serviceError('ProvisionedConcurrencyConfigNotFoundException', 'No config', 404));

    expect(await getProvisionedConcurrency(client, FN)).toEqual({
      ...FN,
      status: 'IN_PROGRESS',
      requested: 20,
      allocated: 4,
      reason: null,
    });
    expect(
      await getProvisionedConcurrency(client, { ...FN, functionName: 'sitecraft-prod-generate' }),
    ).toMatchObject({
      status: 'NONE',
      requested: null,
    });
  });

  it('puts the target on the qualifier, and deletes idempotently', async () => {
    lambda.on(PutProvisionedConcurrencyConfigCommand).resolves({
      Status: 'IN_PROGRESS',
      RequestedProvisionedConcurrentExecutions: 20,
      AllocatedProvisionedConcurrentExecutions: 0,
    });
    lambda
      .on(DeleteProvisionedConcurrencyConfigCommand)
      .rejects(serviceError('ResourceNotFoundException', 'none', 404));

    expect(await putProvisionedConcurrency(client, { ...FN, concurrency: 20 })).toMatchObject({
      status: 'IN_PROGRESS',
      requested: 20,
    });
    await expect(deleteProvisionedConcurrency(client, FN)).resolves.toBeUndefined();
    expect(lambda).toReceiveCommandWith(PutProvisionedConcurrencyConfigCommand, {
      FunctionName: 'sitecraft-prod-api',
      Qualifier: 'live',
      ProvisionedConcurrentExecutions: 20,
    });
  });

  it('explains a concurrency quota refusal', async () => {
    lambda
      .on(PutProvisionedConcurrencyConfigCommand)
      .rejects(
        serviceError(
          'InvalidParameterValueException',
          'Specified ConcurrentExecutions for function decreases account UnreservedConcurrentExecution below its minimum value of [100].',
        ),
      );

    await expect(putProvisionedConcurrency(client, { ...FN, concurrency: 900 })).rejects.toMatchObject({
      kind: 'invalid-request',
      userMessage: expect.stringContaining('UnreservedConcurrentExecution below its minimum'),
    });
  });
});

describe('the S3 switch object', () => {
  const client = new S3Client({ region: 'eu-west-1' });

  it('reads the body, version and time', async () => {
    s3.on(GetObjectCommand).resolves({
      // The SDK's stream mixin, as far as the operation uses it.
      Body: { transformToString: async () => ON } as never,
      VersionId: 'v1',
      ETag: '"e"',
      LastModified: new Date('2025-03-01T10:00:00Z'),
    });

    expect(await getSwitchObject(client, { bucket: 'b', key: 'k' })).toEqual({
      body: ON,
      etag: '"e"',
      versionId: 'v1',
      lastModified: '2025-03-01T10:00:00.000Z',
    });
  });

  it('maps a missing object and a denied write to clear messages', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('NoSuchKey', 'The specified key does not exist.', 404));
    s3.on(PutObjectCommand).rejects(serviceError('AccessDenied', 'Access Denied', 403));

    await expect(getSwitchObject(client, { bucket: 'b', key: 'k' })).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(putSwitchObject(client, { bucket: 'b', key: 'k', body: ON })).rejects.toMatchObject({
      kind: 'access-denied',
      userMessage: expect.stringContaining('`s3:PutObject`'),
    });
  });
});

describe('Route 53 ARC endpoint rotation', () => {
  const endpoints = [
    { region: 'us-west-2', url: 'https://a.example' },
    { region: 'eu-west-1', url: 'https://b.example' },
  ];
  const clientFor = async () => new Route53RecoveryClusterClient({ region: 'us-west-2' });

  it('stops at a refusal another endpoint would repeat (access denied)', async () => {
    arc.on(GetRoutingControlStateCommand).rejects(serviceError('AccessDeniedException', 'no', 403));

    await expect(
      getRoutingControlState(clientFor, { routingControlArn: ARC_ARN, endpoints }),
    ).rejects.toMatchObject({
      kind: 'access-denied',
      userMessage: expect.stringContaining('every cluster endpoint tried (us-west-2)'),
    });
    expect(arc.commandCalls(GetRoutingControlStateCommand)).toHaveLength(1);
  });

  it('tries the next endpoint after a throttle or a timeout', async () => {
    arc
      .on(GetRoutingControlStateCommand)
      .rejectsOnce(serviceError('ThrottlingException', 'slow down', 429))
      .resolves({ RoutingControlArn: ARC_ARN, RoutingControlState: 'Off', RoutingControlName: 'x' });

    const read = await getRoutingControlState(clientFor, { routingControlArn: ARC_ARN, endpoints });

    expect(read).toMatchObject({ state: 'Off', endpoint: 'eu-west-1' });
    expect(arc.commandCalls(GetRoutingControlStateCommand)).toHaveLength(2);
  });
});
