import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import type { Artifact } from '../../../src/runbooks/model/model';
import { cleanQuery, MAX_QUERY_CHARS, prepareQuery } from '../../../src/runbooks/search/query';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadTestArtifact, REPO_ROOT } from '../../helpers/artifact';
import { FIXTURES } from '../fixtures';

let artifact: Artifact;
let search: RunbookSearch;
beforeAll(async () => {
  artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
  // Through JSON, as the bot loads it.
  search = createSearch(JSON.parse(JSON.stringify(artifact)) as Artifact);
});

const SEARCH_DIR = join(REPO_ROOT, 'src', 'runbooks', 'search');
const top = (q: string) => search.search(q).results[0]?.section.id;

describe('query normalisation', () => {
  it('lower-cases, drops punctuation and stop words, and attaches synonyms as data', () => {
    const q = prepareQuery('Why is my JWT expired?!', {
      synonyms: { jwt: 'token, id token' },
      stopWords: ['why', 'is', 'my'],
    });
    expect(q.normalized).toBe('jwt expired');
    expect(q.groups).toEqual([
      {
        word: 'jwt',
        words: ['jwt'],
        alternatives: [['token'], ['id', 'token']],
        sameAs: [],
        idiom: false,
        code: false,
      },
      { word: 'expired', words: ['expired'], alternatives: [], sameAs: [], idiom: false, code: false },
    ]);
  });

  it('makes an idiom from the synonym table one group, and splits hyphenated words', () => {
    const vocabulary = { synonyms: { 'too many requests': 'throttling, 429' }, stopWords: ['too', 'of'] };
    expect(prepareQuery('too many requests of post-deploy', vocabulary).groups).toEqual([
      {
        word: 'many requests',
        words: ['many', 'requests'],
        alternatives: [['throttling'], ['429']],
        sameAs: [],
        idiom: true,
        code: false,
      },
      {
        word: 'post-deploy',
        words: ['post-deploy'],
        alternatives: [['post', 'deploy']],
        sameAs: [],
        idiom: false,
        code: false,
      },
    ]);
  });

  it('has nothing to search for in stop words alone', () => {
    expect(prepareQuery('the and of', { synonyms: {}, stopWords: ['the', 'and', 'of'] }).groups).toEqual([]);
  });

  it('keeps region names and hyphenated words whole, and reads quoted phrases', () => {
    const q = prepareQuery('fail over to eu-west-1 "Token expired"', { synonyms: {}, stopWords: ['to'] });
    expect(q.normalized).toBe('fail over eu-west-1 token expired');
    expect(q.phrases).toEqual(['token expired']);
  });

  it("reads a phrase in single quotes, straight or curly, but not an apostrophe's words", () => {
    const v = { synonyms: {}, stopWords: [] };
    expect(prepareQuery("users get 'Generation timeout', why", v).phrases).toEqual(['generation timeout']);
    expect(prepareQuery('it says \u2018Session invalid\u2019 again', v).phrases).toEqual(['session invalid']);
    expect(prepareQuery("don't reload the users' sites, it's fine", v).phrases).toEqual([]);
  });

  it('strips control characters and caps the length', () => {
    // The terminal colour code goes with the escape that starts it.
    expect(cleanQuery('token\u0000\u0007 expired\u001b[31m\u200b')).toBe('token expired');
    expect(cleanQuery('word '.repeat(2000)).length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  });

  it('ships the synonyms and stop words in the artifact', () => {
    expect(artifact.search.synonyms['jwt']).toBe('token');
    expect(artifact.search.synonyms['dns']).toBe('route 53');
    expect(artifact.search.synonyms['429']).toContain('throttling');
    expect(artifact.search.stopWords).toContain('the');
  });
});

describe('search', () => {
  it('finds a symptom by its exact error message, quoted or not', () => {
    expect(top('"Token expired"')).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(top('Generation timeout')).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
  });

  it('uses synonyms (jwt → token, 429 → throttling)', () => {
    expect(top('jwt keeps expiring')).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(top('getting 429s')).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
  });

  it('tolerates typos', () => {
    expect(top('tokn expird')).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(top('bedrok throtling')).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
  });

  it('prefers the symptom heading over its Fix sub-heading, unless the Fix is asked for', () => {
    expect(top('refresh token validity')).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(top('token expired verify')).toBe('TROUBLESHOOTING.md#verify');
  });

  it('answers nonsense with "no good match" and suggestions, not a random section', () => {
    for (const q of ['qwxz vbnm plok', 'zzzzzzzz', 'purple elephant banana']) {
      const r = search.search(q);
      expect(r.confident, q).toBe(false);
      expect(r.results, q).toEqual([]);
    }
  });

  it('returns the full heading path, scores best first between 0 and 1, and honours the limit', () => {
    const r = search.search('failover', { limit: 2 });
    expect(r.results).toHaveLength(2);
    expect(r.results[0]!.section.headings).toEqual(['Failover procedure']);
    const scores = r.results.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it('survives a 10,000-character query, control characters and an empty one', () => {
    const long = search.search(`token expired ${'x'.repeat(10_000)}`);
    expect(long.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(long.results[0]?.section.id).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    const controls = search.search('\u0000token\u0008 \u001bexpired\u007f');
    expect(controls.query).toBe('token expired');
    expect(controls.results[0]?.section.id).toBe('TROUBLESHOOTING.md#token-expired--cognito-refresh');
    expect(search.search('   ')).toMatchObject({ query: '', results: [], confident: false });
    expect(search.search('!!! ???').results).toEqual([]);
  });

  it('ships a prebuilt inverted index: sorted terms, delta-encoded postings, no document text', () => {
    const { terms, postings, ids, norms, lengths } = artifact.search;
    expect(terms).toEqual([...terms].sort((a, b) => (a < b ? -1 : 1)));
    expect(postings).toHaveLength(terms.length);
    expect(norms).toHaveLength(ids.length * 5);
    expect(lengths).toHaveLength(ids.length);
    expect(artifact.search).not.toHaveProperty('docs');
    // `token` is in the Token expired symptom's title (bit 0) and searchable from its document.
    const p = postings[terms.indexOf('token')]!;
    let doc = 0;
    const docs = new Map<string, number>();
    for (let i = 0; i < p.length; i += 2) {
      doc += p[i]!;
      docs.set(ids[doc]!, p[i + 1]!);
    }
    expect((docs.get('TROUBLESHOOTING.md#token-expired--cognito-refresh') ?? 0) & 1).toBe(1);
  });

  it('answers the same after other queries (reused buffers are cleared between queries)', () => {
    const first = search.search('refresh token validity').results.map((r) => [r.section.id, r.score]);
    search.search('failover');
    search.search('bedrok throtling 429');
    expect(search.search('refresh token validity').results.map((r) => [r.section.id, r.score])).toEqual(
      first,
    );
  });

  it('does not load marked at run time, and loads the fuzzy index prebuilt (Fuse.parseIndex)', () => {
    // search.ts is the engine (engine.ts) with fuse.js (fuzzy.ts); lazy.ts the bot's.
    const source = ['search', 'engine', 'fuzzy', 'lazy']
      .map((f) => readFileSync(join(SEARCH_DIR, `${f}.ts`), 'utf8'))
      .join('\n');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).not.toContain('marked');
    expect(source).toContain('Fuse.parseIndex');
    expect(source).not.toContain('Fuse.createIndex');
    for (const local of imports.filter((i) => i?.startsWith('./'))) {
      const dep = readFileSync(join(SEARCH_DIR, `${local}.ts`), 'utf8');
      expect(dep, local).not.toMatch(/from 'marked'/);
    }
  });
});

describe('typos go through fuse.js over the runbooks vocabulary', () => {
  it('finds the symptom for mistyped words the runbooks do not contain', async () => {
    const artifact = await loadTestArtifact();
    const search = createSearch(artifact);
    for (const word of ['expird', 'tokn', 'throtling']) expect(artifact.search.terms).not.toContain(word);
    expect(search.search('tokn expird').results[0]?.section.id).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
    expect(search.search('bedrock throtling').results[0]?.section.id).toBe(
      'TROUBLESHOOTING.md#generation-timeout--bedrock-throttling',
    );
  });
});
