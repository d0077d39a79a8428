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

/** Longest name wins, so `drill failover` beats `drill`; a name matches whole words only. */
function matchSubcommand(
  lower: string,
  features: readonly Feature[],
): { subcommand: Subcommand; name: string } | null {
  let best: { subcommand: Subcommand; name: string } | null = null;
  for (const feature of features) {
    for (const subcommand of feature.subcommands ?? []) {
      for (const name of namesOf(subcommand)) {
        const whole = lower === name || lower.startsWith(`${name} `);
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
