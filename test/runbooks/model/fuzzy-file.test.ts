/**
 * The typo matcher's index in a file of its own beside the split index (`fuzzy.json`, model/split.ts): a cold
 * start answering a query the runbooks know never reads it; the first query with a word they lack does, and
 * the answers are those of the whole artifact.
 */
import { describe, expect, it } from 'vitest';
import { hasTypoIndex, SplitArtifactError } from '../../../src/runbooks/model/split';
import { createLazySearch } from '../../../src/runbooks/search/lazy';
import { createSearch } from '../../../src/runbooks/search/search';
import { openTestSplit } from '../../helpers/artifact';

describe('the typo index of a split artifact', () => {
  it('is a file of its own, not in the index, and read only when a query has a word the runbooks lack', async () => {
    const { index, opened: artifact, reads } = await openTestSplit();
    expect(index.files.fuzzy).toBe('fuzzy.json');
    expect(JSON.stringify(index)).not.toContain('"fuzzy":{');
    expect(hasTypoIndex(artifact)).toBe(true);
    const search = createLazySearch(artifact);
    expect(search.prepare).toBeTypeOf('function');
    await search.prepare?.('token expired');
    expect(search.search('token expired').confident).toBe(true);
    expect(reads).not.toContain('fuzzy.json');
    // A typo: the matcher is loaded, and with it the file, once.
    await search.prepare?.('cognitio refresh token not working');
    expect(search.search('cognitio refresh token not working').results[0]?.section.id).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
    expect(reads.filter((r) => r === 'fuzzy.json')).toHaveLength(1);
  });

  it('answers typos as the whole artifact does', async () => {
    const { whole, opened: artifact } = await openTestSplit();
    const queries = ['cognitio refresh token not working', 'bedrok throtling', 'cloudfrnt invalidaton stuck'];
    const ids = (a: typeof whole) => {
      const s = createSearch(a);
      return queries.map((q) => s.search(q).results.map((r) => r.section.id));
    };
    expect(ids(artifact)).toEqual(ids(whole));
  });

  it('a fuzzy.json that is not the index is refused naming the file when first read', async () => {
    const { opened: artifact } = await openTestSplit((files) => {
      files['fuzzy.json'] = '{"nothing":1}';
    });
    expect(() => artifact.search.fuzzy).toThrow(SplitArtifactError);
    expect(() => artifact.search.fuzzy).toThrow(/fuzzy\.json/);
  });
});
