/**
 * `monitor=canary period=30m` ("Monitoring period" after SIT → PROD): "Check canary metrics" reads the
 * canary's and the baseline's CloudWatch metrics over the period (since the step became current, at most
 * `period`) and records the pass/fail verdict with the numbers. Done is allowed after a PASS over the full
 * period; otherwise only with an override reason.
 */
import { CanaryNotConfiguredError, parsePeriodMinutes, readCanary } from '../../../aws/canary';
import { encodeItemValue } from '../../render/checklist';
import { canaryNoteText, canaryStepBlocks } from '../../render/status-steps';
import { replyTo } from '../../reply';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { eventsOf, latestNote, NoteKind, noteKey } from './notes';
import { onStepTask, type StepTaskContext, stepStartedAt, textMessage } from './shared';

export const MONITOR_TASK = 'aws.monitor';

/** CloudWatch needs at least one full minute. */
const MIN_WINDOW_MS = 60_000;

export const monitorExtension: StepExtension = {
  async renderBlocks(ctx) {
    const periodMinutes = parsePeriodMinutes(ctx.step.directives['period']);
    const started = Date.parse(stepStartedAt(ctx.run, ctx.step.id));
    const elapsedMinutes = Math.max(0, Math.floor((ctx.deps.now().getTime() - started) / 60_000));
    const store = await ctx.deps.getStore();
    const latest = await latestNote(store, ctx.run.runId, NoteKind.canary, ctx.step.id);
    return canaryStepBlocks({
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      periodMinutes,
      elapsedMinutes,
      latest,
    });
  },

  async guardDone(ctx) {
    const store = await eventsOf(ctx);
    const latest = await latestNote(store, ctx.run.runId, NoteKind.canary, ctx.step.id);
    if (latest?.outcome === 'pass') return { ok: true };
    if (!latest)
      return {
        ok: false,
        overridable: true,
        reason: 'The canary metrics have not been checked: press "Check canary metrics".',
      };
    if (latest.outcome === 'pass-partial') {
      return {
        ok: false,
        overridable: true,
        reason: 'The canary passed so far, but the monitoring period is not over yet.',
      };
    }
    return {
      ok: false,
      overridable: true,
      reason: `The last canary verdict was ${latest.outcome.toUpperCase()}.`,
    };
  },
};

async function checkCanary(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const periodMinutes = parsePeriodMinutes(step.directives['period']);
  const now = deps.now();
  const started = Date.parse(stepStartedAt(run, step.id));
  const periodStart = now.getTime() - periodMinutes * 60_000;
  const start = Math.min(Math.max(started, periodStart), now.getTime() - MIN_WINDOW_MS);
  const periodOver = started <= periodStart;
  const gateway = await deps.getAws();
  let report: Awaited<ReturnType<typeof readCanary>>;
  try {
    report = await readCanary(gateway, deps.config.aws, { start: new Date(start), end: now });
  } catch (error) {
    if (error instanceof CanaryNotConfiguredError) {
      await replyTo(deps, ctx.reply, textMessage(`:warning: ${error.message}`));
      return;
    }
    throw error;
  }
  const verdict = report.verdict.verdict;
  const outcome = verdict === 'pass' && !periodOver ? 'pass-partial' : verdict;
  await recordRunNote(rt, client, run.runId, {
    user: payload.user,
    text: canaryNoteText(report, { user: payload.user, periodMinutes, periodOver }),
    key: noteKey(NoteKind.canary, step.id, outcome, payload.clickId),
    at: payload.at,
  });
  await rt.refreshMessage(run.runId).catch(() => undefined);
}

onStepTask(MONITOR_TASK, (stepId) => ({ type: 'check_canary', stepId }), checkCanary, { once: false });
