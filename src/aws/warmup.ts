/**
 * Warm-up and return to standby through the gateway: read each function's provisioned concurrency, write
 * what the table asks for (not in a drill), and read again for the evidence. The decisions are pure
 * (src/workflows/warmup.ts); a step polls `readWarmup` until the verdict is done.
 */
import type { WarmupTarget } from '../runbooks/model/model';
import { planWarmup, type WarmupMode, type WarmupRead, type WarmupWrite } from '../workflows/warmup';
import type { AwsGateway } from './gateway';
import { toPartFailure } from './outcome';

export async function readWarmup(gateway: AwsGateway, targets: WarmupTarget[]): Promise<WarmupRead[]> {
  return Promise.all(
    targets.map(async (t): Promise<WarmupRead> => {
      try {
        return { ok: true, state: await gateway.provisionedConcurrency(t) };
      } catch (error) {
        return { ok: false, error: toPartFailure(error).message };
      }
    }),
  );
}

export interface WarmupApplied {
  writes: WarmupWrite[];
  /** Per write, null when it succeeded. Empty for a drill. */
  errors: (string | null)[];
}

export async function applyWarmup(
  gateway: AwsGateway,
  targets: WarmupTarget[],
  mode: WarmupMode,
  options: { drill?: boolean } = {},
): Promise<WarmupApplied> {
  const writes = planWarmup(targets, await readWarmup(gateway, targets), mode);
  if (options.drill) return { writes, errors: [] };
  const errors = await Promise.all(
    writes.map(async (w) => {
      try {
        if (w.action === 'delete') await gateway.removeProvisionedConcurrency(w.target);
        else await gateway.setProvisionedConcurrency({ ...w.target, concurrency: w.concurrency ?? 1 });
        return null;
      } catch (error) {
        return toPartFailure(error).message;
      }
    }),
  );
  return { writes, errors };
}
