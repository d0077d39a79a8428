/**
 * What the search learns from runbooks/phrasings.json (compile/learn.ts → search/learned.ts → engine.ts):
 * the model itself, the file's checks, and the real runbooks' search with and without it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources, readPhrasings } from '../../../src/runbooks/compile/compile';
import {
  learnFrom,
  learnPhrasings,
  type Phrasings,
  parsePhrasings,
  LEARN_SETTINGS as SETTINGS,
  UNKNOWN_SECTION,
} from '../../../src/runbooks/compile/learn';
import type { Artifact } from '../../../src/runbooks/model/model';
import { TableBytes } from '../../../src/runbooks/model/text-table';
import { learnedModel, NOT_OURS, queryFeatures } from '../../../src/runbooks/search/learned';
import { createSearch } from '../../../src/runbooks/search/search';
import { loadRankingArtifact, loadTestArtifact, RUNBOOKS_DIR } from '../../helpers/artifact';

const group = (words: string, alternatives: string[][] = []) => ({ words: words.split(' '), alternatives });

describe('queryFeatures', () => {
  it('is each word, each synonym word marked ~, and each pair of neighbouring groups', () => {
    expect(queryFeatures([group('dns', [['route', '53']]), group('down')])).toEqual([
      'dns',
      '~route',
      '~53',
      'down',
      'dns|down',
    ]);
  });
});

describe('learnedModel', () => {
  const cases = [
    { features: ['kicked', 'login', 'kicked|login'], answers: ['A.md#token-expired'] },
    { features: ['kicked', 'out', 'kicked|out'], answers: ['A.md#token-expired'] },
    { features: ['login', 'slow'], answers: ['A.md#slow'] },
    { features: ['slow', 'spinner'], answers: ['A.md#slow'] },
    { features: ['lift', 'stuck'], answers: [] },
    { features: ['lift', 'broken'], answers: [] },
  ];

  it('finds the class people asking with the same words were answered by, and not-ours for the others', () => {
    const m = learnedModel(learnFrom(cases, { ...SETTINGS, minCount: 1 }));
    const best = (f: string[]) => {
      const p = m.probabilities(f);
      return m.classes[p.indexOf(Math.max(...p))];
    };
    expect(best(['kicked', 'login'])).toBe('A.md#token-expired');
    expect(best(['slow', 'spinner'])).toBe('A.md#slow');
    expect(best(['lift'])).toBe(NOT_OURS);
    const p = m.probabilities(['kicked']);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('counts no feature seen fewer than minCount times, and a query of only those is the prior', () => {
    const data = learnFrom(cases, { ...SETTINGS, minCount: 2 });
    expect(data.table.split('\n').map((l) => l.split('\t')[0])).toEqual(['kicked', 'lift', 'login', 'slow']);
    const m = learnedModel(data);
    expect([...m.probabilities(['spinner', 'unheard-of'])]).toEqual([...m.probabilities([])]);
    expect(data.learnedFrom).toEqual({ asked: 4, notOurs: 2 });
  });

  it('writes a feature beyond ASCII as the text tables do, and finds it, as text and as bytes', () => {
    // "são paulo", "café": a word of a query learned whole; its table stays ASCII (a split file searched as
    // bytes, held one byte a character), and the model reads the word back as asked.
    const data = learnFrom(
      [
        { features: ['são', 'café', 'x\\y'], answers: ['A'] },
        { features: ['são', 'café', 'x\\y'], answers: ['A'] },
        { features: ['slow'], answers: [] },
        { features: ['slow'], answers: [] },
      ],
      { ...SETTINGS, minCount: 1 },
    );
    expect(data.table).toMatch(/^[\x00-\x7f]*$/);
    for (const table of [data.table, new TableBytes(Buffer.from(data.table))]) {
      const m = learnedModel({ ...data, table });
      const a = m.classes.indexOf('A');
      expect(m.probabilities(['são'])[a]).toBeGreaterThan(m.probabilities(['slow'])[a]!);
      expect(m.saidByOurs('café')).toBe(true);
      expect(m.saidByOurs('x\\y')).toBe(true);
      expect(m.saidByOurs('sao')).toBe(false);
    }
  });

  it('splits a query with two answers between them', () => {
    const data = learnFrom([{ features: ['x', 'x'], answers: ['A', 'B'] }], { ...SETTINGS, minCount: 1 });
    expect(data.counts).toEqual([0.5, 0.5]);
    expect(data.table).toBe('x\t0:1 1:1');
  });
});

describe('the phrasings file', () => {
  it('refuses a file that is not one, saying what it expected', () => {
    expect(() => parsePhrasings('[]')).toThrow(/"inScope"/);
    expect(() => parsePhrasings('{"inScope":[{"q":"x"}],"outOfScope":[]}')).toThrow(/inScope\[0\]/);
    expect(() => parsePhrasings('{"inScope":[{"q":"x","expect":[1]}],"outOfScope":[]}')).toThrow(
      /section ids/,
    );
    expect(() => parsePhrasings('{"inScope":[],"outOfScope":[{}]}')).toThrow(/outOfScope\[0\]/);
    expect(parsePhrasings('{"inScope":[],"outOfScope":[]}')).toEqual({ inScope: [], outOfScope: [] });
  });

  it('reports a query naming a section the runbooks do not have (a heading renamed), learned as asked of none', async () => {
    const source =
      '# Ops\n\n## Token expired\n\nUsers are signed out.\n\n## Disk full\n\nThe disk is full.\n';
    const artifact = await compileRunbookSources([{ file: 'OPS.md', source }], { skipTrees: true });
    const phrasings: Phrasings = {
      inScope: [
        { q: 'kicked out again', expect: ['OPS.md#token-expired'] },
        { q: 'kicked out again', expect: ['OPS.md#session-invalid'] },
      ],
      outOfScope: [{ q: 'order pizza' }],
    };
    const { learned, stale } = learnPhrasings(phrasings, artifact.search);
    expect(stale).toEqual([{ q: 'kicked out again', id: 'OPS.md#session-invalid' }]);
    // Still asked of the runbooks (so not "not ours"), of no section they have.
    expect(learned.classes).toEqual(['OPS.md#token-expired', UNKNOWN_SECTION, NOT_OURS]);
    expect(learned.learnedFrom).toEqual({ asked: 2, notOurs: 1 });
  });
});

describe('the real runbooks, with and without what they learned', () => {
  let full: Artifact;
  let alone: Artifact;
  beforeAll(async () => {
    full = await loadTestArtifact();
    alone = await loadRankingArtifact();
  });
  const first = (a: Artifact, q: string) => createSearch(a).search(q).results[0]?.section.id;

  it('compiles runbooks/phrasings.json into the artifact', async () => {
    const phrasings = await readPhrasings(RUNBOOKS_DIR);
    expect(phrasings?.inScope.length).toBeGreaterThan(6000);
    expect(full.search.learned?.learnedFrom.asked).toBeGreaterThan(6000);
    expect(full.search.learned?.learnedFrom.notOurs).toBe(phrasings?.outOfScope.length);
  });

  it('answers as people were answered where the ranking alone picks a neighbour', () => {
    const q = 'gen is borked, spins forever then dies';
    expect(first(alone, q)).toBe('TROUBLESHOOTING.md#slow-generation--model-latency');
    expect(first(full, q)).toBe('TROUBLESHOOTING.md#generation-timeout--bedrock-throttling');
  });

  it('says no good match to a question like those that were none of the runbooks business', () => {
    const q = 'the lift is stuck on the second floor';
    expect(createSearch(alone).search(q).confident).toBe(true);
    const r = createSearch(full).search(q);
    expect(r.confident).toBe(false);
    expect(r.results).toEqual([]);
    expect(r.suggestions.length).toBeGreaterThan(0);
  });
});
