/**
 * What our Lambda bundle loads later than bare Bolt does (issue 21): code the search path never runs, made to
 * load on its first use instead of at module load. Applied to our entries only (`bundle()`); the bare Bolt
 * baselines of the benchmark are built without it, exactly as a Bolt app is.
 *
 * - `@slack/web-api` (WebClient, p-queue, p-retry, eventemitter3, and the builtins it requires: zlib, os, fs,
 *   stream, querystring): Bolt's App requires it at load, makes a WebClient in its constructor and another
 *   per token on the first request, and our search answers in the ack body without ever calling Slack. The
 *   facade (`webApiFacade`) has the package's exports, each read from the real module on first access; a
 *   `WebClient` made through it is a stand-in that makes the real client, with the same arguments, on its
 *   first property access (any call, any field), and forwards everything to it from then on. Bolt's one call
 *   at load, `addAppMetadata(bolt's name and version)`, is kept and handed to the real module when it loads,
 *   so the User-Agent of every Web API call is the same as without the facade.
 * - `node:http` and `node:https` as required by Bolt (its HTTP, Express and Socket Mode receivers, which the
 *   Lambda never builds): loading them loads net, tls and the HTTP parser (about 3 ms of CPU at a cold start).
 *   Each is a proxy that requires the builtin on first access and forwards every operation to it.
 * - Bolt's own files that the Lambda never runs (`LAMBDA_UNUSED_BOLT_MODULES`: the Express, HTTP and Socket Mode
 *   receivers, what only they use, the Assistant) are not loaded at all: each is a stub that throws, naming the
 *   file, if anything calls into it.
 *
 * The real `@slack/web-api` is built into a file of its own beside the entries, `deferred-web-api.cjs`
 * (CommonJS, so the facade can `require` it when first used, synchronously), so a cold start neither runs nor
 * parses its 60 KiB (V8 still scans code it never runs: about 2 ms of CPU for these bytes). The builtins'
 * proxies only move the loading. test/deploy/bundle-commands.test.ts runs every command and a button click
 * that posts through the built bundle, and checks what a search cold start loads.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

const NAMESPACE = 'deferred-module';

/**
 * The real `@slack/web-api`, beside the entry files. The facade requires it by this path relative to the file
 * that holds the facade, which is always an entry (Bolt's App imports the package statically, so the merge
 * puts it there; `assertFacadesInEntries` fails the build otherwise).
 */
export const DEFERRED_WEB_API_FILE = 'deferred-web-api.cjs';

/** Builtins required by Bolt that the Lambda's search path never calls into. */
export const DEFERRED_BUILTINS = ['http', 'https'] as const;

/**
 * Files of `@slack/bolt` (under its dist/, as Bolt's own files require them) that the Lambda never runs: the
 * receivers other than AwsLambdaReceiver and what only they use (the HTTP body reader and ack, Socket Mode's
 * error handler and ack, custom routes with path-to-regexp, the OAuth redirect checks), and the AI Assistant
 * (Bolt's index exports it; the bot never registers one). Bolt's index requires them all at load, which parses
 * and runs about 40 KB of code (bench/README.md). In our Lambda bundle each is a stub (`unusedModuleStub`):
 * loading and referencing it is harmless, calling or constructing anything of it throws an error that names
 * it. src/slack/receivers.ts builds the HTTP and Socket Mode receivers only for the long-running entries
 * (src/entry/http.ts, socket.ts), which are never bundled for Lambda. The bare Bolt baselines keep them: a
 * Bolt app loads its index as it is.
 */
export const LAMBDA_UNUSED_BOLT_MODULES = [
  'receivers/ExpressReceiver',
  'receivers/HTTPReceiver',
  'receivers/SocketModeReceiver',
  'receivers/HTTPModuleFunctions',
  'receivers/HTTPResponseAck',
  'receivers/SocketModeFunctions',
  'receivers/custom-routes',
  'Assistant',
] as const;

const UNUSED_NAMESPACE = 'lambda-unused';
const BOLT_DIST = /[\\/]node_modules[\\/]@slack[\\/]bolt[\\/]dist[\\/]/;

export function deferModules(root: string): Plugin {
  const builtin = new RegExp(`^(node:)?(${DEFERRED_BUILTINS.join('|')})$`);
  return {
    name: 'defer-modules',
    setup(build) {
      // Bolt's relative requires of the files it never runs on Lambda: the stub.
      build.onResolve({ filter: /^\.\.?\/[\w/-]+$/ }, (args) => {
        if (args.kind !== 'require-call' || !BOLT_DIST.test(args.importer)) return undefined;
        const file = join(dirname(args.importer), args.path).replace(/\\/g, '/');
        const name = file.slice(file.search(BOLT_DIST)).replace(BOLT_DIST, '');
        return (LAMBDA_UNUSED_BOLT_MODULES as readonly string[]).includes(name)
          ? { path: `@slack/bolt/dist/${name}`, namespace: UNUSED_NAMESPACE }
          : undefined;
      });
      build.onResolve({ filter: new RegExp(`^${STUB_FACTORY}$`) }, (args) =>
        args.namespace === UNUSED_NAMESPACE ? { path: STUB_FACTORY, namespace: UNUSED_NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: UNUSED_NAMESPACE }, (args) => ({
        loader: 'js',
        contents: args.path === STUB_FACTORY ? stubFactory() : unusedModuleStub(args.path),
      }));
      // The facade's require of the real package: the file built beside the entries, loaded at run time.
      build.onResolve({ filter: /^\.\/deferred-web-api\.cjs$/ }, (args) =>
        args.namespace === NAMESPACE ? { path: args.path, external: true } : undefined,
      );
      // Every importer of @slack/web-api (Bolt, our code) gets the facade.
      build.onResolve({ filter: /^@slack\/web-api$/ }, () => ({
        path: '@slack/web-api',
        namespace: NAMESPACE,
      }));
      // Bolt's requires of http and https get a proxy; the proxies' own requires resolve as usual.
      build.onResolve({ filter: builtin }, (args) =>
        args.namespace !== NAMESPACE &&
        args.kind === 'require-call' &&
        /[\\/]node_modules[\\/]@slack[\\/]bolt[\\/]/.test(args.importer)
          ? { path: args.path.replace(/^node:/, ''), namespace: NAMESPACE }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        loader: 'js',
        resolveDir: root,
        contents: args.path === '@slack/web-api' ? webApiFacade(root) : builtinFacade(`node:${args.path}`),
      }));
    },
  };
}

/** The stubs' shared part (`unusedModuleStub`): one function that makes a module's stub. */
const STUB_FACTORY = 'lambda-unused-stub';

/**
 * A module the Lambda never runs: loading it, and reading anything of it (Bolt's index and TypeScript's interop
 * helpers do), gives the stub itself; calling or constructing the stub, or anything read from it, throws an
 * error that names the module. `__esModule` reads false (a CommonJS module), `then` and symbols undefined (not a
 * promise, no coercion). Each stubbed file is one line that calls the shared factory (`stubFactory`).
 */
export function unusedModuleStub(name: string): string {
  return `module.exports = require(${JSON.stringify(STUB_FACTORY)})(${JSON.stringify(name)});\n`;
}

/** The factory every stub calls (see `unusedModuleStub`). */
export function stubFactory(): string {
  return `"use strict";
module.exports = (name) => {
  function fail() {
    throw new Error(name + " is stubbed out of the Lambda bundle: the Lambda never runs it (scripts/defer-modules.ts LAMBDA_UNUSED_BOLT_MODULES)");
  }
  const stub = new Proxy(fail, {
    get: (_, key) => (key === "__esModule" ? false : typeof key === "symbol" || key === "then" ? undefined : stub),
    apply: fail,
    construct: fail,
  });
  return stub;
};
`;
}

/**
 * A Proxy's traps, other than `get`, that forward every operation to the object `target` evaluates to (in
 * the generated code), with a descriptor made configurable as a Proxy over `{}` requires.
 */
function forwardingTraps(target: string, indent: string): string {
  return [
    `set: (_, key, value) => Reflect.set(${target}, key, value),`,
    `has: (_, key) => Reflect.has(${target}, key),`,
    `ownKeys: () => Reflect.ownKeys(${target}),`,
    'getOwnPropertyDescriptor: (_, key) => {',
    `  const d = Reflect.getOwnPropertyDescriptor(${target}, key);`,
    '  return d && { ...d, configurable: true };',
    '},',
    `defineProperty: (_, key, d) => Reflect.defineProperty(${target}, key, d),`,
    `deleteProperty: (_, key) => Reflect.deleteProperty(${target}, key),`,
    `getPrototypeOf: () => Reflect.getPrototypeOf(${target}),`,
  ]
    .map((line) => indent + line)
    .join('\n');
}

/** A builtin module, required on first access; every operation forwarded (a builtin has no `__esModule`). */
export function builtinFacade(specifier: string): string {
  return `"use strict";
let real;
const load = () => (real ??= require(${JSON.stringify(specifier)}));
module.exports = new Proxy({}, {
  get: (_, key) => (key === "__esModule" ? undefined : Reflect.get(load(), key)),
${forwardingTraps('load()', '  ')}
});
`;
}

/**
 * `@slack/web-api` with its exports read on first access (names listed at build time from the installed
 * package), `addAppMetadata` queued until the real module loads, and `WebClient` a stand-in class.
 */
export function webApiFacade(root: string): string {
  const names = Object.keys(createRequire(join(root, 'package.json'))('@slack/web-api'));
  for (const needed of ['WebClient', 'addAppMetadata'])
    if (!names.includes(needed))
      throw new Error(`@slack/web-api no longer exports ${needed}: see scripts/defer-modules.ts`);
  return `"use strict";
let real;
const pendingMetadata = [];
const load = () => {
  if (real) return real;
  real = require(${JSON.stringify(`./${DEFERRED_WEB_API_FILE}`)});
  for (const metadata of pendingMetadata.splice(0)) real.addAppMetadata(metadata);
  return real;
};
Object.defineProperty(exports, "__esModule", { value: true });
for (const name of ${JSON.stringify(names.filter((n) => n !== 'WebClient' && n !== 'addAppMetadata'))})
  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
exports.addAppMetadata = (metadata) => (real ? real.addAppMetadata(metadata) : pendingMetadata.push(metadata), undefined);
// new WebClient(token, options): the real client is made with these arguments when first touched.
function WebClient(token, options) {
  if (!new.target) throw new TypeError("Class constructor WebClient cannot be invoked without 'new'");
  const args = [token, options === undefined ? undefined : { ...options }];
  let client;
  const target = () => (client ??= new (load().WebClient)(...args));
  const bound = new Map();
  return new Proxy({}, {
    get(_, key) {
      const value = Reflect.get(target(), key);
      if (typeof value !== "function" || key === "constructor") return value;
      // Methods run on the real client (its own fields and EventEmitter state), one bound copy per method.
      let entry = bound.get(key);
      if (entry?.value !== value) bound.set(key, (entry = { value, fn: value.bind(target()) }));
      return entry.fn;
    },
${forwardingTraps('target()', '    ')}
  });
}
Object.defineProperty(WebClient, Symbol.hasInstance, { value: (value) => value instanceof load().WebClient });
exports.WebClient = WebClient;
`;
}

/**
 * Builds the real `@slack/web-api` (and what it requires: p-queue, p-retry, eventemitter3, its own copies of
 * @slack/logger and @slack/types) into `<outdir>/deferred-web-api.cjs`, minified like the entries, with a
 * linked source map. Returns that build's metafile (keys relative to `root`).
 */
export async function buildDeferredFiles(
  root: string,
  outdir: string,
  options: BuildOptions,
): Promise<Metafile> {
  const { metafile } = await build({
    stdin: { contents: "module.exports = require('@slack/web-api');", resolveDir: root, loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    minify: options.minify,
    sourcemap: options.sourcemap === 'linked' ? 'linked' : false,
    sourcesContent: false,
    legalComments: 'none',
    external: options.external,
    outfile: join(outdir, DEFERRED_WEB_API_FILE),
    metafile: true,
    logLevel: 'warning',
  });
  return metafile;
}

/**
 * Fails unless every facade is in an entry file (`entries`: metafile keys), where its relative require of
 * the deferred file holds: a facade left in a chunk (chunks/) would look for it in the wrong folder.
 */
export function assertFacadesInEntries(metafile: Metafile, entries: readonly string[]): void {
  for (const [output, info] of Object.entries(metafile.outputs))
    for (const input of Object.keys(info.inputs))
      if (input === `${NAMESPACE}:@slack/web-api` && !entries.includes(output))
        throw new Error(
          `${output} holds the @slack/web-api facade, which must be in an entry file (scripts/defer-modules.ts)`,
        );
}
