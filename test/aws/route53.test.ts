import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsCallError } from '../../src/aws/errors';
import { changeRecordSets } from '../../src/aws/route53-change';
import { getHealthCheckStatus } from '../../src/aws/route53-health';
import { listRecordSets } from '../../src/aws/route53-records';
import { waitForChange } from '../../src/aws/route53-wait';
import { HC_PRIMARY, liveRecords, serviceError, ZONE } from './fixtures';

const route53 = mockClient(Route53Client);
const client = new Route53Client({ region: 'us-east-1' });

beforeEach(() => route53.reset());
afterEach(() => vi.useRealTimers());

describe('getHealthCheckStatus', () => {
  it('asks for the health check and reports each checker region', async () => {
    // Prepare
    route53.on(GetHealthCheckStatusCommand).resolves({
      HealthCheckObservations: [
        {
          Region: 'us-east-1',
          IPAddress: '15.177.2.1',
          StatusReport: {
            Status: 'Failure: Connection timed out.',
            CheckedTime: new Date('2025-03-01T10:00:00Z'),
          },
        },
        {
          Region: 'eu-west-1',
          IPAddress: '15.177.62.1',
          StatusReport: { Status: 'Success: HTTP Status Code 200, OK' },
        },
      ],
    });

    // Act
    const report = await getHealthCheckStatus(client, HC_PRIMARY);

    // Assess
    expect(route53).toReceiveCommandWith(GetHealthCheckStatusCommand, { HealthCheckId: HC_PRIMARY });
    expect(report).toEqual({
      healthCheckId: HC_PRIMARY,
      healthyCheckers: 1,
      healthy: true,
      observations: [
        {
          checkerRegion: 'eu-west-1',
          ipAddress: '15.177.62.1',
          status: 'Success: HTTP Status Code 200, OK',
          checkedAt: null,
          healthy: true,
        },
        {
          checkerRegion: 'us-east-1',
          ipAddress: '15.177.2.1',
          status: 'Failure: Connection timed out.',
          checkedAt: '2025-03-01T10:00:00.000Z',
          healthy: false,
        },
      ],
    });
  });

  it.each([
    ['Throttling', 'throttled', 'Route 53 GetHealthCheckStatus was throttled by AWS'],
    [
      'AccessDenied',
      'access-denied',
      "Route 53 GetHealthCheckStatus was denied: the bot's IAM role is not allowed `route53:GetHealthCheckStatus`",
    ],
    [
      'CredentialsProviderError',
      'credentials',
      'Route 53 GetHealthCheckStatus could not run: the bot has no valid AWS credentials',
    ],
    ['TimeoutError', 'timeout', 'Route 53 GetHealthCheckStatus timed out'],
  ])('turns %s into a clear %s message naming service and action', async (code, kind, message) => {
    route53.on(GetHealthCheckStatusCommand).rejects(serviceError(code));

    const error = await getHealthCheckStatus(client, HC_PRIMARY).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ kind, code, retryable: true });
    expect((error as AwsCallError).userMessage).toContain(message);
  });

  it('gives up at its deadline when AWS never answers', async () => {
    // Prepare: the call hangs forever; the deadline is the only way out.
    vi.useFakeTimers();
    route53.on(GetHealthCheckStatusCommand).callsFake(() => new Promise(() => {}));

    // Act
    const pending = getHealthCheckStatus(client, HC_PRIMARY, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);

    // Assess
    expect(await pending).toMatchObject({
      kind: 'timeout',
      operation: { service: 'Route 53', action: 'GetHealthCheckStatus' },
    });
  });
});

describe('listRecordSets', () => {
  it('starts at the record name and type and keeps only that pair', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        ...liveRecords(),
        { Name: 'api.sitecraft.example.com.', Type: 'AAAA', ResourceRecords: [{ Value: '::1' }], TTL: 60 },
      ],
      IsTruncated: true,
      NextRecordName: 'app.sitecraft.example.com.',
      NextRecordType: 'A',
      MaxItems: 10,
    } as never);

    const sets = await listRecordSets(client, {
      hostedZoneId: `/hostedzone/${ZONE}`,
      name: 'api.sitecraft.example.com',
      type: 'a',
    });

    expect(route53).toReceiveCommandTimes(ListResourceRecordSetsCommand, 1);
    expect(route53).toReceiveCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      StartRecordName: 'api.sitecraft.example.com',
      StartRecordType: 'A',
      MaxItems: 10,
    });
    expect(sets).toEqual(liveRecords());
  });

  it('follows the next page while it is still the same pair', async () => {
    const [first, second] = liveRecords();
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [first as never],
        IsTruncated: true,
        NextRecordName: 'api.sitecraft.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'api-eu-west-1',
        MaxItems: 1,
      })
      .resolvesOnce({ ResourceRecordSets: [second as never], IsTruncated: false, MaxItems: 1 });

    const sets = await listRecordSets(client, {
      hostedZoneId: ZONE,
      name: 'api.sitecraft.example.com',
      type: 'A',
    });

    expect(sets).toEqual(liveRecords());
    expect(route53).toReceiveNthCommandWith(2, ListResourceRecordSetsCommand, {
      StartRecordName: 'api.sitecraft.example.com.',
      StartRecordIdentifier: 'api-eu-west-1',
    });
  });

  it('reports AccessDenied naming ListResourceRecordSets', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .rejects(serviceError('AccessDenied', 'User is not authorized', 403));

    await expect(listRecordSets(client, { hostedZoneId: ZONE, name: 'x', type: 'A' })).rejects.toMatchObject({
      kind: 'access-denied',
      userMessage: expect.stringContaining('`route53:ListResourceRecordSets`'),
    });
  });
});

describe('changeRecordSets', () => {
  it('sends the batch with its comment and returns the change id without the /change/ prefix', async () => {
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: {
        Id: '/change/C0123456789',
        Status: 'PENDING',
        SubmittedAt: new Date('2025-03-01T10:00:00Z'),
        Comment: 'run R1',
      },
    });
    const [primary] = liveRecords();
    const batch = {
      hostedZoneId: ZONE,
      comment: 'run R1',
      changes: [
        { Action: 'DELETE' as const, ResourceRecordSet: primary! },
        { Action: 'CREATE' as const, ResourceRecordSet: { ...primary!, Failover: 'SECONDARY' } },
      ],
    };

    const info = await changeRecordSets(client, batch);

    expect(route53).toReceiveCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: { Comment: 'run R1', Changes: batch.changes },
    });
    expect(info).toEqual({
      changeId: 'C0123456789',
      status: 'PENDING',
      submittedAt: '2025-03-01T10:00:00.000Z',
      comment: 'run R1',
    });
  });

  it('marks an InvalidChangeBatch as not worth retrying', async () => {
    route53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(serviceError('InvalidChangeBatch', 'values provided do not match'));

    await expect(
      changeRecordSets(client, { hostedZoneId: ZONE, comment: 'c', changes: [] }),
    ).rejects.toMatchObject({
      kind: 'invalid-request',
      retryable: false,
    });
  });
});

describe('waitForChange', () => {
  it('polls GetChange until INSYNC, sleeping between polls', async () => {
    route53
      .on(GetChangeCommand)
      .resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } })
      .resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } })
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
    const sleeps: number[] = [];

    const final = await waitForChange(client, 'C1', {
      intervalMs: 4_000,
      sleep: async (ms) => void sleeps.push(ms),
    });

    expect(final).toMatchObject({ changeId: 'C1', status: 'INSYNC', polls: 3 });
    expect(sleeps).toEqual([4_000, 4_000]);
    expect(route53).toReceiveCommandWith(GetChangeCommand, { Id: 'C1' });
  });

  it('stops after maxPolls with a message saying the change was submitted', async () => {
    route53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });

    await expect(waitForChange(client, 'C1', { maxPolls: 3, sleep: async () => {} })).rejects.toMatchObject({
      kind: 'timeout',
      userMessage: expect.stringContaining('still reports change C1 as PENDING after 3 checks'),
    });
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 3);
  });

  it('surfaces throttling of GetChange', async () => {
    route53.on(GetChangeCommand).rejects(serviceError('Throttling', 'Rate exceeded'));

    await expect(waitForChange(client, 'C1', { sleep: async () => {} })).rejects.toMatchObject({
      kind: 'throttled',
      operation: { action: 'GetChange' },
    });
  });
});
