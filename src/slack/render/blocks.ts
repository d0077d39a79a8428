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
// The builders add optional fields by assignment, in the order Slack's JSON shows them, rather than by
// spreading a conditional object: every answer makes dozens of these, and each spread was a throwaway object.

const NO_OPTIONS = {};

export function section(mrkdwn: string, opts: { verbatim?: boolean; blockId?: string } = NO_OPTIONS): Block {
  const text: { type: 'mrkdwn'; text: string; verbatim?: boolean } = {
    type: 'mrkdwn',
    text: truncate(mrkdwn, SLACK_LIMITS.sectionText),
  };
  if (opts.verbatim) text.verbatim = true;
  const block: types.SectionBlock = { type: 'section', text };
  if (opts.blockId) block.block_id = opts.blockId;
  return block;
}

export function header(plain: string): Block {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(plain, SLACK_LIMITS.headerText), emoji: true },
  };
}

export function context(mrkdwnElements: readonly string[], opts: { verbatim?: boolean } = NO_OPTIONS): Block {
  const count = Math.min(mrkdwnElements.length, SLACK_LIMITS.contextElements);
  const elements: types.MrkdwnElement[] = [];
  for (let i = 0; i < count; i++) {
    const element: types.MrkdwnElement = {
      type: 'mrkdwn',
      text: truncate(mrkdwnElements[i]!, SLACK_LIMITS.sectionText),
    };
    if (opts.verbatim) element.verbatim = true;
    elements.push(element);
  }
  return { type: 'context', elements };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function actions(elements: Button[], blockId?: string): Block {
  const block: types.ActionsBlock = {
    type: 'actions',
    elements: elements.slice(0, SLACK_LIMITS.actionsElements),
  };
  if (blockId) block.block_id = blockId;
  return block;
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
  const out: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(opts.text, SLACK_LIMITS.buttonText), emoji: true },
    action_id: opts.actionId,
  };
  if (opts.value !== undefined) out.value = opts.value;
  if (opts.url !== undefined && opts.url.length <= SLACK_LIMITS.buttonUrl) out.url = opts.url;
  if (opts.style) out.style = opts.style;
  return out;
}

/**
 * Fallback text: the notification and screen-reader text, kept under Slack's soft limit. It is mrkdwn too,
 * so it is escaped like the blocks: whatever it is built from (runbook titles, alarm names), a `<` or `>`
 * that is not part of a well-formed user or channel mention, and an `&` that does not start one of Slack's
 * three entities, are escaped. Text escaped already (for a block) passes unchanged. A date token
 * (`slackDate`) becomes its own fallback text (`2026-12-05 07:07 UTC`): escaped, it showed as
 * `&lt;!date^…&gt;` in notifications.
 */
const DATE_TOKEN = /<!date\^\d+\^[^^|<>]*\|([^<>|]*)>/g;

export function fallback(text: string): string {
  const escaped = text
    .replace(DATE_TOKEN, '$1')
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
