import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report';
import { startEmbeddedStore } from '../../src/store/dynalite';
import { testArtifactPath } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';

const dir = tempDir('runbook-report-');

describe('runbook report', () => {
  it('reads the store the bot writes (STORE_PATH, as the playground keeps it) and prints the report', async () => {
    const { store } = await startEmbeddedStore({ tableName: 'runbook-bot', path: dir });
    const at = new Date().toISOString();
    await store.recordFeedback({
      id: 'a',
      at,
      kind: 'no-match',
      query: 'banana phone',
      sectionId: null,
      shownId: null,
      user: 'U1',
    });
    await store.recordFeedback({
      id: 'b',
      at,
      kind: 'helpful',
      query: 'kicked out every hour',
      sectionId: 'TROUBLESHOOTING.md#token-expired--cognito-refresh',
      shownId: 'TROUBLESHOOTING.md#token-expired--cognito-refresh',
      user: 'U2',
    });
    await store.close();
    const chunks: string[] = [];
    const write = (s: string) => {
      chunks.push(s);
    };
    const code = await reportCommand(
      ['--artifact', await testArtifactPath(), '--days', '2'],
      { out: write, err: write, stdin: Readable.from([]) },
      { STORE_PATH: dir },
    );
    const out = chunks.join('');
    expect(code).toBe(0);
    expect(out).toContain('1× "banana phone"');
    expect(out).toContain('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(out).toMatch(/suggested hint: <!-- bot: keywords="[^"]*kicked[^"]*" -->/);
  });
});
