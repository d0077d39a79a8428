/**
 * One file per Lambda entry at cold start. esbuild's code splitting gives each set of entries and `import()`s
 * that share a module a chunk of its own, so the handler's static imports were 16 chunks (17 files with the
 * entry): each file costs the ES module loader a resolve, a read, a parse and a link, about 1 ms apiece on a
 * cold start (bench/cold-only.ts). This second pass bundles the entry and every chunk it imports statically
 * into the entry file, and turns each of those chunks into a facade that re-exports the same bindings from
 * the entry, so the chunks behind `import()` (AWS clients, the store, lazy features) still load only when
 * called and share the entry's module instances (one registry, one artifact cache) instead of copies.
 *
 *   handler.mjs                      the entry and all it imports statically, one module
 *   chunks/<entry>-<name>-<hash>.mjs what `import()` loads, as esbuild split it
 *   chunks/<entry>-chunk-<hash>.mjs  merged into the entry: `export { __m3_a as a, … } from "../handler.mjs"`
 *
 * The source map is carried through: esbuild composes the first pass's maps (linked, `sourceMappingURL`) into
 * the merged file's. The metafile is rewritten to describe the files as written (the merged entry holds the
 * inputs of every chunk it absorbed; a facade holds none and imports the entry), so `chunksOf` and the
 * package tests read the layout that ships.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/** Export names of the merged entry that stand for a chunk's export (`__m<chunk>_<name>`). */
const mergedName = (chunk: number, name: string) => `__m${chunk}_${name}`;

/** Static closure of `entry` in the metafile (outputs keyed relative to `root`), the entry excluded. */
function staticChunks(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>([entry]);
  const visit = (key: string) => {
    for (const i of metafile.outputs[key]?.imports ?? []) {
      if (i.external || i.kind !== 'import-statement' || seen.has(i.path)) continue;
      seen.add(i.path);
      visit(i.path);
    }
  };
  visit(entry);
  seen.delete(entry);
  return [...seen];
}

/**
 * Merges the entry output `entry` (a key of `metafile.outputs`, relative to `root`) with the chunks it imports
 * statically; returns the metafile of the files as they now are. `options`: the first pass's esbuild options
 * (minify, target, source maps, externals are kept).
 */
export async function mergeStaticChunks(
  root: string,
  metafile: Metafile,
  entry: string,
  options: BuildOptions,
): Promise<Metafile> {
  const chunks = staticChunks(metafile, entry);
  if (chunks.length === 0) return metafile;
  const entryFile = resolve(root, entry);
  const entryOut = metafile.outputs[entry]!;
  const lines = [`export { ${entryOut.exports.join(', ')} } from ${JSON.stringify(entryFile)};`];
  chunks.forEach((chunk, i) => {
    const names = metafile.outputs[chunk]!.exports;
    if (names.length > 0)
      lines.push(
        `export { ${names.map((n) => `${n} as ${mergedName(i, n)}`).join(', ')} } from ${JSON.stringify(resolve(root, chunk))};`,
      );
    else lines.push(`import ${JSON.stringify(resolve(root, chunk))};`);
  });
  if (entryOut.exports.includes('default'))
    lines.push(`export { default } from ${JSON.stringify(entryFile)};`);

  const outdir = dirname(entryFile);
  // The first pass gave each file its own `require` (the banner, scripts/bundle.ts REQUIRE_BANNER); merged, they
  // would be one `createRequire` call per file that had one. Each file's banner is blanked as it is read (its
  // line kept, so the first pass's source map still lines up) and the merged file gets the banner once: the
  // code of every merged file then calls the same `require`.
  const banner = options.banner?.js;
  const merged = await build({
    stdin: {
      contents: lines.join('\n'),
      resolveDir: outdir,
      sourcefile: `${basename(entryFile)}.merge.js`,
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: options.target,
    minify: options.minify,
    sourcemap: options.sourcemap === 'linked' ? 'linked' : false,
    sourcesContent: false,
    legalComments: 'none',
    outfile: entryFile,
    logLevel: 'warning',
    ...(banner ? { banner: { js: banner } } : {}),
    plugins: [
      {
        name: 'keep-lazy-chunks-and-externals',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            // `import()`: the chunk stays a file of its own; its path is now relative to the entry's folder.
            if (args.kind === 'dynamic-import' && args.path.startsWith('.')) {
              const target = resolve(dirname(args.importer), args.path);
              return { path: `./${relative(outdir, target)}`, external: true };
            }
            // Node built-ins and the first pass's externals (yaml, dynalite, the runtime's SDK).
            if (!args.path.startsWith('.') && !args.path.startsWith('/')) return { external: true };
            // A require() left in the first pass's output is resolved at run time, from the merged entry's
            // folder (scripts/defer-modules.ts: the deferred @slack/web-api beside the entries).
            if (args.kind === 'require-call') return { path: args.path, external: true };
            return undefined;
          });
          if (banner)
            b.onLoad({ filter: /\.mjs$/ }, (args) => {
              const text = readFileSync(args.path, 'utf8');
              if (!text.startsWith(`${banner}\n`)) return undefined;
              return { contents: text.slice(banner.length), loader: 'js', resolveDir: dirname(args.path) };
            });
        },
      },
    ],
  });
  for (const file of merged.outputFiles) writeFileSync(file.path, file.contents);

  // The merged chunks become facades over the entry: a lazily loaded chunk that imports one gets the entry's
  // bindings, live, and no second copy of the module.
  const outputs: Metafile['outputs'] = { ...metafile.outputs };
  const inputs: Metafile['outputs'][string]['inputs'] = { ...entryOut.inputs };
  const imports = entryOut.imports.filter((i) => i.kind !== 'import-statement' || i.external);
  chunks.forEach((chunk, i) => {
    const out = metafile.outputs[chunk]!;
    Object.assign(inputs, out.inputs);
    for (const imp of out.imports)
      if ((imp.kind !== 'import-statement' || imp.external) && !imports.some((x) => x.path === imp.path))
        imports.push(imp);
    const from = `./${relative(dirname(resolve(root, chunk)), entryFile)}`;
    const facade = `export { ${out.exports.map((n) => `${mergedName(i, n)} as ${n}`).join(', ')} } from ${JSON.stringify(from)};\n`;
    writeFileSync(
      resolve(root, chunk),
      out.exports.length > 0 ? facade : `import ${JSON.stringify(from)};\n`,
    );
    rmSync(resolve(root, `${chunk}.map`), { force: true });
    delete outputs[`${chunk}.map`];
    outputs[chunk] = {
      bytes: Buffer.byteLength(readFileSync(resolve(root, chunk))),
      inputs: {},
      imports: [{ path: entry, kind: 'import-statement' }],
      exports: out.exports,
    };
  });
  outputs[entry] = { ...entryOut, bytes: readFileSync(entryFile).length, inputs, imports };
  if (outputs[`${entry}.map`])
    outputs[`${entry}.map`] = { ...outputs[`${entry}.map`]!, bytes: readFileSync(`${entryFile}.map`).length };
  return { inputs: metafile.inputs, outputs };
}
