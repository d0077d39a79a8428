/**
 * How people ask for the map of the system rather than for one part of it ("give me the big picture",
 * "how does it all fit together"), and numbers written as words ("for fifteen minutes"), as the runbooks
 * write them. Compiled into search synonyms (terms/index.ts).
 */

/** phrase → comma-separated runbook phrases. */
export const OVERVIEW_PHRASES: Readonly<Record<string, string>> = {
  'big picture': 'overview, architecture diagram',
  'high level': 'overview, architecture',
  'fit together': 'overview, components, architecture',
  'fits together': 'overview, components, architecture',
  'put together': 'overview, components, architecture',
  'moving parts': 'components, overview',
  'lay of the land': 'overview, architecture',
  'how it works': 'overview, architecture',
  'what talks to what': 'data flows, components',
};

/** Numbers people spell out in a sentence, as digits (thresholds and durations are written in digits). */
export const NUMBER_WORDS: Readonly<Record<string, string>> = {
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  ten: '10',
  fifteen: '15',
  twenty: '20',
  thirty: '30',
  forty: '40',
  fifty: '50',
  sixty: '60',
  ninety: '90',
};
