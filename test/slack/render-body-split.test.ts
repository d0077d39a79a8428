/**
 * found in a review (helper-181): a paragraph longer than one section block (3000 characters) is split by
 * splitLines first, which hard-cuts at 3000 whatever is there; splitProse (which keeps `<url|label>` whole
 * and cuts at a space) then never has anything to do. A link straddling the cut is broken in two.
 */
import { expect, test } from 'vitest';
import { renderBody } from '../../src/slack/render/body';
import { markdownToSegments } from '../../src/slack/render/markdown';

test('a paragraph longer than one block is never cut inside a link or a word', () => {
  // One source paragraph (lazy continuation lines join with spaces) of ~3,200 characters with a link at ~3,000.
  const words = 'alpha beta gamma delta '.repeat(130); // 2,990 characters
  const md = `${words}see [the dashboard](https://example.com/dashboards/payments-latency) then ${'more words '.repeat(20)}`;
  const body = renderBody(markdownToSegments(md), { maxBlocks: 10, maxChars: 20_000 });
  const texts = body.blocks.map((b) => (b as { text: { text: string } }).text.text);
  expect(texts.length).toBeGreaterThan(1);
  for (const t of texts) {
    // Every `<` opened in a block is closed in the same block.
    expect((t.match(/</g) ?? []).length).toBe((t.match(/>/g) ?? []).length);
  }
  expect(texts.join(' ')).toContain('<https://example.com/dashboards/payments-latency|the dashboard>');
});
