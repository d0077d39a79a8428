/**
 * What each AWS region is to this system, read from the runbooks at build time, so role words and region
 * words meet: "Cape Town is down" reads as "the primary is down", and "move to the backup region" finds the
 * text that names eu-west-1. Two sources, in this order: the Route 53 failover records (the PRIMARY
 * record's region is the primary, the SECONDARY's the standby) and table headers that note a region's role
 * (`| af-south-1 (active) | eu-west-1 (warm standby) |`). The words live in terms/regions.ts; which region
 * plays which role is never written in TypeScript.
 */
import type { FailoverRecord } from '../model/model';
import { HOSTING_WORDS, REGION_ROLES_TOPIC } from '../search/config';
import { SAME_AS } from '../search/query';
import { AWS_REGIONS, REGION_ROLE_WORDS, type RegionRole, ROLE_NOTES } from './terms/regions';

/**
 * `af-south-1 (active)` in a table header cell: a region and the role the runbook gives it. A cell as the
 * Markdown source writes it (`| … |`) or as a section's text holds it (`cell | cell`, no outer pipes).
 */
const NOTED_ROLE = /(?:^|\|)[ \t]*`?((?:us-gov|[a-z]{2})-[a-z]+-\d)`?[ \t]*\(([^)|\n]+)\)[ \t]*(?=\||$)/gm;

/** What a section that states the regions' roles says it is about (see roleKeywords). */
const ROLES_TOPIC = REGION_ROLES_TOPIC;

/** The roles a section's table headers state, region → role (empty when it states none). */
export function notedRoles(text: string): Map<string, RegionRole> {
  const out = new Map<string, RegionRole>();
  for (const m of text.matchAll(NOTED_ROLE)) {
    const role = ROLE_NOTES[(m[2] ?? '').trim().toLowerCase()];
    if (role && m[1] && !out.has(m[1])) out.set(m[1], role);
  }
  return out;
}

/** Region → role: the failover records decide; table-header notes fill in regions the records lack. */
export function regionRoles(
  records: readonly FailoverRecord[],
  texts: readonly string[],
): Map<string, RegionRole> {
  const roles = new Map<string, RegionRole>();
  for (const r of records) {
    if (r.region && !roles.has(r.region))
      roles.set(r.region, r.failover === 'PRIMARY' ? 'primary' : 'standby');
  }
  for (const text of texts) {
    for (const [region, role] of notedRoles(text)) if (!roles.has(region)) roles.set(region, role);
  }
  return roles;
}

/**
 * The keywords a section that states the regions' roles gains: every role's written words, so "which
 * region is the primary" or "what is our DR region" find the table that says so, whatever it calls them.
 */
export function roleKeywords(text: string): string {
  const stated = new Set(notedRoles(text).values());
  if (stated.size < 2) return '';
  return [
    ROLES_TOPIC,
    ...[...stated].flatMap((role) => REGION_ROLE_WORDS[role].written),
    ...HOSTING_WORDS,
  ].join(' ');
}

/**
 * The synonym table with the regions' roles added both ways: a region's code, and every place or family
 * that names it (`ireland` → `=eu-west-1`, `europe`), also means its role's words; every way of saying a
 * role (`backup region`, `the primary`) also means the regions that play it and the role's written words.
 */
export function withRegionRoles(
  synonyms: Readonly<Record<string, string>>,
  roles: ReadonlyMap<string, RegionRole>,
): Record<string, string> {
  const out: Record<string, string> = { ...synonyms };
  const add = (key: string, phrases: readonly string[]) => {
    const list = (out[key] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const plain = new Set(list.map((p) => p.replace(/^=/, '')));
    for (const p of phrases) {
      if (p === key || plain.has(p)) continue;
      list.push(p);
      plain.add(p);
    }
    if (list.length > 0) out[key] = list.join(', ');
  };
  for (const [region, role] of roles) {
    const written = REGION_ROLE_WORDS[role].written;
    add(region, written);
    for (const [key, value] of Object.entries(synonyms)) {
      if (value.split(',').some((p) => p.trim().replace(/^=/, '') === region)) add(key, written);
    }
  }
  for (const role of ['primary', 'standby'] as const) {
    const regions = [...roles].filter(([, r]) => r === role).map(([region]) => region);
    if (regions.length === 0) continue;
    const { said, written } = REGION_ROLE_WORDS[role];
    // A lone `standby` or `primary` is everyday English too ("standby generator", "primary email"): it
    // means the role's single words only (a synonym phrase matches wherever all its words are, and "DR"
    // and "region" are everywhere); a phrase that says region (`backup region`) means the region.
    const words = written.filter((w) => !w.includes(' '));
    for (const phrase of said) add(phrase, phrase.includes(' ') ? [...regions, ...written] : words);
  }
  return out;
}

/**
 * A region code the runbooks never name ("can we fail over to eu-central-1", "anything in ap-southeast-2?")
 * is still a question about regions: the code (and its family, `eu-central`) also means the table that says
 * which regions this system uses, when some section states them. So does a place that is one such region
 * by name (`frankfurt` → `=eu-central-1`), but the search answers it only beside words of a regions
 * question (config.ts REGION_WORDS: "anything of ours hosted in Frankfurt", not "the time in Sydney"),
 * and never a continent (`europe` names eu-west-1 too). `used` tells whether the runbooks contain a word.
 */
export function withUnusedRegions(
  synonyms: Readonly<Record<string, string>>,
  used: (word: string) => boolean,
): Record<string, string> {
  const codes = new Set(AWS_REGIONS.map((r) => r.code));
  const out: Record<string, string> = { ...synonyms };
  for (const [key, value] of Object.entries(synonyms)) {
    const phrases = value.split(',').map((p) => p.trim());
    // A code, or a place that is one region by name (`frankfurt` → `=eu-central-1`); not a continent.
    const isCode = /^[a-z]{2}-[a-z]+(-\d[a-z]?)?$/.test(key);
    const named = phrases
      .filter((p) => isCode || p.startsWith(SAME_AS))
      .map((p) => p.replace(/^=/, ''))
      .filter((p) => codes.has(p));
    if (codes.has(key)) named.push(key);
    if (named.length === 0 || named.some(used)) continue;
    out[key] = `${value}, ${ROLES_TOPIC}`;
  }
  return out;
}

/**
 * The synonym keys that name a region of `role`: its codes, every place or family that names one of them,
 * and the role's own phrases (`cape town`, `africa`, `af-south-1`, `main region`).
 */
export function namesOfRole(
  synonyms: Readonly<Record<string, string>>,
  roles: ReadonlyMap<string, RegionRole>,
  role: RegionRole,
): string[] {
  const regions = new Set([...roles].filter(([, r]) => r === role).map(([region]) => region));
  if (regions.size === 0) return [];
  const names = new Set<string>([...regions, ...REGION_ROLE_WORDS[role].said]);
  for (const [key, value] of Object.entries(synonyms)) {
    if (value.split(',').some((p) => regions.has(p.trim().replace(/^=/, '')))) names.add(key);
  }
  return [...names].sort();
}
