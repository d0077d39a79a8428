/**
 * The Route 53 action behind "Execute failover" / "Execute failback": read the live record sets, plan the
 * change (pure, src/workflows/failover-plan.ts), and, only when told to, write it and wait for INSYNC.
 * A drill calls `prepareFailover` alone: reads only, and shows the exact change it would make.
 */
import type { FailoverRecord } from '../runbooks/model/model';
import {
  type FailoverDirection,
  type FailoverPlan,
  normalizeZoneId,
  planFailover,
  type RecordSetShape,
  type ZoneChangeBatch,
} from '../workflows/failover-plan';
import type { AwsGateway, WaitOptions } from './gateway';
import type { ChangeInfo } from './types';

export interface PrepareInput {
  direction: FailoverDirection;
  records: FailoverRecord[];
  /** Names the run, e.g. `runbook-bot failover run R123 requested by U1 approved by U2`. */
  comment: string;
}

export async function prepareFailover(gateway: AwsGateway, input: PrepareInput): Promise<FailoverPlan> {
  const live: Record<string, RecordSetShape[]> = {};
  const seen = new Set<string>();
  for (const r of input.records) {
    const zone = normalizeZoneId(r.hostedZoneId);
    const key = `${zone} ${r.name.toLowerCase()} ${r.type.toUpperCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sets = await gateway.listRecordSets({ hostedZoneId: zone, name: r.name, type: r.type });
    live[zone] = [...(live[zone] ?? []), ...sets];
  }
  return planFailover({ direction: input.direction, records: input.records, live, comment: input.comment });
}

export interface AppliedBatch {
  hostedZoneId: string;
  submitted: ChangeInfo;
  final: ChangeInfo & { polls: number };
}

/** Writes each batch and waits for it to be INSYNC. Throws `AwsCallError`; batches already applied stay applied. */
export async function applyFailover(
  gateway: AwsGateway,
  batches: ZoneChangeBatch[],
  options: {
    wait?: WaitOptions;
    onSubmitted?: (batch: ZoneChangeBatch, info: ChangeInfo) => void | Promise<void>;
  } = {},
): Promise<AppliedBatch[]> {
  const applied: AppliedBatch[] = [];
  for (const batch of batches) {
    const submitted = await gateway.changeRecordSets(batch);
    await options.onSubmitted?.(batch, submitted);
    const final = await gateway.waitForChange(submitted.changeId, options.wait);
    applied.push({ hostedZoneId: batch.hostedZoneId, submitted, final });
  }
  return applied;
}
