/**
 * Which checklist a text starts: needs only the artifact, so routing (`claimText`) decides without loading
 * the checklists feature (see ./manifest.ts).
 */
import type { Artifact, Checklist } from '../../../runbooks/model/model';
import { checklistCommands } from '../../../runbooks/model/split';
// Unicode classes only for a text that needs them (routing asks on every search: letter-classes.ts).
import { NOT_LETTER_OR_DIGIT } from '../../../runbooks/search/letter-classes';

/** The compiler's command normalisation: lower case, every run of non-letters/digits one space. */
export function normalizePhrase(text: string): string {
  const lower = text.toLowerCase();
  return lower.replace(NOT_LETTER_OR_DIGIT(lower), ' ').trim();
}

export function findChecklistByPhrase(checklists: readonly Checklist[], text: string): Checklist | undefined {
  const phrase = normalizePhrase(text);
  if (!phrase) return undefined;
  return checklists.find((c) => c.commands.includes(phrase));
}

/**
 * Whether a text starts a checklist, reading only the checklists' command phrases: a split artifact has them
 * in its index, so routing a search (every feature is asked whether it claims the text) does not parse the
 * checklists themselves (rest.json: 90 KiB at 1×, 19 MB at 100×) on a cold start.
 */
export function isChecklistPhrase(artifact: Artifact, text: string): boolean {
  const phrase = normalizePhrase(text);
  return phrase !== '' && phrasesOf(artifact).has(phrase);
}

// Every checklist's command phrases in one set per artifact, made on the first command routed.
const phrases = new WeakMap<Artifact, ReadonlySet<string>>();
function phrasesOf(artifact: Artifact): ReadonlySet<string> {
  let set = phrases.get(artifact);
  if (!set) {
    set = new Set(checklistCommands(artifact).flatMap((c) => c.commands));
    phrases.set(artifact, set);
  }
  return set;
}

/**
 * The commands a mistyped checklist command was meant to be: a text made only of the words of the commands
 * that start with its first word, matching none of them exactly (`promote prod dev`, `promote sit`,
 * `promote`). Such a text names a checklist wrongly rather than asks a question, and a search would answer
 * it with the nearest procedure and its Run as checklist button (`promote sit` answered DEV → SIT); it is
 * answered with the commands instead. A text with any other word (`promote to prod failed`) is searched.
 */
export function nearChecklistCommands(
  entries: readonly { commands: readonly string[] }[],
  text: string,
): string[] {
  return nearIn(familiesFrom(entries), text);
}

/** `nearChecklistCommands` over an artifact's checklists, from families made once per artifact. */
export function nearChecklistCommandsOf(artifact: Artifact, text: string): string[] {
  let map = families.get(artifact);
  if (!map) {
    map = familiesFrom(checklistCommands(artifact));
    families.set(artifact, map);
  }
  return nearIn(map, text);
}

/** Routing asks on every search: whether the text is a mistyped checklist command. */
export function isNearChecklistPhrase(artifact: Artifact, text: string): boolean {
  return nearChecklistCommandsOf(artifact, text).length > 0;
}

/** Commands by their first word, with the words they are made of. */
interface Family {
  commands: ReadonlySet<string>;
  words: ReadonlySet<string>;
}
const families = new WeakMap<Artifact, ReadonlyMap<string, Family>>();

function familiesFrom(entries: readonly { commands: readonly string[] }[]): ReadonlyMap<string, Family> {
  const byFirst = new Map<string, { commands: Set<string>; words: Set<string> }>();
  for (const c of entries)
    for (const cmd of c.commands) {
      const parts = cmd.split(' ');
      const first = parts[0]!;
      let family = byFirst.get(first);
      if (!family) {
        family = { commands: new Set(), words: new Set() };
        byFirst.set(first, family);
      }
      family.commands.add(cmd);
      for (const w of parts) family.words.add(w);
    }
  return byFirst;
}

function nearIn(map: ReadonlyMap<string, Family>, text: string): string[] {
  const words = normalizePhrase(text).split(' ').filter(Boolean);
  const [first] = words;
  const family = first === undefined ? undefined : map.get(first);
  if (!family || family.commands.has(words.join(' '))) return [];
  return words.every((w) => family.words.has(w)) ? [...family.commands] : [];
}
