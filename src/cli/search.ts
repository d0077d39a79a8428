/**
 * `runbook search [--json] [--limit N] [--stdin] [--artifact file] <words…>`. Loads the compiled artifact;
 * only when there is none (or it is stale) does it compile `runbooks/` in memory, saying so on stderr.
 */
import { createInterface } from 'node:readline';
import { ArtifactLoadError, DEFAULT_ARTIFACT_PATH, loadArtifact } from '../runbooks/model/artifact';
import type { Artifact, Section } from '../runbooks/model/model';
import { createSearch, type RunbookSearch, type SearchResponse } from '../runbooks/search/search';
import { parseArgs, positiveInt, UsageError } from './args';
import type { CliIO } from './io';

export const SEARCH_USAGE =
  'usage: runbook search [--json] [--limit N] [--artifact file] <words…>\n' +
  '       runbook search --stdin [--limit N]   (one query per line in, one JSON object per line out)\n';

const DEFAULT_RUNBOOKS_DIR = 'runbooks';

export async function searchCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['json', 'stdin'], ['limit', 'artifact', 'runbooks']);
  const limit = positiveInt('limit', args.values.get('limit'), 5);
  const words = args.positionals.join(' ');
  const stdin = args.flags.has('stdin');
  if (stdin && words.trim()) throw new UsageError('--stdin reads queries from input; give no words');
  if (!stdin && !words.trim()) throw new UsageError('search needs words');

  const artifact = await artifactFor(args.values.get('artifact'), args.values.get('runbooks'), io);
  const search = createSearch(artifact);
  if (stdin) return searchLines(search, limit, io);

  const response = search.search(words, { limit });
  if (args.flags.has('json')) io.out(`${JSON.stringify(toJson(response))}\n`);
  else io.out(toText(response));
  return response.confident ? 0 : 1;
}

async function searchLines(search: RunbookSearch, limit: number, io: CliIO): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const response = search.search(line, { limit });
    const json = response.query ? toJson(response) : { ...toJson(response), error: 'empty query' };
    io.out(`${JSON.stringify(json)}\n`);
  }
  return 0;
}

async function artifactFor(
  path: string | undefined,
  runbooksDir: string | undefined,
  io: CliIO,
): Promise<Artifact> {
  if (path) return loadArtifact(path);
  const dir = runbooksDir ?? DEFAULT_RUNBOOKS_DIR;
  try {
    return await loadArtifact(DEFAULT_ARTIFACT_PATH, { runbooksDir: dir });
  } catch (err) {
    if (!(err instanceof ArtifactLoadError)) throw err;
    io.err(`note: ${err.message}; compiling ${dir}/ in memory\n`);
    const { compileRunbooks } = await import('../runbooks/compile/compile.js');
    return compileRunbooks(dir, { skipTrees: true });
  }
}

interface JsonHit {
  file: string;
  headings: string[];
  anchor: string;
  score?: number;
}

function hit(section: Section, score?: number): JsonHit {
  const h: JsonHit = { file: section.file, headings: section.headings, anchor: section.anchor };
  if (score !== undefined) h.score = score;
  return h;
}

export function toJson(r: SearchResponse) {
  return {
    query: r.query,
    results: r.results.map((x) => hit(x.section, x.score)),
    confident: r.confident,
    suggestions: r.suggestions.map((s) => hit(s)),
  };
}

function toText(r: SearchResponse): string {
  if (!r.confident) {
    const lines = [`No good match for "${r.query}".`];
    if (r.suggestions.length) {
      lines.push('Did you mean:');
      for (const s of r.suggestions) lines.push(`  - ${s.headings.join(' › ')}  (${s.file}#${s.anchor})`);
    }
    return `${lines.join('\n')}\n`;
  }
  const lines: string[] = [];
  r.results.forEach((x, i) => {
    lines.push(`${i + 1}. ${x.section.headings.join(' › ')}  [${x.score.toFixed(3)}]`);
    lines.push(`   ${x.section.file}#${x.section.anchor}`);
    if (x.section.summary) lines.push(`   ${x.section.summary}`);
  });
  return `${lines.join('\n')}\n`;
}
