/**
 * Block Kit for the AWS step extensions on a checklist: primary-health evidence, the Route 53 failover /
 * failback action (plan, approval request, result) and stakeholder notices (the canary verdict: canary.ts). Pure.
 * Anything built from simulated data carries the SIMULATED label; anything in a drill says DRILL.
 */

import type { AppliedBatch } from '../../aws/failover';
import type { AlarmSummary, HealthCheckReport } from '../../aws/types';
import type { FailoverDirection, FailoverPlan } from '../../workflows/failover-plan';
import type { PrimaryHealthEvidence } from '../../workflows/failover-state';
import { type ActionRequest, isOpenRequest, isRetryable } from '../../workflows/requests';
import { ActionIds } from '../action-ids';
import {
  actions,
  type Block,
  type Button,
  button,
  context,
  fallback,
  type Message,
  section,
  textSections,
} from './blocks';
import { escapeMrkdwn, mentionUser } from './escape';
import { SLACK_LIMITS, truncate } from './limits';
import { mentionChannel } from './mentions';
import { alarmLine, checkerSummary, healthIcon } from './status';

const SIM = (label: string | null) => (label ? `:test_tube: *${escapeMrkdwn(label)}* ` : '');
const DRILL = (drill: boolean) => (drill ? '*[DRILL]* ' : '');
const time = (iso: string) => `${iso.slice(11, 16)} UTC`;

// ---- Evidence: "Confirm primary failure" -----------------------------------------------------------------

export interface EvidenceView {
  outcome: string;
  at: string;
}

export function evidenceStepBlocks(value: string, latest: EvidenceView | null): Block[] {
  const lines: string[] = [];
  if (!latest)
    lines.push(':mag: Check Route 53 health checks and CloudWatch alarms before marking this done.');
  else if (latest.outcome === 'unhealthy')
    lines.push(`:red_circle: Primary confirmed unhealthy at ${time(latest.at)} (details in the thread).`);
  else if (latest.outcome === 'standby-unhealthy')
    lines.push(
      `:red_circle: At ${time(latest.at)} the primary failed, *and so did the standby's check*: a failover would not move traffic (details in the thread).`,
    );
  else if (latest.outcome === 'healthy')
    lines.push(
      `:large_green_circle: At ${time(latest.at)} Route 53 reported the primary *healthy* (details in the thread).`,
    );
  else
    lines.push(
      `:grey_question: At ${time(latest.at)} the primary's health could not be read (details in the thread).`,
    );
  return [
    context(lines),
    actions([
      button({
        text: latest ? 'Check again' : 'Check primary health',
        actionId: ActionIds.awsEvidenceCheck,
        value,
      }),
    ]),
  ];
}

export interface EvidenceReportInput {
  evidence: PrimaryHealthEvidence;
  reports: HealthCheckReport[];
  alarms: AlarmSummary[] | null;
  alarmsError: string | null;
  checkedBy: string;
  simulated: string | null;
  primaryRegion: string;
}

export function evidenceNoteText(input: EvidenceReportInput): string {
  const { evidence } = input;
  const lines = [
    `${SIM(input.simulated)}:mag: ${mentionUser(input.checkedBy)} checked the primary (${input.primaryRegion}): ${evidence.summary}`,
  ];
  for (const check of evidence.checks) {
    const report = input.reports.find((r) => r.healthCheckId === check.healthCheckId);
    const detail = report ? checkerSummary(report) : 'not read';
    lines.push(`${healthIcon(check.healthy)} ${escapeMrkdwn(check.recordName)} — ${detail}`);
  }
  if (input.alarmsError) lines.push(`:warning: ${input.alarmsError}`);
  else if (input.alarms && input.alarms.length > 0) {
    lines.push(`:rotating_light: ${input.alarms.length} alarm(s) in ALARM in ${input.primaryRegion}:`);
    for (const a of input.alarms.slice(0, 6)) lines.push(alarmLine(a));
  } else lines.push(`:white_check_mark: No alarms in ALARM in ${input.primaryRegion}.`);
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}

// ---- Route 53 action -------------------------------------------------------------------------------------

export const directionWord = (d: FailoverDirection) => (d === 'failover' ? 'failover' : 'failback');

/** What the Route 53 step shows under itself: the latest request's state, and Execute (or Preview in a drill). */
export function route53StepBlocks(opts: {
  direction: FailoverDirection;
  drill: boolean;
  value: string;
  records: { name: string; type: string }[];
  /** The step's latest request, as stored on the run. */
  latest: ActionRequest | null;
  /** The latest request may be retried now (a transient failure, or an execution that stopped). */
  retryable?: boolean;
  runId?: string;
}): Block[] {
  const { direction, drill, value, latest } = opts;
  const names = [...new Set(opts.records.map((r) => `${r.name} ${r.type}`))].map(escapeMrkdwn).join(', ');
  const lines: string[] = [];
  if (opts.records.length === 0) {
    return [
      context([
        ':warning: This checklist names no Route 53 record set (`records=`), so there is nothing to change.',
      ]),
    ];
  }
  const at = latest?.finishedAt ?? latest?.decidedAt ?? latest?.requestedAt;
  if (latest?.status === 'succeeded' && latest.outcome === 'noop')
    lines.push(
      `:white_check_mark: Records already had the ${directionWord(direction)} roles at ${time(at ?? '')}.`,
    );
  else if (latest?.status === 'succeeded')
    lines.push(
      `:white_check_mark: Route 53 ${directionWord(direction)} applied and INSYNC at ${time(at ?? '')}.`,
    );
  else if (latest?.status === 'failed')
    lines.push(`:warning: The last attempt failed at ${time(at ?? '')} (see the thread).`);
  else if (opts.retryable)
    lines.push(':warning: The approved change stopped without a result (see the thread): it may be retried.');
  else if (
    latest &&
    (latest.status === 'pending' || latest.status === 'approved' || latest.status === 'executing')
  )
    lines.push(
      `:hourglass_flowing_sand: ${mentionUser(latest.requestedBy)} asked for it; it is ${latest.status} (see the thread).`,
    );
  // A drill asks and approves exactly as a live run (the same dialog); the approved request is rehearsed.
  if (drill)
    lines.push(
      `${DRILL(true)}Asked and approved as in a real run; once approved the bot shows the exact change to ${names} and writes nothing.`,
    );
  // A change that was made, or that waits for its approval or execution, is not offered again: its
  // approval prompt no longer applies (the request's own message in the thread has its buttons).
  if (!opts.retryable && latest && (latest.status === 'succeeded' || isOpenRequest(latest)))
    return [context(lines)];
  if (!drill) lines.push(`Changes the failover roles of ${names}. Needs a second person's approval.`);
  if (opts.retryable && latest && opts.runId) {
    return [
      context(lines),
      actions([
        button({
          text: `Retry the approved ${directionWord(direction)}`,
          actionId: ActionIds.awsRoute53Retry,
          value: `${opts.runId}|${latest.id}`,
        }),
      ]),
    ];
  }
  const execute = button({
    text: `Execute ${directionWord(direction)}`,
    actionId: ActionIds.awsRoute53Execute,
    value,
    style: 'danger',
  });
  return [
    context(lines),
    actions([
      {
        ...execute,
        confirm: {
          title: { type: 'plain_text', text: `Execute Route 53 ${directionWord(direction)}?` },
          text: {
            type: 'mrkdwn',
            text: truncate(
              drill
                ? `DRILL: asks for the same approval as a real change to ${names}; then the bot shows the exact ChangeResourceRecordSets call and writes nothing.`
                : `This asks to change DNS for ${names}. Nothing is written until a second person approves; then the bot calls ChangeResourceRecordSets and waits for INSYNC.`,
              SLACK_LIMITS.confirmText,
            ),
          },
          confirm: { type: 'plain_text', text: 'Request change' },
          deny: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      },
    ]),
  ];
}

/** The exact ChangeResourceRecordSets input(s), as a code block. */
export function planDetail(plan: FailoverPlan): string {
  if (plan.kind === 'error') return plan.problems.map((p) => `• ${escapeMrkdwn(p)}`).join('\n');
  const moves = plan.moves
    .map(
      (m) =>
        `• ${escapeMrkdwn(`${m.name} ${m.type}`)} \`${escapeMrkdwn(m.setIdentifier)}\` (${escapeMrkdwn(m.region)}): ${escapeMrkdwn(m.from)} → *${m.to}*`,
    )
    .join('\n');
  if (plan.kind === 'noop') return `${moves}\nEvery record set already has that role: nothing to change.`;
  const calls = plan.batches.map((b) =>
    JSON.stringify(
      { HostedZoneId: b.hostedZoneId, ChangeBatch: { Comment: b.comment, Changes: b.changes } },
      null,
      1,
    ),
  );
  const code = truncate(escapeMrkdwn(calls.join('\n')), SLACK_LIMITS.sectionText - moves.length - 200);
  return `${moves}\n\`ChangeResourceRecordSets\`:\n\`\`\`${code}\`\`\``;
}

export function previewNoteText(opts: {
  direction: FailoverDirection;
  plan: FailoverPlan;
  user: string;
  simulated: string | null;
  /** A drill's approved request, rehearsed (not the old Preview button): who approved it. */
  approvedBy?: string;
}): string {
  const who = mentionUser(opts.user);
  const what = `the Route 53 ${directionWord(opts.direction)}`;
  const did = opts.approvedBy
    ? `${what[0]!.toUpperCase()}${what.slice(1)} asked by ${who} and approved by ${mentionUser(opts.approvedBy)} was rehearsed`
    : `${who} previewed ${what}`;
  const head =
    opts.plan.kind === 'change'
      ? `${SIM(opts.simulated)}${DRILL(true)}${did}. *Nothing was written.* A real run would submit:`
      : `${SIM(opts.simulated)}${DRILL(true)}${did}:`;
  return truncate(`${head}\n${planDetail(opts.plan)}`, SLACK_LIMITS.sectionText);
}

/** A stored live-action request, as its thread message shows it (src/slack/features/aws-steps/requests.ts). */
export interface RequestView {
  runId: string;
  request: ActionRequest;
  /** Now (ISO): an execution whose lease has run out may be retried. */
  now?: string;
  /** "Route 53 failover" */
  what: string;
  /** "failover" (button labels: `Approve failover`) */
  verb: string;
  /** The stored plan, as mrkdwn. */
  planText: string;
  simulated: string | null;
  /** A drill's request: asked and approved as in a live run, then rehearsed (nothing written). */
  drill?: boolean;
}

/**
 * The request's message, from the stored request: who asked, the exact change, and the buttons its status
 * allows (Approve / Cancel while pending; Retry and Cancel while an approved one has not begun; Retry after a
 * failure worth retrying). Buttons carry
 * `<runId>|<requestId>` only.
 */
export function requestMessage(view: RequestView): Message {
  const { request: r, what } = view;
  const value = `${view.runId}|${r.id}`;
  const asked = `${what} requested by ${mentionUser(r.requestedBy)}`;
  const by = mentionUser(r.decidedBy, 'nobody');
  const blocks: Block[] = [];
  if (view.simulated) blocks.push(context([`${SIM(view.simulated)}— nothing is sent to AWS.`]));
  let line: string;
  const buttons: Button[] = [];
  switch (r.status) {
    case 'pending':
      line = `:rotating_light: ${mentionUser(r.requestedBy)} requests a *${what}*. A second person must approve; the requester cannot.\n${view.planText}`;
      buttons.push(
        button({
          text: `Approve ${view.verb}`,
          actionId: ActionIds.awsRoute53Approve,
          value,
          style: 'danger',
        }),
        button({ text: 'Cancel request', actionId: ActionIds.awsRoute53Cancel, value }),
      );
      break;
    case 'approved':
      line = `:white_check_mark: ${asked} — *approved* by ${by}. ${r.lastError ? `Last attempt failed: ${escapeMrkdwn(r.lastError)} Trying again…` : 'Starting…'}`;
      // Not begun yet: if starting it failed (or the task was lost), Retry starts it; a second start is harmless.
      if (r.attempts === 0 && view.now && isRetryable(r, view.now)) {
        line += ' If it does not start, press Retry, or Cancel to ask again.';
        buttons.push(
          button({ text: `Retry the approved ${view.verb}`, actionId: ActionIds.awsRoute53Retry, value }),
          button({ text: 'Cancel request', actionId: ActionIds.awsRoute53Cancel, value }),
        );
      }
      break;
    case 'executing':
      line = `:white_check_mark: ${asked} — *approved* by ${by}. Executing (attempt ${r.attempts})…`;
      if (view.now && isRetryable(r, view.now)) {
        line = `:warning: ${asked} — *approved* by ${by}. The execution stopped without a result.`;
        buttons.push(
          button({ text: `Retry the approved ${view.verb}`, actionId: ActionIds.awsRoute53Retry, value }),
        );
      }
      break;
    case 'succeeded':
      line = `:white_check_mark: ${asked} — *approved* by ${by}. ${r.outcome === 'rehearsed' ? 'Rehearsed: nothing was written (the exact change is in the thread)' : `Done${r.outcome === 'noop' ? ': nothing needed changing' : ''}`}.`;
      break;
    case 'failed':
      line = `:warning: ${asked} — *approved* by ${by}. It failed: ${escapeMrkdwn(r.lastError ?? 'unknown error')}`;
      if (r.retryable)
        buttons.push(
          button({
            text: r.changeId ? `Check change ${r.changeId} again` : `Retry the approved ${view.verb}`,
            actionId: ActionIds.awsRoute53Retry,
            value,
          }),
        );
      break;
    case 'cancelled':
      line = r.begun
        ? `:no_entry_sign: ${asked} — *cancelled* by ${by}. An earlier attempt failed before AWS answered and may have written: check the live state (the change is in the thread) before asking again.`
        : `:no_entry_sign: ${asked} — *cancelled* by ${by}. Nothing was written.`;
      break;
  }
  if (view.drill)
    line = `${DRILL(true)}${line}${r.status === 'pending' ? '\n_A drill: once approved, the bot shows the exact change and writes nothing._' : ''}`;
  blocks.push(section(line));
  if (buttons.length > 0) blocks.push(actions(buttons));
  return {
    text: fallback(
      `${view.drill ? '[DRILL] ' : ''}${view.simulated ? '[SIMULATED] ' : ''}${asked}: ${r.status}`,
    ),
    blocks,
  };
}

export function resultNoteText(opts: {
  direction: FailoverDirection;
  applied: AppliedBatch[];
  requestedBy: string;
  approvedBy: string;
  simulated: string | null;
}): string {
  const lines = [
    `${SIM(opts.simulated)}:white_check_mark: Route 53 ${directionWord(opts.direction)} applied (requested by ${mentionUser(opts.requestedBy)}, approved by ${mentionUser(opts.approvedBy)}).`,
  ];
  for (const a of opts.applied) {
    lines.push(
      `• Zone \`${escapeMrkdwn(a.hostedZoneId)}\`: change \`${escapeMrkdwn(a.submitted.changeId)}\` ${a.final.status} after ${a.final.polls} check(s).`,
    );
  }
  return lines.join('\n');
}

export function failedNoteText(opts: {
  direction: FailoverDirection;
  message: string;
  simulated: string | null;
  submitted: boolean;
}): string {
  const state = opts.submitted ? 'was submitted but not confirmed' : 'was not applied';
  return `${SIM(opts.simulated)}:warning: Route 53 ${directionWord(opts.direction)} ${state}: ${escapeMrkdwn(opts.message)}`;
}

// ---- Notify stakeholders ---------------------------------------------------------------------------------

export function noticeStepBlocks(opts: {
  value: string;
  preview: string | null;
  missing: string[];
  channels: string[];
  drill: boolean;
  posted: { at: string } | null;
  templateId: string;
}): Block[] {
  if (opts.preview === null) {
    return [
      context([
        `:warning: Template \`${escapeMrkdwn(opts.templateId)}\` is not in the runbooks, so there is nothing to post.`,
      ]),
    ];
  }
  const lines: string[] = [];
  if (opts.posted) lines.push(`:white_check_mark: Notice posted at ${time(opts.posted.at)}.`);
  const where =
    opts.channels.length > 0
      ? opts.channels.map(mentionChannel).join(', ')
      : 'this channel (STAKEHOLDER_CHANNELS is not set)';
  lines.push(
    opts.drill
      ? `${DRILL(true)}A drill posts the notice in this thread only, not to ${where}.`
      : `Posts to ${where}.`,
  );
  if (opts.missing.length > 0)
    lines.push(`:warning: No value for ${opts.missing.map((m) => `\`{{${escapeMrkdwn(m)}}}\``).join(', ')}.`);
  // `preview` is already safe mrkdwn (fillNotice escapes the template and builds the values), so it is
  // quoted as it is: escaping it again would print mentions as raw `&lt;@U…&gt;` text.
  const quoted = truncate(opts.preview, 600)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return [
    section(quoted),
    context(lines),
    actions([
      button({
        text: opts.drill
          ? 'Post notice in thread (drill)'
          : opts.posted
            ? 'Post notice again'
            : 'Post notice',
        actionId: ActionIds.awsNotifyPost,
        value: opts.value,
        ...(opts.drill ? {} : { style: 'primary' as const }),
      }),
    ]),
  ];
}

/**
 * The stakeholder notice: `text` is the filled template, mrkdwn escaped already (`fillNotice` escapes the
 * runbook's text and every value once); verbatim, as it holds people's names.
 */
export function noticeMessage(text: string, opts: { drill: boolean }): Message {
  const body = opts.drill ? `*[DRILL — not sent to stakeholders]*\n${text}` : text;
  return {
    text: fallback(`${opts.drill ? '[DRILL] ' : ''}${text}`),
    blocks: textSections(body, { verbatim: true }),
  };
}
