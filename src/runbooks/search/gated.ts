/**
 * A large pattern that runs only when the text holds one of the literal pieces every match of it holds.
 *
 * V8 compiles a regular expression on its first run (and again, to machine code, on its second): the
 * intent patterns of config.ts cost 0.1-1.1 ms each the first time (measured on this repository's search,
 * about 4 ms together on a cold start's first search for "token expired", a third of that search), where a
 * substring test costs next to nothing. Most queries hold none of a given pattern's pieces ("should",
 * "whether", "or not" for a decision), so most cold starts compile none of them.
 *
 * The pieces are the pattern's own mandatory literals, written beside it in config.ts: a piece missing from
 * the list would make the pattern miss, so test/runbooks/search/gated.test.ts runs every gated pattern with
 * and without its gate over every query of the evaluation sets and of runbooks/phrasings.json.
 */
export interface Gated {
  /** The pattern itself. */
  readonly pattern: RegExp;
  /** Lower case; a text holding none of them cannot match. */
  readonly pieces: readonly string[];
  test(text: string): boolean;
  exec(text: string): RegExpExecArray | null;
  /** Every match (the pattern must be global). */
  matchAll(text: string): RegExpMatchArray[];
}

export function gated(pattern: RegExp, pieces: readonly string[]): Gated {
  const lower = pattern.flags.includes('i');
  const may = (text: string) => {
    const t = lower ? text.toLowerCase() : text;
    return pieces.some((p) => t.includes(p));
  };
  return {
    pattern,
    pieces,
    test(text) {
      if (!may(text)) return false;
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    exec(text) {
      if (!may(text)) return null;
      pattern.lastIndex = 0;
      return pattern.exec(text);
    },
    matchAll(text) {
      return may(text) ? [...text.matchAll(pattern)] : [];
    },
  };
}
