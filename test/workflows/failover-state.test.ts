import { describe, expect, it } from 'vitest';
import {
  answeringRecord,
  type HealthCheckReport,
  type HealthObservation,
  primaryHealthEvidence,
  summarizeHealthCheck,
} from '../../src/workflows/failover-state';
import { HC_DR, HC_PRIMARY, liveRecords, RECORDS } from '../aws/fixtures';

function observations(healthy: number, total: number): HealthObservation[] {
  return Array.from({ length: total }, (_v, i) => ({
    checkerRegion: `region-${i}`,
    ipAddress: null,
    status: i < healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out.',
    checkedAt: null,
    healthy: i < healthy,
  }));
}

function report(id: string, healthy: boolean): HealthCheckReport {
  return summarizeHealthCheck(id, observations(healthy ? 8 : 0, 8));
}

describe('summarizeHealthCheck', () => {
  it('is healthy only when more than 18% of checkers report healthy, as Route 53 decides', () => {
    expect(summarizeHealthCheck('h', observations(2, 8)).healthy).toBe(true); // 25%
    expect(summarizeHealthCheck('h', observations(1, 8)).healthy).toBe(false); // 12.5%
    expect(summarizeHealthCheck('h', []).healthy).toBe(false);
  });
});

describe('answeringRecord', () => {
  it('answers with the PRIMARY while it is healthy and the SECONDARY once it is not', () => {
    expect(answeringRecord(liveRecords(), { [HC_PRIMARY]: report(HC_PRIMARY, true) })?.setIdentifier).toBe(
      'api-af-south-1',
    );
    const down = { [HC_PRIMARY]: report(HC_PRIMARY, false), [HC_DR]: report(HC_DR, true) };
    expect(answeringRecord(liveRecords(), down)).toMatchObject({
      setIdentifier: 'api-eu-west-1',
      reason: 'PRIMARY is unhealthy',
    });
  });

  it('answers with the PRIMARY when both are unhealthy', () => {
    const both = { [HC_PRIMARY]: report(HC_PRIMARY, false), [HC_DR]: report(HC_DR, false) };
    expect(answeringRecord(liveRecords(), both)?.setIdentifier).toBe('api-af-south-1');
  });

  it('after a failover the eu-west-1 record is PRIMARY and answers', () => {
    const health = { [HC_PRIMARY]: report(HC_PRIMARY, false), [HC_DR]: report(HC_DR, true) };
    expect(answeringRecord(liveRecords(true), health)).toMatchObject({
      setIdentifier: 'api-eu-west-1',
      failover: 'PRIMARY',
    });
  });
});

describe('primaryHealthEvidence', () => {
  it('proves the primary is down only when a primary-region check reports unhealthy', () => {
    const down = primaryHealthEvidence(RECORDS, { [HC_PRIMARY]: report(HC_PRIMARY, false) }, 'af-south-1');
    expect(down.primaryUnhealthy).toBe(true);
    expect(down.summary).toBe('1 of 1 af-south-1 health checks report UNHEALTHY.');

    const up = primaryHealthEvidence(RECORDS, { [HC_PRIMARY]: report(HC_PRIMARY, true) }, 'af-south-1');
    expect(up.primaryUnhealthy).toBe(false);

    const unknown = primaryHealthEvidence(RECORDS, {}, 'af-south-1');
    expect(unknown).toMatchObject({
      primaryUnhealthy: false,
      summary: '1 of 1 af-south-1 health checks could not be read or have no checker observations.',
    });
  });
});
