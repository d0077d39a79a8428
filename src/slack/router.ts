/**
 * Where `/runbook <text>` goes: a subcommand named by the first word(s), a feature that claims the text,
 * or search. Pure: no Slack calls, so it is tested without a receiver.
 */
import type { AppDeps } from './deps';
import type { CommandRunner, Feature, Subcommand } from './feature';
import { decodeSlackEntities } from './render/escape';

export type Route =
  | { kind: 'subcommand'; subcommand: Subcommand; name: string; args: string }
  | { kind: 'claimed'; featureId: string; run: CommandRunner }
  | { kind: 'search'; query: string };

/** Collapse whitespace and decode Slack's three entities: the text as the user typed it. */
export function normalizeCommandText(text: string): string {
  return decodeSlackEntities(text).replace(/\s+/g, ' ').trim();
}

export function routeCommand(rawText: string, features: readonly Feature[], deps: AppDeps): Route {
  const text = normalizeCommandText(rawText);
  const lower = text.toLowerCase();
  const named = matchSubcommand(lower, features);
  if (named) {
    return {
      kind: 'subcommand',
      subcommand: named.subcommand,
      name: named.name,
      args: text.slice(named.name.length).trim(),
    };
  }
  for (const feature of features) {
    const run = feature.claimText?.(text, deps);
    if (run) return { kind: 'claimed', featureId: feature.id, run };
  }
  return { kind: 'search', query: text };
}

// Slack's markup in typed text (https://docs.slack.dev/messaging/formatting-message-text): people,
// channels, groups and broadcasts, links, dates.
const MENTION = /<[@#][A-Z0-9]+(?:\|[^>]*)?>/g;
const BROADCAST = /<!(?:here|channel|everyone|subteam\^[A-Z0-9]+)(?:\|[^>]*)?>/g;
const DATE = /<!date\^[^|>]*\|([^>]*)>/g;
const LINK = /<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>/g;
/** `@here` typed as text (the command's text is not escaped by Slack, manifest.yml `should_escape: false`). */
const TYPED_BROADCAST = /(^|\s)@(?:here|channel|everyone)(?![\w-])/gi;

/**
 * What a search reads of command text: a mention of a person, channel or group, or a broadcast, says who
 * is meant, not what is wrong ("<!here> prod is down" is about "prod is down"), so it is dropped; a link
 * keeps its target, which the pasted-line reducer reads as its host's and path's words (a label such as
 * "click" says nothing); a date keeps the text Slack shows. Text that is nothing but mentions stays as it
 * was, for the search to say it found nothing.
 */
export function searchableText(text: string): string {
  const plain = text
    .replace(MENTION, ' ')
    .replace(BROADCAST, ' ')
    .replace(DATE, (_, shown: string) => shown)
    .replace(LINK, (_, url: string) => ` ${url} `)
    .replace(TYPED_BROADCAST, '$1 ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain || text;
}

/** Longest name wins, so `drill failover` beats `drill`; a name matches whole words only. */
function matchSubcommand(
  lower: string,
  features: readonly Feature[],
): { subcommand: Subcommand; name: string } | null {
  let best: { subcommand: Subcommand; name: string } | null = null;
  for (const feature of features) {
    for (const subcommand of feature.subcommands ?? []) {
      for (const name of namesOf(subcommand)) {
        // `lower` is the name, or the name and a space: no string made per name and command.
        const whole =
          lower.startsWith(name) && (lower.length === name.length || lower.charCodeAt(name.length) === 32);
        if (whole && (!best || name.length > best.name.length)) best = { subcommand, name };
      }
    }
  }
  return best;
}

// A subcommand's names as they are matched, normalized once per subcommand (not on every command).
const normalizedNames = new WeakMap<Subcommand, { names: readonly string[]; from: readonly string[] }>();
function namesOf(subcommand: Subcommand): readonly string[] {
  const known = normalizedNames.get(subcommand);
  // Keyed by the names array too, should a subcommand object be given new names.
  if (known && known.from === subcommand.names) return known.names;
  const names = subcommand.names.map((n) => normalizeCommandText(n).toLowerCase());
  normalizedNames.set(subcommand, { names, from: subcommand.names });
  return names;
}
