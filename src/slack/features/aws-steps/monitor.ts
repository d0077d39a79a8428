/**
 * `monitor=canary period=30m criteria=<id>` ("Monitoring period" after SIT → PROD): "Check canary metrics"
 * measures every row of the runbook's abort table (`canary-criteria=<id>`, compiled into the artifact) for
 * the canary version and the previous version since the step became current, and records the verdict with
 * the numbers (src/aws/canary.ts, src/workflows/canary-verdict.ts). Done is allowed after a PASS over the
 * full period; otherwise only with an override reason (a row the bot cannot measure is checked by hand and
 * said so in that reason).
 */
import { parsePeriodMinutes, readCanary } from '../../../aws/canary';
import type { CanaryCriteria } from '../../../runbooks/model/model';
import type { AppDeps } from '../../deps';
import { canaryNoteText, canaryStepBlocks, OUTCOME_WORDS } from '../../render/canary';
import { encodeItemValue } from '../../render/checklist';
import { replyTo } from '../../reply';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { eventsOf, NoteKind, noteKey, notesFor } from './notes';
import { onStepTask, type StepTaskContext, stepStartedAt, textMessage } from './shared';

export const MONITOR_TASK = 'aws.monitor';

/** CloudWatch needs at least one full minute. */
const MIN_WINDOW_MS = 60_000;

function criteriaOf(deps: AppDeps, step: { directives: Record<string, string> }): CanaryCriteria | null {
  const id = step.directives['criteria'];
  return id ? (deps.artifact.canary?.[id] ?? null) : null;
}

export const monitorExtension: StepExtension = {
  async renderBlocks(ctx) {
    const periodMinutes = parsePeriodMinutes(ctx.step.directives['period']);
    const started = Date.parse(stepStartedAt(ctx.run, ctx.step.id));
    const elapsedMinutes = Math.max(0, Math.floor((ctx.deps.now().getTime() - started) / 60_000));
    const store = await ctx.deps.getStore();
    // The checks of this monitoring period only, as Done reads them (guardDone).
    const since = stepStartedAt(ctx.run, ctx.step.id);
    const period = (await notesFor(store, ctx.run.runId, NoteKind.canary, ctx.step.id)).filter(
      (n) => n.at >= since,
    );
    return canaryStepBlocks({
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      periodMinutes,
      elapsedMinutes,
      signals: criteriaOf(ctx.deps, ctx.step)?.rows.length ?? 0,
      latest: period[period.length - 1] ?? null,
      failed: period.find((n) => n.outcome === 'fail') ?? null,
    });
  },

  async guardDone(ctx) {
    const store = await eventsOf(ctx);
    // A check from an earlier monitoring period (the canary step redone since) proves nothing of this one.
    const since = stepStartedAt(ctx.run, ctx.step.id);
    const period = (await notesFor(store, ctx.run.runId, NoteKind.canary, ctx.step.id)).filter(
      (n) => n.at >= since,
    );
    const latest = period[period.length - 1] ?? null;
    // The runbook aborts "as soon as any abort criterion is met": a FAIL in this period stands, whatever a
    // later check says (the alarm that fired may have cleared since).
    const failed = period.find((n) => n.outcome === 'fail');
    if (failed)
      return {
        ok: false,
        overridable: true,
        reason: `The canary met an abort criterion at ${failed.at.slice(11, 16)} UTC in this monitoring period (the check is in the thread): the runbook says to abort as soon as one is met, and a later pass does not undo it.`,
      };
    if (latest?.outcome === 'pass') return { ok: true };
    if (!latest)
      return {
        ok: false,
        overridable: true,
        reason:
          'The canary has not been checked against the runbook’s abort table: press "Check canary metrics".',
      };
    const reasons: Record<string, string> = {
      'pass-partial': 'The canary passed so far, but the monitoring period is not over yet.',
      'by-hand':
        'Every signal the bot measures passed, but some signals are not measured by the bot: check them by hand, and say what you saw.',
      'insufficient-data': 'The last check had too little data for some signals: no data is never a pass.',
    };
    return {
      ok: false,
      overridable: true,
      reason:
        reasons[latest.outcome] ??
        `The last canary verdict was ${OUTCOME_WORDS[latest.outcome] ?? latest.outcome}.`,
    };
  },
};

async function checkCanary(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const criteria = criteriaOf(deps, step);
  if (!criteria) {
    await replyTo(
      deps,
      ctx.reply,
      textMessage(
        ':warning: This step names no canary abort table the bot knows (`criteria=` in the runbook); nothing was checked.',
      ),
    );
    return;
  }
  const periodMinutes = parsePeriodMinutes(step.directives['period']);
  const now = deps.now();
  const started = Date.parse(stepStartedAt(run, step.id));
  const start = Math.min(started, now.getTime() - MIN_WINDOW_MS);
  const periodOver = now.getTime() - started >= periodMinutes * 60_000;
  const gateway = await deps.getAws();
  const report = await readCanary(gateway, criteria, { start: new Date(start), end: now });
  const verdict = report.verdict.verdict;
  const outcome = verdict === 'pass' && !periodOver ? 'pass-partial' : verdict;
  await recordRunNote(rt, client, run.runId, {
    user: payload.user,
    text: canaryNoteText(report, { user: payload.user, periodMinutes, periodOver, outcome }),
    key: noteKey(NoteKind.canary, step.id, outcome, payload.clickId),
    at: payload.at,
  });
  await rt.refreshMessage(run.runId).catch(() => undefined);
}

onStepTask(MONITOR_TASK, (stepId) => ({ type: 'check_canary', stepId }), checkCanary, { once: false });
