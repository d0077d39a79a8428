/**
 * The `action=` step extension: one directive key, three kinds of steps. `route53-failover` /
 * `route53-failback` on a checklist with a switch (this file: the switch's request, the verdict, the
 * fallback offer), the same without one (./route53.ts: the record swap), `warmup` / `warmup-release`
 * (./warmup.ts). "Check again" / "Refresh status" (`check_action`, a read) records what the step's action
 * left behind: the verdict, or the warm-up status.
 *
 * Done on a switch step is allowed only when the latest recorded verdict shows the name servers answering
 * the target region (eu-west-1 for a failover, af-south-1 for a failback), or with an override reason. In
 * a drill nothing is written, so the DNS answer cannot move: Done needs no evidence there.
 */
import { isRetryable, requestsForStep } from '../../../workflows/requests';
import { encodeItemValue } from '../../render/checklist';
import { mentionUser } from '../../render/escape';
import { routeStepBlocks, verdictHead, verdictText } from '../../render/failover-steps';
import { replyTo } from '../../reply';
import type { StepExtension, StepExtensionContext } from '../checklists/extensions';
import {
  directionOf,
  fallbackOffered,
  latestRouteNote,
  recordRouteNote,
  routeAnswered,
  routeOutcome,
  switchSetOf,
  writeOfStep,
} from './failover-tables';
import { eventsOf } from './notes';
import { liveActionFor } from './requests';
import { route53Extension } from './route53';
import { onStepTask, type StepTaskContext } from './shared';
import { readVerdict, simulatedOf } from './switch';
import { refreshWarmup, warmupExtension } from './warmup';

export const CHECK_TASK = 'aws.step.check';

const switchRouteExtension: StepExtension = {
  async renderBlocks(ctx) {
    const direction = directionOf(ctx.value);
    const set = switchSetOf(ctx.deps, ctx.checklist);
    if (!direction || !set) return [];
    const latest = requestsForStep(ctx.run, ctx.step.id).at(-1) ?? null;
    const note = await latestRouteNote(await ctx.deps.getStore(), ctx.run.runId, ctx.step.id);
    return routeStepBlocks({
      direction,
      drill: ctx.drill,
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      runId: ctx.run.runId,
      set,
      latest,
      retryable: latest !== null && isRetryable(latest, ctx.deps.now().toISOString()),
      evidence: note ? { at: note.at, answered: routeAnswered(note), fallback: fallbackOffered(note) } : null,
      labelOf: (kind) => liveActionFor(kind)?.label(kind) ?? kind,
    });
  },

  async guardDone(ctx) {
    const direction = directionOf(ctx.value);
    const set = switchSetOf(ctx.deps, ctx.checklist);
    if (ctx.drill || !direction || !set) return { ok: true };
    const note = await latestRouteNote(await eventsOf(ctx), ctx.run.runId, ctx.step.id);
    if (routeAnswered(note)) return { ok: true };
    const target = direction === 'failover' ? set.secondaryRegion : set.primaryRegion;
    return {
      ok: false,
      overridable: true,
      reason: note
        ? `When the bot last read them (${note.at.slice(11, 16)} UTC), the name servers did not answer ${target}: the verdict is in the thread. Press "Check again".`
        : `The bot has not seen the name servers answer ${target}: press "Execute ${direction}" (or "Check again" if traffic already moved).`,
    };
  },
};

function pick(ctx: Pick<StepExtensionContext, 'value' | 'deps' | 'checklist'>): StepExtension | null {
  if (ctx.value === 'warmup' || ctx.value === 'warmup-release') return warmupExtension;
  if (!directionOf(ctx.value)) return null;
  return switchSetOf(ctx.deps, ctx.checklist) ? switchRouteExtension : route53Extension;
}

export const actionExtension: StepExtension = {
  async renderBlocks(ctx) {
    return (await pick(ctx)?.renderBlocks?.(ctx)) ?? [];
  },
  async guardDone(ctx) {
    return (await pick(ctx)?.guardDone?.(ctx)) ?? { ok: true };
  },
  async onDone(ctx) {
    await pick(ctx)?.onDone?.(ctx);
  },
};

/** "Check again": read the whole verdict now and record it (the step and its Done follow it). */
async function checkRoute(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt } = ctx;
  const direction = directionOf(step.directives['action'] ?? '');
  const set = switchSetOf(deps, ctx.checklist);
  if (!direction || !set) {
    await replyTo(deps, ctx.reply, { text: 'This step has nothing the bot can check.' });
    return;
  }
  const gateway = await deps.getAws();
  // What the step's switch request wrote (or failed to write) still decides whether the fallback is offered.
  const { verdict, evidence } = await readVerdict(gateway, {
    deps,
    checklist: ctx.checklist,
    set,
    direction,
    write: writeOfStep(requestsForStep(run, step.id)),
  });
  const head = verdictHead({
    v: verdict,
    what: `${mentionUser(payload.user)} checked the ${direction}`,
    simulated: simulatedOf(gateway),
    drill: run.drill,
  });
  await recordRouteNote(rt, run, step.id, {
    user: payload.user,
    text: verdictText({ head, set, verdict, switches: evidence.switches }),
    outcome: routeOutcome(verdict),
    unique: `check-${payload.clickId}`,
    at: payload.at,
  });
  await rt.refreshMessage(run.runId).catch(() => undefined);
}

async function checkStep(ctx: StepTaskContext): Promise<void> {
  const action = ctx.step.directives['action'] ?? '';
  if (action === 'warmup' || action === 'warmup-release') await refreshWarmup(ctx);
  else await checkRoute(ctx);
}

onStepTask(CHECK_TASK, (stepId) => ({ type: 'check_action', stepId }), checkStep, { once: false });
