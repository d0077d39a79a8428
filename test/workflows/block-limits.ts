/** Asserts a message respects Slack's Block Kit limits (numbers from src/slack/render/limits.ts). */
import { expect } from 'vitest';
import type { Message } from '../../src/slack/render/blocks';
import { blockChars } from '../../src/slack/render/checklist';
import { SLACK_LIMITS as L } from '../../src/slack/render/limits';
import { visibleText } from '../helpers/slack-messages';

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk Block Kit JSON of any shape
type AnyBlock = Record<string, any>;

export function expectWithinLimits(message: Message): void {
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(L.fallbackText);
  expect(message.blocks.length).toBeLessThanOrEqual(L.blocksPerMessage);
  expect(blockChars(message.blocks)).toBeLessThanOrEqual(L.messageBlocksChars);
  for (const block of message.blocks as AnyBlock[]) {
    switch (block.type) {
      case 'header':
        expect(block.text.text.length).toBeLessThanOrEqual(L.headerText);
        break;
      case 'section':
        expect(block.text.text.length).toBeLessThanOrEqual(L.sectionText);
        if (block.accessory) expectElement(block.accessory);
        break;
      case 'context':
        expect(block.elements.length).toBeLessThanOrEqual(L.contextElements);
        for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(L.sectionText);
        break;
      case 'actions':
        expect(block.elements.length).toBeLessThanOrEqual(L.actionsElements);
        expect(new Set(block.elements.map((e: AnyBlock) => e.action_id)).size).toBe(block.elements.length);
        for (const e of block.elements) expectElement(e);
        break;
      case 'markdown':
        expect(block.text.length).toBeLessThanOrEqual(L.markdownBlocksTotal);
        break;
      default:
        break;
    }
    if (block.block_id) expect(block.block_id.length).toBeLessThanOrEqual(L.blockId);
  }
}

function expectElement(e: AnyBlock): void {
  expect(e.action_id.length).toBeLessThanOrEqual(L.actionId);
  if (e.type === 'button') {
    expect(e.text.text.length).toBeLessThanOrEqual(L.buttonText);
    if (e.value !== undefined) expect(e.value.length).toBeLessThanOrEqual(L.buttonValue);
  }
  if (e.type === 'static_select') {
    expect(e.options.length).toBeLessThanOrEqual(L.staticSelectOptions);
    for (const o of e.options) {
      expect(o.text.text.length).toBeLessThanOrEqual(L.optionText);
      expect(o.value.length).toBeLessThanOrEqual(L.optionValue);
    }
  }
}

/** Every button in the message, in order. */
export function buttons(message: Message): AnyBlock[] {
  return (message.blocks as AnyBlock[])
    .flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []))
    .filter((e: AnyBlock) => e.type === 'button');
}

/** All visible text of the message, joined. */
export function allText(message: Message): string {
  return visibleText(message);
}
