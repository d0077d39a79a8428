import { describe, expect, it } from 'vitest';
import {
  findInTextTable,
  TableBytes,
  TextTableError,
  textOf,
  textRecord,
  writeTextTable,
} from '../../../src/runbooks/model/text-table';

describe('findInTextTable, the binary search over the table text', () => {
  const words = Array.from({ length: 997 }, (_, i) => `w${(i * 7919) % 997}`).sort();
  const table = words.map((w, i) => `${w}\t${i}:1`).join('\n');

  it('finds every line, the first and the last included, with its own value', () => {
    for (const [i, w] of words.entries()) expect(findInTextTable(table, w)).toBe(`${i}:1`);
  });

  it('finds nothing for a key between, before or after the lines, a prefix of one, or in an empty table', () => {
    for (const absent of ['', 'a', 'w1000', 'w5a', 'w10 ', 'z', 'w'])
      expect(findInTextTable(table, absent)).toBeUndefined();
    expect(findInTextTable('', 'w1')).toBeUndefined();
    expect(findInTextTable('only\t0:1', 'only')).toBe('0:1');
  });

  it('finds the same in the bytes of the table, every line and nothing else, from any byte offset', () => {
    // The bytes inside a larger buffer at an offset, as a file read from a shared pool may be.
    const padded = Buffer.concat([Buffer.from('xxxxxxx'), Buffer.from(table), Buffer.from('yyy')]);
    const bytes = new TableBytes(
      new Uint8Array(padded.buffer, padded.byteOffset + 7, Buffer.byteLength(table)),
    );
    for (const [i, w] of words.entries()) expect(findInTextTable(bytes, w)).toBe(`${i}:1`);
    for (const absent of ['', 'a', 'w1000', 'w5a', 'w10 ', 'z', 'w', 'xxxxxxxw0', 'w996y'])
      expect(findInTextTable(bytes, absent)).toBeUndefined();
    expect(findInTextTable(new TableBytes(Buffer.from('')), 'w1')).toBeUndefined();
    expect(findInTextTable(new TableBytes(Buffer.from('only\t0:1')), 'only')).toBe('0:1');
    expect(textOf(bytes)).toBe(table);
    expect(JSON.stringify({ bytes })).toBe(JSON.stringify({ bytes: table }));
  });

  it('refuses a damaged table, a line without its tab, rather than read it as one missing keys', () => {
    // One tab turned to a space, as a damaged copy may leave it (helper-228: 1,221 answers changed).
    const damaged = table.replace('w5\t', 'w5 ');
    expect(damaged).not.toBe(table);
    const found = (t: string | TableBytes) => words.map((w) => findInTextTable(t, w));
    expect(() => found(damaged)).toThrow(TextTableError);
    expect(() => found(new TableBytes(Buffer.from(damaged)))).toThrow(TextTableError);
    expect(() => findInTextTable('no tab here', 'a')).toThrow(/has no tab/);
  });

  it('finds keys with spaces and values with commas and "=" (the synonym tables), empty values too', () => {
    const record = {
      'time to first byte': 'ttfb,latency',
      ireland: '=eu-west-1,dublin',
      'fail over': 'failover',
      a: '',
      'a b': 'x',
    };
    const text = writeTextTable(record);
    for (const [k, v] of Object.entries(record)) expect(findInTextTable(text, k)).toBe(v);
    expect(findInTextTable(text, 'a b c')).toBeUndefined();
    expect(findInTextTable(text, 'time')).toBeUndefined();
  });
});

describe('writeTextTable', () => {
  it('writes the keys in string order, a line each', () => {
    expect(writeTextTable({ b: '2', a: '1', 'a b': '3' })).toBe('a\t1\na b\t3\nb\t2');
    expect(writeTextTable({})).toBe('');
  });

  it('writes ASCII alone: a character beyond it, and the backslash, as \\uXXXX', () => {
    const text = writeTextTable({ 'são paulo': '=sa-east-1', 'a\\b': 'c:\\d', emoji: '😀 ’' });
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(text).toContain('s\\u00e3o paulo\t=sa-east-1');
    expect(text).toContain('a\\u005cb\tc:\\u005cd');
  });

  it('refuses what cannot be a line: a tab or newline in a key or value, an empty key', () => {
    expect(() => writeTextTable({ 'a\tb': 'x' })).toThrow(/cannot be a line/);
    expect(() => writeTextTable({ a: 'x\ny' })).toThrow(/cannot be a line/);
    expect(() => writeTextTable({ '': 'x' })).toThrow(/cannot be a line/);
  });
});

describe('textRecord, the table as a read-only record', () => {
  const record = {
    'fail over': 'failover',
    ireland: '=eu-west-1',
    lcp: 'largest contentful paint',
    z: '',
    'são paulo': '=sa-east-1, region roles',
    'south america são paulo': '=sa-east-1',
    'back\\slash': '\\u0041 stays as typed',
    emoji: '😀 ’',
  };
  const view = textRecord(writeTextTable(record));

  it('reads as the record it was written from', () => {
    for (const [k, v] of Object.entries(record)) {
      expect(Object.hasOwn(view, k)).toBe(true);
      expect(k in view).toBe(true);
      expect(view[k]).toBe(v);
    }
    expect(Object.keys(view).sort()).toEqual(Object.keys(record).sort());
    expect({ ...view }).toEqual(record);
    expect(JSON.parse(JSON.stringify(view))).toEqual(record);
    expect(view).toEqual(record);
  });

  it('has no own key it was not written with, and inherits what a record inherits', () => {
    for (const absent of ['toString', 'constructor', '__proto__', 'fail', 'ireland ', ''])
      expect(Object.hasOwn(view, absent)).toBe(false);
    expect(view['nothing']).toBeUndefined();
    expect(typeof view.toString).toBe('function');
    expect('toString' in view).toBe(true);
  });

  it('refuses writes', () => {
    const writable = view as Record<string, string>;
    expect(() => {
      writable['fail over'] = 'other';
    }).toThrow(TypeError);
    expect(() => {
      writable['new'] = 'x';
    }).toThrow(TypeError);
    expect(() => delete writable['lcp']).toThrow(TypeError);
    expect(view['fail over']).toBe('failover');
    expect(Object.hasOwn(view, 'new')).toBe(false);
  });

  it('reads the same from the bytes of its file', () => {
    const fromBytes = textRecord(new TableBytes(Buffer.from(writeTextTable(record))));
    for (const [k, v] of Object.entries(record)) {
      expect(Object.hasOwn(fromBytes, k)).toBe(true);
      expect(fromBytes[k]).toBe(v);
    }
    expect(Object.hasOwn(fromBytes, 'toString')).toBe(false);
    expect({ ...fromBytes }).toEqual(record);
  });

  it('cannot be frozen, sealed or made non-extensible, and still reads after an attempt', () => {
    const other = textRecord(writeTextTable(record));
    expect(() => Object.freeze(other)).toThrow(TypeError);
    expect(() => Object.seal(other)).toThrow(TypeError);
    expect(() => Object.preventExtensions(other)).toThrow(TypeError);
    expect(Object.isExtensible(other)).toBe(true);
    expect(Object.hasOwn(other, 'ireland')).toBe(true);
    expect(Object.keys(other).length).toBe(Object.keys(record).length);
  });

  it('is empty for an empty table', () => {
    const empty = textRecord('');
    expect(Object.keys(empty)).toEqual([]);
    expect(Object.hasOwn(empty, 'a')).toBe(false);
  });
});
