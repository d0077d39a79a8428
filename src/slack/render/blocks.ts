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

/**
 * Mrkdwn too long for one section as several, split between lines where it can be and never inside an
 * entity (`&amp;`) or a `<…>` token: a stakeholder message whose typed text grew when escaped keeps its last
 * lines ("Next update", "Posted by") instead of losing them to a cut. At most `maxBlocks` sections; what
 * is left after them is cut with an ellipsis.
 */
export function textSections(
  mrkdwn: string,
  opts: { verbatim?: boolean; maxBlocks?: number } = NO_OPTIONS,
): Block[] {
  const max = SLACK_LIMITS.sectionText;
  const pieces: string[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk) pieces.push(chunk);
    chunk = '';
  };
  for (const line of mrkdwn.split('\n')) {
    if (chunk && chunk.length + 1 + line.length <= max) {
      chunk = `${chunk}\n${line}`;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      const cut = safeCut(rest, max);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    chunk = rest;
  }
  flush();
  const limit = Math.max(1, opts.maxBlocks ?? 10);
  const kept =
    pieces.length > limit ? [...pieces.slice(0, limit - 1), pieces.slice(limit - 1).join('\n')] : pieces;
  const sectionOpts = opts.verbatim ? { verbatim: true } : NO_OPTIONS;
  return (kept.length > 0 ? kept : ['']).map((text) => section(text, sectionOpts));
}

/** The last index ≤ `max` at which `text` may be cut: a space if there is one late enough, never inside `&…;` or `<…>`. */
function safeCut(text: string, max: number): number {
  let cut = max;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 8 && !text.slice(amp, cut).includes(';')) cut = amp;
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && text.indexOf('>', open) >= cut) cut = open;
  const space = text.lastIndexOf(' ', cut);
  if (space > cut - 200 && space > 0) cut = space + 1;
  return Math.max(1, cut);
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
    .split(/(<@[UW][A-Z0-9]{2,}>|<#[CGD][A-Z0-9]{2,}>|<!subteam\^S[A-Z0-9]{2,}(?:\|@[\w.-]+)?>)/)
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
