/**
 * The facades our Lambda bundle puts in front of code the search path never calls (scripts/defer-modules.ts),
 * run as the bundle runs them (CommonJS module source with a `require`), against the real modules: nothing
 * is loaded until used, and once used they answer as the real module does. The built bundle itself is
 * checked end to end in bundle-commands.test.ts (every command, a click that posts, what a search loads).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  assertFacadesInEntries,
  builtinFacade,
  DEFERRED_WEB_API_FILE,
  deferModules,
  LAMBDA_UNUSED_BOLT_MODULES,
  stubFactory,
  unusedModuleStub,
  webApiFacade,
} from '../../scripts/defer-modules';

const root = join(__dirname, '..', '..');
const realRequire = createRequire(join(root, 'package.json'));
const http = realRequire('node:http') as typeof import('node:http');

/** Evaluates a facade's source as esbuild's CommonJS wrapper would; counts the requires it makes. */
/** The plugin's onResolve callbacks as esbuild would ask them: the first answer of a filter that matches. */
function resolverOf(plugin: Plugin) {
  const resolved: { filter: RegExp; fn: (a: Record<string, string>) => unknown }[] = [];
  plugin.setup({
    onResolve: (o: { filter: RegExp }, fn: (a: Record<string, string>) => unknown) =>
      resolved.push({ filter: o.filter, fn }),
    onLoad: () => undefined,
  } as never);
  return (path: string, importer: string, kind = 'require-call', namespace = 'file') =>
    resolved
      .filter((r) => r.filter.test(path))
      .map((r) => r.fn({ path, importer, kind, namespace }))
      .find((r) => r !== undefined);
}

function evaluate(source: string): { exports: Record<string | symbol, unknown>; required: string[] } {
  const required: string[] = [];
  const module = { exports: {} as Record<string | symbol, unknown> };
  const require = (id: string) => {
    required.push(id);
    // The deferred file the bundle writes beside the entries holds the real package.
    return realRequire(id === `./${DEFERRED_WEB_API_FILE}` ? '@slack/web-api' : id);
  };
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  return { exports: module.exports, required };
}

describe('builtinFacade', () => {
  it('requires the builtin on first use, not before, and forwards to it', () => {
    const { exports: facade, required } = evaluate(builtinFacade('node:http'));
    // What TypeScript's and esbuild's interop helpers read first: answered without loading.
    expect(facade.__esModule).toBeUndefined();
    expect(required).toEqual([]);
    expect(facade.STATUS_CODES).toBe(http.STATUS_CODES);
    expect(facade.createServer).toBe(http.createServer);
    expect(required).toEqual(['node:http']);
    expect('Agent' in facade).toBe(true);
    expect(Object.keys(facade).sort()).toEqual(Object.keys(http).sort());
    expect(Object.getPrototypeOf(facade)).toBe(Object.getPrototypeOf(http));
    expect(required).toEqual(['node:http']);
  });
});

describe('webApiFacade', () => {
  const real = realRequire('@slack/web-api') as typeof import('@slack/web-api');

  it('has every export of the package, read from it on first access', () => {
    const { exports: facade, required } = evaluate(webApiFacade(root));
    expect(Object.keys(facade).sort()).toEqual(Object.keys(real).sort());
    expect(facade.__esModule).toBe(true);
    expect(required).toEqual([]);
    expect(facade.ErrorCode).toBe(real.ErrorCode);
    expect(facade.WebAPIPlatformError).toBe(real.WebAPIPlatformError);
    expect(required).toEqual([`./${DEFERRED_WEB_API_FILE}`]);
  });

  it('makes the real client with the same arguments when it is first touched, and forwards to it', async () => {
    const { exports: facade, required } = evaluate(webApiFacade(root));
    const WebClient = facade.WebClient as typeof real.WebClient;
    const options = { slackApiUrl: 'http://127.0.0.1:9/api/', teamId: 'T0FACADE' };
    const client = new WebClient('xoxb-facade', options);
    // Bolt makes clients at start-up and per request: none of that loads the package.
    expect(required).toEqual([]);
    options.slackApiUrl = 'http://changed.invalid/api/';
    expect(client.token).toBe('xoxb-facade');
    expect(client.slackApiUrl).toBe('http://127.0.0.1:9/api/');
    expect(required).toEqual([`./${DEFERRED_WEB_API_FILE}`]);
    expect(client).toBeInstanceOf(real.WebClient);
    expect(client).toBeInstanceOf(WebClient);
    expect(typeof client.chat.postMessage).toBe('function');
    expect(client.apiCall).toBe(client.apiCall);
    // Methods run on the real client: an event listener added through the facade is the real client's.
    const listener = () => undefined;
    client.on(real.WebClientEvent.RATE_LIMITED, listener);
    expect(client.listeners(real.WebClientEvent.RATE_LIMITED)).toEqual([listener]);
    expect(() => (WebClient as unknown as () => unknown)()).toThrow(TypeError);
  });

  it("hands Bolt's app metadata, given at load, to the real module when it loads (the User-Agent)", () => {
    const { exports: facade } = evaluate(webApiFacade(root));
    const { getUserAgent } = realRequire('@slack/web-api/dist/instrument') as { getUserAgent(): string };
    const name = `@test/facade-${process.pid}`;
    (facade.addAppMetadata as typeof real.addAppMetadata)({ name, version: '9.9.9' });
    expect(getUserAgent()).not.toContain('@test:facade');
    const client = new (facade.WebClient as typeof real.WebClient)('xoxb-facade');
    expect(client.token).toBe('xoxb-facade');
    expect(getUserAgent()).toContain(`@test:facade-${process.pid}/9.9.9`);
  });

  it('is what the plugin gives every importer of @slack/web-api, and the builtins only to Bolt', () => {
    const resolve = resolverOf(deferModules(root));
    const bolt = join(root, 'node_modules/@slack/bolt/dist/receivers/HTTPReceiver.js');
    expect(resolve('@slack/web-api', bolt)).toEqual({ path: '@slack/web-api', namespace: 'deferred-module' });
    expect(resolve('@slack/web-api', join(root, 'src/slack/web-client.ts'), 'import-statement')).toEqual({
      path: '@slack/web-api',
      namespace: 'deferred-module',
    });
    expect(resolve('node:https', bolt)).toEqual({ path: 'https', namespace: 'deferred-module' });
    expect(resolve('http', bolt)).toEqual({ path: 'http', namespace: 'deferred-module' });
    // Our own code (the SSM reader's node:https) and the proxies' own requires resolve as usual.
    expect(resolve('node:https', join(root, 'src/aws/ssm-secrets.ts'))).toBeUndefined();
    expect(resolve('node:https', bolt, 'require-call', 'deferred-module')).toBeUndefined();
    expect(
      resolve(`./${DEFERRED_WEB_API_FILE}`, '@slack/web-api', 'require-call', 'deferred-module'),
    ).toEqual({
      path: `./${DEFERRED_WEB_API_FILE}`,
      external: true,
    });
  });

  it('must sit in an entry file, where its require of the deferred file holds', () => {
    const metafile = (where: string) => ({
      inputs: {},
      outputs: {
        'dist/handler.mjs': { inputs: where === 'entry' ? { 'deferred-module:@slack/web-api': {} } : {} },
        'dist/chunks/a.mjs': { inputs: where === 'chunk' ? { 'deferred-module:@slack/web-api': {} } : {} },
      },
    });
    expect(() => assertFacadesInEntries(metafile('entry') as never, ['dist/handler.mjs'])).not.toThrow();
    expect(() => assertFacadesInEntries(metafile('chunk') as never, ['dist/handler.mjs'])).toThrow(
      /entry file/,
    );
  });
});

describe('unusedModuleStub (Bolt files the Lambda never runs)', () => {
  /** A stubbed file as the bundle runs it: its require of the shared factory answered by `stubFactory`. */
  const load = (name: string) => {
    const module = { exports: {} as unknown };
    const require = (id: string) => {
      const factory = { exports: {} as unknown };
      new Function('module', 'exports', stubFactory())(factory, factory.exports);
      if (id !== 'lambda-unused-stub') throw new Error(`unexpected require ${id}`);
      return factory.exports;
    };
    new Function('module', 'exports', 'require', unusedModuleStub(name))(module, module.exports, require);
    return module.exports as Record<string, unknown> & (() => unknown);
  };

  it("loads and is read as Bolt's index and TypeScript's interop helpers read it, without throwing", () => {
    const stub = load('@slack/bolt/dist/receivers/HTTPReceiver');
    expect(stub.__esModule).toBe(false);
    expect(stub.then).toBeUndefined();
    expect(typeof stub.default).toBe('function');
    expect(Object.getOwnPropertyNames(stub)).toEqual(expect.arrayContaining(['length', 'name']));
    expect(() => `${String(Object.keys(stub))}`).not.toThrow();
  });

  it('throws an error naming the module when anything of it is called or constructed', () => {
    const stub = load('@slack/bolt/dist/receivers/HTTPReceiver');
    const message = /@slack\/bolt\/dist\/receivers\/HTTPReceiver is stubbed out of the Lambda bundle/;
    const Receiver = stub.default as new (o: unknown) => unknown;
    expect(() => new Receiver({})).toThrow(message);
    expect(() => stub()).toThrow(message);
    expect(() => (stub.HTTPResponseAck as { of: () => unknown }).of()).toThrow(message);
  });

  it('is what the plugin gives Bolt for each listed file, and only for Bolt', () => {
    const resolve = resolverOf(deferModules(root));
    const dist = join(root, 'node_modules/@slack/bolt/dist');
    expect(LAMBDA_UNUSED_BOLT_MODULES).toEqual(
      expect.arrayContaining([
        'receivers/ExpressReceiver',
        'receivers/HTTPReceiver',
        'receivers/SocketModeReceiver',
        'Assistant',
      ]),
    );
    for (const name of LAMBDA_UNUSED_BOLT_MODULES)
      expect(resolve(`./${name}`, join(dist, 'index.js'))).toEqual({
        path: `@slack/bolt/dist/${name}`,
        namespace: 'lambda-unused',
      });
    expect(resolve('./HTTPModuleFunctions', join(dist, 'receivers/HTTPReceiver.js'))).toEqual({
      path: '@slack/bolt/dist/receivers/HTTPModuleFunctions',
      namespace: 'lambda-unused',
    });
    // What the Lambda runs, and anyone else's file of the same name, resolve as usual.
    expect(resolve('./receivers/AwsLambdaReceiver', join(dist, 'index.js'))).toBeUndefined();
    expect(resolve('./App', join(dist, 'index.js'))).toBeUndefined();
    expect(resolve('./Assistant', join(root, 'src/slack/app.ts'))).toBeUndefined();
  });
});
