/**
 * The approval DM the bot sends one person for one gate (or live-action request) of a run, rendered from
 * the stored run and invite only: while the invite is open and the gate still needs this person, the
 * request with Approve / Reject (the same buttons, ids and values as in the channel, so a click here goes
 * through the same listener and the same authorize()); once not, the outcome ("Signed by … at …",
 * "Rejected by …: reason", "Run cancelled", "Superseded"), with no button left to press. Pure.
 */
import type { ApprovalInvite } from '../../workflows/invites';
import { parseTarget } from '../../workflows/invites';
import { approverRolesFor, findRequest, type RequestStatus } from '../../workflows/requests';
import {
  findGate,
  findStep,
  gateState,
  isGateComplete,
  isGateOpen,
  isResolved,
  lockingGate,
  missingRoles,
  type RunGate,
  type RunState,
  roleLabel,
  stepState,
} from '../../workflows/run-state';
import { ActionIds } from '../action-ids';
import { actions, type Block, type Button, button, context, fallback, type Message, section } from './blocks';
import { encodeItemValue } from './checklist';
import { gateLabel, mention, runTitle, slackDate, stepLabel } from './checklist-format';
import { escapeMrkdwn, quoteUserText } from './escape';
import { mentionChannel, mentionUserGroup } from './mentions';

export interface InviteDmView {
  run: RunState;
  invite: ApprovalInvite;
  /** The roles the invited person holds (approvers file), to say which they would sign as. */
  roles: readonly string[];
  /** Link to the run's message in its channel (chat.getPermalink), if known. */
  permalink: string | null;
  /** For a live-action request: what it asks, as the action describes it. */
  request?: { what: string; verb: string; planText: string };
  /** User groups of roles (approvers file `group:`), for the "needs" line. */
  groups?: Record<string, string>;
  /** Roles whose members Slack could not list just now (the person may hold one): still asked. */
  rolesUnknown?: readonly string[];
}

/** Steps before the item at `index`, as short lines: the evidence an approver reads before signing. */
const EVIDENCE_LINES = 6;

export function renderInviteDm(view: InviteDmView): Message {
  const target = parseTarget(view.invite.target);
  const stillAsks = target ? stillAsking(view, target) : false;
  const blocks: Block[] = [];
  const title = escapeMrkdwn(runTitle(view.run));
  const where = `${mentionChannel(view.run.channel)}, started by ${mention(view.run.startedBy)} ${slackDate(view.run.startedAt)}`;
  let text: string;

  if (target?.kind === 'gate') {
    const found = findGate(view.run, target.id);
    const gate = found?.gate;
    const name = gate ? gateLabel(gate) : escapeMrkdwn(target.id);
    blocks.push(
      section(
        `${stillAsks ? ':lock: *Your approval is needed*' : ':lock: Approval'}: *${name}*\n*Run:* ${title} in ${where}\n*Asked by:* ${mention(view.run.startedBy)}` +
          (gate ? `\n*Needs:* ${needsLine(view, gate)}` : ''),
      ),
    );
    if (found) blocks.push(...evidence(view.run, found.index));
    text = `${stillAsks ? 'Approval needed' : 'Approval'}: ${gate?.title ?? target.id} (${runTitle(view.run)})`;
  } else {
    const request = target ? findRequest(view.run, target.id) : null;
    const step = request ? findStep(view.run, request.stepId) : null;
    const what = escapeMrkdwn(view.request?.what ?? request?.kind ?? 'change');
    blocks.push(
      section(
        `${stillAsks ? ':warning: *Second approval needed*' : ':warning: Approval'}: *${what}*\n*Run:* ${title} in ${where}` +
          (request ? `\n*Asked by:* ${mention(request.requestedBy)} ${slackDate(request.requestedAt)}` : '') +
          (step ? `\n*Step:* ${stepLabel(step.step)}` : ''),
      ),
    );
    if (view.request?.planText) blocks.push(section(view.request.planText));
    if (step) blocks.push(...evidence(view.run, step.index));
    text = `${stillAsks ? 'Second approval needed' : 'Approval'}: ${view.request?.what ?? 'change'} (${runTitle(view.run)})`;
  }

  const open = view.permalink
    ? button({ text: 'Open the run', actionId: ActionIds.reachOpenRun, url: view.permalink })
    : null;
  if (stillAsks && target) {
    blocks.push(actions([...decisionButtons(view, target), ...(open ? [open] : [])]));
    blocks.push(
      context([
        `You are asked as ${asRoles(view, target)} (approvers file). A decision here is the same as in ${mentionChannel(view.run.channel)}: it is checked and recorded there.`,
      ]),
    );
  } else {
    const outcome = target ? outcomeLine(view, target) : 'Nothing to sign here any more.';
    blocks.push(section(outcome, { verbatim: true }));
    if (open) blocks.push(actions([open]));
    text = `${text} — ${outcome}`;
  }
  return { text: fallback(text), blocks };
}

function decisionButtons(view: InviteDmView, target: { kind: 'gate' | 'request'; id: string }): Button[] {
  const value = encodeItemValue(view.run.runId, target.id);
  if (target.kind === 'gate') {
    return [
      button({ text: 'Approve', actionId: ActionIds.checklistApprove, value, style: 'primary' }),
      button({ text: 'Reject…', actionId: ActionIds.checklistReject, value, style: 'danger' }),
    ];
  }
  return [
    button({
      text: `Approve ${view.request?.verb ?? 'change'}`,
      actionId: ActionIds.awsRoute53Approve,
      value,
      style: 'danger',
    }),
    button({ text: 'Cancel request', actionId: ActionIds.awsRoute53Cancel, value }),
  ];
}

/** What became of an approved request, in words (a drill rehearses: nothing is written). */
function requestOutcome(status: RequestStatus, drill: boolean): string {
  if (drill) return 'a drill: the change was rehearsed, nothing was written.';
  switch (status) {
    case 'succeeded':
      return 'the change was made.';
    case 'failed':
      return 'the change failed: see the run’s thread.';
    // The DM is redrawn when the run changes, not as time passes: it never promises what the thread may
    // already contradict (an execution refused, or stopped without a result).
    case 'executing':
      return 'an execution of the change started: its result, or why it stopped, is in the run’s thread.';
    default:
      return 'the bot starts the change: its progress, or why it did not, is in the run’s thread.';
  }
}

/** Whether the DM should still offer the decision to its person. */
function stillAsking(view: InviteDmView, target: { kind: 'gate' | 'request'; id: string }): boolean {
  const { run, invite } = view;
  if (invite.status !== 'open' || run.status !== 'active') return false;
  if (target.kind === 'gate') {
    const found = findGate(run, target.id);
    if (!found || !isGateOpen(run, found.index) || isGateComplete(run, found.gate)) return false;
    if (gateState(run, found.gate.id).approvals.some((a) => a.user === invite.user)) return false;
    // A role whose members Slack could not list just now: this person may still hold it (their invite is
    // kept open), so the DM keeps asking rather than say nothing more is needed.
    return missingRoles(run, found.gate).some(
      (r) => view.roles.includes(r) || view.rolesUnknown?.includes(r),
    );
  }
  const request = findRequest(run, target.id);
  if (request?.status !== 'pending') return false;
  const step = findStep(run, request.stepId);
  return !!step && !lockingGate(run, step.index) && !isResolved(stepState(run, step.step.id));
}

function needsLine(view: InviteDmView, gate: RunGate): string {
  const gs = gateState(view.run, gate.id);
  return gate.roles
    .map((role) => {
      const label = roleLabel(role, view.run.roleNames);
      const signed = gs.approvals.find((a) => a.role === role);
      if (signed) return `${label} :white_check_mark: ${mention(signed.user)}`;
      const group = view.groups?.[role];
      const mine = view.roles.includes(role) ? ' (you)' : '';
      return `${label}${group ? ` ${mentionUserGroup(group)}` : ''}${mine}`;
    })
    .join(' · ');
}

function asRoles(view: InviteDmView, target: { kind: 'gate' | 'request'; id: string }): string {
  const gate = target.kind === 'gate' ? findGate(view.run, target.id)?.gate : undefined;
  const request = target.kind === 'request' ? findRequest(view.run, target.id) : null;
  // The roles this person holds that may decide it: a gate's unsigned ones, a request's approvers.
  const wanted = gate
    ? missingRoles(view.run, gate)
    : request
      ? approverRolesFor(view.run, request.stepId)
      : [...view.roles];
  const roles = wanted.filter((r) => view.roles.includes(r));
  return roles.map((r) => roleLabel(r, view.run.roleNames)).join(' or ') || 'an approver';
}

/** What happened, for a DM that no longer asks anything. */
export function outcomeLine(view: InviteDmView, target: { kind: 'gate' | 'request'; id: string }): string {
  const { run, invite } = view;
  if (target.kind === 'gate') {
    const found = findGate(run, target.id);
    if (found) {
      const gs = gateState(run, found.gate.id);
      if (gs.rejected)
        return `:no_entry: Rejected by ${mention(gs.rejected.user)} (${roleLabel(gs.rejected.role, run.roleNames)}) ${slackDate(gs.rejected.at)}: “${quoteUserText(gs.rejected.reason, 300)}”. The run is halted.`;
      if (isGateComplete(run, found.gate)) return `:white_check_mark: Signed by ${signers(run, found.gate)}.`;
    }
  }
  if (run.status === 'cancelled')
    return run.supersededBy
      ? ':fast_forward: Superseded: a newer run of this checklist replaced this one. Nothing to sign here.'
      : `:x: Run cancelled by ${mention(run.endedBy)}${run.endReason ? `: “${quoteUserText(run.endReason, 200)}”` : ''}. Nothing to sign here.`;
  if (run.status === 'halted')
    return ':octagonal_sign: The run was halted by a rejected approval. Nothing to sign here.';
  if (run.status === 'completed') return ':tada: The run is complete. Nothing to sign here.';
  if (target.kind === 'request') {
    const request = findRequest(run, target.id);
    if (request?.status === 'cancelled')
      return `:x: Request cancelled by ${mention(request.decidedBy)}${request.decidedAt ? ` ${slackDate(request.decidedAt)}` : ''}.${request.begun ? ' An earlier attempt failed before AWS answered and may have written: check the live state (see the run’s thread).' : ''}`;
    if (request?.decidedBy && request.status !== 'pending')
      return `:white_check_mark: Approved by ${mention(request.decidedBy)}${request.decidedAt ? ` ${slackDate(request.decidedAt)}` : ''}; ${requestOutcome(request.status, run.drill)}`;
    return ':leftwards_arrow_with_hook: No longer waiting: the step is not current any more.';
  }
  const found = findGate(run, target.id);
  if (!found) return 'Nothing to sign here any more.';
  const mine = gateState(run, found.gate.id).approvals.find((a) => a.user === invite.user);
  if (mine)
    return `:white_check_mark: You signed as ${roleLabel(mine.role, run.roleNames)} ${slackDate(mine.at)}.`;
  if (!isGateOpen(run, found.index))
    return ':leftwards_arrow_with_hook: No longer waiting: a step before the gate was undone. You get a new message when it opens again.';
  const signedForYou = gateState(run, found.gate.id).approvals.filter((a) => view.roles.includes(a.role));
  const still = missingRoles(run, found.gate).map((r) => roleLabel(r, run.roleNames));
  return `:white_check_mark: ${signedForYou.map((a) => `${roleLabel(a.role, run.roleNames)} signed by ${mention(a.user)} ${slackDate(a.at)}`).join('; ') || 'Signed by someone else'}. Nothing more is needed from you${still.length ? ` (still waiting for ${still.join(', ')})` : ''}.`;
}

function signers(run: RunState, gate: RunGate): string {
  return gateState(run, gate.id)
    .approvals.map((a) => `${mention(a.user)} (${roleLabel(a.role, run.roleNames)}) ${slackDate(a.at)}`)
    .join(', ');
}

function evidence(run: RunState, index: number): Block[] {
  const lines: string[] = [];
  for (let i = 0; i < index; i++) {
    const item = run.items[i];
    if (item?.type !== 'step') continue;
    const st = stepState(run, item.id);
    if (st.status === 'done')
      lines.push(
        `:white_check_mark: ${stepLabel(item)} — ${mention(st.by)}${st.at ? ` ${slackDate(st.at, '{time}')}` : ''}${st.override ? ` (override: “${quoteUserText(st.override, 100)}”)` : ''}`,
      );
    else if (st.status === 'skipped')
      lines.push(
        `:fast_forward: ${stepLabel(item)} skipped by ${mention(st.by)}: “${quoteUserText(st.reason ?? '', 100)}”`,
      );
    else lines.push(`:white_large_square: ${stepLabel(item)}`);
  }
  if (lines.length === 0) return [];
  const shown = lines.slice(-EVIDENCE_LINES);
  const earlier = lines.length - shown.length;
  return [
    context(
      [`*Before this:* ${earlier > 0 ? `_${earlier} earlier step(s) done_\n` : ''}${shown.join('\n')}`],
      { verbatim: true },
    ),
  ];
}
