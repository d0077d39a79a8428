/**
 * Symptoms in plain words and HTTP statuses (issue 20): chat shorthand and inflected idioms read as meant,
 * symptom concepts and status classes compiled from data and the runbooks, and the stronger match a
 * question made of everyday words needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { buildSynonyms, withStatusClass } from '../../../src/runbooks/compile/terms/index';
import { SYMPTOM_CONCEPTS } from '../../../src/runbooks/compile/terms/symptoms';
import type { Artifact } from '../../../src/runbooks/model/model';
import { prepareQuery, synonymStemTable } from '../../../src/runbooks/search/query';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadTestArtifact } from '../../helpers/artifact';

let artifact: Artifact;
let search: RunbookSearch;
beforeAll(async () => {
  artifact = await loadTestArtifact();
  search = createSearch(artifact);
});

const words = (q: string, synonyms: Record<string, string> = {}, shorthand?: Record<string, string>) =>
  prepareQuery(q, {
    synonyms,
    stopWords: [
      'the',
      'to',
      'in',
      'for',
      'keep',
      'getting',
      'people',
      'doesnt',
      'work',
      'still',
      'see',
      'of',
    ],
    ...(shorthand ? { shorthand } : {}),
  }).groups.map((g) => g.word);

/** The query's word groups with the compiled runbooks' vocabulary (synonyms, stop words, shorthand). */
const asTheRunbooksRead = (q: string) => {
  const { synonyms, stopWords, shorthand } = artifact.search;
  return prepareQuery(q, { synonyms, stopWords, ...(shorthand ? { shorthand } : {}) }).groups;
};

describe('a typed query, read as meant', () => {
  it('writes chat shorthand out and puts a dropped g back where that makes a stop word', () => {
    expect(words('ppl keep gettin logged out', {}, { ppl: 'people' })).toEqual(['logged', 'out']);
    // Not a shorthand, and no stop word with a g: left as typed.
    expect(words('the plugin is loadin')).toEqual(['plugin', 'is', 'loadin']);
  });

  it("writes out a question word typed without its apostrophe (whos, wheres, hows), as the runbooks' vocabulary has it", () => {
    const read = asTheRunbooksRead('whos sending the failover email, wheres the notice, hows the switch').map(
      (g) => g.word,
    );
    for (const typed of ['whos', 'wheres', 'hows']) expect(read).not.toContain(typed);
    expect(read).toEqual(expect.arrayContaining(['failover', 'notice', 'switch']));
  });

  it('writes out ack, acks and distro (acknowledge, distribution)', () => {
    const read = asTheRunbooksRead('who acks the page, and which distro is it').map((g) => g.word);
    expect(read).toEqual(expect.arrayContaining(['acknowledges', 'distribution']));
  });

  it('drops a filler written out as nothing (thx, fyi) and reads asap as urgent, a stop word', () => {
    expect(words('thx the api is down fyi', {}, { thx: '', fyi: '' })).toEqual(['api', 'is', 'down']);
    const read = asTheRunbooksRead('need the failback wording asap thx').map((g) => g.word);
    expect(read).toEqual(['failback', 'wording']);
  });

  it('reads planned work as maintenance, a baking canary as monitored, bouncing traffic as flapping (colloquial.ts)', () => {
    // "work" is a stop word: the idiom's group is named by its other word.
    const planned = asTheRunbooksRead('alarms during planned work tonight').find(
      (g) => g.idiom && g.word === 'planned',
    );
    expect(planned?.alternatives.map((a) => a.join(' '))).toContain('maintenance');
    // ... and a canary left baking as its monitoring.
    const baking = asTheRunbooksRead('canary baking 30 min').find((g) => g.word === 'baking');
    expect(baking?.alternatives.map((a) => a.join(' '))).toContain('monitoring');
    // ... and traffic bouncing between the regions as flapping.
    const bouncing = asTheRunbooksRead('api traffic keeps bouncing between the regions').find((g) => g.idiom);
    expect(bouncing?.alternatives.map((a) => a.join(' '))).toContain('flapping');
  });

  it('matches an idiom made only of stop words, inflected, or with stop words in between', () => {
    expect(words('it doesnt work', { 'doesnt work': 'failure' })).toEqual(['it', 'doesnt work']);
    // Inflected, the group stands for the idiom as the table writes it.
    expect(words('users signing out', { 'sign out': 'logged out' })).toEqual(['users', 'sign out']);
    expect(words('lots of server errors', { 'server error': '500' })).toEqual(['lots', 'server error']);
    expect(words('clear the cdn', { 'clear cdn': 'invalidate' })).toEqual(['clear cdn']);
    // Inflected and of stop words only: the group keeps the table's words, never none.
    const inflected = prepareQuery('visitors still getting the old page', {
      synonyms: { 'still get': 'stale' },
      stopWords: ['still', 'get', 'getting', 'the'],
    }).groups.find((g) => g.idiom);
    expect(inflected).toMatchObject({ word: 'still get', words: ['still', 'get'] });
    // ... and the real vocabulary ranks it instead of failing (batch 33: "his old token still gets 200s").
    for (const q of ['visitors are still getting the old page', 'his old token still gets 200s'])
      expect(search.search(q, { limit: 3 }).results.length, q).toBeGreaterThan(0);
    // Only an inflected phrase is read by its stem: `keep up` is not `keeping up`.
    expect(words('keep up the pace', { 'keeping up': 'replication' })).toEqual(['up', 'pace']);
    // A single word is not read as another by its stem (`calls` is not `call`).
    expect(
      prepareQuery('api calls', { synonyms: { call: 'contacts' }, stopWords: [] }).groups[1]?.alternatives,
    ).toEqual([]);
  });

  it('lets the longest idiom stand when two share a word', () => {
    const groups = words('post updates for customers', {
      'post updates': 'status page',
      'update customers': 'customer email',
    });
    expect(groups).toEqual(['post updates', 'customers']);
  });
});

describe('the vocabulary, compiled', () => {
  it('turns each symptom concept into synonyms of the runbooks’ words', () => {
    const synonyms = buildSynonyms({});
    for (const concept of SYMPTOM_CONCEPTS) {
      const first = concept.means.split(', ')[0] ?? '';
      for (const said of concept.said) expect(synonyms[said]?.split(', '), said).toContain(first);
    }
  });

  it('gives an HTTP status its class, when the runbooks name the class', () => {
    const synonyms = {
      '503': 'service unavailable',
      'service unavailable': '=503',
      '504': 'gateway timeout',
    };
    const used = (w: string) => w === '5xx' || w === '504';
    const out = withStatusClass(synonyms, used);
    expect(out['503']).toBe('service unavailable, 5xx');
    expect(out['503s']).toBe('5xx');
    expect(out['service unavailable']).toBe('=503, 5xx');
    // Named: its own words first, then the class (the thresholds are written for 5xx).
    expect(out['504']).toBe('gateway timeout, 5xx');
    expect(withStatusClass(synonyms, () => false)['503']).toBe('service unavailable');
  });

  it('ships the synonym stems, so a query reads inflected idioms as a hand-made vocabulary would', () => {
    const { synonyms, synonymStems } = artifact.search;
    expect(synonymStems).toEqual(synonymStemTable(synonyms));
    // Only the stems that do not name their own phrase: `signs out` → `sign out` is found in the table.
    expect(Object.keys(synonymStems ?? {}).length).toBeGreaterThan(0);
    for (const [stem, phrase] of Object.entries(synonymStems ?? {})) expect(stem).not.toBe(phrase);
    const stopWords = artifact.search.stopWords;
    for (const q of [
      'users keep signing out',
      'lots of server errors',
      'the state locked again',
      'cutting out',
    ]) {
      const built = prepareQuery(q, { synonyms, stopWords, synonymStems: synonymStems ?? {} }).groups;
      expect(built, q).toEqual(prepareQuery(q, { synonyms, stopWords }).groups);
      expect(
        built.some((g) => g.idiom),
        q,
      ).toBe(true);
    }
    // A phrase the table lacks never matches by its stem, with or without the shipped table.
    expect(
      prepareQuery('the state locked again', { synonyms: {}, stopWords, synonymStems: {} }).groups.some(
        (g) => g.idiom,
      ),
    ).toBe(false);
  });

  it('ships no shorthand that is a word of the runbooks', async () => {
    const source = '# Ops\n\n## Pager\n\nThe pg database pager rotates weekly.\n';
    const small = await compileRunbookSources([{ file: 'OPS.md', source }], { skipTrees: true });
    expect(small.search.shorthand?.['ppl']).toBe('people');
    expect(small.search.shorthand).not.toHaveProperty('pg');
  });
});

describe('an everyday-life subject named by a phrase', () => {
  const ops = (extra: string) =>
    compileRunbookSources(
      [
        {
          file: 'OPS.md',
          source: `# Ops\n\n## Release approvals\n\nApprove each release request; plan time for the review.${extra}\n`,
        },
      ],
      { skipTrees: true },
    ).then((a) => createSearch(a));

  it('is what the question is about, unless the answer holds its words', async () => {
    const small = await ops('');
    expect(small.search('approve my time off request').confident).toBe(false);
    expect(small.search('approve the release request').confident).toBe(true);
    const holds = await ops(' Releases are approved before anyone takes time off.');
    expect(holds.search('approve the time off request').confident).toBe(true);
    // The asker's own ("my time off"), as an owned word is ("my holiday"): the question is about it.
    expect(holds.search('approve my time off request').confident).toBe(false);
  });
});

describe('answers in plain words', () => {
  const top = (q: string) => {
    const r = search.search(q);
    return r.confident ? r.results[0]?.section.id : null;
  };

  it('finds the symptom people describe without the runbooks’ words', () => {
    expect(top('popup tells users to sign out and sign back in')).toBe(
      'TROUBLESHOOTING.md#session-invalid--logoutlogin',
    );
    expect(top('big multi page sites come out chopped off at the end')).toBe(
      'TROUBLESHOOTING.md#invalid-response--prompt-issues',
    );
    expect(top('generation dies partway through when people shut their laptop lid')).toBe(
      'TROUBLESHOOTING.md#connection-lost--sse-failures',
    );
    // Bursts at the start of the working day that calm down: cold starts (symptoms.ts).
    expect(top('timeouts on the api for half an hour after the offices open, then it calms down')).toBe(
      'TROUBLESHOOTING.md#api-timeout--lambda-cold-start',
    );
  });

  it('reads a status the runbooks never name as its class', () => {
    const r = search.search('503 from the api');
    expect(r.confident).toBe(true);
    // In its text or in the alarms that page for it (`api-5xx`: compile/search-index.ts).
    const section = r.results[0]?.section;
    expect(`${section?.text} ${section?.directives['alarms'] ?? ''}`).toMatch(/5xx/);
  });

  it('needs a stronger match for a question made only of everyday words, or of one subject', () => {
    for (const q of ['order new business cards', 'what time does the building close tonight']) {
      expect(search.search(q).confident, q).toBe(false);
    }
    expect(search.search('how do I set up my out of office reply').confident).toBe(false);
    // Fitness and leisure share "warm up", "drill", "bucket" and "keys" with the runbooks (terms/off-topic.ts).
    for (const q of [
      'how long should I warm up before a 10k race on sunday',
      'warm up routine for a marathon',
      'my bucket list for a long weekend away',
      'handing over the house keys to the new tenant on friday',
      // a device asked about for itself, or a Windows update on it, is still the subject
      'how do I get a new laptop from IT',
      'how to roll back a windows update on my work laptop',
      // a version or build between the phrase's words leaves it whole; a phone's flight mode is its own subject
      'undo the windows 10 update that broke my wifi',
      'roll back the windows 11 24h2 update',
      'how do I put my phone in aeroplane mode',
      // the weather, and web stacks other than ours (terms/off-topic.ts)
      'severity levels for tornadoes',
      'how do I invalidate the varnish cache',
      'roll back the rails migration',
      // another vendor's database or platform (terms/off-topic.ts otherPlatforms)
      'cosmos db failover to the secondary region, how do we trigger it',
      'cloud run revision stuck at 0 percent traffic after the canary',
    ]) {
      expect(search.search(q).confident, q).toBe(false);
    }
    // Everyday words that say the runbooks' own thing strongly still answer.
    // A version between the runbooks' own words is no everyday subject.
    expect(top('roll back v1.42.0 of the frontend')).toBe('DEPLOYMENT.md#rollback');
    expect(top('cold starts are killing us')).toBe('TROUBLESHOOTING.md#api-timeout--lambda-cold-start');
    expect(top('people keep getting signed out after about an hour')).toBe(
      'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    );
  });

  it('reads "define" and "explain" as how to answer, not as a subject the runbooks miss', () => {
    for (const q of ['define sev1', 'severity 2 definition'])
      expect(top(q), q).toBe('OPERATIONS.md#severity-levels');
    expect(top('explain the failover switch')).toBe('DR_FAILOVER.md#failover-switch');
    for (const q of [
      'define photosynthesis',
      'explain kubernetes to me',
      'definition of done for the sprint',
    ])
      expect(search.search(q).confident, q).toBe(false);
  });
});
