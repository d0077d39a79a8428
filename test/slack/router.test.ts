import { describe, expect, test } from 'vitest';
import type { AppDeps } from '../../src/slack/deps';
import type { Feature, Subcommand } from '../../src/slack/feature';
import { normalizeCommandText, routeCommand, searchableText } from '../../src/slack/router';

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

  test("a search reads what is wrong, not who is meant: Slack's mentions dropped, a link's target kept", () => {
    const search = (text: string) => searchableText(normalizeCommandText(text));
    expect(search('&lt;!here&gt; prod is down &lt;https://evil.example/a|click&gt;')).toBe(
      'prod is down https://evil.example/a',
    );
    expect(search('<@U012AB3CD|alice> <#C0INC|incidents> <!subteam^S0ONCALL|@oncall> token expired')).toBe(
      'token expired',
    );
    expect(search('@channel token expired since <!date^1700000000^{date}|Nov 14th>, @herewego')).toBe(
      'token expired since Nov 14th, @herewego',
    );
    expect(search('<!channel> <!everyone|everyone> <mailto:a@b.example|mail> api 5xx')).toBe(
      'mailto:a@b.example api 5xx',
    );
    // Nothing but mentions: left for the search to find nothing in.
    expect(search('<@U012AB3CD>')).toBe('<@U012AB3CD>');
  });

  test('text is normalised: whitespace collapsed, Slack entities decoded once', () => {
    expect(normalizeCommandText('  a\n\tb  &lt;!here&gt; &amp;amp; ')).toBe('a b <!here> &amp;');
  });
});
