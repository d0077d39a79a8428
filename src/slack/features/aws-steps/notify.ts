/**
 * `notify=<template id>` ("Notify stakeholders"): the template from the runbooks (DR_FAILOVER.md), filled
 * in, previewed under the step; "Post notice" posts it to the channels in STAKEHOLDER_CHANNELS (or, without
 * any, to the run's channel) and records where it went, on the run, with the time the next update is due
 * when the template promises updates (`update=30m`: src/slack/features/reach/ reminds and posts them). In a
 * drill it is posted in the run's thread only.
 *
 * Stakeholders are not all in Slack's engineering channels, and the text is copied into e-mails and status
 * pages: it names people (display names, not `<@U…>`), gives times in UTC and the template's local zone
 * (`local=`), says when the run started (not when the preview was drawn), and carries no internal run id.
 */
import type { webApi } from '@slack/bolt';
import { parseDuration } from '../../../runbooks/model/durations';
import type { Template } from '../../../runbooks/model/model';
import { takeLease } from '../../../store/lease';
import { executeCommand } from '../../../store/runs';
import { audienceTime, type FilledTemplate, fillTemplate, parseLocalZone } from '../../../workflows/notice';
import { findStep, type RunState } from '../../../workflows/run-state';
import type { AppDeps } from '../../deps';
import { displayName } from '../../people';
import { encodeItemValue } from '../../render/checklist';
import { escapeMrkdwn, mentionUser } from '../../render/escape';
import { mentionChannel } from '../../render/mentions';
import { noticeMessage, noticeStepBlocks } from '../../render/status-steps';
import { replyTo } from '../../reply';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { eventsOf, latestNote, NoteKind, noteKey } from './notes';
import { onStepTask, type StepTaskContext, textMessage } from './shared';

export const NOTIFY_TASK = 'aws.notify';

/** Failover goes primary → DR; a checklist with a failback action goes back. */
function regions(run: RunState, deps: AppDeps): { from: string; to: string } {
  const { primaryRegion, drRegion } = deps.config.aws;
  const failback = run.items.some((i) => i.type === 'step' && i.directives['action'] === 'route53-failback');
  return failback ? { from: drRegion, to: primaryRegion } : { from: primaryRegion, to: drRegion };
}

/** Who a notice names when Slack cannot tell a person's name: never an ID. */
export const UNNAMED = 'the incident team';

/**
 * The values for `{{placeholders}}` (TEMPLATE_PLACEHOLDERS), as safe mrkdwn: names escaped, times in the
 * template's audience wording. `postedAt`: when it is (or was) posted; the preview says so in words.
 */
export async function noticeValues(input: {
  deps: AppDeps;
  client: webApi.WebClient;
  run: RunState;
  stepId?: string;
  user: string;
  template?: Template;
  postedAt?: string;
}): Promise<Record<string, string>> {
  const { deps, client, run, user, template } = input;
  const { from, to } = regions(run, deps);
  const step = input.stepId ? findStep(run, input.stepId)?.step : undefined;
  const current = step
    ? `in progress (step ${step.n}: ${step.title})`
    : run.status === 'completed'
      ? 'complete'
      : 'in progress';
  const local = parseLocalZone(template?.directives?.['local']);
  const [starter, poster] = await Promise.all([
    displayName(deps, client, run.startedBy),
    displayName(deps, client, user),
  ]);
  const startedAt = audienceTime(run.startedAt, local);
  return {
    incident: escapeMrkdwn(run.title),
    title: escapeMrkdwn(run.title),
    started_by: escapeMrkdwn(starter ?? UNNAMED),
    posted_by: escapeMrkdwn(poster ?? UNNAMED),
    user: escapeMrkdwn(poster ?? UNNAMED),
    // `{{time}}` is the run's start: what the notices of issue 16 meant by it.
    time: startedAt,
    started_at: startedAt,
    posted_at: input.postedAt ? audienceTime(input.postedAt, local) : 'the time it is posted',
    from_region: from,
    to_region: to,
    status: escapeMrkdwn(current),
    channel: mentionChannel(run.channel),
  };
}

export function fillNotice(template: Template, values: Record<string, string>): FilledTemplate {
  // Escape the runbook text first: `{{name}}` survives escaping, and values are already safe mrkdwn.
  return fillTemplate(escapeMrkdwn(template.text), values);
}

export const notifyExtension: StepExtension = {
  async renderBlocks(ctx) {
    const template = ctx.deps.artifact.templates[ctx.value];
    const filled = template
      ? fillNotice(
          template,
          await noticeValues({
            deps: ctx.deps,
            client: ctx.client,
            run: ctx.run,
            stepId: ctx.step.id,
            user: ctx.run.startedBy,
            template,
          }),
        )
      : null;
    const store = await ctx.deps.getStore();
    const posted = await latestNote(store, ctx.run.runId, NoteKind.notice, ctx.step.id);
    return noticeStepBlocks({
      value: encodeItemValue(ctx.run.runId, ctx.step.id),
      preview: filled?.text ?? null,
      missing: filled?.missing ?? [],
      channels: ctx.deps.config.aws.stakeholderChannels,
      drill: ctx.drill,
      posted,
      templateId: ctx.value,
    });
  },

  async guardDone(ctx) {
    const store = await eventsOf(ctx);
    const posted = await latestNote(store, ctx.run.runId, NoteKind.notice, ctx.step.id);
    if (posted) return { ok: true };
    return {
      ok: false,
      overridable: true,
      reason: 'The stakeholder notice has not been posted yet: press "Post notice".',
    };
  },
};

/**
 * How long one click holds the notice: a second click within it (a double click, two people at once) posts
 * nothing, as the task's own lease cannot tell (each click is its own task). "Post notice again" after it.
 */
export const NOTICE_LEASE_MS = 60_000;

async function postNotice(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step } = ctx;
  const templateId = step.directives['notify'] ?? '';
  const template = deps.artifact.templates[templateId];
  if (!template) throw new Error(`template ${templateId} not found`);
  const lease = await takeLease(
    await deps.getStore(),
    `notice:${run.runId}:${step.id}`,
    NOTICE_LEASE_MS,
    deps.now(),
    ctx.payload.user,
  );
  if (!lease) {
    await replyTo(
      deps,
      ctx.reply,
      textMessage(
        ':hourglass_flowing_sand: This notice was just posted or is being posted by another click; nothing was posted twice. To post it again, wait a minute and press "Post notice again".',
      ),
    );
    return;
  }
  // Nothing posted (it failed first): give the lease up so Retry can post at once. Once any channel has the
  // notice, keep it until it runs out, even if recording it failed: a Retry must not post it twice.
  const progress = { posted: 0 };
  try {
    await postWith(ctx, templateId, template, progress);
  } catch (error) {
    if (progress.posted === 0) await lease.release();
    throw error;
  }
}

async function postWith(
  ctx: StepTaskContext,
  templateId: string,
  template: Template,
  progress: { posted: number },
): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const postedAt = deps.now().toISOString();
  const filled = fillNotice(
    template,
    await noticeValues({ deps, client, run, stepId: step.id, user: payload.user, template, postedAt }),
  );
  const drill = run.drill;
  const message = noticeMessage(filled.text, { drill });
  const targets = stakeholderTargets(deps, run);

  const posted: string[] = [];
  const failed: string[] = [];
  for (const channel of targets) {
    try {
      const inThread = drill && channel === run.channel && run.messageTs ? { thread_ts: run.messageTs } : {};
      await client.chat.postMessage({
        channel,
        ...inThread,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
      posted.push(channel);
      progress.posted++;
    } catch (error) {
      deps.logger.warn('notice not posted', { channel, error });
      failed.push(channel);
    }
  }
  const where = posted.map(mentionChannel).join(', ');
  const lines = [
    drill
      ? `*[DRILL]* ${mentionUser(payload.user)} posted the \`${escapeMrkdwn(templateId)}\` notice in this thread (not sent to stakeholders).`
      : `:mega: ${mentionUser(payload.user)} posted the \`${escapeMrkdwn(templateId)}\` notice to ${where || 'no channel'}.`,
  ];
  if (failed.length > 0)
    lines.push(
      `:warning: Could not post to ${failed.map(mentionChannel).join(', ')} (is the bot in that channel?).`,
    );
  if (filled.missing.length > 0)
    lines.push(`:warning: Unfilled: ${filled.missing.map((m) => `{{${escapeMrkdwn(m)}}}`).join(', ')}.`);
  if (posted.length > 0) {
    // What was promised: the next update is due one cadence from now (reach reminds the owner).
    const cadence = parseDuration(template.directives?.['update']);
    const recorded = await executeCommand(
      await deps.getStore(),
      run.runId,
      {
        type: 'record_comms',
        post: {
          kind: 'notice',
          template: templateId,
          channels: posted,
          stepId: step.id,
          ...(cadence ? { nextDueAt: new Date(Date.parse(postedAt) + cadence).toISOString() } : {}),
        },
      },
      { ...ctx.ctx, at: postedAt, key: `comms:${ctx.ctx.key}` },
    );
    if (recorded.kind === 'refused')
      deps.logger.warn('notice posted but not recorded on the run', {
        runId: run.runId,
        reason: recorded.reason,
      });
    await recordRunNote(rt, client, run.runId, {
      user: payload.user,
      text: lines.join('\n'),
      key: noteKey(NoteKind.notice, step.id, drill ? 'drill' : 'posted', payload.clickId),
      at: payload.at,
    });
    await rt.refreshMessage(run.runId).catch(() => undefined);
  } else {
    throw new Error('the notice could not be posted to any channel');
  }
}

/** Where stakeholder messages go: STAKEHOLDER_CHANNELS, or the run's own channel (its thread in a drill). */
export function stakeholderTargets(deps: AppDeps, run: RunState): string[] {
  return run.drill || deps.config.aws.stakeholderChannels.length === 0
    ? [run.channel]
    : deps.config.aws.stakeholderChannels;
}

onStepTask(NOTIFY_TASK, (stepId) => ({ type: 'post_notice', stepId }), postNotice, { once: true });
