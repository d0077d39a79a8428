/**
 * Internal links resolve: `[x](#anchor)` in the same file, `[x](OTHER.md#anchor)` / `[x](OTHER.md)` in
 * the runbook directory, `[id]: target` definitions and `<a href>` alike. External URLs are not fetched.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Slugger } from '../compile/markdown';
import type { LintFile } from './files';
import type { LintIssue } from './issue';

const INLINE = /\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const HREF = /<a\s[^>]*href=["']([^"']+)["']/gi;

/** Anchors of each file, as GitHub makes them from the heading texts. */
export function anchorsFromHeadings(files: readonly LintFile[]): Map<string, Set<string>> {
  return new Map(
    files.map((f) => {
      const slugger = new Slugger();
      return [f.name, new Set(f.headings.map((h) => slugger.slug(h.text)))];
    }),
  );
}

export function checkLinks(
  dir: string,
  files: readonly LintFile[],
  anchors: Map<string, Set<string>>,
): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const f of files) {
    f.lines.forEach((raw, k) => {
      if (f.fenced.has(k + 1)) return;
      const line = raw.replace(/`[^`]*`/g, '``');
      const targets = [...line.matchAll(INLINE), ...line.matchAll(HREF)].map((m) => m[1]!);
      const def = DEFINITION.exec(line);
      if (def) targets.push(def[1]!);
      for (const target of targets) {
        const problem = checkTarget(dir, f.name, target, anchors);
        if (problem) issues.push({ file: f.path, line: k + 1, message: problem });
      }
    });
  }
  return issues;
}

function checkTarget(
  dir: string,
  from: string,
  target: string,
  anchors: Map<string, Set<string>>,
): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return null;
  const hash = target.indexOf('#');
  const pathPart = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? null : safeDecode(target.slice(hash + 1));
  const file = pathPart === '' ? from : posix.normalize(posix.join(posix.dirname(from), pathPart));
  const known = anchors.get(file);
  if (!known) {
    if (!existsSync(join(dir, file))) return `broken link ${target}: no such file in the runbooks`;
    return null;
  }
  if (anchor === null || anchor === '') return null;
  if (known.has(anchor)) return null;
  const where = pathPart === '' ? 'this file' : file;
  return `broken link ${target}: no heading in ${where} has the anchor #${anchor}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
