/**
 * Modals that ask for a reason: Skip, Reject, and Done-anyway (override of a step extension's check).
 * The run and item travel in `private_metadata`.
 */
import type { types } from '@slack/bolt';
import { ActionIds } from '../action-ids';
import { SLACK_LIMITS, truncate } from './limits';

export interface ReasonModalInput {
  callbackId: string;
  title: string;
  submit: string;
  /** mrkdwn shown above the input (escaped by the caller). */
  prompt: string;
  label: string;
  placeholder: string;
  metadata: ReasonMetadata;
}

export interface ReasonMetadata {
  runId: string;
  itemId: string;
  channel: string;
}

export function reasonModal(input: ReasonModalInput): types.ModalView {
  const metadata = JSON.stringify(input.metadata);
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new RangeError('modal metadata too long');
  return {
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: metadata,
    title: { type: 'plain_text', text: truncate(input.title, SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: truncate(input.submit, SLACK_LIMITS.modalSubmit) },
    close: { type: 'plain_text', text: 'Cancel' },
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
          max_length: 1000,
          placeholder: { type: 'plain_text', text: truncate(input.placeholder, 150) },
        },
      },
    ],
  };
}

export function parseReasonMetadata(raw: string | undefined): ReasonMetadata | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<ReasonMetadata>;
    if (typeof v.runId === 'string' && typeof v.itemId === 'string' && typeof v.channel === 'string') {
      return { runId: v.runId, itemId: v.itemId, channel: v.channel };
    }
  } catch {
    // Not ours, or tampered with: treated as missing below.
  }
  return null;
}
