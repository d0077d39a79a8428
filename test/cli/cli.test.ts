import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import { REPO_ROOT } from '../helpers/artifact';
import { tempDir } from '../helpers/temp';
import { FIXTURES } from '../runbooks/fixtures';

const TSX = require.resolve('tsx/cli');
const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, MAIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

let dir: string;
let artifactPath: string;
beforeAll(async () => {
  dir = tempDir('runbook-cli-');
  artifactPath = join(dir, 'artifact.json');
  await writeFile(artifactPath, JSON.stringify(await compileRunbookSources(FIXTURES, { skipTrees: true })));
});

describe('runbook search', () => {
  it('prints JSON results best first, with the full heading path, and honours --limit', async () => {
    const r = await cli(['search', '--json', '--limit', '2', '--artifact', artifactPath, 'Token', 'expired']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.query).toBe('Token expired');
    expect(json.results).toHaveLength(2);
    expect(json.results[0]).toMatchObject({
      file: 'TROUBLESHOOTING.md',
      headings: ['Authentication issues', '"Token expired" — Cognito refresh'],
      anchor: 'token-expired--cognito-refresh',
    });
    expect(json.results[0].score).toBeLessThanOrEqual(json.results[1].score);
  });

  it('answers one JSON line per input line with --stdin, empty lines included', async () => {
    const input = 'jwt expired\n\n"Generation timeout"\nqwxz vbnm plok\n';
    const r = await cli(['search', '--stdin', '--limit', '1', '--artifact', artifactPath], input);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.query, l.results[0]?.anchor ?? null])).toEqual([
      ['jwt expired', 'token-expired--cognito-refresh'],
      ['', null],
      ['"Generation timeout"', 'generation-timeout--bedrock-throttling'],
      ['qwxz vbnm plok', null],
    ]);
    expect(lines[1].error).toBe('empty query');
    expect(lines[3].confident).toBe(false);
  });

  it('prints usage and exits 2 for an empty query or a bad option', async () => {
    const empty = await cli(['search', '--artifact', artifactPath]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('usage: runbook');
    const bad = await cli(['search', '--limit', 'zero', '--artifact', artifactPath, 'token']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a positive whole number');
  });

  it('says "no good match" for nonsense, exits 1, and survives a 10,000-character query', async () => {
    const nonsense = await cli(['search', '--artifact', artifactPath, 'qwxz', 'vbnm', 'plok']);
    expect(nonsense.code).toBe(1);
    expect(nonsense.stdout).toContain('No good match for "qwxz vbnm plok"');
    const long = await cli([
      'search',
      '--json',
      '--artifact',
      artifactPath,
      `token expired ${'a'.repeat(10_000)}\u0007`,
    ]);
    expect(long.code).toBe(0);
    expect(JSON.parse(long.stdout).results[0].anchor).toBe('token-expired--cognito-refresh');
  });
});

describe('runbook build', () => {
  it('fails loudly with file:line and writes nothing when a runbook is broken', async () => {
    const books = join(dir, 'broken');
    await mkdir(books);
    await writeFile(join(books, 'A.md'), '# A\n\n## Steps\n<!-- bot: checklist=a -->\n\nNo list here.\n');
    const out = join(dir, 'out.json');
    const r = await cli(['build', books, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('A.md:3: checklist "a" has no steps');
    expect(existsSync(out)).toBe(false);
  });

  it('writes the artifact for good runbooks', async () => {
    const books = join(dir, 'good');
    await mkdir(books);
    for (const f of FIXTURES) await writeFile(join(books, f.file), f.source);
    const out = join(dir, 'good.json');
    const r = await cli(['build', books, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 runbooks');
    expect(existsSync(out)).toBe(true);
  });
});
