/**
 * Found in a review (helper-216): the learned layer (runbooks/phrasings.json → compile/learn.ts →
 * search/learned.ts → engine.ts learnedOrder): on-call questions the ranking alone (loadRankingArtifact)
 * answered right and the learned layer now answers wrong or withdraws; a phrasings file whose in-scope
 * queries all went stale; an artifact's staleness check that ignores phrasings.json; the split artifact.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { learnPhrasings, type Phrasings } from '../../../src/runbooks/compile/learn';
import { staleBeside } from '../../../src/runbooks/model/artifact';
import type { Artifact } from '../../../src/runbooks/model/model';
import { readRunbookSources } from '../../../src/runbooks/model/source-hash';
import { createSearch } from '../../../src/runbooks/search/search';
import {
  loadRankingArtifact,
  loadTestArtifact,
  openSplitInMemory,
  RUNBOOKS_DIR,
} from '../../helpers/artifact';

let full: Artifact;
let alone: Artifact;
beforeAll(async () => {
  full = await loadTestArtifact();
  alone = await loadRankingArtifact();
});
const first = (a: Artifact, q: string) => createSearch(a).search(q).results[0]?.section.id;

describe('learned layer: DR and rollback questions the ranking alone answered right', () => {
  it('"run the DR failover" is answered with the failover procedure, not the quarterly drills', () => {
    const q = 'run the DR failover';
    expect(first(alone, q)).toBe('DR_FAILOVER.md#failover-procedure');
    // Was: the learned layer moves the drill schedule to the top during a real failover.
    expect(first(full, q)).toBe('DR_FAILOVER.md#failover-procedure');
  });

  it('"fail over to eu-west-1 now" is answered with the failover procedure', () => {
    const q = 'fail over to eu-west-1 now';
    expect(first(alone, q)).toBe('DR_FAILOVER.md#failover-procedure');
    expect(first(full, q)).toBe('DR_FAILOVER.md#failover-procedure');
  });

  it('"how long does a failover take" is still answered (not withdrawn as no good match)', () => {
    const q = 'how long does a failover take';
    expect(createSearch(alone).search(q).confident).toBe(true);
    const r = createSearch(full).search(q);
    expect(r.confident).toBe(true);
    expect(r.results[0]?.section.file).toBe('DR_FAILOVER.md');
  });

  it('"rollback after failed deploy" is answered with Rollback', () => {
    const q = 'rollback after failed deploy';
    expect(first(alone, q)).toBe('DEPLOYMENT.md#rollback');
    expect(first(full, q)).toBe('DEPLOYMENT.md#rollback');
  });
});

describe('learned layer: a phrasings.json whose in-scope queries no longer name a section', () => {
  it('does not withdraw every confident answer (a runbook renamed leaves only out-of-scope queries)', () => {
    // DR_FAILOVER.md renamed to DR.md: every in-scope id is stale (lint names them, the build passes).
    const phrasings: Phrasings = {
      inScope: [
        { q: 'how do I fail over to DR', expect: ['DR.md#failover-procedure'] },
        { q: 'fail back to cape town', expect: ['DR.md#failback-procedure'] },
      ],
      outOfScope: [{ q: 'order pizza for the team' }, { q: 'the lift is stuck' }],
    };
    const learned = learnPhrasings(phrasings, alone.search).learned;
    const artifact = { ...alone, search: { ...alone.search, learned } };
    for (const q of ['how do I fail over to DR', 'failback procedure', 'how do I roll back a deploy']) {
      expect(createSearch(alone).search(q).confident).toBe(true);
      // Was: 'not ours' is the only class, so its probability is 1 for every query: all withdrawn.
      expect(createSearch(artifact).search(q).confident, q).toBe(true);
    }
  });
});

describe('learned layer: the artifact built from phrasings.json', () => {
  it('is stale beside runbooks whose phrasings.json changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phrasings-stale-'));
    try {
      for (const { file } of await readRunbookSources(RUNBOOKS_DIR))
        await cp(join(RUNBOOKS_DIR, file), join(dir, file));
      await cp(join(RUNBOOKS_DIR, 'phrasings.json'), join(dir, 'phrasings.json'));
      expect(await staleBeside(full, dir)).toBe(false);
      // What the search learned is removed (a wrong teaching reverted): the running artifact still has it.
      await writeFile(join(dir, 'phrasings.json'), '{"inScope":[],"outOfScope":[]}');
      // Was: sourceHash (model/source-hash.ts) covers the *.md files only.
      expect(await staleBeside(full, dir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers in the split form (the Lambda bundle) as the whole artifact does (coverage; passes)', () => {
    const { opened } = openSplitInMemory(full);
    expect(opened.search.learned?.learnedFrom).toEqual(full.search.learned?.learnedFrom);
    for (const q of ['gen is borked, spins forever then dies', 'the lift is stuck on the second floor']) {
      const a = createSearch(full).search(q);
      const b = createSearch(opened).search(q);
      expect(b.confident).toBe(a.confident);
      expect(b.results.map((r) => r.section.id)).toEqual(a.results.map((r) => r.section.id));
    }
  });
});
