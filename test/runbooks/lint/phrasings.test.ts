import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPhrasings } from '../../../src/runbooks/lint/phrasings';
import type { Section } from '../../../src/runbooks/model/model';
import { loadTestArtifact, RUNBOOKS_DIR } from '../../helpers/artifact';
import { tempDir } from '../../helpers/temp';

const sections = (...ids: string[]) => ids.map((id) => ({ id }) as Section);

describe('runbook lint: phrasings.json', () => {
  it('names each query whose section no longer exists, at its line', async () => {
    const dir = tempDir('phrasings-');
    writeFileSync(
      join(dir, 'phrasings.json'),
      `{
  "inScope": [
    {
      "q": "users kicked out",
      "expect": ["OPS.md#token-expired"]
    },
    {
      "q": "kicked out after failover",
      "expect": ["OPS.md#session-invalid", "OPS.md#token-expired"]
    }
  ],
  "outOfScope": [{ "q": "order pizza" }]
}
`,
    );
    const issues = await checkPhrasings(dir, sections('OPS.md#token-expired'));
    expect(issues.map((i) => `${i.file.split('/').pop()}:${i.line}: ${i.message}`)).toEqual([
      'phrasings.json:8: "kicked out after failover" is answered by OPS.md#session-invalid, which no section is (a heading renamed or removed?): name the section it is now, or remove the query',
    ]);
  });

  it('says a file that is not a phrasings file is not one; no file is no finding', async () => {
    const dir = tempDir('phrasings-');
    expect(await checkPhrasings(dir, sections('A.md#a'))).toEqual([]);
    writeFileSync(join(dir, 'phrasings.json'), '{"inScope": {}}');
    const issues = await checkPhrasings(dir, sections('A.md#a'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/^not a phrasings file: expected/),
    });
  });

  it('finds nothing wrong with the real runbooks phrasings.json', async () => {
    const artifact = await loadTestArtifact();
    expect(await checkPhrasings(RUNBOOKS_DIR, artifact.sections)).toEqual([]);
  });
});
