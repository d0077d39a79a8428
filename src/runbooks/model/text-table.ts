/**
 * A string → string table kept as text: `key<TAB>value` lines in the string order of their keys (the order
 * of `Array.prototype.sort` and of `<`), read in place by binary search. Nothing is built when it is read:
 * a cold start pays a file read for it, not a JSON parse into a dictionary of thousands of keys (the search's
 * synonym tables were half the split index's bytes and half of its parse, 1.5 of 3.3 ms). The learned
 * model's table (compile/learn.ts) has the same shape. Pure.
 */

/**
 * The table's text for `record` (what `textRecord` reads): its entries as lines sorted by key, ASCII
 * alone: a character beyond it (and the backslash) is written `\u00e3`, so that the file decodes on Node's
 * ASCII path and V8 holds it one byte a character (one `ã` in "são paulo" would make all of it two). A key
 * or value holding a tab or a newline cannot be a line of it, and an empty key could not be found: refused.
 */
export function writeTextTable(record: Readonly<Record<string, string>>): string {
  return Object.keys(record)
    .map((key) => {
      const value = record[key] ?? '';
      if (key === '' || /[\t\n]/.test(key) || /[\t\n]/.test(value))
        throw new Error(`text table: ${JSON.stringify(key)} cannot be a line (empty, tab or newline)`);
      return [escaped(key), escaped(value)] as const;
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}\t${value}`)
    .join('\n');
}

/** A character the table's text writes as `\uXXXX`: beyond ASCII, or the backslash itself. */
const ESCAPED = /[^\x00-\x7f]|\\/;

function escaped(s: string): string {
  return ESCAPED.test(s)
    ? s.replace(new RegExp(ESCAPED, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : s;
}

function unescaped(s: string): string {
  return s.includes('\\')
    ? s.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : s;
}

/**
 * The value of `key` in `table` (as `writeTextTable` wrote it: the key is looked up escaped, the value read
 * back unescaped), or undefined: a binary search over the text's characters, each probe
 * widened to its line. Nothing is built first: a table of ten thousand lines costs a cold start no loop over
 * it (a loop that long is made hot enough for V8's optimizing compiler, whose memory showed in the cold
 * start's peak RSS).
 */
export function findInTextTable(table: TextTable, key: string): string | undefined {
  const wanted = escaped(key);
  const value = typeof table === 'string' ? findInText(table, wanted) : findInBytes(table.bytes, wanted);
  return value === undefined ? undefined : unescaped(value);
}

/**
 * A table as it was written: its text, or the bytes of its file (UTF-8), searched as they are read: the
 * split artifact's tables are not decoded at all (decoding the learned model's 357 KB was 1.7 ms of a cold
 * start, for the dozen lines a query reads).
 */
export type TextTable = string | TableBytes;

/** A table file's bytes (UTF-8), searched in place; JSON sees its text, the whole artifact's value. */
export class TableBytes {
  readonly bytes: Buffer;
  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  toJSON(): string {
    return this.bytes.toString('utf8');
  }
}

function findInText(table: string, key: string): string | undefined {
  let lo = 0; // the first character of a line not yet ruled out
  let hi = table.length; // one past the last character not yet ruled out
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // `lo` is always a line's start, so the line of `mid` starts at `lo` or after it.
    const start = table.lastIndexOf('\n', mid - 1) + 1;
    const newline = table.indexOf('\n', start);
    const end = newline < 0 ? table.length : newline;
    const tab = table.indexOf('\t', start);
    if (tab < 0 || tab > end) throw notALine(start); // a damaged file: nothing in it to trust
    const found = table.slice(start, tab);
    if (found === key) return table.slice(tab + 1, end);
    if (found < key) lo = end + 1;
    else hi = start;
  }
  return undefined;
}

/** A table that is not one (a line without its tab): refused, never read as a table missing some keys. */
export class TextTableError extends Error {
  override name = 'TextTableError';
}

function notALine(at: number): TextTableError {
  return new TextTableError(`text table: the line at ${at} has no tab (the file is damaged)`);
}

const NEWLINE = 10;
const TAB = 9;

/**
 * `findInText` over the UTF-8 bytes of the table: keys compared byte by byte, which is their string order for
 * ASCII (what `writeTextTable` writes) and for every character below the surrogates.
 */
function findInBytes(table: Buffer, key: string): string | undefined {
  const wanted = Buffer.from(key, 'utf8');
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // A negative offset would search from the end: the first line starts at 0.
    const start = mid === 0 ? 0 : table.lastIndexOf(NEWLINE, mid - 1) + 1;
    const newline = table.indexOf(NEWLINE, start);
    const end = newline < 0 ? table.length : newline;
    const tab = table.indexOf(TAB, start);
    if (tab < 0 || tab > end) throw notALine(start);
    const order = wanted.compare(table, start, tab);
    if (order === 0) return table.toString('utf8', tab + 1, end);
    if (order > 0) lo = end + 1;
    else hi = start;
  }
  return undefined;
}

/** The table's text, decoded if it is bytes (to write it again: `splitArtifact` of an opened artifact). */
export function textOf(table: TextTable): string {
  return typeof table === 'string' ? table : table.toJSON();
}

/**
 * `table` (as `writeTextTable` writes it) as a read-only record: `Object.hasOwn`, `record[key]`, `in`, `Object.keys` / `entries`, spreading
 * and JSON see its entries as own, enumerable properties, and what a record would inherit (`toString`) is
 * inherited still. A key is found by `findInTextTable`; the list of keys is made only when something lists
 * them (never on the search's path). Writes are refused (a TypeError in strict code).
 */
export function textRecord(table: TextTable): Readonly<Record<string, string>> {
  let keys: string[] | undefined;
  const own = (key: string | symbol): string | undefined =>
    typeof key === 'string' ? findInTextTable(table, key) : undefined;
  return new Proxy({} as Record<string, string>, {
    get: (target, key, receiver) => own(key) ?? Reflect.get(target, key, receiver),
    has: (target, key) => own(key) !== undefined || Reflect.has(target, key),
    getOwnPropertyDescriptor: (_, key) => {
      const value = own(key);
      return value === undefined
        ? undefined
        : { value, writable: false, enumerable: true, configurable: true };
    },
    ownKeys: () => {
      keys ??= keysOf(textOf(table));
      return [...keys];
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
    setPrototypeOf: () => false,
    // Frozen or sealed it would break the traps above (the invariants of a non-extensible target).
    preventExtensions: () => false,
  });
}

function keysOf(text: string): string[] {
  return text === '' ? [] : text.split('\n').map((line) => unescaped(line.slice(0, line.indexOf('\t'))));
}
