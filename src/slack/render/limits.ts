/**
 * Slack's Block Kit limits, all in one place (numbers from Slack's reference; see
 * /work/shared/slack-platform.md). Renderers import these; a test renders every runbook section and
 * asserts they hold.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  optionText: 75,
  optionValue: 150,
  overflowOptions: 5,
  staticSelectOptions: 100,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  privateMetadata: 3000,
  /** Across all `markdown` blocks of one message. */
  markdownBlocksTotal: 12_000,
  tableRows: 100,
  tableCells: 20,
  /** Top-level `text`: Slack truncates past 40,000; keep notifications under 4,000. */
  fallbackText: 4000,
  fallbackTextHard: 40_000,
  /**
   * Our own budget for the characters of all blocks of one message: Slack has rejected messages near
   * 13,000 (`msg_blocks_too_long`, bolt-js issue 2509) even with every block in its limits.
   */
  messageBlocksChars: 11_000,
} as const;

/** Cut to at most `max` UTF-16 units (Slack's count), on a code point boundary, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}
