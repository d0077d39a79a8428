/**
 * `action=warmup` ("Warm up eu-west-1") and `action=warmup-release` ("Return eu-west-1 to standby"): warm-up
 * as a step with evidence. Not a two-person action (TWO_PERSON_ACTIONS): one click by the run's starter or
 * a member of its gate roles, authorized as `apply_warmup` (a refusal is recorded), after Slack's
 * confirmation dialog. The task runs once (its click's task lease) and one at a time per step (a lease on
 * the step), sets provisioned concurrency for every row of the runbook's warm-up table, then reads each
 * function until all are READY at their target, FAILED, or the wait (WARMUP_WAIT_MS) is over, recording the
 * status on the run each time it changes. "Refresh status" reads it again later.
 *
 * Done is allowed only when the latest status shows every row READY at its target (standby: back at its
 * standby value), or with an override reason. A drill goes through the same dialog and authorization, then
 * shows the exact calls and makes none (a gateway that refuses writes, and `drill: true`).
 */
import { readDns } from '../../../aws/failover-evidence';
import { readOnlyGateway } from '../../../aws/read-only';
import { applyWarmup, readWarmup } from '../../../aws/warmup';
import type { WarmupTarget } from '../../../runbooks/model/model';
import { withLease } from '../../../store/lease';
import { dnsVerdict } from '../../../workflows/dns-answer';
import { type WarmupMode, type WarmupVerdict, warmupVerdict } from '../../../workflows/warmup';
import { encodeItemValue } from '../../render/checklist';
import { escapeMrkdwn, mentionUser } from '../../render/escape';
import { DRILL, SIM, warmupNoteText, warmupStepBlocks, warmupWriteLines } from '../../render/failover-steps';
import { replyTo } from '../../reply';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { EVIDENCE_MAX_AGE_MS } from './evidence';
import { dnsCheckOf, warmupTargetsOf } from './failover-tables';
import { eventsOf, latestNote, NoteKind, noteKey } from './notes';
import { onStepTask, type StepTaskContext } from './shared';
import { simulatedOf } from './switch';

export const WARMUP_TASK = 'aws.warmup.apply';
/** Longer than the function's timeout: a live lease means a warm-up may still be running. */
const STEP_LEASE_MS = 6 * 60_000;

const modeOf = (action: string | undefined): WarmupMode => (action === 'warmup-release' ? 'release' : 'warm');

/** `ready` (warm) / `standby` (release) when the verdict is done; else `failed` or `waiting`. */
function outcomeOf(v: WarmupVerdict): string {
  if (v.done) return v.mode === 'warm' ? 'ready' : 'standby';
  return v.failed ? 'failed' : 'waiting';
}

export const warmupExtension: StepExtension = {
  async renderBlocks(ctx) {
    const note = await latestNote(await ctx.deps.getStore(), ctx.run.runId, NoteKind.warmup, ctx.step.id);
    return warmupStepBlocks({
      mode: modeOf(ctx.value),
      drill: ctx.drill,
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      targets: warmupTargetsOf(ctx.deps, ctx.checklist),
      latest: note ? { at: note.at, outcome: note.outcome, text: note.text } : null,
    });
  },

  async guardDone(ctx) {
    // A drill writes nothing, so nothing can become READY: Done needs no evidence there.
    if (ctx.drill) return { ok: true };
    const mode = modeOf(ctx.value);
    const note = await latestNote(await eventsOf(ctx), ctx.run.runId, NoteKind.warmup, ctx.step.id);
    // A reading older than the evidence's limit proves nothing now (the capacity may have been removed).
    const fresh = note !== null && ctx.deps.now().getTime() - Date.parse(note.at) <= EVIDENCE_MAX_AGE_MS;
    if (fresh && note?.outcome === (mode === 'warm' ? 'ready' : 'standby')) return { ok: true };
    const what = mode === 'warm' ? 'READY at its failover concurrency' : 'back at its standby concurrency';
    return {
      ok: false,
      overridable: true,
      reason: note
        ? `Not every function is ${what} (last read ${note.at.slice(11, 16)} UTC, see the thread): press "Refresh status".`
        : `The bot has not seen every function ${what}: press "${mode === 'warm' ? 'Warm up' : 'Return to standby'}" first.`,
    };
  },
};

async function note(
  ctx: StepTaskContext,
  text: string,
  outcome: string,
  unique: string,
  at?: string,
): Promise<void> {
  await recordRunNote(ctx.rt, ctx.client, ctx.run.runId, {
    user: ctx.payload.user,
    text,
    key: noteKey(NoteKind.warmup, ctx.step.id, outcome, unique),
    at: at ?? ctx.deps.now().toISOString(),
  });
  await ctx.rt.refreshMessage(ctx.run.runId).catch(() => undefined);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function applyStep(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload } = ctx;
  const mode = modeOf(step.directives['action']);
  const targets = warmupTargetsOf(deps, ctx.checklist);
  if (targets.length === 0) {
    await replyTo(deps, ctx.reply, {
      text: 'This checklist names no warm-up table, so there is nothing to set.',
    });
    return;
  }
  const store = await deps.getStore();
  // One at a time per step, not once: released when done or failed, so the step may be applied again.
  const ran = await withLease(
    store,
    `warmup:${run.runId}:${step.id}`,
    {
      ms: STEP_LEASE_MS,
      now: deps.now(),
      holder: payload.clickId,
      onFailure: 'release',
      onSuccess: 'release',
    },
    () => (run.drill ? rehearse(ctx, targets, mode) : apply(ctx, targets, mode)),
  );
  if (!ran) {
    await replyTo(deps, ctx.reply, {
      text: ':hourglass_flowing_sand: This step is already being applied by another click; its result will be in the thread.',
    });
  }
}

async function rehearse(ctx: StepTaskContext, targets: WarmupTarget[], mode: WarmupMode): Promise<void> {
  const gateway = readOnlyGateway(await ctx.deps.getAws());
  const planned = await applyWarmup(gateway, targets, mode, { drill: true });
  const verdict = warmupVerdict(targets, await readWarmup(gateway, targets), mode);
  const calls =
    planned.writes.length > 0
      ? warmupWriteLines(planned.writes)
      : ['• nothing: every function already has what the table asks for'];
  const head = `${mentionUser(ctx.payload.user)} rehearsed *${mode === 'warm' ? 'Warm up' : 'Return to standby'}*. *Nothing was written.* A real run would call:\n${calls.join('\n')}\nNow:`;
  await note(
    ctx,
    warmupNoteText({ verdict, head, simulated: simulatedOf(gateway), drill: true }),
    'rehearsed',
    `rehearsed-${ctx.payload.clickId}`,
    ctx.payload.at,
  );
}

async function apply(ctx: StepTaskContext, targets: WarmupTarget[], mode: WarmupMode): Promise<void> {
  const { deps, payload } = ctx;
  const gateway = await deps.getAws();
  const simulated = simulatedOf(gateway);
  const serving = mode === 'release' ? await servingRegionOf(ctx) : undefined;
  if (serving !== undefined && serving !== null && targets.every((t) => t.region !== serving)) {
    // The name servers answer a region this capacity is not in: it may go.
  } else if (serving !== undefined) {
    // The primary failed again after the cutback and Route 53 answers the standby by itself, or where
    // traffic goes cannot be told (no answer, servers disagree): its capacity may be what serves. Kept.
    const where = serving
      ? `the name servers answer *${escapeMrkdwn(serving)}*: traffic is served there now`
      : 'where traffic goes cannot be told (the name servers did not answer, or disagree)';
    await note(
      ctx,
      `${SIM(simulated)}${DRILL(false)}:no_entry_sign: ${mentionUser(payload.user)} pressed *Return to standby*, but ${where}, so the capacity stays. Nothing was written; check the route, then return to standby once the name servers answer the primary.`,
      'refused',
      `refused-${payload.clickId}`,
      payload.at,
    );
    return;
  }
  const applied = await applyWarmup(gateway, targets, mode);
  const errors = applied.writes.flatMap((w, i) =>
    applied.errors[i]
      ? [`:warning: ${escapeMrkdwn(w.target.functionName)}: ${escapeMrkdwn(applied.errors[i] ?? '')}`]
      : [],
  );
  const calls =
    applied.writes.length > 0
      ? warmupWriteLines(applied.writes)
      : ['• nothing to set: every function already had what the table asks for'];
  let verdict = warmupVerdict(targets, await readWarmup(gateway, targets), mode);
  const head = `${mentionUser(payload.user)} ${mode === 'warm' ? 'warmed up' : 'returned to standby'}:\n${[...calls, ...errors].join('\n')}\nStatus:`;
  await note(
    ctx,
    warmupNoteText({ verdict, head, simulated, drill: false }),
    outcomeOf(verdict),
    `apply-${payload.clickId}`,
    payload.at,
  );
  // Provisioned concurrency takes minutes to become READY: read until it is, within the function's timeout.
  const { warmupWaitMs, warmupPollMs } = deps.config.aws.failover;
  const sleep = deps.sleep ?? defaultSleep;
  const deadline = deps.now().getTime() + warmupWaitMs;
  let polls = 0;
  while (!verdict.done && !verdict.failed && deps.now().getTime() + warmupPollMs <= deadline) {
    await sleep(warmupPollMs);
    const next = warmupVerdict(targets, await readWarmup(gateway, targets), mode);
    polls++;
    if (next.summary !== verdict.summary || next.done || next.failed)
      await note(
        ctx,
        warmupNoteText({ verdict: next, head: 'Warm-up status:', simulated, drill: false }),
        outcomeOf(next),
        `poll-${payload.clickId}-${polls}`,
      );
    verdict = next;
  }
  if (!verdict.done && !verdict.failed)
    await note(
      ctx,
      `${SIM(simulated)}${DRILL(false)}:hourglass_flowing_sand: Not every function is READY after ${Math.round(warmupWaitMs / 60_000)} min; the bot stopped reading. Press *Refresh status* on the step.`,
      'waiting',
      `gave-up-${payload.clickId}`,
    );
}

/**
 * The region the checklist's name servers answer now (its `dns=` table); null when it cannot be told (no
 * answer, the servers disagree); undefined when the checklist declares no `dns=` table (nothing to ask).
 */
async function servingRegionOf(ctx: StepTaskContext): Promise<string | null | undefined> {
  const check = dnsCheckOf(ctx.deps, ctx.checklist);
  if (!check) return undefined;
  const reading = await readDns(await ctx.deps.getAws(), check).catch(() => null);
  return reading ? dnsVerdict(reading).region : null;
}

/** "Refresh status": read every function now and record it. */
export async function refreshWarmup(ctx: StepTaskContext): Promise<void> {
  const mode = modeOf(ctx.step.directives['action']);
  const targets = warmupTargetsOf(ctx.deps, ctx.checklist);
  const gateway = await ctx.deps.getAws();
  const verdict = warmupVerdict(targets, await readWarmup(gateway, targets), mode);
  await note(
    ctx,
    warmupNoteText({
      verdict,
      head: `${mentionUser(ctx.payload.user)} read the ${mode === 'warm' ? 'warm-up' : 'standby'} status:`,
      simulated: simulatedOf(gateway),
      drill: ctx.run.drill,
    }),
    outcomeOf(verdict),
    `check-${ctx.payload.clickId}`,
    ctx.payload.at,
  );
}

onStepTask(WARMUP_TASK, (stepId) => ({ type: 'apply_warmup', stepId }), applyStep, {
  once: true,
  writes: true,
});
