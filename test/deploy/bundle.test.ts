import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  assertNoForbiddenModules,
  assertOneByteSource,
  buildLambdaEntries,
  chunksOf,
  entryFile,
  ForbiddenModuleError,
  iamScopeFromArtifact,
  importedNames,
  NO_RESOURCE,
  outputKey,
  REQUIRE_BANNER,
  requireFacade,
  stubPackages,
} from '../../scripts/bundle';
import type { FailoverRecord } from '../../src/runbooks/model/model';
import { loadTestArtifact } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';
import {
  ARC_ARN,
  ARC_SWITCH,
  HC_AF,
  HC_ARC,
  HC_CALC,
  HC_EU,
  HC_SWITCH,
  S3_SWITCH,
  switchSet,
  WARMUP,
} from '../workflows/switch-fixtures';

function metafileWith(...inputs: string[]): Metafile {
  return { inputs: Object.fromEntries(inputs.map((i) => [i, { bytes: 1, imports: [] }])), outputs: {} };
}

/** Write `files` into `root` and build them as the Lambda bundle is built (SDK bundled), into `root/out`. */
async function buildFiles(root: string, files: Record<string, string>, entryPoints: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  const outdir = join(root, 'out');
  const metafile = await buildLambdaEntries({ root, outdir, sdk: 'bundled', entryPoints });
  return { outdir, metafile };
}

describe('assertNoForbiddenModules', () => {
  it('accepts a bundle of the app, Bolt and the SDK', () => {
    expect(() =>
      assertNoForbiddenModules(
        metafileWith(
          'src/entry/lambda.ts',
          'node_modules/@slack/bolt/dist/App.js',
          'node_modules/markdown-it/index.js',
        ),
      ),
    ).not.toThrow();
  });

  it('names every build-time package that got in', () => {
    const metafile = metafileWith(
      'node_modules/marked/lib/marked.cjs',
      'node_modules/mermaid/dist/mermaid.core.mjs',
      'node_modules/jsdom/lib/api.js',
      'node_modules/.pnpm/node_modules/jsdom/lib/x.js',
    );
    expect(() => assertNoForbiddenModules(metafile)).toThrow(ForbiddenModuleError);
    expect(() => assertNoForbiddenModules(metafile)).toThrow('must not include jsdom, marked, mermaid');
  });

  it('accepts the runtime half of src/runbooks and names every compiler or linter file that got in', () => {
    const runtime = ['src/runbooks/model/artifact.ts', 'src/runbooks/search/engine.ts'];
    expect(() => assertNoForbiddenModules(metafileWith(...runtime))).not.toThrow();
    const metafile = metafileWith(...runtime, 'src/runbooks/lint/lint.ts', 'src/runbooks/compile/trees.ts');
    expect(() => assertNoForbiddenModules(metafile)).toThrow(
      'must not include src/runbooks/compile/trees.ts, src/runbooks/lint/lint.ts',
    );
  });
});

describe('iamScopeFromArtifact', () => {
  const record = (over: Partial<FailoverRecord>): FailoverRecord => ({
    hostedZoneId: 'Z0123456789ABC',
    name: 'api.sitecraft.example.',
    type: 'A',
    setIdentifier: 'primary',
    failover: 'PRIMARY',
    region: 'af-south-1',
    healthCheckId: 'hc-1',
    value: 'd-1.execute-api.af-south-1.amazonaws.com',
    ...over,
  });

  it('derives the zones, health checks, normalised names and types of every records table', () => {
    const scope = iamScopeFromArtifact({
      records: {
        'route53-failover': [
          record({}),
          record({
            setIdentifier: 'secondary',
            failover: 'SECONDARY',
            healthCheckId: 'hc-2',
            name: 'API.sitecraft.example',
          }),
        ],
        other: [
          record({
            hostedZoneId: '/hostedzone/Z999',
            name: 'app.sitecraft.example',
            type: 'aaaa',
            healthCheckId: null,
          }),
        ],
      },
    });
    expect(scope).toEqual({
      route53: {
        hostedZoneArns: ['arn:aws:route53:::hostedzone/Z0123456789ABC', 'arn:aws:route53:::hostedzone/Z999'],
        healthCheckArns: ['arn:aws:route53:::healthcheck/hc-1', 'arn:aws:route53:::healthcheck/hc-2'],
        recordNames: ['api.sitecraft.example', 'app.sitecraft.example'],
        recordTypes: ['A', 'AAAA'],
      },
      switch: {
        objectArns: [`arn:aws:s3:::${NO_RESOURCE}`],
        routingControlArns: [
          `arn:aws:route53-recovery-control::*:controlpanel/${NO_RESOURCE}/routingcontrol/${NO_RESOURCE}`,
        ],
      },
      lambda: { provisionedConcurrencyArns: [`arn:aws:lambda:*:*:function:${NO_RESOURCE}`] },
      canary: {
        functionArns: [`arn:aws:lambda:*:*:function:${NO_RESOURCE}`],
        logGroupArns: [`arn:aws:logs:*:*:log-group:${NO_RESOURCE}`],
      },
    });
  });

  it('adds the switch set’s health checks, the switch objects and routing controls, and the warm-up functions', () => {
    const scope = iamScopeFromArtifact({
      records: { 'route53-failover': [record({ healthCheckId: HC_CALC })] },
      switches: { 'dr-switch': switchSet([S3_SWITCH, ARC_SWITCH]) },
      warmups: {
        'dr-warmup': [
          ...WARMUP,
          {
            functionName: 'arn:aws:lambda:eu-west-1:111122223333:function:other',
            region: 'eu-west-1',
            qualifier: '7',
            concurrency: 2,
            standby: null,
          },
        ],
      },
    });

    expect(scope.route53.healthCheckArns).toEqual(
      [HC_ARC, HC_AF, HC_CALC, HC_EU, HC_SWITCH].sort().map((id) => `arn:aws:route53:::healthcheck/${id}`),
    );
    expect(scope.switch).toEqual({
      objectArns: ['arn:aws:s3:::sitecraft-dr-switch/failover/api.json'],
      routingControlArns: [ARC_ARN],
    });
    expect(scope.lambda.provisionedConcurrencyArns).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
      { 'Fn::Sub': 'arn:aws:lambda:eu-west-1:${AWS::AccountId}:function:sitecraft-prod-api:live' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
      { 'Fn::Sub': 'arn:aws:lambda:eu-west-1:${AWS::AccountId}:function:sitecraft-prod-generate:live' },
      'arn:aws:lambda:eu-west-1:111122223333:function:other:7',
    ]);
  });

  it("grants the canary monitor GetAlias and StartQuery on exactly what PROMOTION.md's abort table names", async () => {
    const { canary } = iamScopeFromArtifact(await loadTestArtifact());
    const sub = (arn: string) => ({ 'Fn::Sub': arn });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
    const account = '${AWS::AccountId}';
    expect(canary.functionArns).toEqual(
      ['api', 'generate', 'pretoken', 'publish'].flatMap((fn) => [
        sub(`arn:aws:lambda:af-south-1:${account}:function:sitecraft-prod-${fn}`),
        sub(`arn:aws:lambda:af-south-1:${account}:function:sitecraft-prod-${fn}:live`),
      ]),
    );
    expect(canary.logGroupArns).toEqual(
      ['api', 'generate'].flatMap((fn) => [
        sub(`arn:aws:logs:af-south-1:${account}:log-group:/aws/lambda/sitecraft-prod-${fn}`),
        sub(`arn:aws:logs:af-south-1:${account}:log-group:/aws/lambda/sitecraft-prod-${fn}:*`),
      ]),
    );
  });

  it('names a resource that matches nothing when the runbooks declare no records (IAM rejects empty lists)', () => {
    expect(iamScopeFromArtifact({ records: {} })).toEqual({
      route53: {
        hostedZoneArns: [`arn:aws:route53:::hostedzone/${NO_RESOURCE}`],
        healthCheckArns: [`arn:aws:route53:::healthcheck/${NO_RESOURCE}`],
        recordNames: [NO_RESOURCE],
        recordTypes: [NO_RESOURCE],
      },
      switch: {
        objectArns: [`arn:aws:s3:::${NO_RESOURCE}`],
        routingControlArns: [
          `arn:aws:route53-recovery-control::*:controlpanel/${NO_RESOURCE}/routingcontrol/${NO_RESOURCE}`,
        ],
      },
      lambda: { provisionedConcurrencyArns: [`arn:aws:lambda:*:*:function:${NO_RESOURCE}`] },
      canary: {
        functionArns: [`arn:aws:lambda:*:*:function:${NO_RESOURCE}`],
        logGroupArns: [`arn:aws:logs:*:*:log-group:${NO_RESOURCE}`],
      },
    });
  });
});

describe('stubPackages', () => {
  it('lets a stubbed package be loaded and referenced, and throws only when it is used', async () => {
    const dir = tempDir('stub-');
    writeFileSync(
      join(dir, 'entry.js'),
      `const express = require('express');
       exports.loaded = typeof express;
       exports.use = () => express();`,
    );
    const result = await build({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      plugins: [stubPackages(['express'])],
    });
    const mod: { exports: { loaded?: string; use?: () => unknown } } = { exports: {} };
    new Function('module', 'exports', 'require', result.outputFiles[0]!.text)(mod, mod.exports, require);

    expect(mod.exports.loaded).toBe('function');
    expect(() => mod.exports.use!()).toThrow('express is stubbed out of the Lambda bundle');
  });
});

describe('importedNames and requireFacade (builtins by require, one name at a time)', () => {
  it('lists the names a module imports by name from a specifier, type-only imports left out', () => {
    const source = [
      "import { readFileSync, type Stats, statSync as stat } from 'node:fs';",
      "import type { Dirent } from 'node:fs';",
      'import {',
      '  existsSync,',
      '  readFileSync as read,',
      '} from "node:fs";',
      "import { readFile } from 'node:fs/promises';",
      "const later = () => import('node:fs');",
    ].join('\n');
    expect(importedNames(source, 'node:fs')).toEqual(['existsSync', 'readFileSync', 'statSync']);
    expect(importedNames(source, 'node:fs/promises')).toEqual(['readFile']);
    expect(importedNames(source, 'node:path')).toBeUndefined();
  });

  it('gives up (the whole module) on a default, namespace, bare or re-export import, or a name that cannot be a const', () => {
    const named = "import { join } from 'node:path';\n";
    for (const other of [
      "import path from 'node:path';",
      "import * as path from 'node:path';",
      "import path, { sep } from 'node:path';",
      "import 'node:path';",
      "export { sep } from 'node:path';",
      "import { default as path } from 'node:path';",
    ])
      expect(importedNames(named + other, 'node:path'), other).toBeUndefined();
  });

  it('reads each name from require once, and nothing else of the module', () => {
    const read: string[] = [];
    const fake = new Proxy({ join: () => 'j', sep: '/', promises: 'never read' } as Record<string, unknown>, {
      get: (target, key) => {
        read.push(String(key));
        return target[key as string];
      },
    });
    const source = requireFacade('node:path', ['join', 'sep'])
      .replace(/export const /g, 'exports.')
      .replace(/ = \/\* @__PURE__ \*\/ /g, ' = ');
    const exports: Record<string, unknown> = {};
    new Function('exports', 'require', source)(exports, (id: string) =>
      id === 'node:path' ? fake : undefined,
    );
    expect(read.sort()).toEqual(['join', 'sep']);
    expect(exports).toEqual({ join: fake.join, sep: '/' });
  });
});

describe('chunksOf', () => {
  const output = (
    ...imports: { path: string; kind: 'import-statement' | 'dynamic-import'; external?: boolean }[]
  ) => ({
    bytes: 1,
    inputs: {},
    imports,
    exports: [],
  });
  const metafile: Metafile = {
    inputs: {},
    outputs: {
      'out/handler.mjs': output(
        { path: 'out/chunks/shared.mjs', kind: 'import-statement' },
        { path: 'out/chunks/aws.mjs', kind: 'dynamic-import' },
        { path: 'node:fs', kind: 'import-statement', external: true },
      ),
      'out/chunks/shared.mjs': output({ path: 'out/chunks/base.mjs', kind: 'import-statement' }),
      'out/chunks/base.mjs': output(),
      'out/chunks/aws.mjs': output(
        { path: 'out/chunks/base.mjs', kind: 'import-statement' },
        { path: 'out/chunks/sdk.mjs', kind: 'import-statement' },
      ),
      'out/chunks/sdk.mjs': output(),
      'out/chunks/other-entry-only.mjs': output(),
    },
  };

  it('follows static imports transitively: what loads with the entry', () => {
    expect(chunksOf(metafile, 'out/handler.mjs').sort()).toEqual([
      'out/chunks/base.mjs',
      'out/chunks/shared.mjs',
      'out/handler.mjs',
    ]);
  });

  it('with dynamic, also what import() can load, but never externals or unrelated chunks', () => {
    expect(chunksOf(metafile, 'out/handler.mjs', { dynamic: true }).sort()).toEqual([
      'out/chunks/aws.mjs',
      'out/chunks/base.mjs',
      'out/chunks/sdk.mjs',
      'out/chunks/shared.mjs',
      'out/handler.mjs',
    ]);
  });
});

describe('buildLambdaEntries (one file per entry at cold start)', () => {
  it('loads the builtins it imports statically through require: no module facade reading their lazy exports', async () => {
    const root = tempDir('builtins-');
    writeFileSync(
      join(root, 'entry.ts'),
      "import { randomBytes } from 'node:crypto';\nimport { readFileSync } from 'node:fs';\n" +
        "export const handler = () => [randomBytes(4).length, readFileSync(new URL(import.meta.url), 'utf8').length > 0];\n",
    );
    const outdir = join(root, 'out');
    await buildLambdaEntries({ root, outdir, sdk: 'bundled', entryPoints: { entry: 'entry.ts' } });
    // A fresh process (this one has loaded everything): what loading and running the bundle loaded.
    const script = `import(${JSON.stringify(pathToFileURL(entryFile(outdir, 'entry')).href)}).then((m) =>
      console.log(JSON.stringify({ out: m.handler(), loaded: process.moduleLoadList })))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    const { out, loaded } = JSON.parse(stdout) as { out: unknown[]; loaded: string[] };
    expect(out).toEqual([4, true]);
    // An ES module import of node:crypto / node:fs would have read `webcrypto` and `ReadStream`.
    expect(loaded).toContain('NativeModule crypto');
    expect(loaded.filter((m) => /internal\/crypto\/webcrypto|internal\/fs\/streams/.test(m))).toEqual([]);
    // Each name read from its require, bound directly: no CommonJS interop copying every export of the builtin.
    const text = readFileSync(entryFile(outdir, 'entry'), 'utf8');
    expect(text).toMatch(/\("node:crypto"\)\.randomBytes/);
    expect(text).toMatch(/\("node:fs"\)\.readFileSync/);
    expect(text).not.toContain('getOwnPropertyNames');
  });

  it('refuses a built file with a character above U+00FF (V8 would hold its source two bytes a character)', async () => {
    const root = tempDir('one-byte-');
    // esbuild escapes the string's curly quote but writes the regular expression's as it is.
    writeFileSync(
      join(root, 'curly.ts'),
      "export const handler = (s: string) => [s.replace(/[’]/g, ''), '“q”'];\n",
    );
    writeFileSync(
      join(root, 'escaped.ts'),
      "export const handler = (s: string) => [s.replace(/[\\u2019]/g, ''), '“q”', 'é'];\n",
    );
    const outdir = join(root, 'out');
    await expect(
      buildLambdaEntries({ root, outdir, sdk: 'bundled', entryPoints: { curly: 'curly.ts' } }),
    ).rejects.toThrow(/curly\.mjs:\d+:\d+: U\+2019 .*assertOneByteSource/);
    await buildLambdaEntries({ root, outdir, sdk: 'bundled', entryPoints: { escaped: 'escaped.ts' } });
    const mod = (await import(pathToFileURL(entryFile(outdir, 'escaped')).href)) as {
      handler(s: string): string[];
    };
    // The escapes mean the same characters: behaviour unchanged.
    expect(mod.handler('it’s')).toEqual(['its', '“q”', 'é']);
    expect(() => assertOneByteSource(entryFile(outdir, 'escaped'))).not.toThrow();
  });

  it('gives the merged entry one `require`, made once, however many of its merged files call it', async () => {
    const root = tempDir('merge-require-');
    const files: Record<string, string> = {
      // Imported by the entry and by the lazy module: a chunk of its own, merged into the entry. Static imports of
      // builtins go through `require` (builtinsByRequire), so both files call it.
      'shared.ts': "import { EOL } from 'node:os';\nexport const eol = () => EOL.length;\n",
      'lazy.ts': "import { eol } from './shared';\nexport const run = () => eol();\n",
      'entry.ts':
        "import { sep } from 'node:path';\nimport { eol } from './shared';\nexport async function handler() {\n  return [sep, eol(), (await import('./lazy')).run()];\n}\n",
    };
    const { outdir, metafile } = await buildFiles(root, files, { main: 'entry.ts' });
    const main = outputKey(metafile, entryFile(outdir, 'main'), root);
    expect(Object.keys(metafile.outputs[main]!.inputs)).toEqual(
      expect.arrayContaining(['entry.ts', 'shared.ts']),
    );
    const text = readFileSync(join(root, main), 'utf8');
    expect(text.startsWith(`${REQUIRE_BANNER}\n`)).toBe(true);
    // The banner's import of node:module and its one call; each merged file had its own before.
    expect(text.match(/node:module/g)).toHaveLength(1);
    expect(text.match(/import\.meta\.url/g)).toHaveLength(1);
    const mod = (await import(pathToFileURL(join(root, main)).href)) as { handler(): Promise<unknown[]> };
    expect(await mod.handler()).toEqual([sep, EOL.length, EOL.length]);
  });

  it('merges the chunks an entry imports statically; a lazily loaded chunk shares the entry’s modules', async () => {
    const root = tempDir('merge-chunks-');
    const files: Record<string, string> = {
      // State kept by a module both the entry and the lazy module import: one instance or the test fails.
      'registry.ts':
        'export const seen: string[] = [];\nexport let count = 0;\nexport function add(x: string) { seen.push(x); count++; }\n',
      'lazy.ts':
        "import { add, count } from './registry';\nexport function run() { add('lazy'); return count; }\n",
      'other.ts': "import { add } from './registry';\nexport function other() { add('other'); }\n",
      'entry.ts':
        "import { add, count, seen } from './registry';\nexport async function handler() {\n  add('entry');\n  const lazy = await import('./lazy');\n  const counted = lazy.run();\n  return { seen: [...seen], counted, count };\n}\n",
      'second.ts': "import { other } from './other';\nexport const handler = () => other();\n",
    };
    const { outdir, metafile } = await buildFiles(root, files, { main: 'entry.ts', second: 'second.ts' });
    const main = outputKey(metafile, entryFile(outdir, 'main'), root);
    // One file at start; the lazy module is still a chunk of its own, loaded by import().
    expect(chunksOf(metafile, main)).toEqual([main]);
    const lazyChunks = chunksOf(metafile, main, { dynamic: true }).filter((k) => k !== main);
    expect(lazyChunks.some((k) => Object.keys(metafile.outputs[k]!.inputs).includes('lazy.ts'))).toBe(true);
    expect(Object.keys(metafile.outputs[main]!.inputs)).toEqual(
      expect.arrayContaining(['entry.ts', 'registry.ts']),
    );
    // Each entry is built on its own: nothing of `second` is in `main`'s chunks.
    expect(
      Object.keys(metafile.outputs)
        .filter((k) => k.includes('chunks/second-'))
        .every((k) => !lazyChunks.includes(k)),
    ).toBe(true);

    const mod = (await import(pathToFileURL(join(root, main)).href)) as {
      handler(): Promise<{ seen: string[]; counted: number; count: number }>;
    };
    // The lazy chunk's `add` and `count` are the entry's own (live binding): one registry.
    expect(await mod.handler()).toEqual({ seen: ['entry', 'lazy'], counted: 2, count: 2 });
  });
});
