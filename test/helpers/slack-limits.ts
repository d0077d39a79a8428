/**
 * `slackLimitViolations(message)`: every way a message breaks Slack's Block Kit limits
 * (src/slack/render/limits.ts), as readable strings; empty when it is within them. Any renderer's tests
 * can use it: `expect(slackLimitViolations(msg)).toEqual([])`.
 */
import { SLACK_LIMITS as L } from '../../src/slack/render/limits';

type Obj = Record<string, unknown>;

function textOf(o: unknown): string {
  return o && typeof o === 'object' && typeof (o as Obj).text === 'string' ? ((o as Obj).text as string) : '';
}

/** Characters of every text field in the blocks (what `msg_blocks_too_long` is about). */
export function blockChars(blocks: unknown[]): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') n += x.length;
        else walk(x);
      }
    }
  };
  walk(blocks);
  return n;
}

export function slackLimitViolations(
  message: { text?: unknown; blocks?: unknown[] },
  opts: { surface?: 'message' | 'modal' } = {},
): string[] {
  const out: string[] = [];
  const blocks = (message.blocks ?? []) as Obj[];
  const maxBlocks = opts.surface === 'modal' ? L.blocksPerModal : L.blocksPerMessage;
  if (typeof message.text !== 'string' || message.text.trim() === '') out.push('no fallback text');
  else if (message.text.length > L.fallbackText)
    out.push(`fallback text ${message.text.length} > ${L.fallbackText}`);
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks > ${maxBlocks}`);
  const total = blockChars(blocks);
  if (opts.surface !== 'modal' && total > L.messageBlocksChars)
    out.push(`block text ${total} > ${L.messageBlocksChars}`);

  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > L.blockId) out.push(`${at}: block_id too long`);
      if (blockIds.has(b.block_id)) out.push(`${at}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'header') {
      const t = textOf(b.text);
      if (t.length > L.headerText) out.push(`${at}: header ${t.length} > ${L.headerText}`);
      if (!t) out.push(`${at}: empty header`);
    }
    if (b.type === 'section') {
      const t = textOf(b.text);
      if (t.length > L.sectionText) out.push(`${at}: text ${t.length} > ${L.sectionText}`);
      if (!t && !Array.isArray(b.fields)) out.push(`${at}: empty section`);
      if ((t.match(/```/g) ?? []).length % 2 !== 0) out.push(`${at}: code fence cut across blocks`);
      const fields = (b.fields ?? []) as unknown[];
      if (fields.length > L.sectionFields) out.push(`${at}: ${fields.length} fields > ${L.sectionFields}`);
      for (const f of fields) if (textOf(f).length > L.sectionFieldText) out.push(`${at}: field too long`);
      if (b.accessory) checkElement(b.accessory as Obj, `${at} accessory`, out);
    }
    if (b.type === 'context') {
      const els = (b.elements ?? []) as Obj[];
      if (els.length > L.contextElements) out.push(`${at}: ${els.length} elements > ${L.contextElements}`);
      for (const e of els) if (textOf(e).length > L.sectionText) out.push(`${at}: element text too long`);
    }
    if (b.type === 'actions') {
      const els = (b.elements ?? []) as Obj[];
      if (els.length > L.actionsElements) out.push(`${at}: ${els.length} elements > ${L.actionsElements}`);
      const ids = new Set<string>();
      for (const e of els) {
        checkElement(e, at, out);
        const id = e.action_id as string | undefined;
        if (id && ids.has(id)) out.push(`${at}: duplicate action_id ${id}`);
        if (id) ids.add(id);
      }
    }
  });
  return out;
}

function checkElement(e: Obj, at: string, out: string[]): void {
  if (typeof e.action_id === 'string' && e.action_id.length > L.actionId)
    out.push(`${at}: action_id too long`);
  if (e.type === 'button') {
    const t = textOf(e.text);
    if (!t || t.length > L.buttonText)
      out.push(`${at}: button text "${t}" (${t.length}) not within 1..${L.buttonText}`);
    if (typeof e.value === 'string' && e.value.length > L.buttonValue)
      out.push(`${at}: button value too long`);
    if (typeof e.url === 'string' && e.url.length > L.buttonUrl) out.push(`${at}: button url too long`);
  }
  if (e.confirm) {
    const c = e.confirm as Obj;
    if (textOf(c.title).length > L.confirmTitle) out.push(`${at}: confirm title too long`);
    if (textOf(c.text).length > L.confirmText) out.push(`${at}: confirm text too long`);
    if (textOf(c.confirm).length > L.confirmButton) out.push(`${at}: confirm button too long`);
    if (textOf(c.deny).length > L.confirmButton) out.push(`${at}: deny button too long`);
  }
  const options = (e.options ?? []) as Obj[];
  if (e.type === 'overflow' && options.length > L.overflowOptions)
    out.push(`${at}: overflow options > ${L.overflowOptions}`);
  if (e.type === 'static_select' && options.length > L.staticSelectOptions)
    out.push(`${at}: select options too many`);
  for (const o of options) {
    if (textOf(o.text).length > L.optionText) out.push(`${at}: option text too long`);
    if (typeof o.value === 'string' && o.value.length > L.optionValue)
      out.push(`${at}: option value too long`);
  }
}
