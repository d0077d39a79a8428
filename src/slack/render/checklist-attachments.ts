/**
 * What a live action wrote, as JSON attached to the exported timeline (issue 20): read from the request the
 * run stores (src/workflows/requests.ts), never from the thread's wording. Pure.
 *
 * - The failover switch (`switch=`): the writes the executor reported written (the request's `changeId` is
 *   `switch:<ids>`), each with the exact S3 object and body, or the routing control and state.
 * - The record swap: the Route 53 change batch of the zone the report names (the changes are the approved
 *   ones: the executor refuses to write anything else).
 *
 * Not in the store, so not attached: the S3 ETag or version id of a write (the executor does not keep
 * them), and a switch an earlier, failed attempt of the same request turned before another switch refused
 * (only the successful attempt records what it wrote; the verdict notes show the switch positions read).
 */

import type { FailoverPlan, ZoneChangeBatch } from '../../workflows/failover-plan';
import { isSwitchRequestPlan, type SwitchRequestPlan } from '../../workflows/failover-switch';
import type { ActionRequest } from '../../workflows/requests';

export type AttachmentKind = 'route53' | 'switch';

export interface TimelineAttachment {
  kind: AttachmentKind;
  /** Pretty-printed JSON. */
  json: string;
}

/** The JSON of what a submitted live action wrote, or nothing (not a change, or none recorded). */
export function submittedAttachments(
  request: ActionRequest | undefined,
  reportText: string,
): TimelineAttachment[] {
  if (!request?.plan) return [];
  if (isSwitchRequestPlan(request.plan)) {
    const json = switchWrites(request, request.plan);
    return json ? [{ kind: 'switch', json }] : [];
  }
  const plan = request.plan as Partial<FailoverPlan>;
  if (plan.kind !== 'change' || !Array.isArray(plan.batches)) return [];
  const batch = batchOf(plan.batches, reportText);
  if (!batch) return [];
  return [
    {
      kind: 'route53',
      json: JSON.stringify(
        { HostedZoneId: batch.hostedZoneId, ChangeBatch: { Changes: batch.changes } },
        null,
        2,
      ),
    },
  ];
}

/** The batch the report names by its zone (one report per zone), or the only one. */
function batchOf(batches: ZoneChangeBatch[], reportText: string): ZoneChangeBatch | undefined {
  const named = batches.filter((b) => b.hostedZoneId && reportText.includes(b.hostedZoneId));
  return named.length === 1 ? named[0] : batches.length === 1 ? batches[0] : undefined;
}

function switchWrites(request: ActionRequest, plan: SwitchRequestPlan): string | null {
  const written = new Set(
    request.changeId?.startsWith('switch:') ? request.changeId.slice('switch:'.length).split(',') : [],
  );
  const writes = (Array.isArray(plan.writes) ? plan.writes : []).filter((w) => written.has(w.switchId));
  if (writes.length === 0) return null;
  return JSON.stringify(
    {
      request: request.id,
      direction: plan.direction,
      writes: writes.map((w) => {
        if (w.kind === 's3-object') {
          const path = w.target.replace(/^s3:\/\//, '');
          const slash = path.indexOf('/');
          return {
            switch: w.switchId,
            operation: 's3:PutObject',
            region: w.region,
            Bucket: slash < 0 ? path : path.slice(0, slash),
            Key: slash < 0 ? '' : path.slice(slash + 1),
            Body: w.value,
          };
        }
        return {
          switch: w.switchId,
          operation: 'route53-recovery-cluster:UpdateRoutingControlState',
          region: w.region,
          RoutingControlArn: w.target,
          RoutingControlState: w.value,
        };
      }),
    },
    null,
    2,
  );
}
