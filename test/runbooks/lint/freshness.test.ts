import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshnessWarnings } from '../../../src/runbooks/lint/freshness';
import { daysSinceReview, trustLines } from '../../../src/slack/render/trust';
import { tempDir } from '../../helpers/temp';

const NOW = new Date('2027-01-31T12:00:00Z');

describe('runbook freshness', () => {
  it('warns about a stale review, a missing hint and a bad date; a fresh runbook passes', async () => {
    const dir = tempDir('runbook-fresh-');
    writeFileSync(
      join(dir, 'FRESH.md'),
      '# Fresh\n<!-- bot: owner="@team" reviewed=2027-01-01 -->\n\nText.\n',
    );
    writeFileSync(
      join(dir, 'STALE.md'),
      '# Stale\n<!-- bot: owner="@team" reviewed=2026-01-01 -->\n\nText.\n',
    );
    writeFileSync(join(dir, 'BARE.md'), '# Bare\n\nText.\n');
    writeFileSync(join(dir, 'ODD.md'), '# Odd\n<!-- bot: owner="@team" reviewed=soon -->\n\nText.\n');
    const warnings = await freshnessWarnings(dir, { now: NOW, staleAfterDays: 180 });
    const text = warnings.map((w) => `${w.file.split('/').pop()}:${w.line}: ${w.message}`);
    expect(text).toEqual([
      'BARE.md:1: warning: no owner (add owner="@team" to the hint under the title)',
      'BARE.md:1: warning: no review date (add reviewed=YYYY-MM-DD to the hint under the title)',
      'ODD.md:2: warning: reviewed="soon" is not a date (YYYY-MM-DD)',
      expect.stringMatching(/^STALE\.md:2: warning: last reviewed 2026-01-01, 395 days ago \(more than 180/),
    ]);
  });
});

describe('an answer’s trust line', () => {
  it('names the owner, the review and the build, and warns past the configured age', () => {
    expect(daysSinceReview('2027-01-01', NOW)).toBe(30);
    expect(
      trustLines({
        runbook: { owner: '@team', reviewed: '2027-01-01' },
        commit: 'abc1234',
        staleAfterDays: 180,
        now: NOW,
      }),
    ).toEqual(['Owner @team · reviewed 2027-01-01 · build `abc1234`']);
    const stale = trustLines({
      runbook: { owner: '@team', reviewed: '2027-01-01' },
      commit: null,
      staleAfterDays: 10,
      now: NOW,
    });
    expect(stale[1]).toMatch(/^:warning: This runbook was last reviewed 30 days ago \(more than 10\)/);
    expect(trustLines({ runbook: undefined, commit: null, staleAfterDays: 10, now: NOW })[1]).toMatch(
      /has no review date/,
    );
  });
});
