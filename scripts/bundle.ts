/**
 * Bundles the Lambda entry points into dist/lambda/ for `serverless.yml` to package as-is:
 *
 *   dist/lambda/handler.mjs (+ .map)   Slack events, commands, interactions, deferred work (src/entry/lambda.ts):
 *                                      all a cold start loads, in one file
 *   dist/lambda/alarm.mjs   (+ .map)   SNS CloudWatch alarm notifications (src/entry/alarm.ts), likewise
 *   dist/lambda/chunks/<entry>-*.mjs   what src loads with `await import()` (AWS SDK clients, the store, the
 *                         (+ .map)     SSM secrets reader, lazy features): loaded only when used; and
 *                                      facades of the chunks merged into the entry (scripts/merge-chunks.ts)
 *   dist/lambda/artifact.json          the compiled runbooks (build/artifact.json, from `npm run build:artifact`),
 *   dist/lambda/artifact/*             split: the search index in artifact.json, the rest in artifact/ loaded on
 *                                      first need (src/runbooks/model/split.ts)
 *   dist/lambda/approvers.yaml         role → Slack IDs (runbooks/approvers.yaml, validated, written as JSON)
 *   dist/iam-scope.json                Route 53 resources, failover switches and warm-up functions the runbooks
 *                                      declare; serverless.yml scopes IAM to them
 *
 * ES modules with code splitting, minified, linked source maps, `platform: node`, `target: node22`, one build
 * per entry, then each entry merged with the chunks it imports statically (`buildLambdaEntries`). Lambda
 * resolves the handler `dist/lambda/handler.handler` to handler.mjs. Splitting keeps the dynamic `import()`s
 * of src out of the entry, so a cold start parses and compiles only what the search path needs (in one
 * CommonJS file every lazily imported module still costs its bytes at load: 1.9 MB, 203 ms to the first
 * answer against 123 ms split, bench/cold-only.ts); the merge makes that one file instead of 17 (about 1 ms
 * of the ES module loader per file). Bolt and its dependencies are
 * CommonJS and call `require()`: a banner gives every output file a `require` (`createRequire`).
 * The bundle fails when a module that belongs to build time (mermaid, jsdom, marked: the runbook compiler's;
 * any file of src/runbooks/compile/ or src/runbooks/lint/) is pulled into it.
 *
 *   npx tsx scripts/bundle.ts [--sdk=bundled|external] [--outdir=dist/lambda]
 *     [--artifact=build/artifact.json] [--approvers=runbooks/approvers.yaml]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { runtimeArtifact, staleBeside } from '../src/runbooks/model/artifact';
import { ARTIFACT_VERSION, type Artifact, type FailoverRecord } from '../src/runbooks/model/model';
import { asciiJson, splitArtifact } from '../src/runbooks/model/split';
import { answerCards } from '../src/slack/render/answer';
import { type Approvers, loadApprovers } from '../src/workflows/approvers';
import { assertFacadesInEntries, buildDeferredFiles, deferModules } from './defer-modules';
import { mergeStaticChunks } from './merge-chunks';

/**
 * `bundled`: the AWS SDK v3 is inside the bundle (the version in package-lock.json, tree-shaken).
 * `external`: `@aws-sdk/*` and `@smithy/*` are left to the copy the Lambda Node.js runtime ships.
 */
export type SdkMode = 'bundled' | 'external';

/** Chosen from measurements (README, "The package: bundle, size, permissions"): the SDK is bundled. */
export const DEFAULT_SDK_MODE: SdkMode = 'bundled';

export const ENTRY_POINTS = { handler: 'src/entry/lambda.ts', alarm: 'src/entry/alarm.ts' } as const;

/** Build-time only: their presence in a Lambda bundle means the runbook compiler leaked into runtime code. */
export const FORBIDDEN_PACKAGES = ['mermaid', 'jsdom', 'marked'] as const;

/** The build-time half of src/runbooks (docs/architecture.md): the Lambda ships only model/ and search/. */
export const FORBIDDEN_SOURCES = ['src/runbooks/compile/', 'src/runbooks/lint/'] as const;

/**
 * Required at load by `@slack/bolt`'s index for the receivers the Lambda never builds (ExpressReceiver,
 * SocketModeReceiver, HTTPReceiver's body reader), and half the bundle with their dependencies (undici,
 * iconv-lite, mime-db), and `@slack/oauth` (with jsonwebtoken, jws and semver), which only the OAuth
 * installer of those receivers uses: the Lambda authorizes from config and never installs an app. In the
 * Lambda bundle they are a stub that throws if anything ever calls into it; test/deploy/bundle-commands
 * runs every command, signed, through the bundled handler to prove nothing does. Measured effect: see
 * the README, "The package: bundle, size, permissions". Stubbed alike in the bare Bolt baselines; Bolt's own
 * files that only those receivers use are stubbed in our bundle only (scripts/defer-modules.ts
 * `LAMBDA_UNUSED_BOLT_MODULES`).
 */
export const LAMBDA_STUBBED_PACKAGES = ['express', '@slack/socket-mode', 'raw-body', '@slack/oauth'] as const;

/**
 * Left out of the bundle and absent on Lambda (see `esbuildOptions`). `yaml`: the bundle ships the approvers
 * file as JSON (`approversAsJson`), so the function never parses YAML; leaving the parser out takes 112 KiB
 * off what every cold start loads (bench/results). A YAML file pointed at by APPROVERS_FILE on Lambda is
 * refused with a message saying so (src/workflows/approvers.ts).
 */
export const LAMBDA_EXTERNAL_PACKAGES = ['dynalite', 'yaml'] as const;

export interface BundleOptions {
  root?: string;
  outdir?: string;
  sdk?: SdkMode;
  artifact?: string;
  approvers?: string;
  /** Where the IAM scope file goes (default: the parent of outdir, so it is not shipped in the zip). */
  iamScopeFile?: string;
  entryPoints?: Record<string, string>;
}

export interface BundleResult {
  outdir: string;
  /** Output file → bytes (JavaScript and source maps). */
  sizes: Record<string, number>;
  metafile: Metafile;
  iamScope: IamScope;
}

export class ForbiddenModuleError extends Error {
  constructor(readonly modules: string[]) {
    super(`Lambda bundle must not include ${modules.join(', ')} (build-time only; see scripts/bundle.ts)`);
    this.name = 'ForbiddenModuleError';
  }
}

export async function bundle(options: BundleOptions = {}): Promise<BundleResult> {
  const root = resolve(options.root ?? process.cwd());
  const outdir = resolve(root, options.outdir ?? 'dist/lambda');
  const sdk = options.sdk ?? DEFAULT_SDK_MODE;
  const artifactPath = resolve(root, options.artifact ?? 'build/artifact.json');
  const approversPath = resolve(root, options.approvers ?? 'runbooks/approvers.yaml');
  const iamScopeFile = resolve(root, options.iamScopeFile ?? join(dirname(outdir), 'iam-scope.json'));

  // Check the inputs first: a bundle without its runbooks would deploy a bot that cannot start.
  const artifact = readArtifact(artifactPath);
  if (!existsSync(approversPath)) throw new Error(`${relative(root, approversPath)} not found`);
  // The Lambda has no runbooks to compare with: only here can a stale artifact (runbooks edited since it was
  // built: a gate's approvers, a step) or one of another version be stopped before it ships.
  if (artifact.version !== ARTIFACT_VERSION)
    throw new Error(
      `${relative(root, artifactPath)} is artifact version ${String(artifact.version)}, this build reads ${ARTIFACT_VERSION}: run \`npm run build:artifact\``,
    );
  // The runbooks beside the approvers file, when every runbook the artifact was built from is there (an
  // approvers file kept elsewhere has nothing beside it to compare with).
  const runbooksDir = dirname(approversPath);
  if (await staleBeside(artifact, runbooksDir))
    throw new Error(
      `${relative(root, artifactPath)} is stale: ${relative(root, runbooksDir) || '.'} changed since it was built. Run \`npm run build:artifact\` (npm run package does).`,
    );

  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });

  const entryPoints = Object.fromEntries(
    Object.entries(options.entryPoints ?? ENTRY_POINTS).map(([name, file]) => [name, resolve(root, file)]),
  );
  const entries = await buildLambdaEntries({ root, outdir, sdk, entryPoints, defer: true });
  assertFacadesInEntries(
    entries,
    Object.keys(entryPoints).map((name) => outputKey(entries, entryFile(outdir, name), root)),
  );
  // What the entries load on first use (scripts/defer-modules.ts), beside them.
  const deferred = await buildDeferredFiles(root, outdir, esbuildOptions(sdk));
  for (const file of Object.keys(deferred.outputs))
    if (file.endsWith('.cjs')) assertOneByteSource(resolve(root, file));
  const result = {
    metafile: {
      inputs: { ...entries.inputs, ...deferred.inputs },
      outputs: { ...entries.outputs, ...deferred.outputs },
    },
  };
  assertNoForbiddenModules(result.metafile);

  writeRuntimeArtifact(artifact, outdir);
  // Validated here (a bad file fails the build, not the first cold start) and shipped as JSON, which is YAML
  // too: the function then reads it without loading the YAML parser (src/workflows/approvers.ts).
  writeFileSync(
    join(outdir, 'approvers.yaml'),
    `${JSON.stringify(approversAsJson(loadApprovers(approversPath)))}\n`,
  );
  const iamScope = iamScopeFromArtifact(artifact);
  mkdirSync(dirname(iamScopeFile), { recursive: true });
  writeFileSync(iamScopeFile, `${JSON.stringify(iamScope, null, 2)}\n`);

  const sizes: Record<string, number> = {};
  for (const file of Object.keys(result.metafile.outputs))
    sizes[relative(root, resolve(root, file))] = statSync(resolve(root, file)).size;
  return { outdir, sizes, metafile: result.metafile, iamScope };
}

/**
 * Builds each entry on its own (one esbuild build per entry, its chunks named `chunks/<entry>-…`), then merges
 * the entry with the chunks it imports statically (scripts/merge-chunks.ts): a cold start loads one file.
 * Separate builds, because esbuild splits out what entries share, and the two Lambda functions never run in
 * one process: each gets its own copy of what both use. Returns the metafile of all files as written (keys
 * relative to `root`).
 */
export async function buildLambdaEntries(input: {
  root: string;
  outdir: string;
  sdk: SdkMode;
  entryPoints: Record<string, string>;
  /**
   * Our bundle: load what the search path never calls on first use (scripts/defer-modules.ts). The bare Bolt
   * baselines are built without it.
   */
  defer?: boolean;
}): Promise<Metafile> {
  const all: Metafile = { inputs: {}, outputs: {} };
  for (const [name, file] of Object.entries(input.entryPoints)) {
    const base = esbuildOptions(input.sdk);
    const options = {
      ...base,
      chunkNames: `chunks/${name}-[name]-[hash]`,
      ...(input.defer ? { plugins: [deferModules(input.root), ...(base.plugins ?? [])] } : {}),
    };
    const { metafile } = await build({
      ...options,
      absWorkingDir: input.root,
      entryPoints: { [name]: file },
      outdir: input.outdir,
    });
    const entry = outputKey(metafile, entryFile(input.outdir, name), input.root);
    const merged = await mergeStaticChunks(input.root, metafile, entry, options);
    Object.assign(all.inputs, merged.inputs);
    Object.assign(all.outputs, merged.outputs);
  }
  for (const file of Object.keys(all.outputs))
    if (file.endsWith(OUT_EXTENSION)) assertOneByteSource(resolve(input.root, file));
  return all;
}

/**
 * Fails on a character above U+00FF in a built file. esbuild escapes such characters in strings and
 * identifiers but writes them as they are in regular expression literals (`/[’‘]/`); one of them makes V8
 * hold the whole file's source two bytes a character (UTF-16) instead of one (Latin-1): 250 KiB more of
 * live memory at every cold start, and a slower decode and scan (issue 21). Write `\u2019` instead.
 */
export function assertOneByteSource(file: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[^\u0000-\u00ff]/);
  if (at < 0) return;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  throw new Error(
    `${file}:${line}:${at - before.lastIndexOf('\n')}: U+${text.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0')} ` +
      `in ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}: write it as a \\u escape in the source (scripts/bundle.ts assertOneByteSource)`,
  );
}

/** The artifact's file in the bundle (RUNBOOK_ARTIFACT points at it). */
export const RUNTIME_ARTIFACT_FILE = 'artifact.json';

/**
 * Writes the artifact as the function loads it, into `dir`: split (src/runbooks/model/split.ts), so a cold
 * start parses the search index and nothing else, at any corpus size. Returns the file RUNBOOK_ARTIFACT
 * names (`artifact.json`; its other files in `artifact/`).
 */
export function writeRuntimeArtifact(artifact: Artifact, dir: string): string {
  const file = join(dir, RUNTIME_ARTIFACT_FILE);
  const runtime = runtimeArtifact(artifact);
  // Each symptom's first screen made now by the renderer (issue 21): a first answer reads one small file
  // instead of the section's Markdown and running the Markdown renderer on it.
  const { index, files } = splitArtifact(runtime, { cards: answerCards(runtime) });
  const folder = join(dir, RUNTIME_ARTIFACT_FILE.replace(/\.json$/, ''));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [name, contents] of Object.entries(files)) writeFileSync(join(folder, name), contents);
  writeFileSync(file, asciiJson(index));
  return file;
}

/** The output file of an entry point (`handler` → `<outdir>/handler.mjs`). */
export function entryFile(outdir: string, name: string): string {
  return join(outdir, `${name}${OUT_EXTENSION}`);
}

/** The metafile's key of an output file (outputs are keyed relative to the build's working directory). */
export function outputKey(metafile: Metafile, file: string, root = process.cwd()): string {
  const key = Object.keys(metafile.outputs).find((k) => resolve(root, k) === resolve(root, file));
  if (key === undefined) throw new Error(`${file} is not an output of this build`);
  return key;
}

/**
 * The JavaScript outputs that load with `entry`: itself and the chunks it imports statically, transitively
 * (what a cold start parses before the handler is ready). With `dynamic`, also every chunk reachable
 * through `import()`: everything the entry can ever run.
 */
export function chunksOf(metafile: Metafile, entry: string, options: { dynamic?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !metafile.outputs[key]) return;
    seen.add(key);
    for (const i of metafile.outputs[key].imports) {
      if (i.external) continue;
      if (i.kind === 'import-statement' || (options.dynamic && i.kind === 'dynamic-import')) visit(i.path);
    }
  };
  visit(entry);
  return [...seen];
}

export const OUT_EXTENSION = '.mjs';

/**
 * Gives each ES module output the `require` its bundled CommonJS code (Bolt, its dependencies) calls. Pure (no
 * effect but the binding; annotated so that a later pass drops it where nothing calls `require`); a merged entry
 * has it once (scripts/merge-chunks.ts), not once per file merged into it.
 */
export const REQUIRE_BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = /* @__PURE__ */ __bundleCreateRequire(import.meta.url);";

export function esbuildOptions(sdk: SdkMode): BuildOptions & { metafile: true } {
  return {
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Each `import()` of src becomes its own chunk, loaded when first called; code shared by the entry
    // points goes to chunks too.
    splitting: true,
    outExtension: { '.js': OUT_EXTENSION },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: REQUIRE_BANNER },
    minify: true,
    // Linked maps without sources: stack traces map to file:line (NODE_OPTIONS=--enable-source-maps) and
    // the zip stays small.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    // dynalite is the embedded store of local runs and tests (a devDependency with a native LevelDB
    // binding); Lambda uses DynamoDB, so it stays out of the bundle and must only ever be imported lazily.
    // yaml: see LAMBDA_EXTERNAL_PACKAGES.
    external: [...LAMBDA_EXTERNAL_PACKAGES, ...(sdk === 'external' ? ['@aws-sdk/*', '@smithy/*'] : [])],
    metafile: true,
    logLevel: 'warning',
    plugins: [stubPackages(LAMBDA_STUBBED_PACKAGES), builtinsByRequire()],
  };
}

/**
 * A static `import { readFileSync } from 'node:fs'` in an ES module makes Node build the builtin's module
 * facade, which reads every export of it once, lazy getters included: `node:crypto`'s `webcrypto` and
 * `subtle` load WebCrypto, `node:fs`'s `promises` and `ReadStream` load fs/promises and the file streams,
 * none of which the bot uses (about 1-2 ms of a cold start, issue 21). Bundled CommonJS code (Bolt) gets its
 * builtins through `require`, which reads nothing: this routes the static imports of builtins through the
 * same `require` (REQUIRE_BANNER), one `require(…).name` per name the importer imports (`importedNames`,
 * `requireFacade`): only what is used is read, once, and esbuild binds it directly, with no CommonJS wrapper
 * and no interop copy of the builtin's every export (esbuild's `__toESM` defines a getter per export of
 * `node:fs`, `node:crypto`… at load, and each use then goes through one). An import this cannot list (default,
 * namespace, bare, re-export) gets the whole module (`module.exports = require(…)`), as before. Applied to
 * every build with these options, the bare Bolt baselines included.
 */
export function builtinsByRequire(): Plugin {
  return {
    name: 'builtins-by-require',
    setup(build) {
      const sources = new Map<string, string | undefined>();
      const sourceOf = (file: string) => {
        if (!sources.has(file)) sources.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
        return sources.get(file);
      };
      build.onResolve({ filter: /^node:/ }, (args) => {
        if (args.kind !== 'import-statement') return undefined;
        const source = args.namespace === 'file' ? sourceOf(args.importer) : undefined;
        const names = source === undefined ? undefined : importedNames(source, args.path);
        return {
          path: names ? `${args.path}?${names.join(',')}` : args.path,
          namespace: 'builtin-by-require',
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => {
        const [specifier, list] = args.path.split('?') as [string, string | undefined];
        return {
          loader: 'js',
          contents:
            list === undefined
              ? `module.exports = require(${JSON.stringify(specifier)});`
              : requireFacade(specifier, list.split(',')),
        };
      });
    },
  };
}

/**
 * The names `source` (a TypeScript or JavaScript module) imports from `specifier` by static named imports
 * (`import { a, b as c, type T } from 'x'`: `a`, `b`; type-only imports left out), sorted and unique; undefined
 * when it imports it in any other way too (default, namespace, bare `import 'x'`, `export … from 'x'`), names
 * something that cannot be a `const` (`default`, a string name), or when no such import is found.
 */
export function importedNames(source: string, specifier: string): string[] | undefined {
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (new RegExp(`\\bimport\\s*(['"])${quoted}\\1`).test(source)) return undefined;
  const statement = new RegExp(`\\b(import|export)\\b([^;'"\`]*?)\\bfrom\\s*(['"])${quoted}\\3`, 'g');
  const names = new Set<string>();
  for (const [, keyword, clause] of source.matchAll(statement)) {
    if (keyword === 'export') return undefined;
    const body = clause!.trim();
    if (/^type\s*\{/.test(body)) continue;
    const braces = /^\{([^{}]*)\}$/.exec(body);
    if (!braces) return undefined;
    for (const part of braces[1]!.split(',')) {
      const item = part.trim();
      if (item === '' || /^type\s/.test(item)) continue;
      const name = item.split(/\s+as\s+/)[0]!.trim();
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || name === 'default') return undefined;
      names.add(name);
    }
  }
  return names.size > 0 ? [...names].sort() : undefined;
}

/**
 * An ES module with `names` of the builtin `specifier`, each read once from its `require` when the bundle loads
 * (`export const readFileSync = require("node:fs").readFileSync;`).
 */
export function requireFacade(specifier: string, names: readonly string[]): string {
  return names
    .map((name) => `export const ${name} = /* @__PURE__ */ require(${JSON.stringify(specifier)}).${name};`)
    .join('\n');
}

export function stubPackages(names: readonly string[]): Plugin {
  const escapeRegExp = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exact = new RegExp(`^(${names.map(escapeRegExp).join('|')})$`);
  return {
    name: 'stub-packages',
    setup(build) {
      build.onResolve({ filter: exact }, (args) => ({ path: args.path, namespace: 'lambda-stub' }));
      build.onLoad({ filter: /.*/, namespace: 'lambda-stub' }, (args) => ({
        loader: 'js',
        // Loading it is harmless (Bolt only keeps a reference); using it is a bug in the bundle's setup.
        contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is stubbed out of the Lambda bundle (scripts/bundle.ts)`)}); };
module.exports = new Proxy(fail, { get: (_, key) => (key === '__esModule' ? false : fail), construct: fail, apply: fail });`,
      }));
    },
  };
}

/**
 * Throws when any input of the bundle comes from a forbidden package or source folder (inputs are keyed
 * relative to the build's working directory, the repository root).
 */
export function assertNoForbiddenModules(metafile: Metafile): void {
  const found = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    for (const name of FORBIDDEN_PACKAGES) {
      if (new RegExp(`(^|/)node_modules/${name}/`).test(input)) found.add(name);
    }
    for (const folder of FORBIDDEN_SOURCES) if (input.startsWith(folder)) found.add(input);
  }
  if (found.size > 0) throw new ForbiddenModuleError([...found].sort());
}

/**
 * The Route 53 resources the bot may read and change: exactly those of the runbooks' `records=` tables, so
 * the IAM policy and the records the failover checklist acts on cannot drift apart. ARNs use the `aws`
 * partition; record names are normalised the way Route 53's condition keys compare them.
 */
export interface IamScope {
  route53: {
    hostedZoneArns: string[];
    /** The records tables' checks and every check a `switch=` section names (calculated, its children). */
    healthCheckArns: string[];
    /** For `route53:ChangeResourceRecordSetsNormalizedRecordNames`: lower case, no trailing dot. */
    recordNames: string[];
    recordTypes: string[];
  };
  /** The failover switches (`switch=` sections): exactly the switch objects and routing controls. */
  switch: {
    objectArns: string[];
    routingControlArns: string[];
  };
  /**
   * The warm-up tables' functions at their qualifiers. The account is CloudFormation's (`Fn::Sub`), so the
   * same bundle deploys to any account; a function the runbook names by ARN keeps its own.
   */
  lambda: {
    provisionedConcurrencyArns: (string | { 'Fn::Sub': string })[];
  };
  /**
   * The canary monitor's reads (`canary-criteria=` tables): `lambda:GetAlias` on each function the table
   * names (unqualified and at its alias), `logs:StartQuery` on each log group it queries.
   */
  canary: {
    functionArns: (string | { 'Fn::Sub': string })[];
    logGroupArns: (string | { 'Fn::Sub': string })[];
  };
}

/** Stands in for an empty list, which IAM rejects: it matches no real resource. */
export const NO_RESOURCE = 'none-declared-in-runbooks';

export function iamScopeFromArtifact(
  artifact: Pick<Artifact, 'records'> & Partial<Pick<Artifact, 'switches' | 'warmups' | 'canary'>>,
): IamScope {
  const records: FailoverRecord[] = Object.values(artifact.records).flat();
  const sets = Object.values(artifact.switches ?? {});
  const switches = sets.flatMap((set) => set.switches);
  const warmups = Object.values(artifact.warmups ?? {}).flat();
  const unique = (values: string[]) => [...new Set(values)].sort();
  const orNone = (values: string[], arn: (id: string) => string) =>
    (values.length > 0 ? values : [NO_RESOURCE]).map(arn);
  const zoneIds = unique(records.map((r) => r.hostedZoneId.replace(/^\/?hostedzone\//, '')));
  const healthCheckIds = unique([
    ...records.flatMap((r) => (r.healthCheckId ? [r.healthCheckId] : [])),
    ...sets.flatMap((set) => [
      set.calculatedHealthCheckId,
      ...set.primaryHealthCheckIds,
      ...set.secondaryHealthCheckIds,
      ...set.switches.map((sw) => sw.healthCheckId),
    ]),
  ]);
  const functionArns = unique(
    warmups.map((w) =>
      w.functionName.startsWith('arn:')
        ? `${w.functionName.split(':').slice(0, 7).join(':')}:${w.qualifier}`
        : `arn:aws:lambda:${w.region}:\${AWS::AccountId}:function:${w.functionName}:${w.qualifier}`,
    ),
  );
  const criteria = Object.values(artifact.canary ?? {});
  const sub = (arns: string[], none: string) =>
    arns.length === 0 ? [none] : arns.map((arn) => (arn.includes('${') ? { 'Fn::Sub': arn } : arn));
  const canaryFunctions = unique(
    criteria.flatMap((c) =>
      c.rows
        .filter((r) => r.function !== 'all' && r.source.kind !== 'alarms' && r.source.kind !== 'unmeasured')
        .flatMap((r) => {
          const fn = `arn:aws:lambda:${c.region}:\${AWS::AccountId}:function:${c.functionName.replace('{function}', r.function)}`;
          return [fn, `${fn}:${c.alias}`];
        }),
    ),
  );
  const logGroups = unique(
    criteria.flatMap((c) =>
      c.rows.flatMap((r) =>
        'logGroup' in r.source
          ? [
              `arn:aws:logs:${c.region}:\${AWS::AccountId}:log-group:${r.source.logGroup}`,
              `arn:aws:logs:${c.region}:\${AWS::AccountId}:log-group:${r.source.logGroup}:*`,
            ]
          : [],
      ),
    ),
  );
  return {
    route53: {
      hostedZoneArns: orNone(zoneIds, (id) => `arn:aws:route53:::hostedzone/${id}`),
      healthCheckArns: orNone(healthCheckIds, (id) => `arn:aws:route53:::healthcheck/${id}`),
      recordNames: orNone(
        unique(records.map((r) => r.name.trim().toLowerCase().replace(/\.$/, ''))),
        (name) => name,
      ),
      recordTypes: orNone(unique(records.map((r) => r.type.toUpperCase())), (type) => type),
    },
    switch: {
      objectArns: orNone(
        unique(switches.flatMap((sw) => (sw.bucket && sw.key ? [`${sw.bucket}/${sw.key}`] : []))),
        (path) => `arn:aws:s3:::${path}`,
      ),
      routingControlArns: orNone(
        unique(switches.flatMap((sw) => (sw.routingControlArn ? [sw.routingControlArn] : []))),
        (arn) =>
          arn === NO_RESOURCE
            ? `arn:aws:route53-recovery-control::*:controlpanel/${NO_RESOURCE}/routingcontrol/${NO_RESOURCE}`
            : arn,
      ),
    },
    lambda: {
      provisionedConcurrencyArns:
        functionArns.length === 0
          ? [`arn:aws:lambda:*:*:function:${NO_RESOURCE}`]
          : functionArns.map((arn) => (arn.includes('${') ? { 'Fn::Sub': arn } : arn)),
    },
    canary: {
      functionArns: sub(canaryFunctions, `arn:aws:lambda:*:*:function:${NO_RESOURCE}`),
      logGroupArns: sub(logGroups, `arn:aws:logs:*:*:log-group:${NO_RESOURCE}`),
    },
  };
}

/** The approvers file's own shape (`roles: { role: [IDs] }`), as JSON. */
export function approversAsJson(approvers: Approvers): { roles: Record<string, string[]> } {
  return {
    roles: Object.fromEntries(
      Object.entries(approvers.roles).map(([role, m]) => [role, [...m.users, ...m.groups]]),
    ),
  };
}

function readArtifact(path: string): Artifact {
  if (!existsSync(path)) throw new Error(`${path} not found: run \`npm run build:artifact\` first`);
  return JSON.parse(readFileSync(path, 'utf8')) as Artifact;
}

function parseArgs(argv: string[]): BundleOptions {
  const options: BundleOptions = {};
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=', 2);
    if (value === undefined) throw new Error(`expected --name=value, got "${arg}"`);
    if (key === 'sdk') {
      if (value !== 'bundled' && value !== 'external') throw new Error('--sdk must be bundled or external');
      options.sdk = value;
    } else if (key === 'outdir' || key === 'artifact' || key === 'approvers') {
      options[key] = value;
    } else {
      throw new Error(`unknown option --${key}`);
    }
  }
  return options;
}

if (require.main === module) {
  bundle(parseArgs(process.argv.slice(2))).then(
    ({ sizes }) => {
      for (const [file, bytes] of Object.entries(sizes))
        console.log(`${file}  ${bytes.toLocaleString('en')} B`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
