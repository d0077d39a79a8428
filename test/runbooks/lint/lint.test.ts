import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatLintIssue, type LintOptions, lintRunbooks } from '../../../src/runbooks/lint/lint';
import { tempDir } from '../../helpers/temp';
import { goodRunbooks, troubleshooting, writeRunbooks } from './fixtures';

// One AWS CLI cache for this file's runs, new each time, so the real CLI is exercised by these tests.
const sharedCache = tempDir('aws-cache-');

async function lint(
  files: Record<string, string>,
  options: LintOptions = {},
): Promise<{ dir: string; lines: string[] }> {
  const dir = await writeRunbooks(files);
  const cacheDir = options.cacheDir === undefined ? sharedCache : options.cacheDir;
  const issues = await lintRunbooks(dir, { ...options, cacheDir });
  return { dir, lines: issues.map((i) => formatLintIssue(i).replace(`${dir}/`, '')) };
}

function edit(file: string, change: (text: string) => string): Record<string, string> {
  const files = goodRunbooks();
  files[file] = change(files[file]!);
  return files;
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('runbook lint: a complete set of runbooks', () => {
  // The first lint of the file loads Mermaid under jsdom: on a busy shared machine that alone can pass the
  // default 20 s limit. A limit, not a measurement.
  it('passes with no findings', async () => {
    expect((await lint(goodRunbooks())).lines).toEqual([]);
  }, 90_000);

  it('requires someone who may approve each live action: approve= roles in approvers.yaml, or a gate before it', async () => {
    const checklist = (steps: string) =>
      `\n## DNS cutover\n<!-- bot: checklist=cutover command="cutover" -->\n\n${steps}\n`;
    const nobody = edit(
      'OPERATIONS.md',
      (t) => `${t}${checklist('1. **Flip DNS.** Now.\n   <!-- bot: action=route53-failover -->')}`,
    );
    const { lines } = await lint(nobody);
    expect(lines).toEqual([
      expect.stringMatching(
        /^OPERATIONS\.md:\d+: step "Flip DNS" \(action=route53-failover\) has no approval gate before it and no approve= roles, so nobody could approve it$/,
      ),
    ]);
    const unknown = edit(
      'OPERATIONS.md',
      (t) =>
        `${t}${checklist('1. **Flip DNS.** Now.\n   <!-- bot: action=route53-failover approve=devops,chief-wizard -->')}`,
    );
    expect((await lint(unknown)).lines).toEqual([
      expect.stringContaining('step "Flip DNS" approve= names role(s) chief-wizard not in approvers.yaml'),
    ]);
    const declared = edit(
      'OPERATIONS.md',
      (t) =>
        `${t}${checklist('1. **Flip DNS.** Now.\n   <!-- bot: action=route53-failover approve=devops -->')}`,
    );
    expect((await lint(declared)).lines).toEqual([]);
  });

  it('checks the hints that reach people: remind=, escalate=, update=, local=, all-clear=, and no {{run}} for stakeholders', async () => {
    const good = edit('PROMOTION.md', (t) =>
      t.replace(
        '> **Approval gate: SIT → PROD release.** Approvers: Security, Business Owner.',
        '> **Approval gate: SIT → PROD release.** Approvers: Security, Business Owner.\n> <!-- bot: remind=20m escalate=L2 -->',
      ),
    );
    good['DR_FAILOVER.md'] = good['DR_FAILOVER.md']!.replace(
      '<!-- bot: template=failover-notice -->',
      '<!-- bot: template=failover-notice update=30m update-template=failover-notice owner=incident-commander local="SAST=Africa/Johannesburg" -->',
    );
    expect((await lint(good)).lines).toEqual([]);

    const bad = edit('PROMOTION.md', (t) =>
      t.replace(
        '> **Approval gate: SIT → PROD release.** Approvers: Security, Business Owner.',
        '> **Approval gate: SIT → PROD release.** Approvers: Security, Business Owner.\n> <!-- bot: remind=soon escalate=L9 -->',
      ),
    );
    bad['DR_FAILOVER.md'] = bad['DR_FAILOVER.md']!.replace(
      '<!-- bot: template=failover-notice -->',
      '<!-- bot: template=failover-notice update=30m local="SAST=Nowhere/Atlantis" -->',
    )
      .replace('started by {{started_by}}.', 'started by {{started_by}} (run {{run}}, {{mood}}).')
      .replace(
        '<!-- bot: checklist=failover command="failover" -->',
        '<!-- bot: checklist=failover command="failover" all-clear=nothing-here -->',
      );
    const lines = (await lint(bad)).lines.join('\n');
    expect(lines).toContain(
      'approval gate "SIT → PROD release": remind=soon is not a duration like 10m, 90s or 2h',
    );
    expect(lines).toContain(
      'approval gate "SIT → PROD release": escalate=L9 names no level of the contacts table (l1, l2)',
    );
    expect(lines).toContain(
      'template "failover-notice": {{run}} is an internal run id; stakeholders must not see it',
    );
    expect(lines).toContain('template "failover-notice": {{mood}} is not filled by the bot');
    expect(lines).toContain('template "failover-notice": update= needs update-template=<id>');
    expect(lines).toContain(
      'template "failover-notice": local="SAST=Nowhere/Atlantis" must be LABEL=Area/City',
    );
    expect(lines).toContain('checklist "failover" offers all-clear=nothing-here, which no template defines');
  });

  it('accepts approvers.yaml roles that name their user group, and refuses a malformed one', async () => {
    const grouped = goodRunbooks();
    grouped['approvers.yaml'] = grouped['approvers.yaml']!.replace(
      '  devops: [U01DEVOPS1]',
      '  devops:\n    group: S01DEVOPS\n    members: [U01DEVOPS1]',
    );
    expect((await lint(grouped)).lines).toEqual([]);
    grouped['approvers.yaml'] = grouped['approvers.yaml']!.replace('group: S01DEVOPS', 'group: U01NOTAGROUP');
    expect((await lint(grouped)).lines).toEqual([
      expect.stringContaining(
        'role "devops" needs a list of Slack user (U…) or group (S…) IDs, or { group: S…, members: [IDs] }',
      ),
    ]);
  });

  it('matches required headings by their words, so better wording passes', async () => {
    const files = edit('DEPLOYMENT.md', (t) =>
      t
        .replace('## Prerequisites', '## Before you start: credentials and tools')
        .replace('## Verification', '## Verifying the release')
        .replace('### Agents (AgentCore)', '### Extras'),
    );
    expect((await lint(files)).lines).toEqual([
      'DEPLOYMENT.md:1: missing a heading for "agents" or "agentcore"',
    ]);
  });
});

describe('runbook lint: bad input names the file and line', () => {
  it('an unclosed fence', async () => {
    const files = edit('ARCHITECTURE.md', (t) => `${t}\n## Notes\n\n\`\`\`bash\necho "never closed"\n`);
    const line = lineOf(files['ARCHITECTURE.md']!, '```bash');
    expect((await lint(files)).lines).toContain(
      `ARCHITECTURE.md:${line}: unclosed code fence: it runs to the end of the file`,
    );
  });

  it('an invalid Mermaid diagram', async () => {
    const files = edit('ARCHITECTURE.md', (t) =>
      t.replace('a[Start] --> b[End]', 'a[Start] --> b[End\n  b --> c'),
    );
    const line = lineOf(files['ARCHITECTURE.md']!, 'b --> c');
    const { lines } = await lint(files);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^ARCHITECTURE\\.md:${line}: invalid Mermaid: Parse error`)),
    );
  });

  it('a file without headings', async () => {
    const files = {
      ...goodRunbooks(),
      'OPERATIONS.md': 'Just some text.\n\n```mermaid\nflowchart LR\n  a --> b\n```\n',
    };
    const { lines } = await lint(files);
    expect(lines).toContainEqual(expect.stringMatching(/^OPERATIONS\.md:1: no headings/));
  });
});

describe('runbook lint: every rule', () => {
  let lines: string[] = [];
  let files: Record<string, string> = {};
  const at = (file: string, needle: string) => `${file}:${lineOf(files[file]!, needle)}`;

  beforeAll(async () => {
    files = goodRunbooks();
    delete files['PROMOTION.md'];
    files['ARCHITECTURE.md'] = files['ARCHITECTURE.md']!.replace(
      '## Trust boundaries',
      '## Security',
    ).replace(
      'Tenants are isolated.',
      'See [missing](#nope), [other](DEPLOYMENT.md#nope), [file](MISSING.md) and [ok](DEPLOYMENT.md#rollback).\n\n```\nno language\n```',
    );
    files['OPERATIONS.md'] = files['OPERATIONS.md']!.replace(
      'Rotate secrets.',
      [
        'Rotate secrets.',
        '<!-- bot: checklst=oops -->',
        '```bash',
        'if [ -z "$X" ]; then',
        '```',
        '```bash',
        'echo $UNQUOTED_THING',
        'aws lambda list-functions --region eu-west-1 --bogus-option 1',
        'aws route53 list-hosted-zonez',
        'export START=$(date -u +%FT%TZ)',
        'aws cloudwatch get-metric-statistics --region eu-west-1 --namespace AWS/Lambda --metric-name Errors --start-time "$START" --end-time "$(date -u)" --period 60 --statistics Sum',
        'aws sts get-caller-identity',
        'aws ssm get-parameter --name /sitecraft/prod/x',
        '```',
        '## Restart checklist',
        '<!-- bot: checklist=restart -->',
        '',
        'Nothing numbered here.',
      ].join('\n'),
    );
    files['DR_FAILOVER.md'] = files['DR_FAILOVER.md']!.replace('```text\nFailover', '```txt\nFailover')
      .replace('| Health check ID | Target |', '| Health check | Target |')
      .replace('```mermaid\nflowchart LR\n  a[Start] --> b[End]\n```', 'No diagram here.');
    files['DEPLOYMENT.md'] = files['DEPLOYMENT.md']!.replace(
      '## Verification',
      '## Gate\n<!-- bot: checklist=ship -->\n\n1. **Ship it.**\n\n> **Approval gate: ship.** Approvers: Chief Wizard.\n\n2. **Done.**\n\n## Verification',
    );
    files['TROUBLESHOOTING.md'] = troubleshooting().replace('g1 -->|No| g3', 'g1 --> g3');
    ({ lines } = await lint(files));
  });

  it('required runbooks and headings', () => {
    expect(lines).toContain('PROMOTION.md:1: required runbook is missing');
    expect(lines).toContain(
      'ARCHITECTURE.md:1: missing a heading for "trust boundaries" or "trust boundary"',
    );
  });

  it('every runbook has a Mermaid diagram', () => {
    expect(lines).toContain('DR_FAILOVER.md:1: runbook has no Mermaid diagram (```mermaid)');
  });

  it('fenced blocks carry a language', () => {
    const fence = lineOf(files['ARCHITECTURE.md']!, 'no language') - 1;
    expect(lines).toContain(
      `ARCHITECTURE.md:${fence}: fenced block has no language (\`\`\`bash, \`\`\`text, ...)`,
    );
  });

  it('internal links and anchors resolve, in the same file and across files', () => {
    const where = at('ARCHITECTURE.md', '[missing](#nope)');
    expect(lines).toEqual(
      expect.arrayContaining([
        `${where}: broken link #nope: no heading in this file has the anchor #nope`,
        `${where}: broken link DEPLOYMENT.md#nope: no heading in DEPLOYMENT.md has the anchor #nope`,
        `${where}: broken link MISSING.md: no such file in the runbooks`,
      ]),
    );
    expect(lines.filter((l) => l.includes('DEPLOYMENT.md#rollback'))).toEqual([]);
  });

  it('directives are well-formed', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        `${at('OPERATIONS.md', 'checklst=oops')}: unknown directive "checklst"`,
        `${at('OPERATIONS.md', '## Restart checklist')}: checklist "restart" has no steps (ordered list or "Step N" headings)`,
        expect.stringMatching(
          /^DR_FAILOVER\.md:\d+: record set "route53-failover" needs a table with columns/,
        ),
        expect.stringMatching(/^DR_FAILOVER\.md:\d+: template "failover-notice" needs a ```text block/),
        `${at('DEPLOYMENT.md', 'Approval gate: ship')}: approval gate "ship" names role(s) chief-wizard not in approvers.yaml (devops, security, architecture, business-owner)`,
      ]),
    );
  });

  it('shell blocks pass bash -n and shellcheck', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^OPERATIONS\.md:\d+: bash -n: syntax error/));
    expect(lines).toContain(
      `${at('OPERATIONS.md', 'echo $UNQUOTED_THING')}: shellcheck SC2086 (info): Double quote to prevent globbing and word splitting.`,
    );
  });

  it('aws commands are valid AWS CLI v2, placeholders for run-time values aside', () => {
    const aws = lines.filter((l) => /: aws /.test(l) && !/\[[a-z-]+\]$/.test(l));
    expect(aws).toEqual([
      `${at('OPERATIONS.md', '--bogus-option')}: aws lambda list-functions: not valid AWS CLI v2 syntax: Unknown options: --bogus-option, 1`,
      expect.stringMatching(
        new RegExp(
          `^${at('OPERATIONS.md', 'list-hosted-zonez')}: aws route53 list-hosted-zonez: not valid AWS CLI v2 syntax: aws: error: argument operation: Invalid choice`,
        ),
      ),
    ]);
  });

  it('practice rules, with the rule named', () => {
    expect(lines.filter((l) => /\[[a-z-]+\]$/.test(l))).toEqual([
      `${at('OPERATIONS.md', 'ssm get-parameter')}: aws ssm get-parameter: regional command without --region; name the region it must act on [region-explicit]`,
    ]);
  });

  it('decision trees the bot cannot walk', () => {
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^TROUBLESHOOTING\.md:\d+: decision node g1 has an unlabelled edge to g3: label it/,
      ),
    );
  });
});

describe('runbook lint: the AWS CLI', () => {
  const files = (): Record<string, string> =>
    edit('DEPLOYMENT.md', (t) =>
      t.replace('aws lambda update-function-code', 'aws lambda update-function-codez'),
    );

  it('is required: a missing or v1 CLI is a clear error, not a silent skip', async () => {
    const missing = await lint(files(), { awsCli: '/nonexistent/aws' });
    expect(missing.lines).toEqual([
      expect.stringMatching(
        /^DEPLOYMENT\.md:\d+: AWS CLI v2 is required to check aws commands \(\/nonexistent\/aws is not installed\)/,
      ),
    ]);
    const v1 = join(tempDir('aws-v1-'), 'aws');
    await writeFile(
      v1,
      '#!/bin/sh\necho "aws-cli/1.29.0 Python/3.11.2 Linux/6 botocore/1.31.0" >&2\nexit 0\n',
    );
    await chmod(v1, 0o755);
    expect((await lint(files(), { awsCli: v1 })).lines).toEqual([
      expect.stringMatching(
        /^DEPLOYMENT\.md:\d+: AWS CLI v2 is required to check aws commands \(.* is aws-cli\/1\.29\.0\)/,
      ),
    ]);
  });

  it('gives the same verdicts through a spawned CLI (not a Python script) and caches them', async () => {
    const wrapper = join(tempDir('aws-wrap-'), 'aws');
    await writeFile(wrapper, '#!/bin/sh\nexec /usr/bin/aws "$@"\n');
    await chmod(wrapper, 0o755);
    const cacheDir = tempDir('aws-cache-');
    const spawned = await lint(files(), { awsCli: wrapper, cacheDir });
    const batched = await lint(files(), { cacheDir: null });
    expect(spawned.lines).toEqual([
      expect.stringMatching(
        /^DEPLOYMENT\.md:\d+: aws lambda update-function-codez: not valid AWS CLI v2 syntax/,
      ),
    ]);
    expect(batched.lines).toEqual(spawned.lines);
    const cache = JSON.parse(await readFile(join(cacheDir, 'aws-cli.json'), 'utf8')) as {
      version: string;
      results: object;
    };
    expect(cache.version).toMatch(/^aws-cli\/2\./);
    expect(Object.keys(cache.results).length).toBeGreaterThan(0);
  });
});

describe('runbook lint: alarms map to sections', () => {
  const TEMPLATE = `Resources:
  Api5xxAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Sub \${AlarmPrefix}api-5xx
      Threshold: 1
  SlowAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Sub \${AlarmPrefix}api-timeout
  Topic:
    Type: AWS::SNS::Topic
`;
  async function template(): Promise<string> {
    const file = join(tempDir('alarms-'), 'dr.yaml');
    await writeFile(file, TEMPLATE);
    return file;
  }
  const declare = (files: Record<string, string>, heading: string, names: string) => ({
    ...files,
    'TROUBLESHOOTING.md': files['TROUBLESHOOTING.md']!.replace(
      heading,
      `${heading}\n<!-- bot: alarms="${names}" -->`,
    ),
  });

  it('fails for an alarm of the template that maps to no section, naming the template line', async () => {
    const path = await template();
    const files = declare(goodRunbooks(), '### "API timeout" — Lambda cold start', 'api-timeout');
    const { lines } = await lint(files, { alarmsTemplate: path });
    expect(lines).toEqual([
      `${path}:5: alarm "api-5xx" maps to no runbook section: add alarms="api-5xx" to the symptom or procedure that answers it`,
    ]);
  });

  it('fails for a section that is neither a symptom nor a procedure, and for names the template lacks', async () => {
    const path = await template();
    const files = declare(
      declare(goodRunbooks(), '### "API timeout" — Lambda cold start', 'api-5xx api-typo'),
      '## Performance issues',
      'api-timeout',
    );
    const text = (await lint(files, { alarmsTemplate: path })).lines.join('\n');
    expect(text).toContain(
      'alarm "api-timeout" maps to "Performance issues", which is neither a symptom nor a procedure',
    );
    expect(text).toContain(`alarms= names "api-typo", which ${path} does not define`);
  });

  it('counts a section with a What you see as a symptom though its heading quotes no message', async () => {
    const path = await template();
    const good = goodRunbooks();
    const unquoted = {
      ...good,
      'TROUBLESHOOTING.md': good['TROUBLESHOOTING.md']!.replace(
        '### "API timeout" — Lambda cold start',
        '### API timeout — Lambda cold start',
      ),
    };
    const files = declare(unquoted, '### API timeout — Lambda cold start', 'api-timeout api-5xx');
    expect((await lint(files, { alarmsTemplate: path })).lines).toEqual([]);
  });

  it('passes when every alarm is answered by a symptom or a procedure', async () => {
    const path = await template();
    const files = declare(goodRunbooks(), '### "API timeout" — Lambda cold start', 'api-timeout api-5xx');
    expect((await lint(files, { alarmsTemplate: path })).lines).toEqual([]);
  });
});
