/**
 * "Execute failover" / "Execute failback" on a checklist that declares `switch=` (docs/dr-failover.md): the
 * request's plan is the exact switch write (planSwitch over the switches as read now); once a second person
 * approved it, the executor reads the switches again, writes only what was approved, records the change,
 * then reads the real state (the switch, every health check with its Inverted flag, the zone's
 * authoritative name servers) until they answer the target region or the wait is over, and records the
 * verdict on the run. Done on the step follows that verdict (./route-step.ts).
 *
 * A switch already where the direction wants it (turned by hand or by an earlier run) is never a silent
 * no-op: nothing is asked, and the verdict, with what was changed outside the bot, goes to the thread.
 * No switch accepting the write ends the request as failed; on its last attempt the verdict offers the
 * record-swap fallback (./fallback.ts).
 */
import { AwsCallError } from '../../../aws/errors';
import { collectFailoverEvidence, type EvidenceInput } from '../../../aws/failover-evidence';
import { readSwitches, turnSwitches } from '../../../aws/failover-switch';
import type { AwsGateway } from '../../../aws/gateway';
import { PUT_OBJECT, UPDATE_ROUTING_CONTROL_STATE } from '../../../aws/switch-operations';
import type { FailoverSwitchSet } from '../../../runbooks/model/model';
import type { FailoverDirection } from '../../../workflows/failover-plan';
import {
  planSwitch,
  type SwitchReading,
  type SwitchRequestPlan,
  switchRequestPlan,
  withinApproved,
} from '../../../workflows/failover-switch';
import {
  type FailoverEvidence,
  type FailoverVerdict,
  failoverVerdict,
  type SwitchWriteOutcome,
} from '../../../workflows/failover-verdict';
import type { AppDeps } from '../../deps';
import { escapeMrkdwn, mentionUser } from '../../render/escape';
import { DRILL, SIM, switchWriteLine, verdictHead, verdictText } from '../../render/failover-steps';
import {
  dnsCheckOf,
  recordRouteNote,
  routeOutcome,
  SWITCH_WRITE_FAILED,
  switchSetOf,
} from './failover-tables';
import type { ExecuteContext, PlanContext, PlanOutcome } from './requests';
import { recordsOf } from './shared';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the thread shows a verdict as, from a gateway's label and the run. */
export function simulatedOf(gateway: AwsGateway): string | null {
  return gateway.mode === 'simulated' ? gateway.label : null;
}

export interface Verdicted {
  evidence: FailoverEvidence;
  verdict: FailoverVerdict;
}

/** Read everything once and decide. */
export async function readVerdict(
  gateway: AwsGateway,
  input: Omit<EvidenceInput, 'records' | 'dns' | 'set'> & {
    deps: AppDeps;
    checklist: ExecuteContext['checklist'];
    set: FailoverSwitchSet;
  },
): Promise<Verdicted> {
  const { deps, checklist, ...rest } = input;
  const evidence = await collectFailoverEvidence(gateway, {
    ...rest,
    records: recordsOf(deps, checklist),
    dns: dnsCheckOf(deps, checklist),
  });
  return { evidence, verdict: failoverVerdict(evidence) };
}

// ---- Plan ------------------------------------------------------------------------------------------------

export async function planSwitchRequest(
  ctx: PlanContext,
  set: FailoverSwitchSet,
  direction: FailoverDirection,
): Promise<PlanOutcome> {
  const gateway = await ctx.deps.getAws();
  const readings = await readSwitches(gateway, set);
  const plan = planSwitch(set, readings, direction);
  if (plan.writes.length > 0) return { kind: 'change', plan: switchRequestPlan(set, plan) };
  // Already where the direction wants it: say so with the whole verdict, and what was changed outside.
  const { verdict } = await readVerdict(gateway, {
    deps: ctx.deps,
    checklist: ctx.checklist,
    set,
    direction,
    readings,
  });
  const head = verdictHead({
    v: verdict,
    what: `${mentionUser(ctx.requestedBy)} asked for the ${direction}, but ${escapeMrkdwn(plan.notes.join(' '))} Nothing to approve`,
    simulated: simulatedOf(gateway),
    drill: ctx.run.drill,
  });
  await recordRouteNote(ctx.rt, ctx.run, ctx.step.id, {
    user: ctx.requestedBy,
    text: verdictText({ head, set, verdict, switches: readings }),
    outcome: routeOutcome(verdict),
    unique: `plan-${ctx.key}`,
    at: ctx.at,
  });
  await ctx.rt.refreshMessage(ctx.run.runId).catch(() => undefined);
  return { kind: 'nothing', text: '' };
}

// ---- Execute ---------------------------------------------------------------------------------------------

/** No switch accepted the write: thrown so the request fails (and is retried when the failure may pass). */
export class SwitchWriteFailed extends AwsCallError {
  constructor(outcome: SwitchWriteOutcome, arc: boolean) {
    const transient = outcome.failed.some((f) => f.retryable !== false);
    super(
      arc ? UPDATE_ROUTING_CONTROL_STATE : PUT_OBJECT,
      transient ? 'failed' : 'access-denied',
      'SwitchWriteFailed',
      `${SWITCH_WRITE_FAILED}: ${outcome.failed.map((f) => `${f.switchId}: ${f.error}`).join('; ')}`,
    );
  }
}

/** The approved switch write no longer matches the switches: never retried by itself. */
export class SwitchPlanChanged extends AwsCallError {
  constructor(message: string) {
    super(PUT_OBJECT, 'invalid-request', 'PlanChanged', message);
  }
}

export async function executeSwitch(ctx: ExecuteContext): Promise<{ outcome: string; text: string }> {
  const { deps, checklist, request, gateway } = ctx;
  const approved = request.plan as SwitchRequestPlan;
  const set = switchSetOf(deps, checklist);
  if (!set || set.id !== approved.setId)
    throw new SwitchPlanChanged(
      'The checklist no longer declares the approved switch table; nothing was written.',
    );
  const direction = approved.direction;
  let write: SwitchWriteOutcome | null = null;
  let readings: SwitchReading[] | undefined;
  if (request.changeId?.startsWith('switch:')) {
    // A later delivery of an execution that already wrote: only read and wait.
    write = { succeeded: request.changeId.slice('switch:'.length).split(','), failed: [] };
  } else {
    readings = await readSwitches(gateway, set);
    const now = planSwitch(set, readings, direction);
    if (now.writes.length > 0 && direction === 'failback') await refuseIfPrimaryFails(gateway, set);
    if (now.writes.length > 0) {
      if (!withinApproved(now, approved))
        throw new SwitchPlanChanged(
          'The switches changed since this request was approved, so writing now would not be what was approved. Nothing was written; ask again.',
        );
      const turned = await turnSwitches(gateway, set, direction, { readings });
      write = turned.outcome ?? { succeeded: [], failed: [] };
      const done = now.mode === 'first-success' ? write.succeeded.length > 0 : write.failed.length === 0;
      if (!done) {
        const error = new SwitchWriteFailed(
          write,
          set.switches.every((s) => s.kind !== 's3-object'),
        );
        const final = !write.failed.some((f) => f.retryable !== false) || ctx.attempt >= ctx.maxAttempts;
        if (final) await recordAfterFailure(ctx, set, direction, write);
        throw error;
      }
      const written = approved.writes.filter((w) => write?.succeeded.includes(w.switchId));
      await ctx.submitted(
        `switch:${write.succeeded.join(',')}`,
        `${SIM(simulatedOf(gateway))}:arrows_counterclockwise: Failover switch turned ${direction === 'failover' ? 'Off' : 'On'}:\n${written.map((w) => `• ${switchWriteLine(w)}`).join('\n')}\nReading the health checks and the name servers…`,
      );
      readings = undefined; // read again after the write
    }
  }
  const { evidence, verdict } = await waitForAnswer(ctx, set, direction, write);
  const head = verdictHead({
    v: verdict,
    what: `${direction === 'failover' ? 'Failover' : 'Failback'} (requested by ${mentionUser(request.requestedBy)}, approved by ${mentionUser(request.decidedBy ?? '')})${write ? '' : ', nothing written: the switch was already there'}`,
    simulated: simulatedOf(gateway),
    drill: false,
  });
  const text = verdictText({ head, set, verdict, switches: evidence.switches });
  await recordRouteNote(ctx.rt, ctx.run, request.stepId, {
    user: null,
    text,
    outcome: routeOutcome(verdict),
    unique: `exec-${request.id}-${ctx.attempt}`,
  });
  return {
    outcome: verdict.routeDone ? 'answered' : write ? 'written' : 'already',
    text: verdict.routeDone
      ? `:white_check_mark: The name servers answer ${verdict.targetRegion}: the ${direction} is done.`
      : `:hourglass_flowing_sand: The switch is ${direction === 'failover' ? 'Off' : 'On'}; the name servers did not answer ${verdict.targetRegion} within the wait. Press *Check again* on the step.`,
  };
}

/**
 * Failback turns the switch On: from then on Route 53 answers the primary as soon as its endpoint check
 * passes, so the hold is gone. Never while a primary endpoint check reports the region failing (the runbook
 * wants it healthy for hours first); a check that could not be read, or no checker observed, does not stop it.
 */
async function refuseIfPrimaryFails(gateway: AwsGateway, set: FailoverSwitchSet): Promise<void> {
  const failing = await failingChecks(gateway, set.primaryHealthCheckIds);
  if (failing.length > 0)
    throw new SwitchPlanChanged(
      `${set.primaryRegion}'s endpoint check fails (${failing.join('; ')}): turning the switch On now would send traffic back the moment it passes. Nothing was written; fail back once ${set.primaryRegion} has been healthy as long as the runbook asks.`,
    );
}

/**
 * The endpoint checks of `ids` whose checkers see them fail now (`<id>: n of m checkers healthy`); a check
 * that could not be read, or that no checker observed, is not counted failing.
 */
export async function failingChecks(gateway: AwsGateway, ids: readonly string[]): Promise<string[]> {
  const failing: string[] = [];
  for (const id of ids) {
    const report = await gateway.healthCheckStatus(id).catch(() => null);
    if (report && report.observations.length > 0 && !report.healthy)
      failing.push(`${id}: ${report.healthyCheckers} of ${report.observations.length} checkers healthy`);
  }
  return failing;
}

/** The verdict after the last failed attempt: it offers the fallback (and says why) when the switch cannot act. */
async function recordAfterFailure(
  ctx: ExecuteContext,
  set: FailoverSwitchSet,
  direction: FailoverDirection,
  write: SwitchWriteOutcome,
): Promise<void> {
  const { verdict, evidence } = await readVerdict(ctx.gateway, {
    deps: ctx.deps,
    checklist: ctx.checklist,
    set,
    direction,
    write,
  });
  const head = verdictHead({
    v: verdict,
    what: `:warning: The failover switch was not turned (${escapeMrkdwn(write.failed.map((f) => f.switchId).join(', '))})`,
    simulated: simulatedOf(ctx.gateway),
    drill: false,
  });
  await recordRouteNote(ctx.rt, ctx.run, ctx.request.stepId, {
    user: null,
    text: verdictText({ head, set, verdict, switches: evidence.switches }),
    outcome: routeOutcome(verdict),
    unique: `failed-${ctx.request.id}-${ctx.attempt}`,
  });
}

/**
 * Read the verdict until the name servers answer the target region, or the wait (FAILOVER_DNS_WAIT_MS,
 * within the function's timeout) is over: Route 53 needs about 30–40 s to notice the switch, then about a
 * minute to propagate.
 */
async function waitForAnswer(
  ctx: ExecuteContext,
  set: FailoverSwitchSet,
  direction: FailoverDirection,
  write: SwitchWriteOutcome | null,
): Promise<Verdicted> {
  const { deps } = ctx;
  const { dnsWaitMs, dnsPollMs } = deps.config.aws.failover;
  const sleep = deps.sleep ?? defaultSleep;
  const deadline = deps.now().getTime() + dnsWaitMs;
  for (;;) {
    const read = await readVerdict(ctx.gateway, { deps, checklist: ctx.checklist, set, direction, write });
    if (read.verdict.routeDone || deps.now().getTime() + dnsPollMs > deadline) return read;
    await sleep(dnsPollMs);
  }
}

// ---- Rehearse (a drill) ------------------------------------------------------------------------------------

export async function rehearseSwitch(ctx: ExecuteContext): Promise<{ text: string }> {
  const { deps, checklist, request, gateway } = ctx;
  const approved = request.plan as SwitchRequestPlan;
  const set = switchSetOf(deps, checklist);
  if (!set) throw new SwitchPlanChanged('The checklist no longer declares its switch table.');
  const direction = approved.direction;
  // `drill: true` and a gateway that refuses every write: the plan is read, never written.
  const turned = await turnSwitches(gateway, set, direction, { drill: true });
  const plan = switchRequestPlan(set, turned.plan);
  const { verdict, evidence } = await readVerdict(gateway, {
    deps,
    checklist,
    set,
    direction,
    readings: await readSwitches(gateway, set),
  });
  const lines = [
    `${SIM(simulatedOf(gateway))}${DRILL(true)}The ${direction} approved by ${mentionUser(request.decidedBy ?? '')} was rehearsed. *Nothing was written.* A real run would now:`,
    ...(plan.writes.length > 0
      ? plan.writes.map((w) => `• ${switchWriteLine(w)}`)
      : [`• nothing: ${escapeMrkdwn(plan.notes.join(' '))}`]),
    `then read the switch, the health checks and the name servers until they answer ${verdict.targetRegion}. Now:`,
  ];
  return {
    text: verdictText({
      head: lines.join('\n'),
      set,
      verdict,
      switches: evidence.switches,
    }),
  };
}
