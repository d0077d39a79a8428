import { describe, expect, it } from 'vitest';
import { planFailover } from '../../src/workflows/failover-plan';
import { liveRecords, RECORDS, ZONE } from '../aws/fixtures';

describe('planFailover', () => {
  it('swaps PRIMARY and SECONDARY with DELETE then CREATE in one batch, copying the live alias targets', () => {
    // Prepare
    const live = { [ZONE]: liveRecords() };

    // Act
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live,
      comment: 'runbook-bot failover run R1',
    });

    // Assess
    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;
    expect(plan.batches).toHaveLength(1);
    const [batch] = plan.batches;
    expect(batch?.hostedZoneId).toBe(ZONE);
    expect(batch?.comment).toBe('runbook-bot failover run R1');
    expect(
      batch?.changes.map((c) => [c.Action, c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Failover]),
    ).toEqual([
      ['DELETE', 'api-af-south-1', 'PRIMARY'],
      ['DELETE', 'api-eu-west-1', 'SECONDARY'],
      ['CREATE', 'api-af-south-1', 'SECONDARY'],
      ['CREATE', 'api-eu-west-1', 'PRIMARY'],
    ]);
    const created = batch?.changes[3]?.ResourceRecordSet;
    expect(created).toEqual({ ...liveRecords()[1], Failover: 'PRIMARY' });
    expect(plan.moves.map((m) => `${m.region}:${m.from}->${m.to}`)).toEqual([
      'af-south-1:PRIMARY->SECONDARY',
      'eu-west-1:SECONDARY->PRIMARY',
    ]);
  });

  it('failback restores the roles the runbook declares', () => {
    const plan = planFailover({
      direction: 'failback',
      records: RECORDS,
      live: { [ZONE]: liveRecords(true) },
      comment: 'c',
    });

    expect(plan.kind).toBe('change');
    if (plan.kind !== 'change') return;
    const creates = plan.batches[0]?.changes.filter((c) => c.Action === 'CREATE') ?? [];
    expect(creates.map((c) => [c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Failover])).toEqual([
      ['api-af-south-1', 'PRIMARY'],
      ['api-eu-west-1', 'SECONDARY'],
    ]);
  });

  it('is a no-op when the records already have the target roles', () => {
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live: { [ZONE]: liveRecords(true) },
      comment: 'c',
    });

    expect(plan.kind).toBe('noop');
  });

  it('refuses when a declared record set is missing from the zone, writing nothing', () => {
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live: { [ZONE]: liveRecords().slice(0, 1) },
      comment: 'c',
    });

    expect(plan).toEqual({
      kind: 'error',
      direction: 'failover',
      problems: [
        `record set api.sitecraft.example.com A (api-eu-west-1) was not found in hosted zone ${ZONE}`,
      ],
    });
  });

  it('refuses record sets without a failover policy and an empty declaration', () => {
    const noPolicy = liveRecords().map(({ Failover: _f, ...rest }) => rest);
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live: { [ZONE]: noPolicy },
      comment: 'c',
    });
    expect(plan.kind).toBe('error');

    expect(planFailover({ direction: 'failover', records: [], live: {}, comment: 'c' })).toMatchObject({
      kind: 'error',
    });
  });

  it('refuses a plan that would leave two PRIMARY record sets', () => {
    const bothPrimary = RECORDS.map((r) => ({ ...r, failover: 'PRIMARY' as const }));
    const plan = planFailover({
      direction: 'failback',
      records: bothPrimary,
      live: { [ZONE]: liveRecords() },
      comment: 'c',
    });

    expect(plan.kind).toBe('error');
    if (plan.kind === 'error') expect(plan.problems[0]).toContain('2 PRIMARY');
  });

  it('matches names case-insensitively with or without the trailing dot, and zone ids with the /hostedzone/ prefix', () => {
    const records = RECORDS.map((r) => ({
      ...r,
      name: 'API.Sitecraft.Example.com',
      hostedZoneId: `/hostedzone/${ZONE}`,
    }));
    const plan = planFailover({
      direction: 'failover',
      records,
      live: { [ZONE]: liveRecords() },
      comment: 'c',
    });

    expect(plan.kind).toBe('change');
  });

  it("cuts the change comment to Route 53's 256 characters", () => {
    const plan = planFailover({
      direction: 'failover',
      records: RECORDS,
      live: { [ZONE]: liveRecords() },
      comment: 'x'.repeat(400),
    });

    expect(plan.kind === 'change' && plan.batches[0]?.comment.length).toBe(256);
  });
});
