/** What a live action wrote, attached to the exported timeline as JSON (src/slack/render/checklist-attachments.ts). */
import { describe, expect, it } from 'vitest';
import { submittedAttachments } from '../../src/slack/render/checklist-attachments';
import type { ActionRequest } from '../../src/workflows/requests';

const request = (plan: unknown, changeId?: string): ActionRequest => ({
  id: 'a1b2c3d4',
  kind: 'route53-failback',
  stepId: 'dns',
  requestedBy: 'U0A',
  requestedAt: '2024-05-01T10:00:00.000Z',
  status: 'executing',
  attempts: 1,
  plan,
  ...(changeId ? { changeId } : {}),
});

const switchPlan = {
  mechanism: 'switch',
  direction: 'failback',
  setId: 'api',
  mode: 'all',
  notes: [],
  writes: [
    {
      switchId: 'dr-s3',
      kind: 's3-object',
      to: 'on',
      value: '{"on":true}',
      region: 'eu-west-1',
      target: 's3://bkt/a/b.json',
    },
    {
      switchId: 'dr-arc',
      kind: 'arc-routing-control',
      to: 'on',
      value: 'On',
      region: 'us-west-2',
      target: 'arn:aws:route53-recovery-control::1:controlpanel/x/routingcontrol/y',
    },
  ],
};

describe('submittedAttachments', () => {
  it('attaches the switch writes the executor reported written, each exactly as sent', () => {
    const [a, ...more] = submittedAttachments(request(switchPlan, 'switch:dr-s3,dr-arc'), '');
    expect(more).toHaveLength(0);
    expect(a?.kind).toBe('switch');
    expect(JSON.parse(a!.json)).toEqual({
      request: 'a1b2c3d4',
      direction: 'failback',
      writes: [
        {
          switch: 'dr-s3',
          operation: 's3:PutObject',
          region: 'eu-west-1',
          Bucket: 'bkt',
          Key: 'a/b.json',
          Body: '{"on":true}',
        },
        {
          switch: 'dr-arc',
          operation: 'route53-recovery-cluster:UpdateRoutingControlState',
          region: 'us-west-2',
          RoutingControlArn: switchPlan.writes[1]!.target,
          RoutingControlState: 'On',
        },
      ],
    });
  });

  it('leaves out a write that was approved but not reported written, and attaches nothing when none was', () => {
    const [a] = submittedAttachments(request(switchPlan, 'switch:dr-arc'), '');
    expect(JSON.parse(a!.json).writes.map((w: { switch: string }) => w.switch)).toEqual(['dr-arc']);
    expect(submittedAttachments(request(switchPlan), '')).toEqual([]);
    expect(submittedAttachments(request({ ...switchPlan, writes: 'bad' }, 'switch:dr-s3'), '')).toEqual([]);
  });

  it('attaches the record swap’s batch for the zone the report names', () => {
    const batch = (zone: string) => ({
      hostedZoneId: zone,
      comment: 'c',
      changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: `${zone}.`, Type: 'A' } }],
    });
    const plan = { kind: 'change', direction: 'failover', moves: [], batches: [batch('Z1'), batch('Z2')] };
    const [a] = submittedAttachments(
      request(plan, 'C1'),
      'Submitted Route 53 change `C1` on zone `Z2` (“c”)',
    );
    expect(JSON.parse(a!.json)).toEqual({
      HostedZoneId: 'Z2',
      ChangeBatch: { Changes: batch('Z2').changes },
    });
    // Ambiguous (no zone named, two batches): nothing rather than the wrong one.
    expect(submittedAttachments(request(plan, 'C1'), 'Submitted')).toEqual([]);
    expect(submittedAttachments(request({ kind: 'noop' }), '')).toEqual([]);
    expect(submittedAttachments(undefined, '')).toEqual([]);
  });
});
