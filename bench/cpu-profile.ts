/**
 * Where a cold start spends its time: a V8 CPU profile (`node --cpu-prof`) of a bundled handler, its
 * samples mapped back through the bundle's source map to npm packages and source folders.
 *
 *   npx tsx bench/cpu-profile.ts [--by-file] <file.cpuprofile> [more.cpuprofile ...]
 *
 * Self time is charged to the package of the function that was running; "(program)" is V8 itself (mostly
 * parsing and compiling), "(garbage collector)" is GC. The source map is decoded here (VLQ, no dependency).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Code esbuild wrote itself: the `__commonJS` wrapper that runs a bundled CommonJS module's body. */
const MODULE_BODIES = '(bundle: module bodies)';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Per generated line: sorted [generated column, source index, source line] triples. */
type LineMap = Array<Array<[number, number, number]>>;

function decodeMappings(mappings: string): LineMap {
  const lines: LineMap = [];
  let source = 0;
  let sourceLine = 0;
  for (const line of mappings.split(';')) {
    const segments: Array<[number, number, number]> = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0] ?? 0;
      if (values.length >= 4) {
        source += values[1] ?? 0;
        sourceLine += values[2] ?? 0;
      }
      segments.push([column, source, sourceLine]);
    }
    lines.push(segments);
  }
  return lines;
}

/** `node_modules/@aws-sdk/client-ssm/...` → `@aws-sdk/client-ssm`; `../../src/slack/x.ts` → `src/slack`. */
export function ownerOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)?.[1];
  if (pkg) return pkg;
  const src = /(?:^|\/)(src\/[^/]+|bench\/[^/]+|scripts)(?:\/|$)/.exec(path)?.[1];
  return src ?? path;
}

export class SourceMapped {
  private readonly maps = new Map<string, { sources: string[]; lines: LineMap } | null>();

  /** `by: 'file'` keeps the source file (`src/runbooks/search/similarity.ts`) instead of its package or folder. */
  constructor(private readonly by: 'owner' | 'file' = 'owner') {}

  /** `src/runbooks/model/split.ts:412` (1-based source line) of a generated position, else the file. */
  location(url: string, line: number, column: number): string {
    if (!url) return '(native)';
    const file = url.startsWith('file://') ? new URL(url).pathname : url;
    const map = file.startsWith('/') ? this.mapOf(file) : null;
    const segment = map ? this.segmentAt(map.lines[line] ?? [], column) : undefined;
    const source = map && segment ? map.sources[segment[1]] : undefined;
    const short = (p: string) => p.replace(/^.*?(?:node_modules\/|(?=src\/)|(?=bench\/))/, '');
    // Code esbuild wrote itself (the `__commonJS` wrapper that runs a bundled CommonJS module's body) maps
    // to the chunk it came from: one name for it in every bundle.
    if ((source ?? file).endsWith('.mjs')) return MODULE_BODIES;
    return source ? `${short(source)}:${segment![2] + 1}` : `${short(file)}:${line + 1}`;
  }

  private mapOf(file: string): { sources: string[]; lines: LineMap } | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      const mapFile = `${file}.map`;
      map = null;
      if (existsSync(mapFile)) {
        const raw = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
        map = {
          sources: raw.sources.map((s) => resolve(dirname(file), s)),
          lines: decodeMappings(raw.mappings),
        };
      }
      this.maps.set(file, map);
    }
    return map;
  }

  private segmentAt(segments: Array<[number, number, number]>, column: number) {
    let lo = 0;
    let hi = segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((segments[mid]?.[0] ?? 0) <= column) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 ? segments[found] : undefined;
  }

  owner(url: string, line: number, column: number): string {
    const group =
      this.by === 'file' ? (p: string) => p.replace(/^.*?(?:node_modules\/|(?=src\/))/, '') : ownerOf;
    if (!url) return '(native)';
    const file = url.startsWith('file://') ? new URL(url).pathname : url;
    if (!file.startsWith('/'))
      return file.startsWith('node:') ? (this.by === 'file' ? file : 'node (built-in)') : file;
    const map = this.mapOf(file);
    if (!map) return group(file);
    const segment = this.segmentAt(map.lines[line] ?? [], column);
    const source = segment ? map.sources[segment[1]] : undefined;
    if (source?.endsWith('.mjs')) return MODULE_BODIES;
    return source ? group(source) : group(file);
  }
}

/** Self time per owner (package, source folder or V8 category), ms, largest first. */
export function summarizeProfile(
  profile: CpuProfile,
  by: 'owner' | 'file' = 'owner',
): { totalMs: number; owners: { owner: string; ms: number }[] } {
  const mapped = new SourceMapped(by);
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const name = frame.functionName;
    const owner =
      name === '(program)' || name === '(garbage collector)' || name === '(idle)' || name === '(root)'
        ? name
        : mapped.owner(frame.url, frame.lineNumber, frame.columnNumber);
    totals.set(owner, (totals.get(owner) ?? 0) + us);
    total += us;
  });
  return {
    totalMs: total / 1000,
    owners: [...totals]
      .map(([owner, us]) => ({ owner, ms: Math.round(us / 100) / 10 }))
      .sort((a, b) => b.ms - a.ms),
  };
}

export function summarizeProfileFile(file: string, top = 12, by: 'owner' | 'file' = 'owner'): string {
  const { totalMs, owners } = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, by);
  return [
    `${file}: ${totalMs.toFixed(1)} ms sampled`,
    ...owners.slice(0, top).map(({ owner, ms }) => `  ${ms.toFixed(1).padStart(8)} ms  ${owner}`),
  ].join('\n');
}

/** Every .cpuprofile under `dir` (one level of subfolders, as bench/cold-start.ts writes them). */
export function summarizeProfileDir(dir: string): string {
  const files = readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? readdirSync(join(dir, e.name))
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(dir, e.name, f))
      : e.name.endsWith('.cpuprofile')
        ? [join(dir, e.name)]
        : [],
  );
  return files.map((f) => summarizeProfileFile(f)).join('\n');
}

/**
 * Summed over several profiles, µs: self time per function (source file:line of the function, through the
 * source map; V8's categories by name) and inclusive time per source file (once per sample whatever the
 * number of its frames on the stack).
 */
export function profileTotals(
  files: readonly string[],
  /** Caps each sample's time (µs): a gap much longer than the interval is the process descheduled. */
  capUs = Number.POSITIVE_INFINITY,
): {
  self: Map<string, number>;
  inclusive: Map<string, number>;
} {
  const mapped = new SourceMapped('file');
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const where = new Map<number, string>();
    const at = (id: number): string => {
      let w = where.get(id);
      if (w === undefined) {
        const f = byNode.get(id)!.callFrame;
        w = f.url
          ? `${mapped.location(f.url, f.lineNumber, f.columnNumber)}${f.url.startsWith('node:') ? ` ${f.functionName}` : ''}`
          : f.functionName || '(anonymous native)';
        where.set(id, w);
      }
      return w;
    };
    profile.samples.forEach((id, i) => {
      const us = Math.min(profile.timeDeltas[i] ?? 0, capUs);
      add(self, at(id), us);
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const w = at(cur).replace(/:\d+( .*)?$/, '');
        if (!seen.has(w)) {
          seen.add(w);
          add(inclusive, w, us);
        }
      }
    });
  }
  return { self, inclusive };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const by = args.includes('--by-file') ? 'file' : 'owner';
  for (const file of args.filter((a) => !a.startsWith('--')))
    process.stdout.write(`${summarizeProfileFile(file, 25, by)}\n`);
}
