/**
 * Practice rules (issue 17): classes of operational mistakes a syntax check cannot see but a reader of the
 * command can, each found in a real runbook review. Documented in docs/runbook-format.md, "Practice
 * rules". Every finding names its rule, so `grep region-explicit` finds them all.
 *
 * - region-explicit: an `aws` command of a regional service passes `--region`. `export AWS_REGION=...` at
 *   the top of a procedure is for the reader; the CLI also reads AWS_REGION, AWS_DEFAULT_REGION and the
 *   profile's region silently, so a command without `--region` runs wherever the shell points (after a
 *   failover's `export AWS_REGION=eu-west-1`, or inside a loop meant to visit both regions).
 * - invalidation-paths: a CloudFront invalidation invalidates whole prefixes (`/*`, `/sites/<id>/*`);
 *   listing files (`/index.html`) misses `/`, deep links and everything else cached for the SPA.
 * - invalidation-wait: a block that creates an invalidation waits for it
 *   (`aws cloudfront wait invalidation-completed`) on the same distribution.
 * - version-by-description: Lambda versions are not looked up by description; `publish-version`
 *   publishes nothing for unchanged code and returns a version described for an older release.
 * - update-needs-condition: `dynamodb update-item` carries `--condition-expression`; without one, a typo
 *   in the key creates a new item.
 * - no-inverted-health-check: no `route53 update-health-check --inverted`: an inverted check reports the
 *   failed endpoint healthy, so Route 53 keeps answering with the region that is down.
 * - curl-timeout: `curl` has `--max-time`/`-m` or runs under `timeout`, so a region that does not answer
 *   costs seconds, not the default of no limit.
 */
import { extractCommands, isAws, type ShellCommand, type ShellVars } from './aws-words';
import type { LintFile } from './files';
import type { LintIssue } from './issue';
import { isShellBlock } from './shell';

export type PracticeRule =
  | 'region-explicit'
  | 'invalidation-paths'
  | 'invalidation-wait'
  | 'version-by-description'
  | 'update-needs-condition'
  | 'no-inverted-health-check'
  | 'curl-timeout';

/**
 * AWS CLI commands that need no `--region`: global services (their endpoint does not depend on a Region)
 * and the CLI's own commands. `s3` and `s3api` are not here: a bucket in an opt-in Region such as
 * af-south-1 is not reached through another Region's endpoint.
 */
export const GLOBAL_AWS_COMMANDS: ReadonlySet<string> = new Set([
  'iam',
  'route53',
  'cloudfront',
  'organizations',
  'sts',
  'sso',
  'configure',
  'help',
  'history',
]);

/**
 * Files whose findings for some rules are not reported yet, each with the reason. Keep this empty: an
 * entry is a promise that the file is being rewritten, and it goes when the rewrite lands.
 */
export const PRACTICE_RULES_PENDING: Readonly<Record<string, readonly PracticeRule[]>> = {};

/** The AWS CLI's global options that take a value (they may stand before the service name). */
const AWS_VALUE_OPTIONS = new Set([
  '--region',
  '--profile',
  '--output',
  '--query',
  '--endpoint-url',
  '--color',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
]);

export function checkPractices(
  files: readonly LintFile[],
  pending: Readonly<Record<string, readonly PracticeRule[]>> = PRACTICE_RULES_PENDING,
): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const f of files) {
    const skipped = new Set(pending[f.name] ?? []);
    const vars: ShellVars = new Map();
    for (const block of f.blocks.filter(isShellBlock)) {
      const commands = extractCommands(block.code, vars);
      for (const found of checkBlock(commands)) {
        if (skipped.has(found.rule)) continue;
        issues.push({
          file: f.path,
          line: block.line + found.line,
          message: `${found.message} [${found.rule}]`,
        });
      }
    }
  }
  return issues;
}

interface Finding {
  rule: PracticeRule;
  line: number;
  message: string;
}

/** The findings of one shell block's commands (in order); `line` is relative to the block. */
export function checkBlock(commands: readonly ShellCommand[]): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: PracticeRule, c: ShellCommand, message: string) =>
    findings.push({ rule, line: c.line, message });
  commands.forEach((c, k) => {
    if (c.name === 'curl') {
      if (!c.underTimeout && !hasCurlMaxTime(c.argv))
        add(
          'curl-timeout',
          c,
          'curl without --max-time (-m) or `timeout`: a region that does not answer hangs it',
        );
      return;
    }
    if (!isAws(c.name)) return;
    const [service, operation] = awsServiceAndOperation(c.argv);
    if (!service) return;
    const label = `aws ${service}${operation ? ` ${operation}` : ''}`;
    if (!GLOBAL_AWS_COMMANDS.has(service) && !hasOption(c.argv, '--region'))
      add(
        'region-explicit',
        c,
        `${label}: regional command without --region; name the region it must act on`,
      );
    if (service === 'cloudfront' && operation === 'create-invalidation') {
      for (const path of optionValues(c.argv, '--paths')) {
        if (path !== '/*' && !path.endsWith('/*'))
          add(
            'invalidation-paths',
            c,
            `${label}: path "${path}" is not a whole prefix; invalidate "/*" (or "/<prefix>/*" on a shared distribution)`,
          );
      }
      const distribution = distributionOf(c);
      const waited = commands
        .slice(k + 1)
        .some(
          (w) =>
            isAws(w.name) &&
            awsServiceAndOperation(w.argv).join(' ') === 'cloudfront wait' &&
            w.argv.includes('invalidation-completed') &&
            sameDistribution(distributionOf(w), distribution),
        );
      if (!waited)
        add(
          'invalidation-wait',
          c,
          `${label}: no "aws cloudfront wait invalidation-completed" on the same distribution follows in this block`,
        );
    }
    if (
      service === 'lambda' &&
      operation === 'list-versions-by-function' &&
      /\bDescription\b/.test(optionValues(c.argv, '--query').join(' '))
    )
      add(
        'version-by-description',
        c,
        `${label}: a version found by its description can be an older release's (publish-version publishes nothing for unchanged code); use the recorded version numbers`,
      );
    if (service === 'dynamodb' && operation === 'update-item' && !hasOption(c.argv, '--condition-expression'))
      add(
        'update-needs-condition',
        c,
        `${label}: without --condition-expression (e.g. attribute_exists of the key) a mistyped key creates a new item`,
      );
    if (service === 'route53' && operation === 'update-health-check' && c.argv.includes('--inverted'))
      add(
        'no-inverted-health-check',
        c,
        `${label} --inverted: an inverted health check reports a failed endpoint healthy; never use it to steer traffic`,
      );
  });
  return findings;
}

/** `[service, operation]` after the CLI's global options (`aws --region x lambda get-alias` works too). */
export function awsServiceAndOperation(argv: readonly string[]): [string | undefined, string | undefined] {
  const words: string[] = [];
  for (let k = 0; k < argv.length && words.length < 2; k++) {
    const a = argv[k]!;
    if (a.startsWith('--')) {
      if (AWS_VALUE_OPTIONS.has(a)) k++;
      continue;
    }
    words.push(a);
  }
  return [words[0], words[1]];
}

function hasOption(argv: readonly string[], option: string): boolean {
  return argv.some((a) => a === option || a.startsWith(`${option}=`));
}

/** The values of an option: the words after it up to the next `--option` (or its `=value`). */
function optionValues(argv: readonly string[], option: string): string[] {
  const values: string[] = [];
  argv.forEach((a, k) => {
    if (a.startsWith(`${option}=`)) values.push(a.slice(option.length + 1));
    if (a !== option) return;
    for (let j = k + 1; j < argv.length && !argv[j]!.startsWith('--'); j++) values.push(argv[j]!);
  });
  return values;
}

interface Distribution {
  value: string;
  raw: string;
}

function distributionOf(c: ShellCommand): Distribution | null {
  const k = c.argv.indexOf('--distribution-id');
  if (k < 0 || k + 1 >= c.argv.length) return null;
  return { value: c.argv[k + 1]!, raw: normalizeVariable(c.raw[k + 1]!) };
}

/** Same distribution: the same variable as written when both are variables, else the same value. */
function sameDistribution(a: Distribution | null, b: Distribution | null): boolean {
  if (!a || !b) return false;
  if (a.raw.startsWith('$') && b.raw.startsWith('$')) return a.raw === b.raw;
  return a.value === b.value;
}

/** `"${APP_DISTRIBUTION_ID}"` and `$APP_DISTRIBUTION_ID` are the same word. */
function normalizeVariable(raw: string): string {
  return raw.replace(/^["']|["']$/g, '').replace(/^\$\{([A-Za-z_]\w*)\}$/, '$$$1');
}

function hasCurlMaxTime(argv: readonly string[]): boolean {
  return argv.some(
    (a) => a === '--max-time' || a.startsWith('--max-time=') || /^-[a-zA-Z]*m(\d+(\.\d+)?)?$/.test(a),
  );
}
