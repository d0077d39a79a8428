/**
 * `notify=<template id>` ("Notify stakeholders"): the template from the runbooks (DR_FAILOVER.md), filled
 * in, previewed under the step; "Post notice" posts it to the channels in STAKEHOLDER_CHANNELS (or, without
 * any, to the run's channel) and records where it went. In a drill it is posted in the run's thread only.
 */
import type { Template } from '../../../runbooks/model/model';
import { type FilledTemplate, fillTemplate, noticeTime } from '../../../workflows/notice';
import { findStep, type RunState } from '../../../workflows/run-state';
import type { AppDeps } from '../../deps';
import { encodeItemValue } from '../../render/checklist';
import { escapeMrkdwn, mentionUser } from '../../render/escape';
import { mentionChannel } from '../../render/mentions';
import { noticeMessage, noticeStepBlocks } from '../../render/status-steps';
import type { StepExtension } from '../checklists/extensions';
import { recordRunNote } from '../checklists/runtime';
import { eventsOf, latestNote, NoteKind, noteKey } from './notes';
import { onStepTask, type StepTaskContext } from './shared';

export const NOTIFY_TASK = 'aws.notify';

/** Failover goes primary → DR; a checklist with a failback action goes back. */
function regions(run: RunState, deps: AppDeps): { from: string; to: string } {
  const { primaryRegion, drRegion } = deps.config.aws;
  const failback = run.items.some((i) => i.type === 'step' && i.directives['action'] === 'route53-failback');
  return failback ? { from: drRegion, to: primaryRegion } : { from: primaryRegion, to: drRegion };
}

/** The values for `{{placeholders}}`, as safe mrkdwn (text from the runbooks escaped, mentions kept). */
export function noticeValues(
  run: RunState,
  deps: AppDeps,
  stepId: string,
  user: string,
): Record<string, string> {
  const { from, to } = regions(run, deps);
  const step = findStep(run, stepId)?.step;
  const current = step ? `in progress (step ${step.n}: ${step.title})` : 'in progress';
  return {
    incident: escapeMrkdwn(run.title),
    title: escapeMrkdwn(run.title),
    run: run.runId,
    started_by: mentionUser(run.startedBy),
    posted_by: mentionUser(user),
    user: mentionUser(user),
    time: noticeTime(deps.now().toISOString()),
    started_at: noticeTime(run.startedAt),
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
      ? fillNotice(template, noticeValues(ctx.run, ctx.deps, ctx.step.id, ctx.run.startedBy))
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

async function postNotice(ctx: StepTaskContext): Promise<void> {
  const { deps, run, step, payload, rt, client } = ctx;
  const templateId = step.directives['notify'] ?? '';
  const template = deps.artifact.templates[templateId];
  if (!template) throw new Error(`template ${templateId} not found`);
  const filled = fillNotice(template, noticeValues(run, deps, step.id, payload.user));
  const drill = run.drill;
  const message = noticeMessage(filled.text, { drill });
  const targets =
    drill || deps.config.aws.stakeholderChannels.length === 0
      ? [run.channel]
      : deps.config.aws.stakeholderChannels;

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

onStepTask(NOTIFY_TASK, (stepId) => ({ type: 'post_notice', stepId }), postNotice, { once: true });
