/**
 * Reading and turning the failover switches through the gateway; the decisions are pure
 * (src/workflows/failover-switch.ts). A failover writes Off to the switches in the runbook's order and stops
 * at the first that accepts it; a failback writes On to every switch that needs it. A drill plans and reads,
 * and writes nothing.
 */
import type { FailoverSwitch, FailoverSwitchSet } from '../runbooks/model/model';
import type { FailoverDirection } from '../workflows/failover-plan';
import {
  planSwitch,
  readSwitch,
  type SwitchPlan,
  type SwitchReading,
  type SwitchWrite,
  unreadableSwitch,
} from '../workflows/failover-switch';
import type { SwitchWriteOutcome } from '../workflows/failover-verdict';
import { AwsCallError } from './errors';
import type { AwsGateway } from './gateway';
import { toPartFailure } from './outcome';

export async function readSwitches(gateway: AwsGateway, set: FailoverSwitchSet): Promise<SwitchReading[]> {
  return Promise.all(set.switches.map((sw) => readOne(gateway, sw)));
}

async function readOne(gateway: AwsGateway, sw: FailoverSwitch): Promise<SwitchReading> {
  try {
    if (sw.kind === 's3-object') {
      const object = await gateway.readSwitchObject({
        region: sw.region,
        bucket: sw.bucket ?? '',
        key: sw.key ?? '',
      });
      return readSwitch(sw, object.body, object.versionId ? `version ${object.versionId}` : null);
    }
    const control = await gateway.routingControlState({
      routingControlArn: sw.routingControlArn ?? '',
      endpoints: sw.clusterEndpoints,
    });
    return readSwitch(sw, control.state, `cluster endpoint ${control.endpoint}`);
  } catch (error) {
    return unreadableSwitch(sw, toPartFailure(error).message);
  }
}

export interface SwitchTurn {
  plan: SwitchPlan;
  /** Null for a drill: nothing was written. */
  outcome: SwitchWriteOutcome | null;
}

/** Reads the switches, plans the direction's writes and (unless `drill`) makes them. */
export async function turnSwitches(
  gateway: AwsGateway,
  set: FailoverSwitchSet,
  direction: FailoverDirection,
  options: { drill?: boolean; readings?: SwitchReading[] } = {},
): Promise<SwitchTurn> {
  const readings = options.readings ?? (await readSwitches(gateway, set));
  const plan = planSwitch(set, readings, direction);
  if (options.drill) return { plan, outcome: null };
  const outcome: SwitchWriteOutcome = { succeeded: [], failed: [] };
  for (const write of plan.writes) {
    const sw = set.switches.find((s) => s.id === write.switchId);
    if (!sw) continue;
    try {
      await writeOne(gateway, sw, write);
      outcome.succeeded.push(sw.id);
      if (plan.mode === 'first-success') break;
    } catch (error) {
      outcome.failed.push({
        switchId: sw.id,
        error: toPartFailure(error).message,
        retryable: passesByItself(error),
      });
    }
  }
  return { plan, outcome };
}

async function writeOne(gateway: AwsGateway, sw: FailoverSwitch, write: SwitchWrite): Promise<void> {
  if (sw.kind === 's3-object') {
    await gateway.writeSwitchObject({
      region: sw.region,
      bucket: sw.bucket ?? '',
      key: sw.key ?? '',
      body: write.value,
    });
    return;
  }
  await gateway.updateRoutingControlState({
    routingControlArn: sw.routingControlArn ?? '',
    endpoints: sw.clusterEndpoints,
    state: write.to === 'on' ? 'On' : 'Off',
  });
}

/** Throttling, time-outs and server errors may pass by themselves; a refusal (access denied, bad input) does not. */
export function passesByItself(error: unknown): boolean {
  return (
    !(error instanceof AwsCallError) || ['throttled', 'timeout', 'network', 'failed'].includes(error.kind)
  );
}
