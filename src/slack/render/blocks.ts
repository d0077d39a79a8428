/**
 * Small Block Kit builders that enforce Slack's limits where they are easy to break (header length,
 * button text and value, context element count). Renderers build messages with these, never inline JSON.
 */
import type { types } from '@slack/bolt';
import { SLACK_LIMITS, truncate } from './limits';

export type Block = types.KnownBlock;
export type Button = types.Button;

/** A message body for chat.postMessage / respond: blocks plus the fallback `text` Slack requires. */
export interface Message {
  text: string;
  blocks: Block[];
}

/**
 * `verbatim: true` keeps Slack from auto-linking URLs, channel names and @-words in text we did not
 * write ourselves: use it whenever the text holds anything a user typed.
 */
export function section(mrkdwn: string, opts: { verbatim?: boolean; blockId?: string } = {}): Block {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(mrkdwn, SLACK_LIMITS.sectionText),
      ...(opts.verbatim ? { verbatim: true } : {}),
    },
    ...(opts.blockId ? { block_id: opts.blockId } : {}),
  };
}

export function header(plain: string): Block {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(plain, SLACK_LIMITS.headerText), emoji: true },
  };
}

export function context(mrkdwnElements: string[], opts: { verbatim?: boolean } = {}): Block {
  return {
    type: 'context',
    elements: mrkdwnElements.slice(0, SLACK_LIMITS.contextElements).map((text) => ({
      type: 'mrkdwn' as const,
      text: truncate(text, SLACK_LIMITS.sectionText),
      ...(opts.verbatim ? { verbatim: true } : {}),
    })),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function actions(elements: Button[], blockId?: string): Block {
  return {
    type: 'actions',
    elements: elements.slice(0, SLACK_LIMITS.actionsElements),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function button(opts: {
  text: string;
  actionId: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}): Button {
  if (opts.value !== undefined && opts.value.length > SLACK_LIMITS.buttonValue) {
    throw new RangeError(`button value longer than ${SLACK_LIMITS.buttonValue} characters`);
  }
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(opts.text, SLACK_LIMITS.buttonText), emoji: true },
    action_id: opts.actionId,
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    ...(opts.url !== undefined && opts.url.length <= SLACK_LIMITS.buttonUrl ? { url: opts.url } : {}),
    ...(opts.style ? { style: opts.style } : {}),
  };
}

/**
 * Fallback text: the notification and screen-reader text, kept under Slack's soft limit. It is mrkdwn too,
 * so it is escaped like the blocks: whatever it is built from (runbook titles, alarm names), a `<` or `>`
 * that is not part of a well-formed user or channel mention, and an `&` that does not start one of Slack's
 * three entities, are escaped. Text escaped already (for a block) passes unchanged.
 */
export function fallback(text: string): string {
  const escaped = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(<@[UW][A-Z0-9]{2,}>|<#[CGD][A-Z0-9]{2,}>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/&(?!amp;|lt;|gt;)/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;'),
    )
    .join('');
  return truncate(escaped, SLACK_LIMITS.fallbackText);
}
