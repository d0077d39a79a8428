#!/usr/bin/env node
// The `runbook` CLI: the esbuild bundle when built (`npm run build`), else the TypeScript source via tsx.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
if (existsSync(bundle)) {
  require(bundle)
    .run(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
} else {
  const { spawnSync } = require('node:child_process');
  const tsx = require.resolve('tsx/cli');
  const main = join(__dirname, '..', 'src', 'cli', 'main.ts');
  const child = spawnSync(process.execPath, [tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
}
