/**
 * The record-swap fallback of a switch checklist (docs/dr-failover.md, "The fallback"): swap the PRIMARY
 * and SECONDARY roles of the declared records with one `ChangeResourceRecordSets` batch, a Route 53
 * control-plane change (us-east-1). Offered only when the latest verdict recorded on the step says the
 * switch cannot act (`fallback.available`: no switch accepted the write; for a failback, records a fallback
 * swapped), never automatically: "Use the record swap…" has its own confirmation dialog and asks for its
 * own request (kind `record-swap-failover` / `record-swap-failback`, not the switch's), approved by a second
 * person like any live action. Its plan checks the offer again (the stored verdict) and reads the live
 * records; its execution re-plans, refuses a change that is not the approved one, and reads the verdict
 * after INSYNC.
 */

import type { App } from '@slack/bolt';
import { readSwitches } from '../../../aws/failover-switch';
import type { FailoverPlan } from '../../../workflows/failover-plan';
import { ActionIds } from '../../action-ids';
import type { AppDeps } from '../../deps';
import { escapeMrkdwn } from '../../render/escape';
import { DRILL, SIM, verdictHead, verdictText } from '../../render/failover-steps';
import { planDetail } from '../../render/status-steps';
import {
  directionOf,
  FALLBACK_KIND,
  fallbackOffered,
  latestRouteNote,
  recordRouteNote,
  routeOutcome,
  switchSetOf,
} from './failover-tables';
import { type LiveAction, registerLiveAction, requestChange } from './requests';
import { executeRecords, PlanChangedError, planRecords, rehearseRecords } from './route53';
import { onStepButton, onStepTask } from './shared';
import { failingChecks, readVerdict, simulatedOf } from './switch';

export const FALLBACK_TASK = 'aws.fallback.request';

const words = (kind: string) =>
  directionOf(kind) === 'failback'
    ? 'record swap back (control-plane fallback)'
    : 'record swap (control-plane fallback)';

const fallbackAction: LiveAction = {
  label: (kind) => `Route 53 ${words(kind)}`,
  verb: () => 'record swap',

  async plan(ctx) {
    const direction = directionOf(ctx.kind) ?? 'failover';
    const set = switchSetOf(ctx.deps, ctx.checklist);
    const note = await latestRouteNote(await ctx.deps.getStore(), ctx.run.runId, ctx.step.id);
    if (!set || !fallbackOffered(note)) {
      const gateway = await ctx.deps.getAws();
      return {
        kind: 'nothing',
        text: `${SIM(simulatedOf(gateway))}${DRILL(ctx.run.drill)}:no_entry_sign: The record swap is offered only when the latest verdict on this step says the failover switch cannot act${note ? '' : ' (there is no verdict yet: press Check again)'}. Nothing to approve.`,
      };
    }
    return planRecords(ctx, direction, `Route 53 ${words(ctx.kind)}`);
  },

  async execute(ctx) {
    const direction = directionOf(ctx.request.kind) ?? 'failover';
    const set = switchSetOf(ctx.deps, ctx.checklist);
    // Offered only because the switch could not act: if it holds traffic away from the primary now (fixed
    // and turned since, by the bot or by hand), the swap is not needed and would leave both mechanisms
    // turned. Read before writing, unless an earlier attempt submitted the swap already.
    if (set && direction === 'failover' && !ctx.request.changeId && !ctx.request.submittedParts) {
      const readings = await readSwitches(ctx.gateway, set);
      const held = readings.filter((r) => r.position === 'off').map((r) => r.switchId);
      if (held.length > 0)
        throw new PlanChangedError(
          `the failover switch (${held.join(', ')}) holds traffic away from ${set.primaryRegion} now, so the record swap is not needed. Nothing was written; check the route again`,
        );
      // Offered while the standby passed; swapped now, a failing standby would be answered as PRIMARY.
      const failing = await failingChecks(ctx.gateway, set.secondaryHealthCheckIds);
      if (failing.length > 0)
        throw new PlanChangedError(
          `${set.secondaryRegion}'s own health check fails now (${failing.join('; ')}): swapped, Route 53 would answer it as PRIMARY. Nothing was written; check the route again`,
        );
    }
    const done = await executeRecords(ctx, direction);
    if (!set) return done;
    // After INSYNC: what the name servers answer now (the switch is read too: a failback needs it On).
    const { verdict, evidence } = await readVerdict(ctx.gateway, {
      deps: ctx.deps,
      checklist: ctx.checklist,
      set,
      direction,
    });
    const head = verdictHead({
      v: verdict,
      what: `After the ${escapeMrkdwn(words(ctx.request.kind))}`,
      simulated: simulatedOf(ctx.gateway),
      drill: false,
    });
    await ctx.rt.refreshMessage(ctx.run.runId).catch(() => undefined);
    await recordRouteNote(ctx.rt, ctx.run, ctx.request.stepId, {
      user: null,
      text: verdictText({ head, set, verdict, switches: evidence.switches }),
      outcome: routeOutcome(verdict),
      unique: `fallback-${ctx.request.id}-${ctx.attempt}`,
    });
    return done;
  },

  rehearse: (ctx) => rehearseRecords(ctx, directionOf(ctx.request.kind) ?? 'failover'),

  describe: (plan) =>
    `:construction: *Control-plane fallback*, only because the failover switch could not act: a Route 53 \`ChangeResourceRecordSets\` (us-east-1) that swaps the records' failover roles. The records then differ from infra/dr.yaml, and the failback swaps them back.\n${planDetail(plan as FailoverPlan)}`,

  failureText: (request, message, simulated) =>
    `${SIM(simulated)}:warning: The ${escapeMrkdwn(words(request.kind))} ${request.changeId ? 'was submitted but not confirmed' : 'was not applied'}: ${escapeMrkdwn(message)}`,
};

export function registerFallback(app: App, deps: AppDeps): void {
  onStepButton(app, deps, ActionIds.awsFailoverFallback, FALLBACK_TASK);
}

registerLiveAction(Object.values(FALLBACK_KIND), fallbackAction);
onStepTask(
  FALLBACK_TASK,
  // A fallback asked for is a change of its own: the switch request having succeeded does not make it.
  (stepId) => ({ type: 'request_action', stepId, kinds: Object.values(FALLBACK_KIND) }),
  (ctx) => {
    const direction = directionOf(ctx.step.directives['action'] ?? '') ?? 'failover';
    return requestChange({ ...ctx, kind: FALLBACK_KIND[direction] });
  },
  { once: false, writes: true },
);
