/**
 * `runbook lint [dir]` (issue 2 §5, issue 5): everything docs/runbook-format.md promises, checked before
 * the bot ever sees the runbooks. Each finding is `file:line: message`.
 *
 * - structure: the six runbooks and their topic headings (rules.ts), symptom sub-headings, a Mermaid
 *   diagram in every runbook (structure.ts)
 * - fences closed and tagged with a language (fences.ts); internal links and anchors (links.ts)
 * - directives and what the compiler demands of them, gate roles in approvers.yaml, and decision trees
 *   the bot can walk (directives.ts, ../compile/trees.ts)
 * - every CloudWatch alarm of infra/dr.yaml answered by one symptom or procedure (alarms.ts)
 * - every Mermaid block parses with mermaid's parser under jsdom (../compile/mermaid.ts)
 * - shell blocks pass `bash -n` and shellcheck (shell.ts); `aws` commands are valid AWS CLI v2
 *   (aws-words.ts, aws.ts)
 * - runbooks/phrasings.json parses and names only sections that exist (phrasings.ts)
 * - practice rules: regions named, whole-prefix CloudFront invalidations that are waited for, no version
 *   lookups by description, conditional DynamoDB updates, no inverted health checks, curl timeouts
 *   (practices.ts)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MermaidSyntaxError, validateMermaid } from '../compile/mermaid';
import type { Section } from '../model/model';
import { checkAlarms } from './alarms';
import { type AwsCommand, checkAwsCommands, DEFAULT_CACHE_DIR } from './aws';
import { extractAwsCommands, type ShellVars } from './aws-words';
import { checkApprovers, checkDirectiveKeys, checkTrees, compileForLint } from './directives';
import { checkFences } from './fences';
import { type LintFile, readLintFiles } from './files';
import { type LintIssue, sortLintIssues } from './issue';
import { anchorsFromHeadings, checkLinks } from './links';
import { checkPhrasings } from './phrasings';
import { checkPractices } from './practices';
import { checkReachHints } from './reach';
import { checkShellBlocks, isShellBlock, type ShellBlock } from './shell';
import { checkStructure } from './structure';

export { formatLintIssue, type LintIssue } from './issue';

export interface LintOptions {
  /** The AWS CLI v2 binary (default /usr/bin/aws). */
  awsCli?: string;
  /** Cache of AWS CLI verdicts (default node_modules/.cache/runbook-lint); null turns it off. */
  cacheDir?: string | null;
  /**
   * The CloudFormation template whose CloudWatch alarms must each map to a runbook section (default
   * `<dir>/../infra/dr.yaml` when it exists); null skips that check (the mapping itself is still checked).
   */
  alarmsTemplate?: string | null;
}

export async function lintRunbooks(dir: string, options: LintOptions = {}): Promise<LintIssue[]> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) return [{ file: dir, line: 1, message: 'not a directory of runbooks' }];
  const files = await readLintFiles(dir);
  if (files.length === 0) return [{ file: dir, line: 1, message: 'no *.md runbooks in this directory' }];

  const scratch = await mkdtemp(join(tmpdir(), 'runbook-lint-'));
  try {
    const issues: LintIssue[] = [
      ...checkStructure(dir, files),
      ...files.flatMap((f) => checkFences(f.path, f.blocks)),
      ...checkDirectiveKeys(files),
    ];
    const compiled = await compileForLint(dir, files);
    issues.push(...compiled.issues);
    issues.push(...checkLinks(dir, files, anchorsOf(files, compiled.sections)));
    issues.push(...checkPractices(files));
    issues.push(...(await checkApprovers(dir, files, compiled)));
    issues.push(...checkReachHints(files, compiled.sections, compiled.artifact));
    issues.push(...(await checkAlarms(files, compiled, await alarmsTemplateOf(dir, options))));
    issues.push(...(await checkPhrasings(dir, compiled.sections)));

    const external = Promise.all([
      checkShellBlocks(shellBlocks(files), scratch),
      checkAwsCommands(awsCommands(files), {
        scratch,
        awsCli: options.awsCli,
        cacheDir: options.cacheDir === undefined ? DEFAULT_CACHE_DIR : options.cacheDir,
      }),
    ]);
    issues.push(...(await checkMermaidBlocks(files)));
    issues.push(...(await checkTrees(files, compiled)));
    for (const found of await external) issues.push(...found);
    return sortLintIssues(issues);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function alarmsTemplateOf(dir: string, options: LintOptions): Promise<string | null> {
  if (options.alarmsTemplate !== undefined) return options.alarmsTemplate;
  const beside = join(dir, '..', 'infra', 'dr.yaml');
  return (await stat(beside).then(
    (s) => s.isFile(),
    () => false,
  ))
    ? beside
    : null;
}

/** The compiler's anchors where a file compiled, else GitHub's slugs of the raw headings. */
function anchorsOf(files: readonly LintFile[], sections: readonly Section[]): Map<string, Set<string>> {
  const anchors = anchorsFromHeadings(files);
  for (const f of files) {
    const own = sections.filter((s) => s.file === f.name).map((s) => s.anchor);
    if (own.length > 0) anchors.set(f.name, new Set(own));
  }
  return anchors;
}

async function checkMermaidBlocks(files: readonly LintFile[]): Promise<LintIssue[]> {
  const issues: LintIssue[] = [];
  for (const f of files) {
    for (const block of f.blocks) {
      if (block.lang !== 'mermaid' || !block.closed) continue;
      if (block.code.trim() === '') {
        issues.push({ file: f.path, line: block.line, message: 'empty Mermaid block' });
        continue;
      }
      try {
        await validateMermaid(block.code);
      } catch (err) {
        if (!(err instanceof MermaidSyntaxError)) throw err;
        issues.push({
          file: f.path,
          line: block.line + err.line,
          message: `invalid Mermaid: ${err.message}`,
        });
      }
    }
  }
  return issues;
}

function shellBlocks(files: readonly LintFile[]): ShellBlock[] {
  return files.flatMap((f) => f.blocks.filter(isShellBlock).map((block) => ({ file: f.path, block })));
}

/** `aws` commands of every shell block; variables carry over between a file's blocks, in order. */
function awsCommands(files: readonly LintFile[]): AwsCommand[] {
  const out: AwsCommand[] = [];
  for (const f of files) {
    const vars: ShellVars = new Map();
    for (const block of f.blocks.filter(isShellBlock)) {
      for (const inv of extractAwsCommands(block.code, vars)) {
        out.push({ file: f.path, line: block.line + inv.line, argv: inv.argv, substituted: inv.substituted });
      }
    }
  }
  return out;
}
