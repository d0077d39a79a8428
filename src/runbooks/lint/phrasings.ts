/**
 * runbooks/phrasings.json (what the search learns from, compile/learn.ts) against the runbooks: a file
 * that does not parse, and each query naming a section the runbooks do not have (a heading renamed or
 * removed: the compiler leaves such a query out, so the search silently stops learning it).
 */
import { join } from 'node:path';
import { type Phrasings, parsePhrasings } from '../compile/learn';
import type { Section } from '../model/model';
import { PHRASINGS_FILE, readPhrasingsText } from '../model/source-hash';
import type { LintIssue } from './issue';

export async function checkPhrasings(dir: string, sections: readonly Section[]): Promise<LintIssue[]> {
  const file = join(dir, PHRASINGS_FILE);
  const text = await readPhrasingsText(dir);
  if (text === undefined) return [];
  let phrasings: Phrasings;
  try {
    phrasings = parsePhrasings(text);
  } catch (err) {
    return [
      { file, line: 1, message: `not a phrasings file: ${err instanceof Error ? err.message : String(err)}` },
    ];
  }
  // With no section compiled (the runbooks failed to compile), every id would read as unknown.
  if (sections.length === 0) return [];
  const known = new Set(sections.map((s) => s.id));
  const lineOf = lineFinder(text);
  const issues: LintIssue[] = [];
  for (const x of phrasings.inScope) {
    for (const id of x.expect) {
      if (known.has(id)) continue;
      issues.push({
        file,
        line: lineOf(x.q),
        message: `${JSON.stringify(x.q)} is answered by ${id}, which no section is (a heading renamed or removed?): name the section it is now, or remove the query`,
      });
    }
  }
  return issues;
}

/** The line of a query's `"q"` in the file (1 when not found as written). */
function lineFinder(text: string): (q: string) => number {
  const lines = text.split('\n');
  const byQuery = new Map<string, number>();
  lines.forEach((line, i) => {
    const m = /^\s*"q":\s*(".*"),?\s*$/.exec(line);
    if (!m) return;
    try {
      const q = JSON.parse(m[1]!) as string;
      if (!byQuery.has(q)) byQuery.set(q, i + 1);
    } catch {
      // Not a plain string on one line: found by no query.
    }
  });
  return (q) => byQuery.get(q) ?? 1;
}
