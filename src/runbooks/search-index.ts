/**
 * Build-time half of search: one SearchDoc per section and the serialised fuse.js index over them.
 */
import Fuse from 'fuse.js';
import type { RunbookFile, SearchData, SearchDoc, Section } from './model';
import { FIELD_NORM_WEIGHT, SEARCH_KEYS, SYMPTOM_PARTS, SYMPTOM_TITLE } from './search-config';
import { ROLE_KEYWORDS, STOP_WORDS, SYNONYMS } from './search-terms';

/** Body text indexed per section; the rest of a long section still shows, it just is not searched. */
const BODY_MAX = 4000;

export interface SearchIndexOptions {
  keys?: readonly { name: keyof SearchDoc; weight: number }[];
  fieldNormWeight?: number;
}

/** Docs plus the serialised fuse index; the keys' weights and field norms are baked into the index. */
export function buildSearchData(
  sections: Section[],
  runbooks: RunbookFile[],
  options: SearchIndexOptions = {},
): SearchData {
  const docs = buildSearchDocs(sections, runbooks);
  const keys = (options.keys ?? SEARCH_KEYS).map((k) => ({ ...k }));
  const fieldNormWeight = options.fieldNormWeight ?? FIELD_NORM_WEIGHT;
  const index = Fuse.createIndex(keys, docs, { fieldNormWeight }).toJSON();
  return { docs, index, synonyms: { ...SYNONYMS }, stopWords: [...STOP_WORDS] };
}

export function buildSearchDocs(sections: Section[], runbooks: RunbookFile[]): SearchDoc[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const titles = new Map(runbooks.map((r) => [r.file, r.title]));
  return sections.map((s) => {
    const symptom = SYMPTOM_TITLE.exec(s.title);
    const children = s.children.map((id) => byId.get(id)).filter((c): c is Section => c !== undefined);
    // A checklist's title and command phrases name the procedure as people ask for it.
    const d = s.directives;
    const checklist =
      d['checklist'] !== undefined ? [d['title'] ?? '', d['command']?.replace(/\|/g, ' ') ?? ''] : [];
    const roles = Object.keys(ROLE_KEYWORDS)
      .filter((role) => d[role] !== undefined)
      .map((role) => ROLE_KEYWORDS[role] ?? '');
    const keywords = [d['keywords'] ?? '', ...checklist, ...roles].join(' ').replace(/\s+/g, ' ').trim();
    let symptomText = '';
    let body = s.text;
    if (symptom) {
      // A symptom's heading is the answer; its sub-headings (What you see, Fix, ...) hold the words.
      const parts = children.filter((c) =>
        (SYMPTOM_PARTS as readonly string[]).includes(c.title.toLowerCase()),
      );
      const seen = parts.find((c) => c.title.toLowerCase() === 'what you see');
      symptomText = [symptom[1], symptom[2], seen?.text ?? ''].join('\n').trim();
      body = [s.text, ...subtree(s, byId).map((c) => `${c.title}\n${c.text}`)].join('\n');
    } else if (s.text.length < 200) {
      body = [s.text, ...children.map((c) => c.title)].join('\n');
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

function subtree(s: Section, byId: Map<string, Section>): Section[] {
  const out: Section[] = [];
  for (const id of s.children) {
    const c = byId.get(id);
    if (!c) continue;
    out.push(c, ...subtree(c, byId));
  }
  return out;
}
