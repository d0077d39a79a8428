/**
 * The artifact as the Lambda bundle ships it: split so that a cold start parses only what the first search
 * needs, whatever the size of the corpus (issue 21). `splitArtifact` (at build time) writes:
 *
 *   artifact.json            the index: the runbook files, the search's word lists and messages, what it
 *                            reads of every candidate; the names of the files below
 *   artifact/synonyms.txt    the synonym table and its stems as sorted `key<TAB>value` lines, read in place
 *   artifact/synonym-stems.txt  (model/text-table.ts); learned.txt, the learned model's table, likewise
 *   artifact/fuzzy.json      the typo matcher's words and index, parsed when a query first has a word the
 *                            runbooks lack
 *   artifact/ids.str, titles.str, terms.str  string tables read in place; parents.i32, slices.i32
 *   artifact/postings.bin    every term's postings, term after term in the terms' (sorted) order, as three
 *                            fixed-width columns: documents (int32), counts (int32), field masks (uint8);
 *                            never read whole: the search reads the rows of its words' terms (`postingsReader`),
 *                            and the terms a word begins are one run of rows (they sort together)
 *   artifact/postings.idx    where each term's rows start (uint32 per term, and the end: the row count)
 *   artifact/norms.f64       per document field norms and lengths, float64 (exact)
 *   artifact/lengths.f64
 *   artifact/runbook-<n>-<p>.json  part p of the sections of runbook file n, whole (Markdown, summary,
 *                            directives, ...), a few sections a part (SLICE_BUDGET, 8 KiB): a first answer
 *                            parses its section's, its parts' and its ancestors' parts, not the whole runbook
 *   artifact/procedures-<n>-<p>.json  part p of that runbook's numbered procedures (at scale, most of the
 *                            artifact)
 *   artifact/checklist-<i>.json   a declared checklist that holds sections, alone (also in rest.json): a first
 *                            answer's "Run as checklist" reads it, not rest.json
 *   artifact/rest.json       checklists, trees, contacts, escalation paths, records, templates, switches, ...
 *
 * The index also holds what the search reads of every candidate or at set-up, so that neither parses a
 * runbook file or rest.json: each section's directives (sparse) and each checklist's section and command
 * phrases (`checklistCommands`). An answer's "Run as checklist" finds its procedure with `procedureFor`,
 * which reads one procedures file, and its declared checklist with `checklistAt`, which reads that one's.
 *
 * `openSplitArtifact` (at run time) returns an ordinary `Artifact`: sections are proxies that know their id,
 * title and parent and read the rest of themselves from their runbook's file on first access; a term's
 * postings are decoded when the search first asks for them; the checklists and the other procedural parts
 * are parsed on first access. Nothing else in the bot changes: search, renderers and features read the
 * same shape. Pure: the caller supplies a synchronous file reader (model/artifact.ts).
 */
import {
  ARTIFACT_VERSION,
  type Artifact,
  type Checklist,
  type LearnedData,
  type RunbookFile,
  type SearchData,
  type Section,
} from './model';
import { TableBytes, textOf, textRecord, writeTextTable } from './text-table';

export const SPLIT_FORMAT = 'split-5';

/**
 * Where each part of the artifact goes: in the index (parsed at cold start) or in rest.json (parsed on first
 * access; `procedures`: with the runbook that holds each, read one runbook's on first need: at scale the
 * numbered procedures are most of the artifact, and an answer looks up only its own). Every key of
 * `Artifact` must be placed here: a new field fails the type check until it is, so
 * the split form never silently drops a part the whole artifact has.
 */
export const PLACEMENT = {
  version: 'index',
  sourceHash: 'index',
  commit: 'index',
  runbooks: 'index',
  sections: 'index',
  search: 'index',
  checklists: 'rest',
  procedures: 'procedures',
  trees: 'rest',
  contacts: 'rest',
  escalationPaths: 'rest',
  records: 'rest',
  templates: 'rest',
  switches: 'rest',
  warmups: 'rest',
  dnsChecks: 'rest',
  alarms: 'rest',
  canary: 'rest',
} as const satisfies { readonly [K in keyof Required<Artifact>]: 'index' | 'rest' | 'procedures' };
type RestKey = {
  [K in keyof typeof PLACEMENT]: (typeof PLACEMENT)[K] extends 'rest' ? K : never;
}[keyof typeof PLACEMENT];
const REST_KEYS = (Object.keys(PLACEMENT) as (keyof Artifact)[]).filter(
  (k): k is RestKey => PLACEMENT[k] === 'rest',
);
type Rest = Pick<Artifact, RestKey>;

const SECTION_KEYS: readonly (keyof Section)[] = [
  'id',
  'file',
  'anchor',
  'level',
  'title',
  'headings',
  'line',
  'markdown',
  'text',
  'summary',
  'code',
  'tables',
  'directives',
  'parent',
  'children',
];

export interface SplitIndex {
  version: typeof ARTIFACT_VERSION;
  format: typeof SPLIT_FORMAT;
  sourceHash: string;
  commit?: string | null;
  /**
   * Each runbook file as the whole artifact has it (title, owner, review date, ...), its sections as
   * indexes into the sections, in document order: a run of consecutive ones as where it starts and how
   * many (the usual case; at 100× the corpus the lists were a third of the index).
   */
  runbooks: (Omit<RunbookFile, 'sections'> & { sections: number[] | SectionRun })[];
  sections: {
    /** How many; their ids, titles, parents and slices are in `files` (read in place, never parsed). */
    count: number;
    /**
     * Slice → where each of its parts starts (positions among the slice's sections, the first 0): the
     * slice's sections are in `<slice name without .json>-<part>.json`, a few to a file (SLICE_BUDGET).
     * Absent in older split artifacts: each slice is one file, `files.slices[k]`.
     */
    parts?: number[][];
    /**
     * Section index → its directives, for the sections that have any: the search reads them for every
     * candidate (`tree`), so they must not cost a runbook file's parse. Absent: none has any.
     */
    directives?: Record<string, Section['directives']>;
  };
  /** Each checklist's section and command phrases (what the search's ranking reads of the checklists). */
  checklistCommands: ChecklistCommands[];
  /** What an answer's "Run as checklist" and "Walk the tree" buttons need, for the sections that have one. */
  buttons: SectionButtons;
  /**
   * The numbered procedures, in order: each one's section (index into the sections, -1: none) and the
   * file that holds it (`files.procedures`), which holds that runbook's procedures in this order.
   */
  procedures?: { sections: number[]; files: number[]; parts?: number[][] };
  search: Omit<
    SearchData,
    'postings' | 'norms' | 'lengths' | 'ids' | 'terms' | 'learned' | 'fuzzy' | 'synonyms' | 'synonymStems'
  > & {
    /** The bytes of `files.synonyms` and `files.synonymStems`: a file cut short is refused, not read. */
    synonymTables: { synonyms: number; synonymStems?: number };
    /** The learned model without its table, which `files.learned` holds (`tableLength` bytes). */
    learned?: Omit<LearnedData, 'table'> & { tableLength: number };
    /** null: the same as the sections' ids (the usual case, stored once). */
    ids: string[] | null;
    /** How many terms (`files.terms` holds them); sorted and distinct, as the compiler writes them. */
    termCount: number;
    termsSorted: boolean;
  };
  /** The parts rest.json holds (those of `PLACEMENT` the whole artifact had). */
  restKeys: RestKey[];
  /** The index's files, by role (every value a file name, relative to the slices folder). */
  files: {
    slices: string[];
    rest: string;
    /** The procedure files (`procedures.files` indexes into it). */
    procedures?: string[];
    /**
     * Checklist index → a file holding that checklist alone, for each declared checklist that holds a
     * section (`buttons.checklists`): a first answer's "Run as checklist" reads one, not rest.json.
     */
    checklists?: Record<string, string>;
    /**
     * Section index → a file holding that section's answer card (its first screen made at build time by the
     * Slack renderer, scripts/bundle.ts; opaque here): a first answer reads it instead of the section's
     * Markdown. Only the sections that have one; absent: none has.
     */
    cards?: Record<string, string>;
    postings: string;
    postingsIndex: string;
    norms: string;
    lengths: string;
    /** String tables (`writeStrings`): the sections' ids and titles, the search's terms. */
    ids: string;
    titles: string;
    terms: string;
    /**
     * The learned model's table (`LearnedData.table`), as text: read as it is on the first confident search,
     * not parsed as a JSON string with the index (it is most of the index's bytes: 2.4 of 3.4 ms of its parse).
     */
    learned?: string;
    /**
     * The typo matcher's words and fuse.js index (`SearchData.fuzzy`), JSON: parsed when a query first has a
     * word the runbooks lack, not with the index (a fifth of its bytes, parsed on every cold start before).
     * Absent: the artifact has none.
     */
    fuzzy?: string;
    /**
     * The synonym table and its stems (`SearchData.synonyms`, `synonymStems`), as sorted text
     * (model/text-table.ts), read in place on first need: as JSON they were half the index's bytes and of its
     * parse. `synonymStems` absent: the artifact has no stem table.
     */
    synonyms: string;
    synonymStems?: string;
    /** int32 per section: its parent (-1: none), and which slice file holds it whole. */
    parents: string;
    sliceOf: string;
  };
}

/** Sections `from`, `from + 1`, ... `from + count − 1`. */
export interface SectionRun {
  from: number;
  count: number;
}

/** A runbook's section numbers, listed or as a run. */
function sectionNumbers(listed: number[] | SectionRun): number[] {
  if (Array.isArray(listed)) return listed;
  const out = new Array<number>(listed.count);
  for (let k = 0; k < listed.count; k++) out[k] = listed.from + k;
  return out;
}

/** Build time: a run when the numbers are consecutive (and more than one), else the list. */
function asRun(numbers: number[]): number[] | SectionRun {
  if (numbers.length < 2) return numbers;
  for (let k = 1; k < numbers.length; k++) if (numbers[k] !== numbers[0]! + k) return numbers;
  return { from: numbers[0]!, count: numbers.length };
}

export interface SplitFiles {
  index: SplitIndex;
  /** File name (relative to the slices folder) → contents. */
  files: Record<string, string | Uint8Array>;
}

/** Build time: the artifact as an index and its files (nothing is lost: `openSplitArtifact` gives it back). */
export function splitArtifact(
  artifact: Artifact,
  extras: {
    /** Section id → its answer card (any JSON value), written a file each (`files.cards`). */
    cards?: ReadonlyMap<string, unknown>;
  } = {},
): SplitFiles {
  const ids = artifact.sections.map((s) => s.id);
  const position = new Map(ids.map((id, i) => [id, i]));
  const runbookOf = new Array<number>(ids.length).fill(-1);
  artifact.runbooks.forEach((r, k) => {
    for (const id of r.sections) {
      const i = position.get(id);
      if (i !== undefined && runbookOf[i] === -1) runbookOf[i] = k;
    }
  });
  // One slice per runbook file (sections no runbook lists, none today, in one of their own), written in
  // parts of a few sections (SLICE_BUDGET): a first answer parses its section's part, not the whole runbook.
  const orphans = artifact.runbooks.length;
  const sliceOf = runbookOf.map((k) => (k < 0 ? orphans : k));
  const sliceCount = sliceOf.some((k) => k === orphans) ? orphans + 1 : orphans;
  const sliceNames = Array.from({ length: sliceCount }, (_, k) => `runbook-${k}.json`);
  const files: Record<string, string | Uint8Array> = {};
  const sliceParts = writeParts(
    sliceNames,
    sliceOf,
    artifact.sections.map((s) => asciiJson(s)),
    files,
  );
  const rest: Partial<Rest> = {};
  for (const key of REST_KEYS)
    if (artifact[key] !== undefined) (rest as Record<string, unknown>)[key] = artifact[key];
  files['rest.json'] = asciiJson(rest);
  const buttons = buttonsOf(artifact);
  const checklistFiles = declaredChecklistFiles(artifact, buttons, files);
  const cardFiles: Record<string, string> = {};
  for (const [id, card] of extras.cards ?? []) {
    const i = position.get(id);
    if (i === undefined) throw new Error(`answer card for ${id}: no such section`);
    cardFiles[i] = `card-${i}.json`;
    files[cardFiles[i]] = asciiJson(card);
  }
  // Procedures with the runbook that holds them (by their section's runbook file; none: a file of their own),
  // in parts as the sections.
  const procs = artifact.procedures;
  const procSections = (procs ?? []).map((p) => position.get(p.sectionId) ?? -1);
  const procFileOf = procSections.map((i) => (i >= 0 ? sliceOf[i]! : sliceCount));
  const procNames: string[] = [];
  const procFileIndex = new Map<number, number>();
  const procFiles = procFileOf.map((k) => {
    let f = procFileIndex.get(k);
    if (f === undefined) {
      f = procNames.length;
      procFileIndex.set(k, f);
      procNames.push(k < sliceCount ? `procedures-${k}.json` : 'procedures-other.json');
    }
    return f;
  });
  const procedureParts = writeParts(
    procNames,
    procFiles,
    (procs ?? []).map((p) => asciiJson(p)),
    files,
  );

  const {
    postings,
    norms,
    lengths,
    ids: searchIds,
    terms,
    learned,
    fuzzy,
    synonyms,
    synonymStems,
    ...words
  } = artifact.search;
  const learnedText = learned ? textOf(learned.table) : undefined;
  // Searched as bytes (TableBytes): UTF-8's byte order is the table's string order below the surrogates only.
  if (learnedText !== undefined && /[\ud800-\uffff]/.test(learnedText))
    throw new Error(
      'learned table: a feature holds a character from U+D800 up, which its byte search cannot order',
    );
  if (learnedText !== undefined) files['learned.txt'] = learnedText;
  const synonymTables = {
    synonyms: writeTextTable(synonyms),
    ...(synonymStems ? { synonymStems: writeTextTable(synonymStems) } : {}),
  };
  files['synonyms.txt'] = synonymTables.synonyms;
  if (synonymTables.synonymStems !== undefined) files['synonym-stems.txt'] = synonymTables.synonymStems;
  if (fuzzy) files['fuzzy.json'] = asciiJson(fuzzy);
  const { rows, offsets } = postingRows(postings);
  files['postings.bin'] = rows;
  files['postings.idx'] = new Uint8Array(offsets.buffer);
  files['norms.f64'] = new Uint8Array(Float64Array.from(norms).buffer);
  files['lengths.f64'] = new Uint8Array(Float64Array.from(lengths).buffer);
  files['ids.str'] = writeStrings(ids);
  files['titles.str'] = writeStrings(artifact.sections.map((s) => s.title));
  files['terms.str'] = writeStrings(terms);
  const parents = artifact.sections.map((s) => (s.parent === null ? -1 : (position.get(s.parent) ?? -1)));
  files['parents.i32'] = new Uint8Array(Int32Array.from(parents).buffer);
  files['slices.i32'] = new Uint8Array(Int32Array.from(sliceOf).buffer);

  // The search's documents are the sections by number only when they are the sections in order, each id
  // once (as the compiler makes them): then a document is found by its runbook, never by a map of all ids.
  const sameIds =
    position.size === ids.length &&
    searchIds.length === ids.length &&
    searchIds.every((id, i) => id === ids[i]);
  let termsSorted = true;
  for (let i = 1; i < terms.length && termsSorted; i++) termsSorted = terms[i - 1]! < terms[i]!;
  return {
    index: {
      version: ARTIFACT_VERSION,
      format: SPLIT_FORMAT,
      sourceHash: artifact.sourceHash,
      ...(artifact.commit !== undefined ? { commit: artifact.commit } : {}),
      runbooks: artifact.runbooks.map((r) => ({
        ...r,
        sections: asRun(
          r.sections.flatMap((id) => {
            const i = position.get(id);
            return i === undefined ? [] : [i];
          }),
        ),
      })),
      sections: {
        count: ids.length,
        parts: sliceParts,
        directives: Object.fromEntries(
          artifact.sections.flatMap((s, i) =>
            Object.keys(s.directives).length > 0 ? [[i, s.directives]] : [],
          ),
        ),
      },
      checklistCommands: checklistCommands(artifact),
      buttons,
      ...(procs ? { procedures: { sections: procSections, files: procFiles, parts: procedureParts } } : {}),
      search: {
        ...words,
        ...(learned
          ? {
              learned: {
                ...(({ table: _, ...rest }) => rest)(learned),
                tableLength: Buffer.byteLength(learnedText ?? ''),
              },
            }
          : {}),
        synonymTables: {
          synonyms: synonymTables.synonyms.length,
          ...(synonymTables.synonymStems !== undefined
            ? { synonymStems: synonymTables.synonymStems.length }
            : {}),
        },
        ids: sameIds ? null : searchIds,
        termCount: terms.length,
        termsSorted,
      },
      restKeys: REST_KEYS.filter((k) => artifact[k] !== undefined),
      files: {
        slices: sliceNames,
        rest: 'rest.json',
        ...(procs ? { procedures: procNames } : {}),
        ...(checklistFiles ? { checklists: checklistFiles } : {}),
        ...(Object.keys(cardFiles).length > 0 ? { cards: cardFiles } : {}),
        postings: 'postings.bin',
        postingsIndex: 'postings.idx',
        norms: 'norms.f64',
        lengths: 'lengths.f64',
        ids: 'ids.str',
        titles: 'titles.str',
        terms: 'terms.str',
        ...(learned ? { learned: 'learned.txt' } : {}),
        ...(fuzzy ? { fuzzy: 'fuzzy.json' } : {}),
        synonyms: 'synonyms.txt',
        ...(synonymStems ? { synonymStems: 'synonym-stems.txt' } : {}),
        parents: 'parents.i32',
        sliceOf: 'slices.i32',
      },
    },
    files,
  };
}

/**
 * Bytes of JSON a section or procedure file holds at most (unless one item is larger: then it is alone). A
 * first answer reads the files of its section, its parts and its ancestors: a few of these rather than its
 * whole runbook (108 KiB for the largest today), so less to parse and to collect on a cold start (issue 21).
 */
export const SLICE_BUDGET = 8 * 1024;

/**
 * Build time: a file number for each item (sizes in bytes), the items of one key (their runbook; -1: none)
 * a few to a file, in order, each file within `budget` unless one item alone exceeds it. Files are numbered
 * in the order they are opened.
 */
export function boundedGroups(
  sizes: readonly number[],
  keys: readonly number[],
  budget = SLICE_BUDGET,
): number[] {
  const open = new Map<number, { file: number; bytes: number }>();
  let files = 0;
  return sizes.map((bytes, i) => {
    const key = keys[i] ?? -1;
    const current = open.get(key);
    if (current && current.bytes + bytes + 1 <= budget) {
      current.bytes += bytes + 1;
      return current.file;
    }
    const file = files++;
    open.set(key, { file, bytes: bytes + 2 });
    return file;
  });
}

/**
 * JSON with every character outside ASCII escaped (`\u2019`): the same value for any reader, but the text
 * of a file of ASCII alone decodes on Node's ASCII path and V8 holds it one byte a character while it is
 * parsed (one `’` in a file makes all of it two bytes a character: 308 instead of 154 KiB for the index).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Build time: the items of each file (`fileOf`: item → file, items already JSON), written in parts of at
 * most SLICE_BUDGET bytes (one item alone may exceed it) as `<name without .json>-<part>.json`; returns,
 * per file, where each part starts among that file's items.
 */
function writeParts(
  names: readonly string[],
  fileOf: readonly number[],
  items: readonly string[],
  files: Record<string, string | Uint8Array>,
): number[][] {
  const members = names.map(() => [] as string[]);
  fileOf.forEach((f, i) => {
    members[f]?.push(items[i]!);
  });
  return members.map((list, f) => {
    const partOf = boundedGroups(
      list.map((json) => json.length),
      list.map(() => 0),
    );
    const starts: number[] = [];
    const parts: string[][] = [];
    partOf.forEach((p, w) => {
      if (parts[p] === undefined) {
        parts[p] = [];
        starts.push(w);
      }
      parts[p]!.push(list[w]!);
    });
    parts.forEach((part, p) => {
      files[partName(names[f]!, p)] = `[${part.join(',')}]`;
    });
    return starts;
  });
}

/** `runbook-3.json`, part 2 → `runbook-3-2.json`. */
export function partName(name: string, part: number): string {
  return `${name.replace(/\.json$/, '')}-${part}.json`;
}

/**
 * Run time: item `w` of file `f` (its position among the file's items), from the part that holds it when
 * the file is written in parts (`starts[f]`: where each part starts), else from the file whole. Each file or
 * part is parsed once, on first need.
 */
function partedLists<T>(
  names: readonly string[],
  starts: readonly (readonly number[])[] | undefined,
  parse: (name: string) => T[],
): (f: number, w: number) => { item: T | undefined; name: string } {
  const parsed = new Map<string, T[]>();
  return (f, w) => {
    const name = names[f] ?? '';
    const own = starts?.[f];
    let p = -1;
    if (own) while (p + 1 < own.length && own[p + 1]! <= w) p++;
    const file = own ? partName(name, Math.max(p, 0)) : name;
    let list = parsed.get(file);
    if (!list) {
      list = parse(file);
      parsed.set(file, list);
    }
    return { item: list[own ? w - (own[Math.max(p, 0)] ?? 0) : w], name: file };
  };
}

/**
 * Build time: a file per declared checklist that holds a section (`checklist-<i>.json`, added to `files`),
 * so a first answer's "Run as checklist" reads that checklist alone, not rest.json (65 of its 90 KiB are
 * the checklists). Undefined when there is none.
 */
function declaredChecklistFiles(
  artifact: Artifact,
  buttons: SectionButtons,
  files: Record<string, string | Uint8Array>,
): Record<string, string> | undefined {
  const names: Record<string, string> = {};
  for (const i of new Set(Object.values(buttons.checklists))) {
    const checklist = artifact.checklists[i];
    if (!checklist) continue;
    names[i] = `checklist-${i}.json`;
    files[names[i]] = asciiJson(checklist);
  }
  return Object.keys(names).length > 0 ? names : undefined;
}

/**
 * Run time: checklist `i` from its own file while rest.json is not parsed (the same checklist as
 * `checklists[i]`, and that very object once rest.json is).
 */
function checklistReader(
  names: Record<string, string>,
  text: (name: string) => string,
  parsedRest: () => Rest | undefined,
  restOf: () => Rest,
): (i: number) => Checklist | undefined {
  const alone = new Map<number, Checklist>();
  return (i) => {
    const rest = parsedRest();
    if (rest) return rest.checklists[i];
    const name = Object.hasOwn(names, i) ? names[i] : undefined;
    if (name === undefined) return restOf().checklists[i];
    let checklist = alone.get(i);
    if (!checklist) {
      checklist = JSON.parse(text(name)) as Checklist;
      if (typeof checklist?.id !== 'string' || !Array.isArray(checklist.items))
        throw new SplitArtifactError(`${name}: not a checklist`);
      alone.set(i, checklist);
    }
    return checklist;
  };
}

/**
 * `artifact.checklists[i]`: a split artifact reads that checklist's own file when it has one, rather than
 * parsing rest.json (model/split.ts `declaredChecklistFiles`).
 */
export function checklistAt(artifact: Pick<Artifact, 'checklists'>, i: number): Checklist | undefined {
  const read = (artifact as { [CHECKLIST_AT]?: (i: number) => Checklist | undefined })[CHECKLIST_AT];
  return read ? read(i) : artifact.checklists[i];
}

export function isSplitIndex(data: unknown): data is SplitIndex {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === SPLIT_FORMAT;
}

/**
 * An index of an earlier split format (`split-1`: ids, titles and terms as JSON). The bundle ships the
 * artifact built with its own code, so no deployed function meets one; a local build is rebuilt.
 */
export function isOlderSplitIndex(data: unknown): boolean {
  const format =
    typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  return typeof format === 'string' && format.startsWith('split-') && format !== SPLIT_FORMAT;
}

/** Thrown when a file of a split artifact is missing or malformed. */
export class SplitArtifactError extends Error {
  override readonly name = 'SplitArtifactError';
}

/**
 * Run time: the artifact over a split index; `read(name)` reads one of its files synchronously (on first
 * need: the section files and rest.json only when something reads them); `readParts(name, parts)` reads
 * parts of one (`[start, length]` in bytes) for the postings, which are never read whole (absent: `read`
 * whole, then cut).
 *
 * Nothing here costs in proportion to the corpus at open: ids, titles and terms stay bytes in their string
 * tables and are decoded one by one when read; `sections`, `search.ids` and `search.terms` are lists whose
 * items are made on first access (a search at 100× the corpus touches its candidates, not 20,600
 * sections); a runbook's section ids are decoded when its `sections` is first read.
 */
export function openSplitArtifact(
  index: SplitIndex,
  read: (name: string) => Uint8Array,
  readParts: (name: string, parts: readonly (readonly [number, number])[]) => Uint8Array[] = partsOfWhole(
    read,
  ),
): Artifact {
  checkIndex(index);
  const { sections: heads, files } = index;
  const directives = heads.directives ?? {};
  const n = heads.count;
  const idTable = new StringTable(read(files.ids), files.ids);
  const titleTable = new StringTable(read(files.titles), files.titles);
  const parents = int32s(read(files.parents), files.parents, n);
  const sliceOf = int32s(read(files.sliceOf), files.sliceOf, n);
  if (idTable.length !== n || titleTable.length !== n)
    throw new SplitArtifactError(`${files.ids}, ${files.titles}: not ${n} sections`);
  const idCache = new Array<string | undefined>(n);
  const idOf = (i: number): string => (idCache[i] ??= idTable.at(i));
  // Titles the ranking reads (its candidates') are decoded once.
  const titleCache = new Array<string | undefined>(n);
  const titleOf = (i: number): string => (titleCache[i] ??= titleTable.at(i));

  // Position of each section within its slice (its items are its sections in document order), counted per
  // slice on the first read of one of its sections: a runbook's slice holds sections its runbook lists
  // (those no earlier runbook lists), so only that runbook's are looked at, not every section.
  const within = new Int32Array(n).fill(-1);
  const runbookLists = new Map<number, number[]>();
  const runbookSections = (k: number): number[] => {
    let list = runbookLists.get(k);
    if (!list) {
      list = sectionNumbers(index.runbooks[k]!.sections);
      runbookLists.set(k, list);
    }
    return list;
  };
  const countWithin = (slice: number): void => {
    const members =
      slice < index.runbooks.length
        ? runbookSections(slice)
            .filter((j) => j >= 0 && j < n && sliceOf[j] === slice)
            .sort((a, b) => a - b)
            .filter((j, x, sorted) => x === 0 || sorted[x - 1] !== j)
        : Array.from({ length: n }, (_, j) => j).filter((j) => sliceOf[j] === slice);
    members.forEach((j, position) => {
      within[j] = position;
    });
  };
  const text = (name: string) => asBuffer(read(name)).toString('utf8');
  const sectionAt = partedLists(files.slices, heads.parts, (name) => {
    const list = JSON.parse(text(name)) as Section[];
    if (!Array.isArray(list)) throw new SplitArtifactError(`${name}: not a list of sections`);
    return list;
  });
  const whole = (i: number): Section => {
    if (within[i] === -1) countWithin(sliceOf[i]!);
    const { item: section, name } = sectionAt(sliceOf[i]!, within[i]!);
    if (!section || section.id !== idOf(i))
      throw new SplitArtifactError(`${name}: section ${idOf(i)} not where the index says`);
    return section;
  };

  const handler: ProxyHandler<Head> = {
    get: (head, key) => {
      const i = head[INDEX];
      if (key === 'id') return idOf(i);
      if (key === 'title') return titleOf(i);
      if (key === 'parent') return parents[i]! < 0 ? null : idOf(parents[i]!);
      if (key === 'directives') return directives[i] ?? NO_DIRECTIVES;
      return (SECTION_KEYS as readonly PropertyKey[]).includes(key)
        ? (whole(i) as unknown as Record<PropertyKey, unknown>)[key]
        : undefined;
    },
    has: (head, key) => (SECTION_KEYS as readonly PropertyKey[]).includes(key) || key in head,
    ownKeys: () => [...SECTION_KEYS],
    getOwnPropertyDescriptor: (head, key) =>
      (SECTION_KEYS as readonly PropertyKey[]).includes(key)
        ? { value: handler.get?.(head, key, head), enumerable: true, configurable: true, writable: false }
        : undefined,
    set: () => false,
  };
  const sections: Section[] = lazyList<Section>(
    n,
    (i) => new Proxy({ [INDEX]: i } as Head, handler) as unknown as Section,
    {
      [LOOKUP]: {
        get: (id: string) => {
          const i = numberOf(id);
          return i === undefined ? undefined : sections[i];
        },
      },
    },
  );

  const bytes = (name: string) => {
    const b = read(name);
    // In place when aligned (a large file is a read of its own); else a copy aligned for typed arrays (a
    // small file may come from a shared, unaligned pool).
    return b.byteOffset % 8 === 0 ? b : new Uint8Array(b);
  };
  const offsets = uint32s(bytes(files.postingsIndex));
  const termTable = new StringTable(read(files.terms), files.terms);
  const termCount = index.search.termCount;
  if (offsets.length !== termCount + 1 || termTable.length !== termCount)
    throw new SplitArtifactError(
      `${files.postingsIndex}, ${files.terms}: ${offsets.length - 1} postings, ${termTable.length} terms, the index has ${termCount}`,
    );
  const terms = lazyList<string>(termCount, (t) => termTable.at(t));
  const reader = postingsReaderOver(files.postings, offsets, read, readParts);
  const postings = lazyList<number[]>(termCount, (t) => pairsOf(reader.range(t, t + 1)));
  const { ids: searchIds, termCount: _, termsSorted, synonymTables, ...words } = index.search;
  const sectionIds = lazyList<string>(n, idOf);
  const ids = searchIds ?? sectionIds;
  // The search reads the numbers as they are in the file (`documentNumbers`); `search.norms` and
  // `search.lengths` are plain arrays, as the whole artifact has them, copied on first read (~5 numbers per
  // section: `Array.from` over 103,000 at 100× the corpus was ~20 ms of a cold start).
  const numbers = {
    norms: float64s(bytes(files.norms)),
    lengths: float64s(bytes(files.lengths)),
  };
  const search = { ...words, ids, terms, postings } as SearchData;
  // A text table's file (model/text-table.ts), searched as its bytes; one cut short is refused, not read.
  const tableFile = (file: string, length: number | undefined) => {
    const value = read(file);
    if (value.byteLength !== length)
      throw new SplitArtifactError(`${file}: ${value.byteLength} bytes, the index has ${length}`);
    return new TableBytes(value);
  };
  const learnedFile = files.learned;
  if (words.learned && learnedFile !== undefined) {
    const { tableLength, ...fields } = words.learned;
    const learned = { ...fields } as LearnedData;
    readOnFirstUse(learned, 'table', () => tableFile(learnedFile, tableLength));
    search.learned = learned;
  }
  for (const key of ['norms', 'lengths'] as const)
    readOnFirstUse(search, key, () => plainArray(numbers[key]));
  readOnFirstUse(search, 'synonyms', () => textRecord(tableFile(files.synonyms, synonymTables.synonyms)));
  const stemsFile = files.synonymStems;
  if (stemsFile !== undefined)
    readOnFirstUse(search, 'synonymStems', () =>
      textRecord(tableFile(stemsFile, synonymTables.synonymStems)),
    );
  const fuzzyFile = files.fuzzy;
  if (fuzzyFile === undefined) search.fuzzy = null;
  else
    readOnFirstUse(search, 'fuzzy', () => {
      const value = JSON.parse(text(fuzzyFile)) as SearchData['fuzzy'];
      if (!value || !Array.isArray(value.words))
        throw new SplitArtifactError(`${fuzzyFile}: not the typo matcher's words and index`);
      return value;
    });

  let rest: Rest | undefined;
  const restOf = (): Rest => {
    if (!rest) {
      const parsed = JSON.parse(text(files.rest)) as Rest;
      for (const key of ['checklists', 'trees', 'contacts', 'escalationPaths'] as const)
        if (!Array.isArray(parsed[key])) throw new SplitArtifactError(`${files.rest}: "${key}" missing`);
      rest = parsed;
    }
    return rest;
  };
  const artifact = {
    version: index.version,
    sourceHash: index.sourceHash,
    ...(index.commit !== undefined ? { commit: index.commit } : {}),
    runbooks: index.runbooks.map((r) => {
      const { sections: listed, ...rest } = r;
      const out = { ...rest } as RunbookFile;
      // Decoded on first read (an answer's trust line reads a runbook's file name, not its section ids).
      readOnFirstUse(out, 'sections', () => sectionNumbers(listed).map(idOf));
      return out;
    }),
    sections,
    search,
  } as Partial<Artifact>;
  // Only the parts the whole artifact had (an older artifact lacks the optional ones): same keys, same values.
  for (const key of index.restKeys)
    Object.defineProperty(artifact, key, { get: () => restOf()[key], enumerable: true, configurable: true });
  if (index.procedures && index.files.procedures) {
    const { sections: procSections, files: procFiles, parts } = index.procedures;
    const names = index.files.procedures;
    const procedureAt = partedLists(names, parts, (name) => {
      const list = JSON.parse(text(name)) as Checklist[];
      if (!Array.isArray(list)) throw new SplitArtifactError(`${name}: not a list of procedures`);
      return list;
    });
    // Position of each procedure within its file.
    const counts = new Array<number>(names.length).fill(0);
    const withinFile = procFiles.map((f) => counts[f]!++);
    const at = (i: number): Checklist => {
      const { item: p, name } = procedureAt(procFiles[i]!, withinFile[i]!);
      if (!p) throw new SplitArtifactError(`${name}: procedure ${i} missing`);
      return p;
    };
    let all: Checklist[] | undefined;
    Object.defineProperty(artifact, 'procedures', {
      get: () => {
        all ??= procFiles.map((_, i) => at(i));
        return all;
      },
      enumerable: true,
      configurable: true,
    });
    const lookup = (sectionId: string): Checklist | undefined => {
      // By the section's number (found through its runbook): no id of another procedure is decoded.
      const number = numberOf(sectionId);
      const i = number === undefined ? -1 : procSections.indexOf(number);
      if (i >= 0) return at(i);
      // A procedure whose section is not in the index (none today): the whole list answers.
      return procSections.includes(-1) ? all?.find((p) => p.sectionId === sectionId) : undefined;
    };
    Object.defineProperty(artifact, PROCEDURE_OF, { value: lookup, enumerable: false });
  }
  Object.defineProperty(artifact, COMMANDS, { value: index.checklistCommands, enumerable: false });
  Object.defineProperty(artifact, BUTTONS, { value: index.buttons, enumerable: false });
  if (index.files.checklists)
    Object.defineProperty(artifact, CHECKLIST_AT, {
      value: checklistReader(index.files.checklists, text, () => rest, restOf),
      enumerable: false,
    });
  const cards = index.files.cards;
  if (cards) {
    const read = (id: string): unknown => {
      const i = numberOf(id);
      const name = i === undefined || !Object.hasOwn(cards, i) ? undefined : cards[i];
      return name === undefined ? undefined : JSON.parse(text(name));
    };
    Object.defineProperty(artifact, CARD_OF, { value: read, enumerable: false });
  }
  // A section's number by its id: its runbook (the id's file) lists it, a few dozen ids to compare.
  let runbookOf: Map<string, number> | undefined;
  const numberOf = (id: string): number | undefined => {
    const cut = id.lastIndexOf('#');
    const file = cut >= 0 ? id.slice(0, cut) : id;
    if (!runbookOf) {
      runbookOf = new Map();
      index.runbooks.forEach((r, k) => {
        if (!runbookOf?.has(r.file)) runbookOf?.set(r.file, k);
      });
    }
    const k = runbookOf.get(file);
    for (const i of k === undefined ? [] : runbookSections(k)) if (idOf(i) === id) return i;
    // Sections no runbook lists (none today) have a file of their own: their ids are compared.
    if (files.slices.length > index.runbooks.length)
      for (let i = 0; i < n; i++) if (sliceOf[i] === index.runbooks.length && idOf(i) === id) return i;
    return undefined;
  };
  const known: Numbered = {
    ids: sectionIds,
    parents,
    directives,
    numberOf,
    titleOf,
    terms,
    termsSorted,
    postings,
    numbers,
    reader,
    byId: { get: (id) => (typeof id === 'string' ? numberOf(id) : undefined) },
    typoIndex: fuzzyFile !== undefined,
  };
  Object.defineProperty(artifact, NUMBERED, { value: known, enumerable: false });
  return artifact as Artifact;
}

/** What a split artifact knows of its sections by number. */
interface Numbered {
  ids: readonly string[];
  parents: Int32Array;
  directives: Record<string, Section['directives']>;
  numberOf(id: string): number | undefined;
  titleOf(i: number): string;
  byId: DocumentIndex;
  terms: readonly string[];
  termsSorted: boolean;
  /** The search's `postings`, and runs of terms' rows read from the file (see `postingsReader`). */
  postings: readonly number[][];
  reader: PostingsReader;
  /** The search's norms and lengths as stored (float64). */
  numbers: DocumentNumbers;
  /** Whether `files.fuzzy` holds a typo matcher's index (`search.fuzzy`, read on first use). */
  typoIndex: boolean;
}

/** Per document and field, the length norm; per document, its weighted token count (`SearchData`'s). */
export interface DocumentNumbers {
  norms: Float64Array;
  lengths: Float64Array;
}

/** One term's documents, as the search reads them (similarity.ts `Postings`). */
export interface DecodedPostings {
  docs: Int32Array;
  /** Bit i: the term is in SEARCH_KEYS[i]. */
  masks: Uint8Array;
  /** Occurrences, weighted by the fields' weights. */
  counts: Int32Array;
}

/** Finds a document's number by its section id (a `Map`'s `get`). */
export interface DocumentIndex {
  get(id: string): number | undefined;
}

const INDEX = Symbol('section index');
/** Most sections have no directives: one shared, frozen empty set rather than 20,600 objects at 100×. */
const NO_DIRECTIVES: Section['directives'] = Object.freeze({});
const COMMANDS = Symbol('checklist commands');
const PROCEDURE_OF = Symbol('procedure of a section');
const NUMBERED = Symbol('sections by number');
const BUTTONS = Symbol('section buttons');
const CHECKLIST_AT = Symbol('checklist by index');
const CARD_OF = Symbol('answer card by section id');

/**
 * The answer card the build wrote for section `id` (`splitArtifact`'s `cards`), read from its file each time
 * (the renderer keeps what it makes of it): undefined for a section without one, or a whole artifact.
 */
export function answerCardOf(artifact: object, id: string): unknown {
  return (artifact as { [CARD_OF]?: (id: string) => unknown })[CARD_OF]?.(id);
}

/**
 * Section id → the declared checklist whose procedure holds it (the section, or its nearest ancestor that
 * has one: index into `checklists`) and the first decision tree with a leaf on it (its id). Only the
 * sections that have one.
 */
export interface SectionButtons {
  checklists: Record<string, number>;
  trees: Record<string, string>;
}

/** Build time: the buttons of every section, as `declaredChecklist` and `treeIdFor` find them. */
function buttonsOf(artifact: Artifact): SectionButtons {
  const checklistAt = new Map<string, number>();
  artifact.checklists.forEach((c, i) => {
    if (!checklistAt.has(c.sectionId)) checklistAt.set(c.sectionId, i);
  });
  const parentOf = new Map(artifact.sections.map((s) => [s.id, s.parent]));
  const out: SectionButtons = { checklists: {}, trees: {} };
  for (const s of artifact.sections) {
    const seen = new Set<string>();
    for (let cur: string | null | undefined = s.id; cur && !seen.has(cur); cur = parentOf.get(cur)) {
      seen.add(cur);
      const i = checklistAt.get(cur);
      if (i !== undefined) {
        out.checklists[s.id] = i;
        break;
      }
    }
  }
  for (const t of artifact.trees)
    for (const n of Object.values(t.nodes))
      if (n.target && !Object.hasOwn(out.trees, n.target)) out.trees[n.target] = t.id;
  return out;
}

/** A split artifact's section buttons, from its index (undefined: a whole artifact or an older index). */
export function sectionButtons(artifact: object): SectionButtons | undefined {
  return (artifact as { [BUTTONS]?: SectionButtons })[BUTTONS];
}

/**
 * Each search document's parent document (-1: none), when a split artifact's search documents are its
 * sections in order, each id once (the usual case): the index holds them as numbers, so setting up the
 * search needs no map from id to section nor a walk through one. Undefined otherwise (then the caller
 * walks the sections).
 */
export function documentParents(artifact: Artifact): ArrayLike<number> | undefined {
  const known = numbered(artifact);
  return known && known.ids === artifact.search.ids ? known.parents : undefined;
}

/**
 * With `documentParents`: a document's number by its section id, found through its runbook (no map of
 * every id is built). Undefined when `documentParents` is.
 */
export function documentIndex(artifact: Artifact): DocumentIndex | undefined {
  const known = numbered(artifact);
  return known && known.ids === artifact.search.ids ? known.byId : undefined;
}

/**
 * With `documentParents`: a document's title and directives by its number, read from the index without
 * making its section's handle. Undefined when `documentParents` is.
 */
export function documentFields(
  artifact: Artifact,
):
  | { titleOf(doc: number): string | undefined; directivesOf(doc: number): Section['directives'] | undefined }
  | undefined {
  const known = numbered(artifact);
  if (!known || known.ids !== artifact.search.ids) return undefined;
  const n = known.ids.length;
  return {
    titleOf: (doc) => (doc >= 0 && doc < n ? known.titleOf(doc) : undefined),
    directivesOf: (doc) => (doc >= 0 && doc < n ? (known.directives[doc] ?? NO_DIRECTIVES) : undefined),
  };
}

/**
 * The sections that have directives, by number (a split artifact's index holds them so): undefined for a
 * whole artifact (then the caller reads each section's).
 */
export function directivesByNumber(
  artifact: Artifact,
): ReadonlyArray<readonly [number, Section['directives']]> | undefined {
  const known = numbered(artifact);
  if (!known || known.ids !== artifact.search.ids) return undefined;
  return Object.entries(known.directives).map(([i, d]) => [Number(i), d] as const);
}

/**
 * A section by its id, in `sections` (an artifact's list): a split artifact's list finds it through its
 * runbook and makes only that section's handle; any other list is mapped once (kept per list).
 */
export function sectionLookup(sections: readonly Section[]): SectionLookup {
  const known = (sections as { [LOOKUP]?: SectionLookup })[LOOKUP];
  if (known) return known;
  let map = byIdCache.get(sections);
  if (!map) {
    map = new Map(sections.map((x) => [x.id, x]));
    byIdCache.set(sections, map);
  }
  return map;
}
/** A section by its id (a `Map`'s `get`). */
export interface SectionLookup {
  get(id: string): Section | undefined;
}
const byIdCache = new WeakMap<readonly Section[], Map<string, Section>>();
const LOOKUP = Symbol('section by id');

/**
 * Whether the search's terms are known sorted and distinct (a split artifact's build checked them): then the
 * vocabulary need not compare every pair at set-up (which decodes every term). Undefined: not known.
 */
/**
 * A split artifact's postings, read by runs of terms' rows straight into typed arrays, without the
 * `number[]` the `postings` list makes (and keeps) per term: at 100× the corpus a first query reads ~200
 * terms' postings (its words and the terms they begin), which are a few runs. Undefined for a whole
 * artifact, or when the search's postings are not the split's own.
 */
export function postingsReader(artifact: Artifact): PostingsReader | undefined {
  const known = numbered(artifact);
  return known && known.postings === artifact.search.postings ? known.reader : undefined;
}

/** A split artifact's norms and lengths as stored (no copy): undefined for a whole artifact. */
export function documentNumbers(artifact: Artifact): DocumentNumbers | undefined {
  const known = numbered(artifact);
  return known && known.postings === artifact.search.postings ? known.numbers : undefined;
}

/**
 * Whether the artifact has a typo matcher's index (`search.fuzzy`), without reading it: a split artifact
 * parses its file on first use (search/lazy.ts asks at set-up, reads it when a query first needs it).
 */
export function hasTypoIndex(artifact: Artifact): boolean {
  return numbered(artifact)?.typoIndex ?? artifact.search.fuzzy !== null;
}

export function termsKnownSorted(artifact: Artifact): boolean | undefined {
  const known = numbered(artifact);
  return known && known.terms === artifact.search.terms ? known.termsSorted : undefined;
}

function numbered(artifact: Artifact): Numbered | undefined {
  return (artifact as Artifact & { [NUMBERED]?: Numbered })[NUMBERED];
}

/**
 * The first numbered procedure whose section is `sectionId` (as `artifact.procedures?.find(...)`): a split
 * artifact reads only the file of that section's runbook.
 */
export function procedureFor(
  artifact: Pick<Artifact, 'procedures'>,
  sectionId: string,
): Checklist | undefined {
  const lookup = (artifact as { [PROCEDURE_OF]?: (id: string) => Checklist | undefined })[PROCEDURE_OF];
  return lookup ? lookup(sectionId) : artifact.procedures?.find((p) => p.sectionId === sectionId);
}

/** What the search's ranking reads of a checklist: its section and its command phrases. */
export interface ChecklistCommands {
  sectionId: string;
  commands: string[];
}

/**
 * The checklists' sections and command phrases: from a split artifact's index when it has them (no
 * rest.json parse), else from the checklists themselves. The same list either way, in the same order.
 */
export function checklistCommands(artifact: Artifact): ChecklistCommands[] {
  const known = (artifact as Artifact & { [COMMANDS]?: ChecklistCommands[] })[COMMANDS];
  return known ?? artifact.checklists.map((c) => ({ sectionId: c.sectionId, commands: c.commands }));
}
/** A section's handle: its number (id, title and parent come from the index's tables). */
interface Head {
  [INDEX]: number;
}

/**
 * `obj[key]` made by `make()` on its first read and kept as a plain property from then on (an ordinary,
 * enumerable property to its readers: JSON and spreading see the value).
 */
function readOnFirstUse<T extends object, K extends keyof T>(obj: T, key: K, make: () => T[K]): void {
  Object.defineProperty(obj, key, {
    get: () => {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    enumerable: true,
    configurable: true,
  });
}

function checkIndex(index: SplitIndex): void {
  const s = index.sections;
  const f = index.files;
  const ok =
    Array.isArray(index.runbooks) &&
    Number.isInteger(s?.count) &&
    Number.isInteger(index.search?.termCount) &&
    Array.isArray(index.restKeys) &&
    Array.isArray(index.checklistCommands) &&
    typeof index.buttons === 'object' &&
    typeof f?.rest === 'string' &&
    Array.isArray(f?.slices) &&
    [f.ids, f.titles, f.terms, f.parents, f.sliceOf, f.synonyms].every((name) => typeof name === 'string') &&
    Number.isInteger(index.search.synonymTables?.synonyms) &&
    // A learned model's table is in a file of its own.
    (index.search.learned === undefined ||
      (typeof f.learned === 'string' && Number.isInteger(index.search.learned.tableLength)));
  if (!ok) throw new SplitArtifactError('index incomplete');
}

/**
 * A list of `n` items made by `make(i)` on first access and kept: an ordinary array to its readers
 * (index, length, iteration, the array methods, JSON), whose items cost only when read. Read-only. Nothing of
 * size `n` is allocated until the first item is read (the store of made items then, one slot per item): a list
 * the first answer never reads costs nothing at all (at 100× the corpus the term lists have ~60,000 items).
 * The Proxy's target is an empty array (`Array.isArray` holds); `length` is answered by the trap, which the
 * Proxy invariants allow for a writable property.
 */
export function lazyList<T>(n: number, make: (i: number) => T, extra?: Record<symbol, unknown>): T[] {
  let items: (T | undefined)[] | undefined;
  // A canonical array index below n ("0", "17"; not "017", "1.5"), read without allocating.
  const index = (key: string | symbol): number => {
    if (typeof key !== 'string' || key.length === 0 || key.length > 10) return -1;
    if (key.length > 1 && key.charCodeAt(0) === 48) return -1;
    let i = 0;
    for (let j = 0; j < key.length; j++) {
      const c = key.charCodeAt(j);
      if (c < 48 || c > 57) return -1;
      i = i * 10 + (c - 48);
    }
    return i < n ? i : -1;
  };
  const item = (i: number): T => {
    items ??= new Array<T | undefined>(n);
    let value = items[i];
    if (value === undefined) {
      value = make(i);
      items[i] = value;
    }
    return value;
  };
  const descriptor = (value: unknown): PropertyDescriptor => ({
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return new Proxy([] as T[], {
    get(target, key, receiver) {
      const i = index(key);
      if (i >= 0) return item(i);
      if (key === 'length') return n;
      if (extra && typeof key === 'symbol' && key in extra) return extra[key];
      return Reflect.get(target, key, receiver);
    },
    has: (target, key) => index(key) >= 0 || Reflect.has(target, key),
    ownKeys: () => [...Array.from({ length: n }, (_, i) => String(i)), 'length'],
    getOwnPropertyDescriptor(target, key) {
      const i = index(key);
      if (i >= 0) return descriptor(item(i));
      // `length` stays non-configurable (as the target's own): only its value is the list's.
      if (key === 'length') return { value: n, writable: true, enumerable: false, configurable: false };
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/**
 * Strings as one file: uint32 count, count + 1 uint32 offsets (little-endian) into the UTF-8 bytes that
 * follow. Read in place: a string is decoded when it is asked for.
 */
function writeStrings(list: readonly string[]): Uint8Array {
  const encoded = list.map((s) => Buffer.from(s, 'utf8'));
  const head = 4 * (list.length + 2);
  const total = encoded.reduce((sum, b) => sum + b.length, head);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(list.length, 0);
  let at = head;
  encoded.forEach((b, i) => {
    out.writeUInt32LE(at - head, 4 * (i + 1));
    b.copy(out, at);
    at += b.length;
  });
  out.writeUInt32LE(at - head, 4 * (list.length + 1));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

class StringTable {
  readonly length: number;
  private readonly bytes: Buffer;
  private readonly view: DataView;
  private readonly base: number;

  constructor(data: Uint8Array, name: string) {
    this.bytes = asBuffer(data);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.length = data.byteLength >= 4 ? this.view.getUint32(0, true) : -1;
    this.base = 4 * (this.length + 2);
    if (this.length < 0 || this.base > data.byteLength)
      throw new SplitArtifactError(`${name}: not a string table`);
    const end = this.view.getUint32(4 * (this.length + 1), true);
    if (this.base + end !== data.byteLength) throw new SplitArtifactError(`${name}: truncated`);
  }

  at(i: number): string {
    const start = this.view.getUint32(4 * (i + 1), true);
    const end = this.view.getUint32(4 * (i + 2), true);
    return this.bytes.toString('utf8', this.base + start, this.base + end);
  }
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function int32s(data: Uint8Array, name: string, n: number): Int32Array {
  if (data.byteLength !== 4 * n) throw new SplitArtifactError(`${name}: not ${n} numbers`);
  // A copy aligned for the typed array (a small file may come from a shared, unaligned pool).
  return new Int32Array(new Uint8Array(data).buffer);
}

/**
 * Build time: the search's postings (per term, `[document delta, mask | count × 32]` pairs as
 * `compile/search-index.ts` writes them) as rows in three fixed-width columns, term after term: every
 * row's document (int32), then every row's count (int32), then every row's field mask (uint8); and where
 * each term's rows start. A reader takes a run of rows with three reads and no decoding: a varint decode
 * of the ~12,000 rows of a first query at 100× the corpus was ~15 ms of a cold start (issue 21).
 */
export function postingRows(postings: readonly (readonly number[])[]): {
  rows: Uint8Array;
  offsets: Uint32Array;
} {
  const offsets = new Uint32Array(postings.length + 1);
  let total = 0;
  postings.forEach((list, t) => {
    if (list.length % 2 !== 0) throw new Error(`postings of term ${t}: not pairs`);
    offsets[t] = total;
    total += list.length / 2;
  });
  offsets[postings.length] = total;
  const rows = new Uint8Array(9 * total);
  const docs = new Int32Array(rows.buffer, 0, total);
  const counts = new Int32Array(rows.buffer, 4 * total, total);
  const masks = rows.subarray(8 * total);
  let row = 0;
  for (const list of postings) {
    let doc = 0;
    for (let i = 0; i < list.length; i += 2) {
      const delta = list[i]!;
      const packed = list[i + 1]!;
      doc += delta;
      const count = Math.floor(packed / 32);
      if (
        !Number.isInteger(delta) ||
        delta < 0 ||
        !Number.isInteger(packed) ||
        packed < 0 ||
        doc > INT32_MAX ||
        count > INT32_MAX
      )
        throw new Error(`postings hold non-negative integers within int32, got ${delta}, ${packed}`);
      docs[row] = doc;
      counts[row] = count;
      masks[row] = packed & 31;
      row++;
    }
  }
  return { rows, offsets };
}

const INT32_MAX = 2 ** 31 - 1;

/** Postings files up to this size are read whole on first need, larger ones by parts. */
const WHOLE_POSTINGS_BYTES = 1024 * 1024;

/**
 * Run time: a split artifact's postings, read by runs of rows (`postingRows`): `range(lo, hi)` is the rows
 * of terms lo to hi − 1 in one list, read from the file there and then (three reads), so a cold start
 * reads its query's terms and never the whole file; `start(t)` is where term t's rows begin.
 */
export interface PostingsReader {
  range(lo: number, hi: number): DecodedPostings;
  start(term: number): number;
}

function postingsReaderOver(
  name: string,
  offsets: Uint32Array,
  read: (name: string) => Uint8Array,
  readRanges: (name: string, parts: readonly (readonly [number, number])[]) => Uint8Array[],
): PostingsReader {
  const total = offsets[offsets.length - 1] ?? 0;
  // A small file is read whole on first need (one read rather than an open and three reads per run: at
  // 1× the corpus, ~200 KiB); a large one by parts.
  let whole: Uint8Array | undefined;
  const readParts =
    9 * total <= WHOLE_POSTINGS_BYTES
      ? (file: string, parts: readonly (readonly [number, number])[]) => {
          whole ??= read(file);
          const all = whole;
          return parts.map(([start, length]) => all.subarray(start, start + length));
        }
      : readRanges;
  return {
    start: (t) => offsets[t]!,
    range(lo, hi) {
      const from = offsets[lo]!;
      const n = offsets[hi]! - from;
      const [docs, counts, masks] = readParts(name, [
        [4 * from, 4 * n],
        [4 * total + 4 * from, 4 * n],
        [8 * total + from, n],
      ]);
      if (docs?.byteLength !== 4 * n || counts?.byteLength !== 4 * n || masks?.byteLength !== n)
        throw new SplitArtifactError(`${name}: truncated`);
      return { docs: int32View(docs), counts: int32View(counts), masks };
    },
  };
}

/** The bytes as int32s: in place when aligned (a read of its own), else copied. */
function int32View(b: Uint8Array): Int32Array {
  return b.byteOffset % 4 === 0
    ? new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4)
    : new Int32Array(new Uint8Array(b).buffer);
}

/** Reads parts of a file out of a whole-file reader (in-memory artifacts, tests). */
function partsOfWhole(
  read: (name: string) => Uint8Array,
): (name: string, parts: readonly (readonly [number, number])[]) => Uint8Array[] {
  return (name, parts) => {
    const whole = read(name);
    return parts.map(([start, length]) => whole.subarray(start, start + length));
  };
}

/** One term's rows as the whole artifact's pairs (`[document delta, mask | count × 32]`). */
function pairsOf(p: DecodedPostings): number[] {
  const out: number[] = [];
  let doc = 0;
  for (let i = 0; i < p.docs.length; i++) {
    out.push(p.docs[i]! - doc, p.masks[i]! + p.counts[i]! * 32);
    doc = p.docs[i]!;
  }
  return out;
}

function float64s(b: Uint8Array): Float64Array {
  return new Float64Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 8));
}

function uint32s(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 4));
}

function plainArray(values: Float64Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}
