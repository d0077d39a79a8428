/**
 * Build-time half of search: one SearchDoc per section, and the inverted index over them that the
 * runtime loads (terms, postings with fields and weighted counts, field norms, lengths). Everything that
 * needs tokenising happens here, so loading the artifact is a JSON parse and a few array walks.
 */

import Fuse from 'fuse.js';
import type { FailoverRecord, RunbookFile, SearchData, SearchDoc, Section } from '../model/model';
import {
  ECHO_GAP,
  isSymptomPart,
  REGION_CODES,
  SEARCH_KEYS,
  SYMPTOM_PARTS,
  SYMPTOM_TITLE,
} from '../search/config';
import { normalizePhrase, synonymStemTable, tokenize } from '../search/query';
import { codeSpans, echoedMessages, lex, proseQuotes } from './markdown';
import { namesOfRole, regionRoles, roleKeywords, withRegionRoles, withUnusedRegions } from './region-roles';
import { PROBLEM_WORDS, ROLE_KEYWORDS, STOP_WORDS, SYNONYMS } from './search-terms';
import { COMMON_ENGLISH } from './terms/common-english';
import { withStatusClass } from './terms/index';
import { OFF_TOPIC } from './terms/off-topic';
import { SHORTHAND } from './terms/shorthand';

/** Body text indexed per section; the rest of a long section still shows, it just is not searched. */
const BODY_MAX = 4000;

export interface SearchIndexOptions {
  keys?: readonly { name: keyof SearchDoc; weight: number }[];
  /** The runbooks' Route 53 failover records: which region is the primary and which the DR one. */
  records?: readonly FailoverRecord[];
}

/** The inverted index over the sections' SearchDocs, plus the query vocabulary (synonyms, stop words). */
export function buildSearchData(
  sections: Section[],
  runbooks: RunbookFile[],
  options: SearchIndexOptions = {},
): SearchData {
  const docs = buildSearchDocs(sections, runbooks);
  const keys = options.keys ?? SEARCH_KEYS;
  const termIndex = new Map<string, number>();
  const terms: string[] = [];
  const postings: number[][] = [];
  const last: number[] = [];
  const norms: number[] = [];
  const lengths: number[] = [];
  docs.forEach((doc, d) => {
    const fields = new Map<number, { mask: number; count: number }>();
    let length = 0;
    keys.forEach((key, k) => {
      const text = doc[key.name];
      // fuse.js's field norm: whitespace-separated tokens, 3 decimals.
      const spaced = text.split(/\s+/).filter(Boolean).length || 1;
      norms.push(Math.round(1000 / Math.sqrt(spaced)) / 1000);
      const words = tokenize(text);
      length += key.weight * words.length;
      for (const word of words) {
        for (const w of withParts(word)) {
          let t = termIndex.get(w);
          if (t === undefined) {
            t = terms.length;
            termIndex.set(w, t);
            terms.push(w);
            postings.push([]);
            last.push(0);
          }
          const entry = fields.get(t) ?? { mask: 0, count: 0 };
          entry.mask |= 1 << k;
          entry.count += key.weight;
          fields.set(t, entry);
        }
      }
    });
    lengths.push(length);
    for (const [t, { mask, count }] of fields) {
      postings[t]!.push(d - last[t]!, mask + 32 * count);
      last[t] = d;
    }
  });
  // Alphabetical, so the runtime finds a prefix's words by binary search without sorting at load.
  const order = terms.map((_, i) => i).sort((a, b) => (terms[a]! < terms[b]! ? -1 : 1));
  const sortedTerms = order.map((i) => terms[i]!);
  const vocabulary = withStatusClasses(
    regionSynonyms(sections, options.records ?? [], (word) => termIndex.has(word)),
    (word) => termIndex.has(word),
  );
  return {
    ids: docs.map((d) => d.id),
    messages: docs.map((d) => normalizePhrase(SYMPTOM_TITLE.exec(d.title)?.[1] ?? '')),
    seen: docs.map((d) => (d.symptom ? ` ${normalizePhrase(d.symptom)} ` : '')),
    quotedBy: quotedMessages(sections),
    terms: sortedTerms,
    fuzzy: fuzzyIndex(
      headTerms(
        sortedTerms,
        order.map((i) => postings[i]!),
        keys,
      ),
    ),
    postings: order.map((i) => postings[i]!),
    norms,
    lengths,
    fieldWeights: keys.map((k) => k.weight),
    ...vocabulary,
    synonymStems: synonymStemTable(vocabulary.synonyms),
    stopWords: [...STOP_WORDS],
    problemWords: [...PROBLEM_WORDS],
    // Stop words are dropped before weighing anyway: only the rest need shipping.
    common: COMMON_ENGLISH.filter((w) => !STOP_WORDS.includes(w)),
    offTopic: [...OFF_TOPIC],
    shorthand: Object.fromEntries(Object.entries(SHORTHAND).filter(([short]) => !termIndex.has(short))),
  };
}

/** The sub-heading under which a symptom says what people see (SYMPTOM_PARTS' first). */
const SEEN_PART = SYMPTOM_PARTS[0];

/** A quoted message this long or longer names its symptom; a shorter one is a name (`npm ci`). */
const QUOTED_MIN_WORDS = 3;

/**
 * The messages each symptom's "What you see" quotes in code marks (`User is disabled.`, `Invalid Refresh
 * Token`), and those another section's prose quotes as a tool prints them (`MESSAGE_LIKE`; a code block's
 * text is no quote), normalised, by their first word, each message once with the documents that quote it
 * (in document order): only the sections that quote one. A query tests only the messages that begin with
 * one of its words, and a message several sections share is tested once (at 100× the corpus: 3,048
 * distinct messages in 5,562 places, once a pass over all of them per query). Pasted verbatim, such a
 * message names its sections as a symptom's title names it (search/rank.ts exactMessageBoost).
 */
function quotedMessages(sections: readonly Section[]): Record<string, Record<string, number[]>> {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const stop = new Set(STOP_WORDS);
  // Maps, not objects, while building: a first word may be `constructor` or `__proto__`.
  const out = new Map<string, Map<string, number[]>>();
  sections.forEach((s, doc) => {
    const symptom = symptomOf(s, byId);
    // A symptom's own parts: its What you see speaks for it.
    if (!symptom && isSymptomPart(s.title)) return;
    const messages = new Set<string>();
    // The section's own Markdown lexed once, on first need: its code spans and its scripts' echoes read it.
    let own: ReturnType<typeof lex> | undefined;
    const ownTokens = () => (own ??= lex(s.markdown));
    const source = symptom ? (symptom.seen?.markdown ?? '') : s.markdown;
    // A symptom's What you see quotes what the screen says in code marks or, in prose, in double quotes.
    const spans = source.includes('`');
    const quotes = symptom !== undefined && /["\u201c]/.test(source);
    const tokens = !spans && !quotes ? [] : symptom ? lex(source) : ownTokens();
    for (const text of [...(spans ? codeSpans(tokens) : []), ...(quotes ? proseQuotes(tokens) : [])]) {
      if (!symptom && !MESSAGE_LIKE.test(text)) continue;
      const words = tokenize(text);
      // Two words of its own, or one in four words or more: the toast's "Please sign in again.".
      const said = words.filter((w) => !stop.has(w)).length;
      if (words.length >= QUOTED_MIN_WORDS && (said >= 2 || (words.length > QUOTED_MIN_WORDS && said >= 1)))
        messages.add(words.join(' '));
    }
    // What the section's own scripts print: pasted back, it says which step is running ...
    const printed = s.markdown.includes('echo') ? echoedMessages(ownTokens()) : { texts: [], templates: [] };
    const saying = (words: readonly string[]) =>
      words.filter((w) => !stop.has(w) && ECHO_WORD.test(w)).length;
    for (const text of printed.texts) {
      const words = tokenize(text);
      if (words.length >= QUOTED_MIN_WORDS && saying(words) >= 2) messages.add(words.join(' '));
    }
    // ... and what they print around a value (`still IN_PROGRESS after 15 minutes`): its words with a gap
    // (ECHO_GAP) where each value goes, matched with a word or three in each. Four words around the gaps
    // say as much as a message of three.
    for (const parts of printed.templates) {
      const words = parts.map((part) => tokenize(part));
      const literal = words.flat();
      if (literal.length <= QUOTED_MIN_WORDS || saying(literal) < 1) continue;
      const template = words.flatMap((w, i) => (i === 0 ? w : [ECHO_GAP, ...w]));
      while (template[0] === ECHO_GAP) template.shift();
      while (template.at(-1) === ECHO_GAP) template.pop();
      if (template.includes(ECHO_GAP)) messages.add(template.join(' '));
    }
    for (const m of messages) {
      const first = m.slice(0, m.indexOf(' '));
      const byMessage = out.get(first) ?? new Map<string, number[]>();
      out.set(first, byMessage);
      const docs = byMessage.get(m) ?? [];
      byMessage.set(m, docs);
      docs.push(doc);
    }
  });
  return Object.fromEntries([...out].map(([first, byMessage]) => [first, Object.fromEntries(byMessage)]));
}

/** A word of an echoed message that says something: three letters or more (not `30 s`, not `v`). */
const ECHO_WORD = /[a-z]{3}/;

/**
 * A message a tool prints, as prose quotes it: it opens with a capital (a command line opens with its
 * lower-case command), holds no assignment or variable (`=`, `$`) and has three words or more.
 */
const MESSAGE_LIKE = /^[A-Z][^=$]*\s\S+\s/;

/** A symptom's "What you see" sub-section, if it has one. */
function whatYouSee(s: Section, byId: ReadonlyMap<string, Section>): Section | undefined {
  for (const id of s.children) {
    const c = byId.get(id);
    if (c?.title.toLowerCase() === SEEN_PART) return c;
  }
  return undefined;
}

/**
 * A troubleshooting symptom, its message, cause and What you see: a title that quotes what people see (`"Token expired" —
 * Cognito refresh`), or any section with a What you see sub-heading, which has no message to quote
 * (`Blocked by AWS WAF — managed rule false positive`: a 403 whose body names nothing). The structure makes
 * it a symptom, not the title's punctuation: its sub-headings hold its words and give way to it.
 */
export function symptomOf(
  s: Section,
  byId: ReadonlyMap<string, Section>,
): { message: string; cause: string; seen: Section | undefined } | undefined {
  const quoted = SYMPTOM_TITLE.exec(s.title);
  const seen = whatYouSee(s, byId);
  if (quoted) return { message: quoted[1] ?? '', cause: quoted[2] ?? '', seen };
  return seen ? { message: '', cause: s.title, seen } : undefined;
}

/**
 * The synonyms with what the runbooks say of the regions (their roles, which ones they use at all), and
 * the names of the primary region.
 */
function regionSynonyms(
  sections: readonly Section[],
  records: readonly FailoverRecord[],
  used: (word: string) => boolean,
): Pick<SearchData, 'synonyms' | 'primaryRegion'> {
  const texts = sections.map((s) => s.text);
  const roles = regionRoles(records, texts);
  const withRoles = withRegionRoles(SYNONYMS, roles);
  const synonyms = texts.some((t) => roleKeywords(t)) ? withUnusedRegions(withRoles, used) : withRoles;
  return { synonyms, primaryRegion: namesOfRole(withRoles, roles, 'primary') };
}

function withStatusClasses<T extends { synonyms: Record<string, string> }>(
  data: T,
  used: (word: string) => boolean,
): T {
  return { ...data, synonyms: withStatusClass(data.synonyms, used) };
}

function fuzzyIndex(words: string[]): { words: string[]; index: unknown } {
  return { words, index: Fuse.createIndex<string>([], words).toJSON() };
}

/**
 * The words of titles, symptoms, keywords and heading paths (every field but the body): what fuse.js may
 * correct a mistyped query word to. They name what people ask about, and they grow far slower than the
 * body vocabulary as runbooks are added, so a fuzzy scan over them stays cheap.
 */
export function headTerms(
  terms: readonly string[],
  postings: readonly number[][],
  keys: readonly { name: keyof SearchDoc; weight: number }[],
): string[] {
  const body = keys.findIndex((k) => k.name === 'body');
  const headMask = 31 & ~(body >= 0 ? 1 << body : 0);
  return terms.filter((_, t) => {
    const p = postings[t] ?? [];
    for (let i = 1; i < p.length; i += 2) if ((p[i]! & 31 & headMask) !== 0) return true;
    return false;
  });
}

/** An AWS region code inside a resource name (`sitecraft-prod-sites-eu-west-1`). */
const EMBEDDED_REGION = /(?:^|-)((?:us-gov|[a-z]{2})-[a-z]+-\d)(?=-|$)/g;

/**
 * A hyphenated word also counts as its parts (`post-promotion` → `post`, `promotion`), and as the region
 * code it names (`sitecraft-prod-sites-eu-west-1` → `eu-west-1`).
 */
function withParts(word: string): string[] {
  if (!word.includes('-')) return [word];
  const regions = [...word.matchAll(EMBEDDED_REGION)].map((m) => m[1] ?? '').filter((r) => r && r !== word);
  return [word, ...word.split('-').filter((p) => p && p !== word), ...regions];
}

export function buildSearchDocs(sections: Section[], runbooks: RunbookFile[]): SearchDoc[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const titles = new Map(runbooks.map((r) => [r.file, r.title]));
  return sections.map((s) => {
    const symptom = symptomOf(s, byId);
    const children = s.children.map((id) => byId.get(id)).filter((c): c is Section => c !== undefined);
    // A checklist's title and command phrases name the procedure as people ask for it.
    const d = s.directives;
    const checklist =
      d['checklist'] !== undefined ? [d['title'] ?? '', d['command']?.replace(/\|/g, ' ') ?? ''] : [];
    const roles = Object.keys(ROLE_KEYWORDS)
      .filter((role) => d[role] !== undefined)
      .map((role) => ROLE_KEYWORDS[role] ?? '');
    // A table that states the regions' roles answers "which region is the primary" in any role words.
    // The alarms that page for a section name what is wrong in its words (`api-5xx`: the API's 5xx).
    const alarms = d['alarms'] ?? '';
    const keywords = [d['keywords'] ?? '', ...checklist, ...roles, roleKeywords(s.text), alarms]
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    let symptomText = '';
    let body = searchableText(s);
    if (symptom) {
      // A symptom's heading is the answer; its sub-headings (What you see, Fix, ...) hold the words.
      symptomText = [symptom.message, symptom.cause, symptom.seen?.text ?? ''].join('\n').trim();
      body = [body, ...subtree(s, byId).map((c) => `${c.title}\n${searchableText(c)}`)].join('\n');
    } else if (s.text.length < 200) {
      body = [body, ...children.map((c) => c.title)].join('\n');
    }
    const fileTitle = titles.get(s.file) ?? s.file;
    return {
      id: s.id,
      title: s.title.toLowerCase(),
      path: [fileTitle, ...s.headings].join(' › ').toLowerCase(),
      symptom: symptomText.toLowerCase(),
      keywords: keywords.toLowerCase(),
      body: body.slice(0, BODY_MAX).toLowerCase(),
    };
  });
}

/**
 * A section's text without the bare numbers and region codes of its code blocks: `--period 300`, `-m 20`
 * and `--region af-south-1` are parameters, not what the section is about; "timeout 300 s" and "the agent
 * runs in eu-west-1" in its prose are, and so is a decision tree's "504".
 */
function searchableText(s: Section): string {
  let text = s.text;
  for (const c of s.code) {
    if (c.lang === 'mermaid') continue; // a decision tree's labels are prose
    const stripped = c.code
      .replace(/(^|[\s=,:;([{'"])\d+(?:\.\d+)?(?=$|[\s,;)\]}'"])/gm, '$1')
      .replace(REGION_CODES, ' ');
    // A function, not the string: shell code's `$'…'` or `$$` would be read as replacement patterns.
    if (stripped !== c.code) text = text.replace(c.code, () => stripped);
  }
  return text;
}

function subtree(s: Section, byId: Map<string, Section>): Section[] {
  const out: Section[] = [];
  for (const id of s.children) {
    const c = byId.get(id);
    if (!c) continue;
    out.push(c, ...subtree(c, byId));
  }
  return out;
}
