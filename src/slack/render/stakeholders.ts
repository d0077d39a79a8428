/**
 * Stakeholder updates and the all-clear, as Slack views: the reminder that the next update is due (with
 * **Post update…**), the update modal (status, what changed, when the next one is due, prefilled), and the
 * all-clear offered when a checklist completes. Pure.
 */
import type { types } from '@slack/bolt';
import { ActionIds } from '../action-ids';
import {
  actions,
  type Block,
  button,
  context,
  fallback,
  type Message,
  section,
  textSections,
} from './blocks';
import { SLACK_LIMITS, truncate } from './limits';
import { mentionChannel } from './mentions';

export const STATUS_MAX = 150;
export const CHANGES_MAX = 1000;

export function updateDueMessage(input: {
  runId: string;
  /** Who is reminded: the owner role's user group, or the person who posted last (mrkdwn mention). */
  who: string;
  cadence: string;
  lastAt: string;
  channels: string[];
}): Message {
  const where = input.channels.map(mentionChannel).join(', ');
  const text = `:mega: ${input.who}: the next stakeholder update is due now. The notice promised one every ${input.cadence}; the last went to ${where} at ${input.lastAt}.`;
  return {
    text: fallback(text),
    blocks: [
      section(text),
      actions([
        button({
          text: 'Post update…',
          actionId: ActionIds.reachPostUpdate,
          value: `${input.runId}|`,
          style: 'primary',
        }),
      ]),
    ],
  };
}

export interface UpdateModalInput {
  metadata: string;
  status: string;
  /** Minutes offered for the next update (the first is preselected); 0 = no further updates. */
  nextOptions: { minutes: number; label: string }[];
  channels: string[];
  /** The update template as the runbook writes it, placeholders visible. */
  template: string;
}

export function updateModal(input: UpdateModalInput): types.ModalView {
  const options = input.nextOptions.map((o) => ({
    text: { type: 'plain_text' as const, text: truncate(o.label, SLACK_LIMITS.optionText) },
    value: String(o.minutes),
  }));
  return {
    type: 'modal',
    callback_id: ActionIds.reachUpdateView,
    private_metadata: input.metadata,
    title: { type: 'plain_text', text: 'Stakeholder update' },
    submit: { type: 'plain_text', text: 'Post update' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Posts to ${input.channels.map(mentionChannel).join(', ')}, where the notice went.`),
      {
        type: 'input',
        block_id: ActionIds.reachUpdateStatus,
        label: { type: 'plain_text', text: 'Status' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.reachUpdateStatus,
          initial_value: truncate(input.status, STATUS_MAX),
          max_length: STATUS_MAX,
        },
      },
      {
        type: 'input',
        block_id: ActionIds.reachUpdateChanges,
        label: { type: 'plain_text', text: 'What changed since the last message' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.reachUpdateChanges,
          multiline: true,
          max_length: CHANGES_MAX,
          placeholder: {
            type: 'plain_text',
            text: 'e.g. traffic is served from eu-west-1; sign-ins work again',
          },
        },
      },
      {
        type: 'input',
        block_id: ActionIds.reachUpdateNext,
        label: { type: 'plain_text', text: 'Next update' },
        element: {
          type: 'static_select',
          action_id: ActionIds.reachUpdateNext,
          options,
          ...(options[0] ? { initial_option: options[0] } : {}),
        },
      },
      context(
        [`What stakeholders read (the runbook's update template):\n${truncate(input.template, 2500)}`],
        {
          verbatim: true,
        },
      ),
    ] as Block[],
  } as types.ModalView;
}

export function allClearOffer(input: { runId: string; preview: string; channels: string[] }): Message {
  const where = input.channels.map(mentionChannel).join(', ');
  const text = `:large_green_circle: Every step is done. Post the all-clear to ${where}? It tells stakeholders the incident is over and ends the updates.`;
  return {
    text: fallback(text),
    blocks: [
      section(text),
      section(`>>> ${input.preview}`),
      actions([
        {
          ...button({
            text: 'Post all-clear',
            actionId: ActionIds.reachPostAllClear,
            value: `${input.runId}|`,
            style: 'primary',
          }),
          confirm: {
            title: { type: 'plain_text', text: 'Post the all-clear?' },
            text: {
              type: 'plain_text',
              text: 'Stakeholders are told the incident is over; no more updates are due.',
            },
            confirm: { type: 'plain_text', text: 'Post it' },
            deny: { type: 'plain_text', text: 'Not yet' },
          },
        },
      ]),
    ],
  };
}

/**
 * A stakeholder message (update, all-clear): the filled template (escaped mrkdwn, `fillNotice`), as the
 * notice is posted. It holds what people typed and their names: verbatim, so nothing in it is auto-linked.
 */
export function stakeholderMessage(text: string, opts: { drill: boolean }): Message {
  const body = opts.drill ? `*[DRILL — not sent to stakeholders]*\n${text}` : text;
  return { text: fallback(body), blocks: textSections(body, { verbatim: true }) };
}
