/** Which runbook sources an artifact was built from: sha256 over every `*.md` name and content. */
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

export function hashSources(sources: readonly RunbookSource[]): string {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(s.file).update('\0').update(s.source).update('\0');
  return hash.digest('hex');
}
