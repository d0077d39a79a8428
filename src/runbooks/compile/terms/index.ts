/**
 * The search vocabulary's data tables (AWS regions, HTTP statuses, AWS error names, acronyms, colloquial
 * and DR phrasings) turned into one synonym table, merged with the hand-written synonyms of search-terms.ts.
 * Built once, at compile time, into the artifact (`artifact.search.synonyms`).
 */
import { camelWords } from '../../search/log-line';
import { MAX_IDIOM_WORDS, SAME_AS, tokenize } from '../../search/query';
import { OPERATIONS, WEB_PERFORMANCE } from './acronyms';
import { AWS_ERRORS, LOG_PHRASES, NOT_BY_ITS_WORDS } from './aws-errors';
import { COLLOQUIAL } from './colloquial';
import { DR_PHRASES } from './dr';
import { HTTP_CLASSES, HTTP_STATUS } from './http-status';
import { NUMBER_WORDS, OVERVIEW_PHRASES } from './overview';
import { AWS_REGIONS, REGION_FAMILIES } from './regions';
import { SYMPTOM_CONCEPTS } from './symptoms';

/** Synonym keys longer than this are never looked up: queries are matched in spans of up to this many words. */
export { MAX_IDIOM_WORDS } from '../../search/query';

type Table = Map<string, string[]>;

/** A key as the query side sees it: tokenised words joined by spaces (`Runtime.OutOfMemory` → `runtime.outofmemory`). */
export function synonymKey(text: string): string {
  return tokenize(text).join(' ');
}

/** Adds `phrases` to `rawKey`'s synonyms; `same` marks them as names of the very same thing. */
function add(table: Table, rawKey: string, phrases: readonly string[], same = false): void {
  const key = synonymKey(rawKey);
  if (!key || key.split(' ').length > MAX_IDIOM_WORDS) return;
  const list = table.get(key) ?? [];
  for (const phrase of phrases) {
    const p = synonymKey(phrase);
    if (!p || p === key) continue;
    const entry = same ? `${SAME_AS}${p}` : p;
    const plain = list.indexOf(p);
    if (same && plain >= 0) list[plain] = entry;
    else if (!list.includes(p) && !list.includes(`${SAME_AS}${p}`)) list.push(entry);
  }
  if (list.length > 0) table.set(key, list);
}

const split = (value: string) => value.split(',').map((p) => p.trim());

function regions(table: Table): void {
  for (const r of AWS_REGIONS) {
    const name = r.name.replace(/[()]/g, ' ');
    for (const place of r.places) add(table, place, [r.code], true);
    add(table, name, [r.code], true);
    add(table, r.code, r.places.slice(0, 2));
    // `eu-west-1` as typed in a hurry: `eu west 1`, or without its number (`af-south`, `eu-west`).
    add(table, r.code.replace(/-/g, ' '), [r.code], true);
    // An Availability Zone as a console or an error prints it (`af-south-1a`) is in its region.
    for (const zone of 'abc') add(table, `${r.code}${zone}`, [r.code]);
    // Short forms in resource names and chat: `euw1`, `apse2`, `eu-west1`.
    for (const short of shortCodes(r.code)) add(table, short, [r.code], true);
  }
  const families = new Map<string, string[]>();
  for (const r of AWS_REGIONS) {
    const family = r.code.replace(/-\d+$/, '');
    families.set(family, [...(families.get(family) ?? []), r.code]);
  }
  for (const [family, codes] of families) add(table, family, codes);
  for (const [words, prefix] of Object.entries(REGION_FAMILIES)) {
    add(
      table,
      words,
      AWS_REGIONS.filter((r) => r.code.startsWith(prefix)).map((r) => r.code),
    );
  }
}

const COMPASS: Readonly<Record<string, string>> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
};

/** `eu-west-1` → `euw1`, `eu-west1`; `ap-southeast-2` → `apse2`, `ap-southeast2`. */
function shortCodes(code: string): string[] {
  const m = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(code);
  if (!m) return [];
  const [, area, direction, n] = m;
  const initials = COMPASS[direction ?? ''];
  return [`${area}-${direction}${n}`, ...(initials ? [`${area}${initials}${n}`] : [])];
}

function httpStatuses(table: Table): void {
  for (const [code, words] of Object.entries(HTTP_STATUS)) {
    add(table, code, words);
    add(table, `${code}s`, [code], true);
    add(table, `${code}s`, words);
    for (const w of words) add(table, w, [code], true);
  }
  for (const [cls, words] of Object.entries(HTTP_CLASSES)) {
    const codes = Object.keys(HTTP_STATUS).filter((c) => c.startsWith(cls[0] ?? ''));
    add(table, cls, [words, ...codes]);
    add(table, `${cls}s`, [cls, words, ...codes]);
  }
}

function awsErrors(table: Table): void {
  for (const [name, meaning] of Object.entries(AWS_ERRORS)) {
    const words = NOT_BY_ITS_WORDS.has(name) ? '' : camelWords(name);
    add(table, name, [...split(meaning), ...(words ? [words] : [])]);
  }
  for (const [phrase, meaning] of Object.entries(LOG_PHRASES)) add(table, phrase, split(meaning));
}

function acronyms(table: Table): void {
  for (const [acronym, meaning] of Object.entries(OPERATIONS)) add(table, acronym, split(meaning));
  for (const [acronym, meaning] of Object.entries(WEB_PERFORMANCE)) {
    const phrases = split(meaning);
    add(table, acronym, phrases);
    // The spelled-out metric finds text that uses its acronym (`largest contentful paint` → `lcp`).
    const spelled = phrases[0];
    // ... and means what the acronym means (`time to first byte` is a page-load metric too).
    if (spelled && synonymKey(spelled).split(' ').length > 1) {
      add(table, spelled, [acronym], true);
      add(table, spelled, phrases.slice(1));
    }
  }
}

/** The hand-written table with every data table merged in (a key in both keeps the phrases of both). */
export function buildSynonyms(core: Readonly<Record<string, string>>): Record<string, string> {
  const table: Table = new Map();
  for (const [key, value] of Object.entries(core)) add(table, key, split(value));
  regions(table);
  httpStatuses(table);
  awsErrors(table);
  acronyms(table);
  for (const [key, value] of Object.entries(COLLOQUIAL)) add(table, key, split(value));
  for (const [key, value] of Object.entries(DR_PHRASES)) add(table, key, split(value));
  for (const concept of SYMPTOM_CONCEPTS)
    for (const said of concept.said) add(table, said, split(concept.means));
  for (const [key, value] of Object.entries(OVERVIEW_PHRASES)) add(table, key, split(value));
  for (const [word, digits] of Object.entries(NUMBER_WORDS)) add(table, word, [digits], true);
  const out: Record<string, string> = {};
  for (const key of [...table.keys()].sort()) out[key] = (table.get(key) ?? []).join(', ');
  return out;
}

/**
 * An HTTP status is also of its class: its number and words also mean the class (`5xx`) when the runbooks
 * name the class ("API 5xx above 20%"), so "500s on one call in four" reaches the thresholds written for
 * 5xx. A status they name keeps the sections that name it (its own words come first). `used` says whether
 * the runbooks hold a word.
 */
export function withStatusClass(
  synonyms: Readonly<Record<string, string>>,
  used: (word: string) => boolean,
): Record<string, string> {
  const out = { ...synonyms };
  for (const [code, words] of Object.entries(HTTP_STATUS)) {
    const cls = `${code[0]}xx`;
    if (!used(cls)) continue;
    for (const key of [code, `${code}s`, ...words].map(synonymKey)) {
      const list = out[key] ? out[key].split(', ') : [];
      if (!list.includes(cls)) out[key] = [...list, cls].join(', ');
    }
  }
  return out;
}
