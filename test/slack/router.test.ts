import { describe, expect, test } from 'vitest';
import type { AppDeps } from '../../src/slack/deps';
import type { Feature, Subcommand } from '../../src/slack/feature';
import { normalizeCommandText, routeCommand } from '../../src/slack/router';

const sub = (names: string[]): Subcommand => ({
  names,
  usage: names[0]!,
  summary: '',
  run: async () => undefined,
});
const list = sub(['list', 'ls']);
const drill = sub(['drill']);
const drillFailover = sub(['drill failover']);
const claimed = async () => undefined;
const features: Feature[] = [
  { id: 'a', subcommands: [list, drill] },
  {
    id: 'b',
    subcommands: [drillFailover],
    claimText: (t) => (t.toLowerCase().startsWith('failover') ? claimed : null),
  },
];
const deps = {} as AppDeps;

describe('routeCommand', () => {
  test('subcommands match whole words, case-insensitively, with the rest as args', () => {
    expect(routeCommand('LS  deployment', features, deps)).toMatchObject({
      kind: 'subcommand',
      subcommand: list,
      args: 'deployment',
    });
    expect(routeCommand('list', features, deps)).toMatchObject({
      kind: 'subcommand',
      subcommand: list,
      args: '',
    });
    expect(routeCommand('listing things', features, deps)).toEqual({
      kind: 'search',
      query: 'listing things',
    });
  });

  test('the longest name wins', () => {
    expect(routeCommand('drill failover now', features, deps)).toMatchObject({
      subcommand: drillFailover,
      args: 'now',
    });
    expect(routeCommand('drill failback', features, deps)).toMatchObject({
      subcommand: drill,
      args: 'failback',
    });
  });

  test('claimed text before search; anything else is a search', () => {
    expect(routeCommand('Failover to DR', features, deps)).toEqual({
      kind: 'claimed',
      featureId: 'b',
      run: claimed,
    });
    expect(routeCommand('token expired', features, deps)).toEqual({ kind: 'search', query: 'token expired' });
  });

  test('text is normalised: whitespace collapsed, Slack entities decoded once', () => {
    expect(normalizeCommandText('  a\n\tb  &lt;!here&gt; &amp;amp; ')).toBe('a b <!here> &amp;');
  });
});
