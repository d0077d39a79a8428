/**
 * The synonym table and its stems in files of their own beside the split index (`synonyms.txt`,
 * `synonym-stems.txt`, model/split.ts), sorted text read in place (model/text-table.ts): not in the index the
 * cold start parses, read once on the first search, the very records of the whole artifact to every reader.
 */
import { describe, expect, it } from 'vitest';
import { SplitArtifactError } from '../../../src/runbooks/model/split';
import { createLazySearch } from '../../../src/runbooks/search/lazy';
import { createSearch } from '../../../src/runbooks/search/search';
import { filterContacts } from '../../../src/slack/render/contacts';
import { openTestSplit } from '../../helpers/artifact';

describe('the synonym tables of a split artifact', () => {
  it('are files of their own, not in the index, read once by the first search', async () => {
    const { whole, index, opened: artifact, reads } = await openTestSplit();
    expect(index.files.synonyms).toBe('synonyms.txt');
    expect(index.files.synonymStems).toBe('synonym-stems.txt');
    const json = JSON.stringify(index);
    expect(json).not.toContain('"synonyms":{');
    expect(json).not.toContain('"synonymStems":{');
    // Something a query is known to need from the table: a city for a region.
    expect(Object.hasOwn(whole.search.synonyms, 'ireland')).toBe(true);
    expect(json).not.toContain('"ireland"');
    expect(reads).not.toContain('synonyms.txt');
    const search = createLazySearch(artifact);
    await search.prepare?.('token expired');
    expect(search.search('token expired').confident).toBe(true);
    expect(search.search('is the replica in ireland serving').results.length).toBeGreaterThan(0);
    expect(reads.filter((r) => r === 'synonyms.txt')).toHaveLength(1);
    expect(reads.filter((r) => r === 'synonym-stems.txt').length).toBeLessThanOrEqual(1);
  });

  it('read as the whole artifact’s records, entry for entry', async () => {
    const { whole, opened: artifact } = await openTestSplit();
    const stems = whole.search.synonymStems;
    expect(stems).toBeDefined();
    expect(Object.keys(artifact.search.synonyms).sort()).toEqual(Object.keys(whole.search.synonyms).sort());
    // The runbooks' one name beyond ASCII, read back as written.
    expect(artifact.search.synonyms['são paulo']).toBe(whole.search.synonyms['são paulo']);
    for (const [key, value] of Object.entries(whole.search.synonyms)) {
      expect(Object.hasOwn(artifact.search.synonyms, key)).toBe(true);
      expect(artifact.search.synonyms[key]).toBe(value);
    }
    expect({ ...artifact.search.synonymStems }).toEqual(stems);
  });

  it('give the answers and the contacts the whole artifact gives', async () => {
    const { whole, opened: artifact } = await openTestSplit();
    const queries = [
      'the replica in ireland is behind',
      'cape town region down',
      'users keep getting signed out',
      'fail over to dublin',
      'switching back to primary',
      'LCP is 7 seconds',
      'too many requests from bedrock',
    ];
    const answers = (a: typeof whole) => {
      const s = createSearch(a);
      return queries.map((q) => s.search(q).results.map((r) => r.section.id));
    };
    expect(answers(artifact)).toEqual(answers(whole));
    const contacts = whole.contacts;
    for (const words of ['database', 'security', 'aws support', 'login'])
      expect(filterContacts(contacts, words, artifact.search.synonyms)).toEqual(
        filterContacts(contacts, words, whole.search.synonyms),
      );
  });

  it('a synonyms.txt cut short is refused naming the file when first read', async () => {
    const { opened: artifact } = await openTestSplit((files) => {
      const text = files['synonyms.txt'] as string;
      files['synonyms.txt'] = text.slice(0, text.lastIndexOf('\n'));
    });
    expect(() => artifact.search.synonyms).toThrow(SplitArtifactError);
    expect(() => artifact.search.synonyms).toThrow(/synonyms\.txt/);
  });
});
