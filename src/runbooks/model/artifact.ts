/**
 * Loading the compiled artifact at start-up. A missing, unreadable, old or stale artifact is an error
 * that names the file and says how to rebuild it; the bot never falls back to parsing Markdown.
 */
import { readFile } from 'node:fs/promises';
import { ARTIFACT_VERSION, type Artifact } from './model';
import { hashSources, readRunbookSources } from './source-hash';

export const DEFAULT_ARTIFACT_PATH = 'build/artifact.json';
const REBUILD = 'run `npm run build:artifact`';

export class ArtifactLoadError extends Error {
  override readonly name = 'ArtifactLoadError';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`runbook artifact ${path}: ${reason}`);
  }
}

export interface LoadArtifactOptions {
  /** When given, the artifact must have been built from exactly these runbooks (not stale). */
  runbooksDir?: string;
}

export async function loadArtifact(path: string, options: LoadArtifactOptions = {}): Promise<Artifact> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactLoadError(
      path,
      code === 'ENOENT' ? `missing; ${REBUILD}` : `unreadable (${code ?? err})`,
    );
  }
  const artifact = parseArtifact(text, path);
  if (options.runbooksDir) {
    const hash = hashSources(await readRunbookSources(options.runbooksDir));
    if (hash !== artifact.sourceHash) {
      throw new ArtifactLoadError(
        path,
        `stale: ${options.runbooksDir} changed since it was built; ${REBUILD}`,
      );
    }
  }
  return artifact;
}

/** Parses and checks the artifact's version and top-level shape. */
export function parseArtifact(text: string, path = '<artifact>'): Artifact {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ArtifactLoadError(path, `not valid JSON (${(err as Error).message}); ${REBUILD}`);
  }
  if (typeof data !== 'object' || data === null)
    throw new ArtifactLoadError(path, `not an object; ${REBUILD}`);
  const a = data as Partial<Artifact>;
  if (a.version !== ARTIFACT_VERSION) {
    throw new ArtifactLoadError(
      path,
      `version ${String(a.version)}, this bot needs ${ARTIFACT_VERSION}; ${REBUILD}`,
    );
  }
  const arrays = ['runbooks', 'sections', 'checklists', 'trees', 'contacts', 'escalationPaths'] as const;
  for (const key of arrays) {
    if (!Array.isArray(a[key])) throw new ArtifactLoadError(path, `"${key}" missing; ${REBUILD}`);
  }
  if (!a.search || !Array.isArray(a.search.terms) || !Array.isArray(a.search.postings) || !a.search.fuzzy) {
    throw new ArtifactLoadError(path, `search index missing; ${REBUILD}`);
  }
  if (typeof a.sourceHash !== 'string' || !a.records || !a.templates) {
    throw new ArtifactLoadError(path, `incomplete; ${REBUILD}`);
  }
  return a as Artifact;
}

/**
 * The artifact as the bot ships it: the sections' plain text, code blocks and tables, and the steps' plain
 * text, are emptied. They serve the compiler (search index, lint, records) and nothing at run time reads
 * them (answers render from `markdown`); left out, the file is about a third smaller and a cold start parses
 * it faster (bench/).
 */
export function runtimeArtifact(artifact: Artifact): Artifact {
  return {
    ...artifact,
    sections: artifact.sections.map((s) => ({ ...s, text: '', code: [], tables: [] })),
    checklists: artifact.checklists.map((c) => ({
      ...c,
      items: c.items.map((item) => (item.type === 'step' ? { ...item, text: '' } : item)),
    })),
  };
}
