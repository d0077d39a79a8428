/**
 * `evidence=primary-health` ("Confirm primary failure"): a button checks the primary region's Route 53
 * health checks and CloudWatch alarms (after the ack, in a deferred task); the result is recorded on the
 * run and shown under the step. Done is allowed only when the latest check, no older than
 * `EVIDENCE_MAX_AGE_MS`, proved the primary unhealthy; otherwise the user may mark it done anyway with a
 * reason, which the checklist records as the override.
 *
 * On a checklist with a failover switch (`switch=`) the PRIMARY record carries a calculated check, which
 * GetHealthCheckStatus refuses: the evidence is then the switch table's endpoint checks (primary and
 * secondary) with their flags, the calculated check derived from its children, the switch and the name
 * servers' answer (src/workflows/primary-evidence.ts). When Route 53's control plane does not answer, it
 * says so and shows what is known.
 */
import { type Part, settle } from '../../../aws/outcome';
import type { HealthCheckReport } from '../../../aws/types';
import type { FailoverSwitchSet } from '../../../runbooks/model/model';
import { primaryHealthEvidence } from '../../../workflows/failover-state';
import { primaryFailureEvidence } from '../../../workflows/primary-evidence';
import { ActionIds } from '../../action-ids';
import { encodeItemValue } from '../../render/checklist';
import { escapeMrkdwn } from '../../render/escape';
import { primaryFailureText } from '../../render/failover-steps';
import { alarmLine, awsFailureBlocks } from '../../render/status';
import { evidenceNoteText, evidenceStepBlocks } from '../../render/status-steps';
import { replyTo } from '../../reply';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { switchSetOf } from './failover-tables';
import { eventsOf, latestNote, NoteKind, noteKey } from './notes';
import { onStepTask, recordsOf, type StepTaskContext } from './shared';
import { readVerdict } from './switch';

export const EVIDENCE_TASK = 'aws.evidence';
export const EVIDENCE_MAX_AGE_MS = 15 * 60_000;

export const evidenceExtension: StepExtension = {
  async renderBlocks(ctx) {
    const store = await ctx.deps.getStore();
    const latest = await latestNote(store, ctx.run.runId, NoteKind.evidence, ctx.step.id);
    return evidenceStepBlocks(encodeItemValue(ctx.run.runId, ctx.step.id), latest);
  },

  async guardDone(ctx) {
    const store = await eventsOf(ctx);
    const latest = await latestNote(store, ctx.run.runId, NoteKind.evidence, ctx.step.id);
    if (!latest) {
      return {
        ok: false,
        overridable: true,
        reason: 'The primary has not been checked yet: press "Check primary health" first.',
      };
    }
    const age = ctx.deps.now().getTime() - Date.parse(latest.at);
    if (age > EVIDENCE_MAX_AGE_MS) {
      return {
        ok: false,
        overridable: true,
        reason: `The last health check is ${Math.round(age / 60_000)} minutes old: press "Check again".`,
      };
    }
    if (latest.outcome === 'unhealthy') return { ok: true };
    if (latest.outcome === 'standby-unhealthy') {
      return {
        ok: false,
        overridable: true,
        reason:
          'The standby region’s endpoint check fails too: a failover would not move traffic (Route 53 answers PRIMARY when both are unhealthy).',
      };
    }
    if (latest.outcome === 'healthy') {
      return {
        ok: false,
        overridable: true,
        reason: 'Route 53 reports the primary healthy, so a failure is not confirmed.',
      };
    }
    return {
      ok: false,
      overridable: true,
      reason: "The primary's health checks could not be read, so a failure is not confirmed.",
    };
  },
};

async function checkPrimary(ctx: StepTaskContext): Promise<void> {
  const set = switchSetOf(ctx.deps, ctx.checklist);
  if (set) {
    await checkWithSwitch(ctx, set);
    return;
  }
  const { deps, run, step, payload, rt, client } = ctx;
  const config = deps.config.aws;
  const records = recordsOf(deps, ctx.checklist);
  const gateway = await deps.getAws();
  const ids = [
    ...new Set(
      records
        .filter((r) => r.region === config.primaryRegion && r.healthCheckId)
        .map((r) => r.healthCheckId as string),
    ),
  ];
  const [healthParts, alarms] = await Promise.all([
    Promise.all(ids.map((id) => settle(gateway.healthCheckStatus(id)))),
    settle(gateway.alarmsInAlarm({ region: config.primaryRegion, prefix: config.alarmPrefix })),
  ]);
  const reports = healthParts.flatMap((p) => (p.ok ? [p.value] : []));
  const health: Record<string, HealthCheckReport> = Object.fromEntries(
    reports.map((r) => [r.healthCheckId, r]),
  );
  const evidence = primaryHealthEvidence(records, health, config.primaryRegion);
  const unknown = evidence.checks.length === 0 || evidence.checks.some((c) => c.healthy === null);
  const outcome = evidence.primaryUnhealthy ? 'unhealthy' : unknown ? 'unknown' : 'healthy';

  const text = evidenceNoteText({
    evidence,
    reports,
    alarms: alarms.ok ? alarms.value : null,
    alarmsError: alarms.ok ? null : alarms.failure.message,
    checkedBy: payload.user,
    simulated: gateway.mode === 'simulated' ? gateway.label : null,
    primaryRegion: config.primaryRegion,
  });
  await recordRunNote(rt, client, run.runId, {
    user: payload.user,
    text,
    key: noteKey(NoteKind.evidence, step.id, outcome, payload.clickId),
    at: payload.at,
  });
  await rt.refreshMessage(run.runId).catch(() => undefined);

  // A failed read gets a Retry for the person who asked, on top of the note everyone sees.
  const failed = [...healthParts, alarms].find((p): p is Extract<Part<unknown>, { ok: false }> => !p.ok);
  if (failed) {
    await replyTo(ctx.deps, ctx.reply, {
      text: failed.failure.message,
      blocks: awsFailureBlocks(failed.failure, {
        actionId: ActionIds.awsEvidenceCheck,
        value: payload.value,
      }),
    });
  }
}

/** The switch checklist's evidence: endpoint checks, flags, the derived calculated check, switch, DNS. */
async function checkWithSwitch(ctx: StepTaskContext, set: FailoverSwitchSet): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const config = deps.config.aws;
  const gateway = await deps.getAws();
  const [read, alarms] = await Promise.all([
    readVerdict(gateway, { deps, checklist: ctx.checklist, set, direction: 'failover' }),
    settle(gateway.alarmsInAlarm({ region: set.primaryRegion, prefix: config.alarmPrefix })),
  ]);
  const evidence = primaryFailureEvidence(set, read.evidence.health, read.verdict, deps.now());
  const alarmLines = !alarms.ok
    ? [`:warning: ${escapeMrkdwn(alarms.failure.message)}`]
    : alarms.value.length > 0
      ? [
          `:rotating_light: ${alarms.value.length} alarm(s) in ALARM in ${set.primaryRegion}:`,
          ...alarms.value.slice(0, 6).map(alarmLine),
        ]
      : [`:white_check_mark: No alarms in ALARM in ${set.primaryRegion}.`];
  await recordRunNote(rt, client, run.runId, {
    user: payload.user,
    text: primaryFailureText({
      evidence,
      checkedBy: payload.user,
      simulated: gateway.mode === 'simulated' ? gateway.label : null,
      alarmLines,
    }),
    key: noteKey(NoteKind.evidence, step.id, evidence.outcome, payload.clickId),
    at: payload.at,
  });
  await rt.refreshMessage(run.runId).catch(() => undefined);
}

onStepTask(EVIDENCE_TASK, (stepId) => ({ type: 'check_evidence', stepId }), checkPrimary, { once: false });
