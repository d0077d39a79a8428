/**
 * Modals that ask for a reason: Skip, Reject, Done-anyway (override of a step extension's check), Cancel run.
 * The run and item travel in `private_metadata`, sealed by the caller (src/slack/modal-metadata.ts).
 */
import type { types } from '@slack/bolt';
import { ActionIds } from '../action-ids';
import { SLACK_LIMITS, truncate } from './limits';

/**
 * The longest reason taken: what the modal's input allows. A forged submission may carry more (Slack's
 * client enforces `max_length`, the server sees what was sent); the listener refuses it, so no reason can
 * grow the run record towards DynamoDB's 400 KB item limit or flood the thread.
 */
export const REASON_MAX = 1000;

export interface ReasonModalInput {
  callbackId: string;
  title: string;
  submit: string;
  /** mrkdwn shown above the input (escaped by the caller). */
  prompt: string;
  label: string;
  placeholder: string;
  /** The close button's label (`Cancel` unless that would read as the action: Cancel run). */
  close?: string;
  /** Sealed `private_metadata` (src/slack/modal-metadata.ts). */
  metadata: string;
}

export function reasonModal(input: ReasonModalInput): types.ModalView {
  const metadata = input.metadata;
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new RangeError('modal metadata too long');
  return {
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: metadata,
    title: { type: 'plain_text', text: truncate(input.title, SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: truncate(input.submit, SLACK_LIMITS.modalSubmit) },
    close: { type: 'plain_text', text: truncate(input.close ?? 'Cancel', SLACK_LIMITS.modalSubmit) },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(input.prompt, SLACK_LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: ActionIds.checklistReasonBlock,
        label: { type: 'plain_text', text: truncate(input.label, 2000) },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.checklistReasonInput,
          multiline: true,
          min_length: 3,
          max_length: REASON_MAX,
          placeholder: { type: 'plain_text', text: truncate(input.placeholder, 150) },
        },
      },
    ],
  };
}

/**
 * A form opened before the run could be read (the store was slow, and a click's `trigger_id` opens a modal
 * only within 3 s): its title and a line saying it is being read. Nothing to submit; it is replaced with
 * `views.update` by the form itself or by a notice (`noticeModal`).
 */
export function loadingModal(title: string): types.ModalView {
  return noticeModal(title, ':hourglass_flowing_sand: Reading the run…');
}

/** A modal that only says something (why no form is needed after all), with a Close button. */
export function noticeModal(title: string, text: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } }],
  };
}
