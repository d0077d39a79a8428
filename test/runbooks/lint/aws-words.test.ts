import { describe, expect, it } from 'vitest';
import { extractAwsCommands, type ShellVars } from '../../../src/runbooks/lint/aws-words';

// The snippets below are shell, so `${VAR}` in plain strings is meant literally.

const extract = (script: string, vars: ShellVars = new Map()) => extractAwsCommands(script, vars);

describe('extractAwsCommands', () => {
  it('joins line continuations and removes quotes', () => {
    const [cmd] = extract(
      `aws route53 change-resource-record-sets \\\n  --hosted-zone-id 'Z1' \\\n  --change-batch "{\\"Changes\\": []}"`,
    );
    expect(cmd).toEqual({
      argv: [
        'route53',
        'change-resource-record-sets',
        '--hosted-zone-id',
        'Z1',
        '--change-batch',
        '{"Changes": []}',
      ],
      substituted: [],
      line: 1,
    });
  });

  it('substitutes variables exported earlier, also across snippets sharing the same variables', () => {
    const vars: ShellVars = new Map();
    expect(extract('export REGION=eu-west-1\nexport FN="sitecraft-prod-api"', vars)).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    const [cmd] = extract('aws lambda get-function --region "$REGION" --function-name ${FN}', vars);
    expect(cmd?.argv).toEqual([
      'lambda',
      'get-function',
      '--region',
      'eu-west-1',
      '--function-name',
      'sitecraft-prod-api',
    ]);
    expect(cmd?.substituted).toEqual(['--region', '--function-name']);
  });

  it('uses a variable assigned earlier in the same snippet', () => {
    const [cmd] = extract(
      'export FN=sitecraft-prod-api\nREGION=af-south-1; aws lambda get-function --function-name "$FN" --region $REGION',
    );
    expect(cmd?.argv).toEqual([
      'lambda',
      'get-function',
      '--function-name',
      'sitecraft-prod-api',
      '--region',
      'af-south-1',
    ]);
  });

  it('gives undefined variables a placeholder that fits their name, and honours the :- default', () => {
    const [cmd] = extract(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
      'aws cloudwatch get-metric-statistics --start-time "$START_TIME" --period $PERIOD --namespace ${NS:-AWS/Lambda} --x $THING',
    );
    expect(cmd?.argv).toEqual([
      'cloudwatch',
      'get-metric-statistics',
      '--start-time',
      '2024-01-01T00:00:00Z',
      '--period',
      '60',
      '--namespace',
      'AWS/Lambda',
      '--x',
      'placeholder',
    ]);
  });

  it('finds aws inside $(...) and backticks, and stands a placeholder in for the substitution', () => {
    const found = extract(
      'HC=$(aws route53 list-health-checks --query "HealthChecks[0].Id" --output text)\naws route53 get-health-check-status --health-check-id "$HC" --start `date -u`',
    );
    expect(found.map((f) => f.argv.slice(0, 2))).toEqual([
      ['route53', 'list-health-checks'],
      ['route53', 'get-health-check-status'],
    ]);
    expect(found[1]?.argv).toContain('placeholder');
    expect(found[1]?.line).toBe(2);
  });

  it('splits pipelines and lists, drops redirections, skips comments and heredoc bodies', () => {
    const found = extract(
      [
        '# aws not-a-command here',
        'aws sts get-caller-identity >/dev/null 2>&1 && echo ok',
        'cat <<EOF > batch.json',
        'aws this is data',
        'EOF',
        'aws s3 ls s3://bucket | grep x; aws ecr get-login-password | docker login --password-stdin x',
        'time aws lambda list-functions',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, ...f.argv])).toEqual([
      [2, 'sts', 'get-caller-identity'],
      [6, 's3', 'ls', 's3://bucket'],
      [6, 'ecr', 'get-login-password'],
      [7, 'lambda', 'list-functions'],
    ]);
  });

  it('takes the first value of a for loop for its variable', () => {
    const [cmd] = extract(
      'for R in af-south-1 eu-west-1; do\n  aws cloudwatch describe-alarms --region "$R"\ndone',
    );
    expect(cmd?.argv).toEqual(['cloudwatch', 'describe-alarms', '--region', 'af-south-1']);
    expect(cmd?.line).toBe(2);
  });
});
