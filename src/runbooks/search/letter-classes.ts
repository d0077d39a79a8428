/**
 * Regular expressions with Unicode letter and number classes (`\p{L}`, `\p{N}`), built only when a text
 * needs them. V8 builds such a class from ICU's tables each time it creates the expression and compiles it
 * on first use: 0.3-0.8 ms apiece, and the first search of a cold start meets five of them (issue 21). On
 * a text of ASCII characters alone the same expression with ASCII classes matches exactly the same: the
 * only ASCII letters are A-Z and a-z, the only ASCII numbers 0-9 (test/runbooks/search/letter-classes.test.ts
 * checks every ASCII character and many texts). Any other text gets the Unicode expression, made once.
 */

/**
 * Characters no typed text should carry into a search or back into Slack: C0/C1 controls (whitespace among
 * them: callers collapse it after replacing these with a space), zero-width characters, the byte-order mark,
 * and the bidirectional embeddings, overrides and isolates that reorder what follows them on screen.
 */
export const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Whether every UTF-16 unit of `text` is ASCII. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Picks the expression for a text; `ascii` and `unicode` are there for the test. */
export interface LetterPattern {
  (text: string): RegExp;
  readonly ascii: RegExp;
  readonly unicode: () => RegExp;
}

/**
 * `ascii` for an ASCII text, else `unicode()` (created on first need, then kept). The two must match
 * alike on ASCII text; both keep their flags (`g`: callers use them with `replace`/`split`, which reset
 * `lastIndex`; never with `exec` in a loop).
 */
export function letterPattern(ascii: RegExp, unicode: () => RegExp): LetterPattern {
  let full: RegExp | undefined;
  const pick = (text: string): RegExp => {
    if (isAscii(text)) return ascii;
    full ??= unicode();
    return full;
  };
  return Object.assign(pick, { ascii, unicode });
}

/** Between a query's or text's words (query.ts `tokenize`); `eu-west-1`, `v1.2` stay one word. */
export const NOT_WORD = letterPattern(/[^A-Za-z0-9._-]+/, () => /[^\p{L}\p{N}._-]+/u);
/** A possessive `'s` after a letter, not before one (query.ts). */
export const POSSESSIVE = letterPattern(/(?<=[A-Za-z])'s(?![A-Za-z])/g, () => /(?<=\p{L})[’']s(?!\p{L})/gu);
/** `post-deploy`, `sign-in`: letters joined by hyphens (query.ts). */
export const HYPHENATED = letterPattern(/^[A-Za-z]+(-[A-Za-z]+)+$/, () => /^\p{L}+(-\p{L}+)+$/u);
/** Between a step title's words (rank.ts). */
export const STEP_WORD_BREAK = letterPattern(/[^A-Za-z0-9-]+/, () => /[^\p{L}\p{N}-]+/u);
/** Runs of anything but letters and digits (the checklists' command phrases: phrase.ts). */
export const NOT_LETTER_OR_DIGIT = letterPattern(/[^A-Za-z0-9]+/g, () => /[^\p{L}\p{N}]+/gu);

/** Every pattern above, by name (the test checks each one's two forms against each other). */
export const LETTER_PATTERNS = { NOT_WORD, POSSESSIVE, HYPHENATED, STEP_WORD_BREAK, NOT_LETTER_OR_DIGIT };
