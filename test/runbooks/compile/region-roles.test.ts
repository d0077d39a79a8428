/**
 * Region roles read from the runbooks (compile/region-roles.ts): which region is the primary and which the
 * standby, from the failover records or a table header's role notes, turned into synonyms both ways.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  namesOfRole,
  notedRoles,
  regionRoles,
  roleKeywords,
  withRegionRoles,
  withUnusedRegions,
} from '../../../src/runbooks/compile/region-roles';
import type { Artifact, FailoverRecord } from '../../../src/runbooks/model/model';
import { createSearch, type RunbookSearch } from '../../../src/runbooks/search/search';
import { loadTestArtifact } from '../../helpers/artifact';

const record = (region: string, failover: 'PRIMARY' | 'SECONDARY'): FailoverRecord => ({
  hostedZoneId: 'Z1',
  name: 'api.example.com',
  type: 'A',
  setIdentifier: `${region}-${failover}`,
  failover,
  region,
  healthCheckId: null,
  value: 'target',
});

const TABLE = [
  '| Layer | us-east-2 (active) | us-west-2 (warm standby) |',
  '|---|---|---|',
  '| API | all traffic | none |',
].join('\n');

describe('region roles from the runbooks', () => {
  it('reads role notes in table headers, and ignores unknown notes and plain cells', () => {
    expect([...notedRoles(TABLE)]).toEqual([
      ['us-east-2', 'primary'],
      ['us-west-2', 'standby'],
    ]);
    // As a section's text holds a table: no outer pipes.
    expect([
      ...notedRoles('Concern | af-south-1 (active) | eu-west-1 (warm standby)\nAPI | all | none'),
    ]).toEqual([
      ['af-south-1', 'primary'],
      ['eu-west-1', 'standby'],
    ]);
    expect(notedRoles('| Region | Notes |\n|---|---|\n| eu-west-1 | (standby) |').size).toBe(0);
    expect(notedRoles('| eu-west-1 (billing) | x |').size).toBe(0);
  });

  it('lets the failover records decide, and fills in from role notes', () => {
    const roles = regionRoles([record('eu-west-1', 'SECONDARY'), record('af-south-1', 'PRIMARY')], [TABLE]);
    expect(roles.get('af-south-1')).toBe('primary');
    expect(roles.get('eu-west-1')).toBe('standby');
    expect(roles.get('us-east-2')).toBe('primary');
    // A note never overrides a record.
    const swapped = regionRoles([record('us-west-2', 'PRIMARY')], [TABLE]);
    expect(swapped.get('us-west-2')).toBe('primary');
    expect(regionRoles([], []).size).toBe(0);
  });

  it('gives a table that states two roles the role words, and other sections nothing', () => {
    const words = roleKeywords(TABLE);
    for (const w of ['region roles', 'primary', 'secondary', 'dr region', 'standby'])
      expect(words).toContain(w);
    expect(roleKeywords('| Layer | us-east-2 (active) |\n|---|---|')).toBe('');
    expect(roleKeywords('no table here')).toBe('');
  });

  it('adds roles both ways: places mean their role, role phrases mean their regions', () => {
    const roles = regionRoles([record('us-east-2', 'PRIMARY'), record('us-west-2', 'SECONDARY')], []);
    const synonyms = withRegionRoles(
      { ohio: '=us-east-2', oregon: '=us-west-2', virginia: '=us-east-1' },
      roles,
    );
    expect(synonyms['ohio']).toContain('primary');
    expect(synonyms['oregon']).toContain('dr region');
    expect(synonyms['virginia']).toBe('=us-east-1');
    expect(synonyms['backup region']?.split(', ')).toEqual(expect.arrayContaining(['us-west-2', 'standby']));
    expect(synonyms['main region']?.split(', ')).toContain('us-east-2');
    // A lone role word is everyday English too: it means the role's words, never the region.
    expect(synonyms['standby']?.split(', ')).toEqual(['secondary']);
    expect(synonyms['us-east-2']).toContain('primary');
    // Idempotent on what is there already; no phrase twice.
    const twice = withRegionRoles(synonyms, roles);
    expect(twice['ohio']?.split(', ').filter((p) => p === 'primary')).toHaveLength(1);
    expect(namesOfRole(synonyms, roles, 'primary')).toEqual(
      expect.arrayContaining(['ohio', 'us-east-2', 'primary']),
    );
    expect(namesOfRole(synonyms, roles, 'primary')).not.toContain('oregon');
  });

  it('points codes and places of regions the runbooks never use at the table of roles, never continents', () => {
    const synonyms = {
      'eu-central-1': 'frankfurt, germany',
      'eu-central': 'eu-central-1, eu-central-2',
      'eu-west': 'eu-west-1, eu-west-2',
      frankfurt: '=eu-central-1',
      dublin: '=eu-west-1',
      europe: 'eu-central-1, eu-west-1',
      'eu-west-1': 'ireland',
      slow: 'latency',
    };
    const out = withUnusedRegions(synonyms, (w) => w === 'eu-west-1');
    expect(out['eu-central-1']).toContain('region roles');
    expect(out['eu-central']).toContain('region roles');
    expect(out['eu-west']).toBe('eu-west-1, eu-west-2');
    expect(out['eu-west-1']).toBe('ireland');
    // A place is answered only beside a regions or hosting word, or beside users who report a problem there
    // (search/kinds.ts namesStrayPlace).
    expect(out['frankfurt']).toBe('=eu-central-1, region roles');
    expect(out['dublin']).toBe('=eu-west-1');
    expect(out['europe']).toBe('eu-central-1, eu-west-1');
    expect(out['slow']).toBe('latency');
  });
});

describe('region roles in this repository’s runbooks', () => {
  let artifact: Artifact;
  let search: RunbookSearch;
  beforeAll(async () => {
    artifact = await loadTestArtifact();
    search = createSearch(artifact);
  });
  const top = (q: string) => {
    const r = search.search(q);
    return r.confident ? r.results[0]?.section.id : null;
  };

  it('names the primary region by code, place and role, and not the standby', () => {
    const names = artifact.search.primaryRegion ?? [];
    for (const n of ['af-south-1', 'cape town', 'south africa', 'primary', 'main region'])
      expect(names).toContain(n);
    for (const n of ['eu-west-1', 'ireland', 'standby']) expect(names).not.toContain(n);
    expect(artifact.search.synonyms['backup region']?.split(', ')).toContain('eu-west-1');
    // Typed in a hurry: short forms, a missing number, an Availability Zone.
    for (const typed of ['afs1', 'af-south1', 'af-south', 'af-south-1a'])
      expect(names, typed).toContain(typed);
  });

  it('answers a problem in the primary region with the failover, an unused region code with the roles', () => {
    expect(top('Johannesburg region outage')).toBe('DR_FAILOVER.md#failover-procedure');
    expect(top('is the secondary region eu-west-1 or eu-central-1')).toBe('DR_FAILOVER.md#regions-and-roles');
  });

  it('reads DR talk (copied, keeping up) as replication, and leaves everyday English out of scope', () => {
    expect(top('are new sites copied to Ireland within 15 minutes')).toBe(
      'DR_FAILOVER.md#s3-cross-region-replication',
    );
    for (const q of [
      'moving to Canada',
      // Not 'standby generator at the office': the product calls its AI "the generator" (Connection lost).
      'standby tickets for the concert',
      'our primary school is closed today',
      'keep up the good work team',
      'is my laptop up to date',
      // Not 'change my primary email address': Cognito's caveats (primary pool, email, attribute-change
      // triggers) are a fair answer to it for a support engineer.
    ])
      expect(top(q), q).toBeNull();
  });
});
