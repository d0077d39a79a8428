/**
 * The split artifact (src/runbooks/model/split.ts): what a cold start reads is the index alone, and the
 * artifact it opens is the same artifact, part for part, with the search answering exactly as over the
 * whole one.
 */
import { describe, expect, it } from 'vitest';
import { runtimeArtifact } from '../../../src/runbooks/model/artifact';
import type { Artifact } from '../../../src/runbooks/model/model';
import {
  documentIndex,
  documentNumbers,
  documentParents,
  lazyList,
  openSplitArtifact,
  PLACEMENT,
  partName,
  postingRows,
  postingsReader,
  procedureFor,
  SplitArtifactError,
  sectionLookup,
  splitArtifact,
} from '../../../src/runbooks/model/split';
import { TableBytes, textOf } from '../../../src/runbooks/model/text-table';
import { createSearch } from '../../../src/runbooks/search/search';
import { EVAL_SET } from '../../eval/metrics';
import { loadTestArtifact, openSplitInMemory } from '../../helpers/artifact';

async function split(): Promise<{ whole: Artifact; opened: Artifact; reads: string[] }> {
  // The build records the commit when it knows it; the test corpus is built without one.
  const whole = { ...runtimeArtifact(await loadTestArtifact()), commit: 'abc1234' };
  return { whole, ...openSplitInMemory(whole) };
}

describe('split artifact', () => {
  it('opening it reads only the tables, norms and lengths: no postings, no section body, no checklist', async () => {
    const { reads } = await split();
    expect(reads.sort()).toEqual([
      'ids.str',
      'lengths.f64',
      'norms.f64',
      'parents.i32',
      'postings.idx',
      'slices.i32',
      'terms.str',
      'titles.str',
    ]);
  });

  it('finds a section by its id through its runbook, and none for an unknown id', async () => {
    const { whole, opened } = await split();
    const lookup = sectionLookup(opened.sections);
    for (const s of [whole.sections[0]!, whole.sections[whole.sections.length - 1]!, whole.sections[40]!])
      expect({ ...lookup.get(s.id) }).toEqual(s);
    expect(lookup.get('TROUBLESHOOTING.md#no-such-section')).toBeUndefined();
    expect(lookup.get('NOPE.md#x')).toBeUndefined();
    expect(sectionLookup(whole.sections).get(whole.sections[3]!.id)).toBe(whole.sections[3]);
    const index = documentIndex(opened)!;
    expect(whole.sections.map((s) => index.get(s.id))).toEqual(whole.sections.map((_, i) => i));
  });

  it('refuses a string table that does not match the index', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    const ids = files[index.files.ids] as Uint8Array;
    expect(() =>
      openSplitArtifact(index, (n) =>
        n === index.files.ids ? ids.subarray(0, ids.length - 3) : Buffer.from(files[n] ?? ''),
      ),
    ).toThrow(/ids\.str: truncated/);
  });

  it('gives back every part of the artifact unchanged', async () => {
    const { whole, opened } = await split();
    expect(JSON.parse(JSON.stringify(opened))).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(opened.checklists).toEqual(whole.checklists);
    expect({ ...opened.sections[5] }).toEqual(whole.sections[5]);
    expect(Object.keys(opened.sections[5]!).sort()).toEqual(Object.keys(whole.sections[5]!).sort());
    for (let t = 0; t < whole.search.postings.length; t += 97)
      expect(opened.search.postings[t]).toEqual(whole.search.postings[t]);
    expect([...opened.search.norms]).toEqual(whole.search.norms);
  });

  it("gives the search every term's postings and the norms and lengths as stored, the same numbers", async () => {
    const { whole, opened, reads } = await split();
    const reader = postingsReader(opened);
    const numbers = documentNumbers(opened);
    expect(reader).toBeDefined();
    expect(numbers).toBeDefined();
    // The search's own decode of the whole artifact's pairs (similarity.ts `Vocabulary`).
    for (let t = 0; t < whole.search.postings.length; t++) {
      const raw = whole.search.postings[t]!;
      const docs: number[] = [];
      let doc = 0;
      for (let i = 0; i < raw.length; i += 2) {
        doc += raw[i]!;
        docs.push(doc);
      }
      const got = reader!.range(t, t + 1);
      expect([...got.docs], whole.search.terms[t]).toEqual(docs);
      expect([...got.masks]).toEqual(raw.filter((_, i) => i % 2 === 1).map((p) => p & 31));
      expect([...got.counts]).toEqual(raw.filter((_, i) => i % 2 === 1).map((p) => Math.floor(p / 32)));
    }
    expect([...numbers!.norms]).toEqual(whole.search.norms);
    expect([...numbers!.lengths]).toEqual(whole.search.lengths);
    // Whole artifacts have neither: the search reads their arrays.
    expect(postingsReader(whole)).toBeUndefined();
    expect(documentNumbers(whole)).toBeUndefined();
    expect(reads).not.toContain('rest.json');
  });

  it('reads a run of terms as their rows one after the other, and refuses a truncated postings file', async () => {
    const { whole, opened } = await split();
    const reader = postingsReader(opened)!;
    const lo = whole.search.terms.findIndex((t) => t.startsWith('token'));
    const hi = lo + 6;
    const run = reader.range(lo, hi);
    const one = (t: number) => reader.range(t, t + 1);
    const terms = Array.from({ length: hi - lo }, (_, k) => one(lo + k));
    expect([...run.docs]).toEqual(terms.flatMap((p) => [...p.docs]));
    expect([...run.masks]).toEqual(terms.flatMap((p) => [...p.masks]));
    expect([...run.counts]).toEqual(terms.flatMap((p) => [...p.counts]));
    expect(reader.start(hi) - reader.start(lo)).toBe(run.docs.length);
    expect(() => postingRows([[1, 2, 3]])).toThrow(/not pairs/);

    const { index, files } = splitArtifact(whole);
    const rows = files[index.files.postings] as Uint8Array;
    const cut = openSplitArtifact(index, (n) =>
      n === index.files.postings ? rows.subarray(0, rows.length - 1) : Buffer.from(files[n] ?? ''),
    );
    const last = whole.search.terms.length - 1;
    expect(() => postingsReader(cut)!.range(last, last + 1)).toThrow(/postings\.bin: truncated/);
  });

  it("keeps a runbook's consecutive sections as a run, and any other order as a list", async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index } = splitArtifact(whole);
    expect(index.runbooks.every((r) => !Array.isArray(r.sections))).toBe(true);
    // A runbook listing its sections out of order keeps its list, and both read back as written.
    const first = whole.runbooks[0]!;
    const shuffled = {
      ...whole,
      runbooks: [{ ...first, sections: [...first.sections].reverse() }, ...whole.runbooks.slice(1)],
    };
    const { opened } = openSplitInMemory(shuffled);
    const again = splitArtifact(shuffled).index;
    expect(Array.isArray(again.runbooks[0]!.sections)).toBe(true);
    expect(opened.runbooks).toEqual(shuffled.runbooks);
    const lookup = sectionLookup(opened.sections);
    for (const id of first.sections) expect(lookup.get(id)?.id).toBe(id);
    // Every section's body from its slice (positions counted per runbook) is the whole artifact's.
    for (const i of [0, 7, whole.sections.length - 1])
      expect({ ...opened.sections[i] }).toEqual(whole.sections[i]);
  });

  it('round-trips every field of the artifact, each one present in the test corpus', async () => {
    const { whole, opened } = await split();
    const keys = Object.keys(PLACEMENT) as (keyof Artifact)[];
    // Every field the model declares is placed, and the corpus has each (else this test proves nothing).
    expect(Object.keys(whole).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(whole[key], key).toBeDefined();
      expect(JSON.parse(JSON.stringify(opened[key])), key).toEqual(JSON.parse(JSON.stringify(whole[key])));
    }
    expect(Object.keys(opened).sort()).toEqual(Object.keys(whole).sort());
    expect(Object.keys(whole.procedures ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(whole.canary ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(whole.alarms ?? {}).length).toBeGreaterThan(0);
    expect(whole.runbooks.some((r) => r.owner && r.reviewed)).toBe(true);
    expect(opened.runbooks).toEqual(whole.runbooks);
  });

  it('sets up the search and ranks without reading a section file or rest.json', async () => {
    const { opened, reads } = await split();
    const search = createSearch(opened);
    expect(search.search('token expired').confident).toBe(true);
    expect(search.search('failover to eu-west-1').results.length).toBeGreaterThan(0);
    expect(reads.filter((r) => r.startsWith('runbook-') || r === 'rest.json')).toEqual([]);
    // Directives come from the index, equal to the whole artifact's.
    expect(opened.sections.map((s) => s.directives)).toEqual(
      runtimeArtifact(await loadTestArtifact()).sections.map((s) => s.directives),
    );
  });

  it("keeps the learned model's table in a file of its own, read as bytes on the first confident search", async () => {
    const { whole, opened, reads } = await split();
    const table = textOf(whole.search.learned?.table ?? '');
    expect(table.length).toBeGreaterThan(100_000);
    const { index, files } = splitArtifact(whole);
    expect(index.files.learned).toBe('learned.txt');
    expect(files['learned.txt']).toBe(table);
    expect(JSON.stringify(index)).not.toContain(table.slice(0, 200));
    expect(index.search.learned).not.toHaveProperty('table');
    expect(reads).not.toContain('learned.txt');
    expect(createSearch(opened).search('users keep getting kicked back to the login screen').confident).toBe(
      true,
    );
    expect(reads.filter((r) => r === 'learned.txt')).toEqual(['learned.txt']);
    // Searched as the file's bytes, never decoded; the same text to JSON and to textOf.
    const read = opened.search.learned?.table;
    expect(read).toBeInstanceOf(TableBytes);
    expect(textOf(read ?? '')).toBe(table);
    expect(JSON.parse(JSON.stringify({ read }))).toEqual({ read: table });
  });

  it("finds a section's numbered procedure reading only that runbook's procedures", async () => {
    const { whole, opened, reads } = await split();
    const wanted = whole.procedures![whole.procedures!.length - 1]!;
    expect(procedureFor(opened, wanted.sectionId)).toEqual(wanted);
    expect(reads.filter((r) => r.startsWith('procedures-'))).toHaveLength(1);
    expect(procedureFor(opened, 'NOPE.md#nothing')).toBeUndefined();
    expect(procedureFor(whole, wanted.sectionId)).toEqual(wanted);
  });

  it('reads one runbook file for one answer, not the others', async () => {
    const { opened, reads } = await split();
    const section = opened.sections.find((s) => s.id.startsWith('TROUBLESHOOTING.md#'))!;
    expect(section.markdown.length).toBeGreaterThan(0);
    expect(reads.filter((r) => r.startsWith('runbook-'))).toHaveLength(1);
  });

  it('searches exactly as the whole artifact does, for every evaluation query', async () => {
    const { whole, opened } = await split();
    const a = createSearch(whole);
    const b = createSearch(opened);
    for (const { q } of [...EVAL_SET.tuned, ...EVAL_SET.heldOut]) {
      const x = a.search(q, { limit: 5 });
      const y = b.search(q, { limit: 5 });
      expect(y.results.map((r) => [r.section.id, r.score])).toEqual(
        x.results.map((r) => [r.section.id, r.score]),
      );
      expect(y.suggestions.map((s) => s.id)).toEqual(x.suggestions.map((s) => s.id));
      expect(y.confident).toBe(x.confident);
    }
  });

  it("gives the search each document's parent by number (the whole artifact: by walking its sections)", async () => {
    const { whole, opened } = await split();
    expect(documentParents(whole)).toBeUndefined();
    const position = new Map(whole.sections.map((s, i) => [s.id, i]));
    expect(Array.from(documentParents(opened)!)).toEqual(
      whole.sections.map((s) => (s.parent ? position.get(s.parent) : -1)),
    );
    expect(whole.sections.some((s) => s.parent !== null)).toBe(true);
    // Search documents other than the sections in order: no numbers, the search walks the sections.
    const reordered = { ...whole, search: { ...whole.search, ids: [...whole.search.ids].reverse() } };
    const { index, files } = splitArtifact(reordered);
    const other = openSplitArtifact(index, (name) => Buffer.from(files[name] ?? ''));
    expect(other.search.ids).toEqual(reordered.search.ids);
    expect(documentParents(other)).toBeUndefined();
  });

  it('names the file when a section is not where the index says', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    // The slice's first part (the index says where each part starts).
    expect(index.sections.parts?.[0]?.[0]).toBe(0);
    const name = partName(index.files.slices[0]!, 0);
    const opened = openSplitArtifact(index, (n) =>
      Buffer.from(n === name ? '[]' : (files[n] as string | Uint8Array)),
    );
    expect(() => opened.sections[0]!.markdown).toThrow(SplitArtifactError);
    expect(() => opened.sections[0]!.markdown).toThrow(name);
  });
});

describe('lazyList (the split artifact\u2019s sections, terms and postings)', () => {
  const list = () => {
    const made: number[] = [];
    const items = lazyList(4, (i) => {
      made.push(i);
      return `item ${i}`;
    });
    return { items, made };
  };

  it('is an ordinary read-only array to its readers, each item made once, on its first read', () => {
    const { items, made } = list();
    expect(made).toEqual([]);
    expect(Array.isArray(items)).toBe(true);
    expect(items.length).toBe(4);
    expect(items[2]).toBe('item 2');
    expect(items[2]).toBe('item 2');
    expect(made).toEqual([2]);
    expect(items[4]).toBeUndefined();
    expect(1 in items && !(4 in items)).toBe(true);
    expect([...items]).toEqual(['item 0', 'item 1', 'item 2', 'item 3']);
    expect(items.map((x) => x.length)).toEqual([6, 6, 6, 6]);
    expect(JSON.stringify(items)).toBe('["item 0","item 1","item 2","item 3"]');
    expect(Object.keys(items)).toEqual(['0', '1', '2', '3']);
    expect(items).toEqual(['item 0', 'item 1', 'item 2', 'item 3']);
    expect(made.sort()).toEqual([0, 1, 2, 3]);
    expect(() => {
      (items as string[])[0] = 'changed';
    }).toThrow(TypeError);
    expect(items[0]).toBe('item 0');
  });

  it('allocates nothing of its size until an item is read (a list the first answer never reads costs nothing)', () => {
    const n = 1_000_000;
    const before = process.memoryUsage();
    const items = lazyList(n, (i) => i + 1);
    const after = process.memoryUsage();
    // One slot per item would be 8 MB of heap (and a byte per item, 1 MB, as a made-flag buffer).
    expect(after.heapUsed - before.heapUsed).toBeLessThan(2_000_000);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(100_000);
    expect(items.length).toBe(n);
    expect(items[n - 1]).toBe(n);
  });
});
