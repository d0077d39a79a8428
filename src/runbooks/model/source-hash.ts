/**
 * Which runbook sources an artifact was built from: sha256 over every `*.md` name and content, and what the
 * search learned from (`phrasings.json`, compile/learn.ts) when there was one.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunbookSource {
  file: string;
  source: string;
}

export async function readRunbookSources(dir: string): Promise<RunbookSource[]> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.md')).sort();
  return Promise.all(names.map(async (file) => ({ file, source: await readFile(join(dir, file), 'utf8') })));
}

export function hashSources(sources: readonly RunbookSource[], phrasings?: unknown): string {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(s.file).update('\0').update(s.source).update('\0');
  // As parsed, so the build's object and the file read again hash alike (and no phrasings.json, the same as before).
  if (phrasings !== undefined) hash.update('phrasings.json\0').update(JSON.stringify(phrasings));
  return hash.digest('hex');
}

/** What the search learns from, beside the runbooks (compile/learn.ts). */
export const PHRASINGS_FILE = 'phrasings.json';

/** The directory's phrasings.json as text, or undefined when it has none. */
export async function readPhrasingsText(dir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, PHRASINGS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `hashSources` of a runbooks directory as `compileRunbooks` reads it (its `*.md` and its phrasings.json). */
export async function hashRunbooksDir(dir: string): Promise<string> {
  const [sources, text] = await Promise.all([readRunbookSources(dir), readPhrasingsText(dir)]);
  let phrasings: unknown;
  try {
    phrasings = text === undefined ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (the build refuses that): hashed as none, so the artifact reads stale or fails to build.
  }
  return hashSources(sources, phrasings);
}
