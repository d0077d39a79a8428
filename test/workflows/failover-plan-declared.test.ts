/**
 * Found in a review (helper-183): the record swap copies everything but the role from the live record sets, matched by
 * SetIdentifier only. The runbook's table also declares each set's target and health check: a live set that
 * no longer matches them (targets or health checks swapped by hand, a health check removed) must stop the
 * plan, not be swapped into sending traffic to the region the table says is being left.
 */
import { describe, expect, it } from 'vitest';
import { planFailover, type RecordSetShape } from '../../src/workflows/failover-plan';
import { liveRecords, RECORDS, ZONE } from '../aws/fixtures';

describe('planFailover against the runbook’s declared targets and health checks', () => {
  it('refuses a failover when the live sets carry each other’s targets (it would make af-south-1 PRIMARY)', () => {
    const [af, eu] = liveRecords() as [RecordSetShape, RecordSetShape];
    // Someone failed over by hand by swapping the targets, not the roles.
    const live = {
      [ZONE]: [
        { ...af, AliasTarget: eu.AliasTarget, HealthCheckId: eu.HealthCheckId },
        { ...eu, AliasTarget: af.AliasTarget, HealthCheckId: af.HealthCheckId },
      ],
    };
    const plan = planFailover({ direction: 'failover', records: RECORDS, live, comment: 'R1' });
    if (plan.kind === 'change') {
      const primary = plan.batches[0]?.changes.find(
        (c) => c.Action === 'CREATE' && c.ResourceRecordSet.Failover === 'PRIMARY',
      );
      // What the approver would approve: "eu-west-1: SECONDARY -> PRIMARY", while the new PRIMARY answers af-south-1.
      expect(primary?.ResourceRecordSet.AliasTarget?.DNSName).not.toContain('af-south-1');
    }
    expect(plan.kind).toBe('error');
  });

  it('refuses a failback that would create a PRIMARY without the health check the table declares', () => {
    const [af, eu] = liveRecords(true) as [RecordSetShape, RecordSetShape];
    const { HealthCheckId: _removed, ...afWithoutCheck } = af;
    const live = { [ZONE]: [afWithoutCheck, eu] };
    const plan = planFailover({ direction: 'failback', records: RECORDS, live, comment: 'R1' });
    if (plan.kind === 'change') {
      const primary = plan.batches[0]?.changes.find(
        (c) => c.Action === 'CREATE' && c.ResourceRecordSet.Failover === 'PRIMARY',
      );
      // A PRIMARY without a health check is always healthy to Route 53: no failover would ever happen again.
      expect(primary?.ResourceRecordSet.HealthCheckId).toBe(RECORDS[0]!.healthCheckId);
    }
    expect(plan.kind).toBe('error');
  });
});
