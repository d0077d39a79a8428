/**
 * One line per run event for the thread under the checklist message: the running record of who did what,
 * when. A drill's lines are marked DRILL.
 */
import type { RunEvent, RunState } from '../../workflows/run-state';
import { findGate, findStep, roleLabel, rolesLabel } from '../../workflows/run-state';
import { context, fallback, type Message, section } from './blocks';
import {
  between,
  formatDuration,
  gateLabel,
  mention,
  refusalText,
  runTitle,
  stepLabel,
} from './checklist-format';
import { escapeMrkdwn, quoteUserText } from './escape';

export function eventLine(state: RunState, event: RunEvent): string {
  const who = mention(event.user);
  const step = event.stepId ? findStep(state, event.stepId)?.step : undefined;
  const gate = event.gateId ? findGate(state, event.gateId)?.gate : undefined;
  const stepText = step ? `*${stepLabel(step)}*` : `step \`${escapeMrkdwn(event.stepId ?? '?')}\``;
  const gateText = gate ? `_${gateLabel(gate)}_` : `gate \`${escapeMrkdwn(event.gateId ?? '?')}\``;
  const reason = event.reason ? `: “${quoteUserText(event.reason, 300)}”` : '';
  switch (event.type) {
    case 'started':
      return `:rocket: ${who} started *${escapeMrkdwn(runTitle(state))}*${state.drill ? ' as a drill: live actions never execute' : ''}.`;
    case 'step_done': {
      const jumped = (event.jumped ?? [])
        .map((id) => findStep(state, id)?.step)
        .filter((s) => s !== undefined);
      const order =
        jumped.length > 0 ? ` out of order, before ${jumped.map((s) => stepLabel(s)).join(', ')}` : '';
      const why = event.override
        ? ` (${jumped.length > 0 ? (event.checkWaived ? 'reason, also over its failed check' : 'reason') : 'despite a failed check; override'}: “${quoteUserText(event.override, 300)}”)`
        : '';
      return `:white_check_mark: ${who} marked ${stepText} done${order}${why}.`;
    }
    case 'step_undone':
      return `:leftwards_arrow_with_hook: ${who} undid ${stepText}; it is pending again.`;
    case 'step_skipped':
      return `:fast_forward: ${who} skipped ${stepText}${reason}`;
    case 'gate_approved':
      return `:ballot_box_with_check: ${who} approved ${gateText} as ${roleLabel(event.role ?? '', state.roleNames)}.`;
    case 'gate_passed':
      return `:unlock: ${gateText} has every signature; the steps after it are unlocked.`;
    case 'gate_rejected':
      return `:no_entry: ${who} rejected ${gateText} as ${roleLabel(event.role ?? '', state.roleNames)}${reason}`;
    case 'gate_refused':
      return (
        `:warning: Refused: ${who} (${escapeMrkdwn(rolesLabel(event.role, state.roleNames))}) tried to ${event.attempted ?? 'sign'} ${gateText}` +
        ` — ${refusalText(event.reason ?? '')}`
      );
    case 'refused': {
      const target = event.gateId ? ` ${gateText}` : event.stepId ? ` ${stepText}` : '';
      return (
        `:warning: Refused: ${who} (${escapeMrkdwn(rolesLabel(event.role, state.roleNames))}) tried to ${attemptWords(event.action)}${target}` +
        ` — ${refusalText(event.reason ?? '')}`
      );
    }
    case 'action_requested':
      return `:rotating_light: ${who} asked for a live action on ${stepText}; it needs a second person's approval.`;
    case 'action_approved':
      return `:white_check_mark: ${who} approved the live action on ${stepText}${event.role ? ` as ${roleLabel(event.role, state.roleNames)}` : ''}.`;
    case 'action_cancelled':
      return `:no_entry_sign: ${who} cancelled the request for ${stepText}. Nothing was written.`;
    case 'action_retried':
      return `:repeat: ${who} asked to retry the approved action on ${stepText}.`;
    case 'action_submitted':
    case 'action_retrying':
    case 'action_succeeded':
    case 'action_failed':
      return event.text ?? '';
    case 'halted':
      return ':octagonal_sign: The run is halted: nothing more can be done on it.';
    case 'completed':
      return `:tada: Every step is resolved and every gate approved: the run is complete in ${formatDuration(between(state.startedAt, event.at))}.`;
    case 'cancelled':
      return state.supersededBy
        ? ':fast_forward: Superseded by a newer run of this checklist; this message no longer changes.'
        : `:x: ${who} cancelled the run${reason}`;
    case 'taken_over':
      return event.liveOverDrill
        ? `:rotating_light: A live run of this checklist (\`${escapeMrkdwn(event.runRef ?? '?')}\`), started by ${who}, replaced this drill. This message no longer changes.`
        : `:arrows_counterclockwise: ${who} took this checklist over with a new run (\`${escapeMrkdwn(event.runRef ?? '?')}\`)${reason} This message no longer changes.`;
    case 'took_over':
      return event.liveOverDrill
        ? `:rotating_light: This live run replaced a drill of the same checklist (\`${escapeMrkdwn(event.runRef ?? '?')}\`); the drill is cancelled.`
        : `:arrows_counterclockwise: ${who} took over from run \`${escapeMrkdwn(event.runRef ?? '?')}\`${reason}`;
    case 'note':
      return event.text ?? '';
  }
}

/** "tried to approve", from the action types of src/workflows/authorize.ts. */
export function attemptWords(action: string | undefined): string {
  const words: Record<string, string> = {
    approve_gate: 'approve',
    reject_gate: 'reject',
    done: 'mark done',
    skip: 'skip',
    undo: 'undo',
    cancel_run: 'cancel the run',
    request_action: 'ask for a live action on',
    approve_request: 'approve a live action',
    cancel_request: 'cancel a live action request',
    retry_request: 'retry a live action',
    execute_request: 'execute a live action',
    rehearse_request: 'rehearse a live action',
    apply_warmup: 'warm up (or return to standby) on',
    check_action: 'check the result of',
    post_notice: 'post the notice of',
    check_evidence: 'check evidence for',
    check_canary: 'check the canary for',
    preview_action: 'preview',
    export_timeline: 'export the timeline',
    view_details: 'see the details of',
    take_over: 'take over the run',
  };
  return words[action ?? ''] ?? escapeMrkdwn(action ?? 'act');
}

/** The events of one action as one thread message (one post, not one per event). */
export function threadMessage(state: RunState, events: RunEvent[]): Message {
  const lines = events.map((e) => eventLine(state, e)).filter(Boolean);
  const body = lines.join('\n');
  return {
    text: fallback(`${state.drill ? 'DRILL · ' : ''}${body}`),
    blocks: state.drill
      ? [context([':test_tube: *DRILL*']), section(body, { verbatim: true })]
      : [section(body, { verbatim: true })],
  };
}
