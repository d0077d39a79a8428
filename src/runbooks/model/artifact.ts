/**
 * Loading the compiled artifact at start-up. A missing, unreadable, old or stale artifact is an error
 * that names the file and says how to rebuild it; the bot never falls back to parsing Markdown.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ARTIFACT_VERSION, type Artifact } from './model';
import { hashRunbooksDir } from './source-hash';
import { isOlderSplitIndex, isSplitIndex, openSplitArtifact, type SplitIndex } from './split';

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
  /**
   * Read the file in one blocking call, when nothing could run meanwhile (a cold start with the secrets in
   * the environment): fs/promises' readFile (open, stat, read, close, each a trip to the thread pool) took
   * 1-2 ms longer for the 154 KiB index (issue 21). Not while the secrets are on their way from SSM: the
   * event loop must send that request first.
   */
  blocking?: boolean;
}

export async function loadArtifact(path: string, options: LoadArtifactOptions = {}): Promise<Artifact> {
  let text: string;
  try {
    text = options.blocking ? readFileSync(path, 'utf8') : await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactLoadError(
      path,
      code === 'ENOENT' ? `missing; ${REBUILD}` : `unreadable (${code ?? err})`,
    );
  }
  const data = parseJson(text, path);
  // An older split layout is not read (the bundle ships the artifact its own build wrote): rebuild it.
  if (isOlderSplitIndex(data))
    throw new ArtifactLoadError(
      path,
      `an older split layout (${String((data as { format?: unknown }).format)}); ${REBUILD}`,
    );
  const artifact = isSplitIndex(data) ? openSplit(data, path) : checkArtifact(data, path);
  if (options.runbooksDir) {
    const hash = await hashRunbooksDir(options.runbooksDir);
    if (hash !== artifact.sourceHash) {
      throw new ArtifactLoadError(
        path,
        `stale: ${options.runbooksDir} changed since it was built; ${REBUILD}`,
      );
    }
  }
  return artifact;
}

/**
 * The split form the Lambda bundle ships (model/split.ts): its files sit in a folder named like the index
 * without `.json` (`artifact.json` → `artifact/`), read synchronously on first need.
 */
function openSplit(index: SplitIndex, path: string): Artifact {
  if (index.version !== ARTIFACT_VERSION)
    throw new ArtifactLoadError(
      path,
      `version ${String(index.version)}, this bot needs ${ARTIFACT_VERSION}; ${REBUILD}`,
    );
  const dir = join(dirname(path), basename(path, '.json'));
  const read = (name: string): Uint8Array => {
    try {
      return readFileSync(join(dir, name));
    } catch (err) {
      throw new ArtifactLoadError(
        path,
        `${join(dir, name)} unreadable (${(err as NodeJS.ErrnoException).code ?? err}); ${REBUILD}`,
      );
    }
  };
  // Parts of a file (the postings' rows of a query's terms): one open, a read per part, into buffers of
  // their own (aligned for typed arrays), never the whole file.
  const readParts = (name: string, parts: readonly (readonly [number, number])[]): Uint8Array[] => {
    let fd: number | undefined;
    try {
      fd = openSync(join(dir, name), 'r');
      return parts.map(([start, length]) => {
        const out = new Uint8Array(length);
        for (let got = 0; got < length; ) {
          const n = readSync(fd!, out, got, length - got, start + got);
          if (n === 0) throw new ArtifactLoadError(path, `${join(dir, name)} truncated; ${REBUILD}`);
          got += n;
        }
        return out;
      });
    } catch (err) {
      if (err instanceof ArtifactLoadError) throw err;
      throw new ArtifactLoadError(
        path,
        `${join(dir, name)} unreadable (${(err as NodeJS.ErrnoException).code ?? err}); ${REBUILD}`,
      );
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
  try {
    return openSplitArtifact(index, read, readParts);
  } catch (err) {
    if (err instanceof ArtifactLoadError) throw err;
    throw new ArtifactLoadError(path, `${(err as Error).message}; ${REBUILD}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ArtifactLoadError(path, `not valid JSON (${(err as Error).message}); ${REBUILD}`);
  }
}

/** Parses and checks the artifact's version and top-level shape. */
export function parseArtifact(text: string, path = '<artifact>'): Artifact {
  return checkArtifact(parseJson(text, path), path);
}

function checkArtifact(data: unknown, path: string): Artifact {
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
  // The learned model's table as this bot reads it (one string of lines), not an older build's layout.
  if (a.search.learned !== undefined && typeof a.search.learned?.table !== 'string') {
    throw new ArtifactLoadError(path, `learned model in a layout this bot does not read; ${REBUILD}`);
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

/**
 * Whether `dir` holds the runbooks `artifact` was built from and they changed since (their hash is not the
 * artifact's). It holds them when it holds any of them: a runbook renamed or removed since the build is a
 * change too. A folder with none of them (an approvers file kept with other settings) has nothing to
 * compare: false. The bundle and a self-hosted server check an artifact against the runbooks beside
 * approvers.yaml.
 */
export async function staleBeside(artifact: Artifact, dir: string): Promise<boolean> {
  const built = [...new Set(artifact.sections.map((s) => s.file))];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return false;
  }
  if (!built.some((f) => names.includes(f))) return false;
  return (await hashRunbooksDir(dir)) !== artifact.sourceHash;
}
